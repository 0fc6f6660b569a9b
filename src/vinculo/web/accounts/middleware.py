"""Two-factor sign-in, enforced on every request of a signed-in session.

A session whose account has an authenticator, or must have one (:func:`access.access_requires_two_factor`),
and has not yet given a code can reach only the two-factor pages, sign-out, the password-reset pages
and the language switch:
pages redirect there, the API answers 403. An API request that sends an ``Authorization`` header is
left to the API's token check with the session set aside (it counts as signed out), so a header can
never stand in for the code; a token is only issued from a verified session when two-factor applies.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import access
from .two_factor import has_two_factor, is_verified

OPEN_URL_NAMES = ("two_factor_verify", "two_factor_enrol", "two_factor_qr", "logout")


class TwoFactorMiddleware:
    """Install after django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        blocked = self._blocked(request)
        return blocked if blocked is not None else self.get_response(request)

    def _blocked(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_verified(request):
            return None
        enrolled = has_two_factor(user)
        if not enrolled and not access.access_requires_two_factor(user):
            return None
        path = request.path_info
        open_paths = {reverse(f"accounts:{name}") for name in OPEN_URL_NAMES}
        static = settings.STATIC_URL or "/static/"
        # The e-mailed password-reset link works whatever the session (its token is the proof).
        reset = reverse("accounts:password_reset")
        if path in open_paths or path.startswith((static, "/i18n/", reset)):
            return None
        if path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META:
            # A script's token speaks for itself; the unverified session behind it counts for nothing.
            request.user = AnonymousUser()
            return None
        if path.startswith("/api/"):
            message = _("Give your two-factor code first: sign in on the web pages, or use an API token.")
            return JsonResponse(
                {"ok": False, "error": message, "errors": [], "code": "two_factor_required", "status": 403},
                status=403,
            )
        target = reverse("accounts:two_factor_verify" if enrolled else "accounts:two_factor_enrol")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
