"""Request-level refusals that happen before any view runs: unknown Host headers and oversized bodies.

:class:`RequestLimitsMiddleware` comes first in ``MIDDLEWARE``. It answers

* **400** when the ``Host`` header is not in ``ALLOWED_HOSTS`` (logged as one line, never a traceback);
* **400** when ``Content-Length`` is not a whole number;
* **413** when ``Content-Length`` is above the limit: ``VINCULO_MAX_UPLOAD_BYTES`` for multipart uploads
  (by default ``VINCULO_CASES_MAX_BYTES``, 100 MiB, plus 1 MiB for the form around the file),
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for every other body (JSON, forms; default 10 MiB).

The body is never read. API paths (``/api/...``) answer the API error shape
``{"ok": false, "error", "errors", "code", "status"}``; pages answer a short HTML page. Nothing the client
sent is echoed back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

__all__ = ["RequestLimitsMiddleware", "max_body_bytes", "refusal"]

logger = logging.getLogger("vinculo.requests")

FORM_ALLOWANCE = 1024 * 1024  # the multipart envelope and form fields around the largest file
DEFAULT_CASES_MAX_BYTES = 100 * 1024 * 1024


def max_upload_bytes() -> int:
    """``VINCULO_MAX_UPLOAD_BYTES``, by default the case-file limit (``VINCULO_CASES_MAX_BYTES``) plus 1 MiB."""
    explicit = getattr(settings, "VINCULO_MAX_UPLOAD_BYTES", None)
    if explicit is not None:
        return int(explicit)
    return int(getattr(settings, "VINCULO_CASES_MAX_BYTES", DEFAULT_CASES_MAX_BYTES)) + FORM_ALLOWANCE


def max_body_bytes(content_type: str) -> int:
    """Largest request body accepted for this content type."""
    if content_type.split(";", 1)[0].strip().lower() == "multipart/form-data":
        return max_upload_bytes()
    limit = getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None)
    return int(limit) if limit is not None else max_upload_bytes()


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request: HttpRequest, status: int, code: str, message: str, explanation: str) -> HttpResponse:
    """The API error shape for API paths, otherwise a minimal page that needs no middleware state."""
    if is_api(request):
        return JsonResponse(
            {"ok": False, "error": message, "errors": [], "code": code, "status": status}, status=status
        )
    page = loader.get_template("request_error.html").render({"heading": message, "explanation": explanation})
    return HttpResponse(page, status=status)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("The request body is too large: the limit is %(limit)s bytes.") % {"limit": f"{limit:,}"}
    return refusal(
        request,
        413,
        "too_large",
        message,
        _("Send a smaller file, or split it into several files."),
    )


class RequestLimitsMiddleware:
    """Refuses disallowed hosts (400) and oversized bodies (413) before the body is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost:
            logger.warning(
                "Refused a request whose Host header is not in ALLOWED_HOSTS (path %r).", request.path[:200]
            )
            return refusal(
                request,
                400,
                "bad_host",
                _("Bad request: this server does not answer for the host that was asked for."),
                _("Use the platform's own address."),
            )
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
            if length < 0:
                raise ValueError
        except ValueError:
            return refusal(
                request,
                400,
                "bad_request",
                _("Bad request: the Content-Length header is not a whole number of bytes."),
                _("Check what you sent."),
            )
        limit = max_body_bytes(request.META.get("CONTENT_TYPE", ""))
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)
