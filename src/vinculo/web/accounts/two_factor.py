"""Two-factor sign-in (TOTP, django-otp) with recovery codes: enrolment, verification, disabling.

Every change goes through a function here that runs in one transaction and writes one audit entry.
Which accounts must use it is decided in :func:`access.access_requires_two_factor`.
"""

from __future__ import annotations

import base64
import io
import math
from typing import Any

import segno
from django.core.mail import send_mass_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit

from . import access
from .models import User

RECOVERY_CODES = 10
TOTP_NAME = "authenticator app"
RECOVERY_NAME = "recovery codes"


def has_two_factor(user: Any) -> bool:
    """Whether ``user`` has a confirmed authenticator (so every sign-in asks for a code)."""
    return isinstance(user, User) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check()) if callable(check) else False


def pending_device(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first use (its key is shown until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def manual_key(device: TOTPDevice) -> str:
    """The secret in the base32 form authenticator apps accept when typed, in groups of four."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    """The otpauth:// address as an SVG QR code: no script, no style, so it passes a strict CSP."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=5, border=4, light="#fff", xmldecl=True, svgclass="qr-code", lineclass=None
    )
    return buffer.getvalue()


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def confirm_enrolment(*, request: HttpRequest, user: User, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a first code; return the new recovery codes, or None
    if the code is wrong (audited as a failed code). The session counts as verified afterwards."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(_clean(code)):
        audit(
            AuditAction.LOGIN_FAILED,
            request=request,
            actor=user,
            obj=user,
            details={"two_factor": "wrong code at enrolment"},
        )
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    otp_login(request, device)
    audit(
        AuditAction.PERMISSION_CHANGE,
        request=request,
        actor=user,
        obj=user,
        details={"two_factor": "enrolled"},
    )
    return codes


class CodeThrottled(Exception):
    """Too many wrong codes in a row: the next try is allowed after ``seconds``."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _throttled_seconds(user: User) -> int:
    """How long until a code may be tried again (django-otp doubles the wait after each wrong code)."""
    waits = []
    for device in devices_for_user(user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until") is not None:
            waits.append(math.ceil((data["locked_until"] - timezone.now()).total_seconds()))
    return max(waits) if waits else 0


def _match(user: User, code: str) -> Any:
    """The device (authenticator first, then a recovery code, which is used up) that accepts ``code``."""
    cleaned = _clean(code)
    if not cleaned:
        return None
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(cleaned):
            return device
    return None


def verify_code(*, request: HttpRequest, user: User, code: str, purpose: str = "sign-in") -> bool:
    """Check a code from the authenticator or a recovery code and mark the session as verified.

    Raises :class:`CodeThrottled` while wrong codes hold verification back. Wrong codes, throttled
    tries and recovery codes used are audited.
    """
    device = None
    with transaction.atomic():
        wait = _throttled_seconds(user)
        if wait > 0:
            details: dict[str, Any] = {"two_factor": "code refused while throttled", "purpose": purpose}
            audit(AuditAction.LOGIN_FAILED, request=request, actor=user, obj=user, details=details)
        else:
            device = _match(user, code)
            if device is None:
                details = {"two_factor": "wrong code", "purpose": purpose}
                audit(AuditAction.LOGIN_FAILED, request=request, actor=user, obj=user, details=details)
            else:
                otp_login(request, device)
                details = {"purpose": purpose}
                if isinstance(device, StaticDevice):
                    details["two_factor"] = "verified with a recovery code"
                    details["recovery_codes_left"] = StaticToken.objects.filter(device__user=user).count()
                else:
                    details["two_factor"] = "verified with the authenticator"
                audit(AuditAction.LOGIN, request=request, actor=user, obj=user, details=details)
    if wait > 0:
        raise CodeThrottled(wait)
    return device is not None


@transaction.atomic
def disable(*, request: HttpRequest, user: User) -> None:
    """Remove the authenticator and recovery codes (the caller has just checked a code)."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    audit(
        AuditAction.PERMISSION_CHANGE,
        request=request,
        actor=user,
        obj=user,
        details={"two_factor": "disabled"},
    )


@transaction.atomic
def regenerate_recovery_codes(*, request: HttpRequest, user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    audit(AuditAction.PERMISSION_CHANGE, request=request, actor=user, obj=user,
          details={"two_factor": "new recovery codes"})  # fmt: skip
    return codes


def reset_code_throttle(user: User) -> None:
    """After a password reset by e-mail: wrong codes someone else typed no longer hold the person back."""
    for device in devices_for_user(user, confirmed=None):
        if hasattr(device, "throttle_reset"):
            device.throttle_reset()


@transaction.atomic
def reset_by_administrator(*, request: HttpRequest, actor: User, person: User) -> None:
    """An administrator removes another person's authenticator and recovery codes (a lost phone).

    The person then signs in with their password alone and, if their role requires it, is sent to set
    up a new authenticator at once. The person and their organisation's data managers are told.
    """
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=person).delete()
    audit(AuditAction.PERMISSION_CHANGE, request=request, actor=actor, obj=person,
          details={"two_factor": "removed by an administrator"})  # fmt: skip
    recipients = {person.email} if person.email else set()
    recipients.update(m.email for m in access.access_organisation_managers(person.organisation_id) if m.email)
    context = {"person": person.get_username(), "actor": actor.get_username()}
    subject = "".join(render_to_string("accounts/two_factor_reset_subject.txt", context).splitlines())
    body = render_to_string("accounts/two_factor_reset_email.txt", context)
    messages = [(subject, body, None, [address]) for address in sorted(recipients)]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
