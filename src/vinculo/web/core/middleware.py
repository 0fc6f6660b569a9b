"""Request context: the client address used by the audit trail."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class RequestContextMiddleware:
    """Sets ``request.client_ip``. Behind ``VINCULO_TRUSTED_PROXIES`` reverse proxies, the address is
    taken from X-Forwarded-For that many hops from the right; otherwise REMOTE_ADDR."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted_proxies = int(getattr(settings, "VINCULO_TRUSTED_PROXIES", 0))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = request.META.get("REMOTE_ADDR")
        if self.trusted_proxies:
            hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            if len(hops) >= self.trusted_proxies:
                address = hops[-self.trusted_proxies]
        request.client_ip = address  # type: ignore[attr-defined]
        return self.get_response(request)
