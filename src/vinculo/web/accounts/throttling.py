"""Sign-in throttling: django-axes records every failure; this handler decides, from its records, when a
sign-in is refused. Three rules, all over the last ``AXES_COOLOFF_TIME``:

* one account from one address: ``AXES_FAILURE_LIMIT`` failures lock that pair (the guesser's address,
  not the person);
* one address across accounts: ``VINCULO_SIGN_IN_ADDRESS_LIMIT`` failures lock the address (password
  spraying: many accounts, a few passwords each), except for a browser that signed in to the account
  before (so a spray from a shared address does not shut out the people behind it);
* one account across addresses: after ``VINCULO_SIGN_IN_BACKOFF_AFTER`` failures a try waits
  ``VINCULO_SIGN_IN_BACKOFF_FIRST`` seconds after the last failure, and each further failure doubles
  the wait, up to ``VINCULO_SIGN_IN_BACKOFF_MAX`` seconds (guessing from
  many addresses). This is a delay, never a lock, and it does not apply in a browser that signed in to
  that account before (a signed "known device" cookie), so an attacker cannot shut the person out; the
  password-reset e-mail also clears it.

Password-reset requests (:func:`password_reset_allowed`): at most ``VINCULO_PASSWORD_RESET_EMAIL_LIMIT``
e-mails an hour to one address and ``VINCULO_PASSWORD_RESET_ADDRESS_LIMIT`` requests an hour from one
client address, counted in Django's cache (shared by every process when it is Redis).

The client address comes from :func:`vinculo.web.core.middleware.client_address` (trusted proxies only).
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

DEVICE_COOKIE = "vinculo_known_device"
_DEVICE_SALT = "vinculo.accounts.known-device"
DEVICE_DAYS = 180


def canonical_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The user name as throttling counts it (``AXES_USERNAME_CALLABLE``): spelling variants are one."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return str(raw or "").strip().casefold()[:255]


def device_cookie_value(username: str) -> str:
    return signing.dumps(canonical_username(None, {"username": username}), salt=_DEVICE_SALT)


def is_known_device(request: HttpRequest, username: str) -> bool:
    """Whether this browser signed in to ``username`` successfully before (within ``DEVICE_DAYS``)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if not value or not username:
        return False
    try:
        known = signing.loads(value, salt=_DEVICE_SALT, max_age=timedelta(days=DEVICE_DAYS))
    except signing.BadSignature:
        return False
    return bool(known == username)


def remember_device(response: HttpResponse, username: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        device_cookie_value(username),
        max_age=DEVICE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def backoff_seconds(failures: int) -> int:
    """How long an account waits after its last failure, given its failures from every address."""
    after = int(settings.VINCULO_SIGN_IN_BACKOFF_AFTER)
    if failures < after:
        return 0
    ceiling = int(settings.VINCULO_SIGN_IN_BACKOFF_MAX)
    first = int(settings.VINCULO_SIGN_IN_BACKOFF_FIRST)
    return int(min(first * 2 ** min(failures - after, 40), ceiling))


class SignInThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with per-pair, per-address and per-account rules (module docstring)."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if not getattr(settings, "AXES_LOCK_OUT_AT_FAILURE", True):
            return False
        username = get_client_username(request, credentials) or ""
        address = getattr(request, "axes_ip_address", None)
        known = bool(username) and is_known_device(request, username)
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        if username and address:
            pair = recent.filter(username=username, ip_address=address).aggregate(
                n=Sum("failures_since_start")
            )
            if (pair["n"] or 0) >= get_failure_limit(request, credentials):
                request.vinculo_throttle = ("pair", 0)  # type: ignore[attr-defined]
                return True
        if address and not known:
            spread = recent.filter(ip_address=address).aggregate(n=Sum("failures_since_start"))
            if (spread["n"] or 0) >= int(settings.VINCULO_SIGN_IN_ADDRESS_LIMIT):
                request.vinculo_throttle = ("address", 0)  # type: ignore[attr-defined]
                return True
        if username and not known:
            account = recent.filter(username=username).aggregate(
                n=Sum("failures_since_start"), last=Max("attempt_time")
            )
            wait = backoff_seconds(account["n"] or 0)
            if wait and account["last"] is not None:
                remaining = account["last"] + timedelta(seconds=wait) - timezone.now()
                if remaining > timedelta(0):
                    seconds = math.ceil(remaining.total_seconds())
                    request.vinculo_throttle = ("account", seconds)  # type: ignore[attr-defined]
                    return True
        return False


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page for a refused sign-in (``AXES_LOCKOUT_CALLABLE``): why, for how long, and the way out."""
    reason, seconds = getattr(request, "vinculo_throttle", ("pair", 0))
    context = {"reason": reason, "seconds": seconds}
    response = render(request, "accounts/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


RESET_WINDOW_SECONDS = 60 * 60


def _bump(key: str) -> int:
    """Add one to a counter that lives for ``RESET_WINDOW_SECONDS`` from its first use; return it."""
    from django.core.cache import cache

    if cache.add(key, 1, RESET_WINDOW_SECONDS):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, RESET_WINDOW_SECONDS)
        return 1


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """Whether a password-reset e-mail may go out now for ``email`` asked from this client.

    Both counters always count, so a refused request still uses up the address's allowance. Keys
    hold a keyed hash of the e-mail address, never the address itself.
    """
    from vinculo.web.core.middleware import client_address

    digest = signing.Signer(salt="vinculo.accounts.password-reset").signature(email.strip().casefold())
    per_email = _bump(f"vinculo:password-reset:email:{digest}")
    per_address = _bump(f"vinculo:password-reset:address:{client_address(request) or '-'}")
    return (
        per_email <= settings.VINCULO_PASSWORD_RESET_EMAIL_LIMIT
        and per_address <= settings.VINCULO_PASSWORD_RESET_ADDRESS_LIMIT
    )
