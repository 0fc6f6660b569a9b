"""Every change to organisations, accounts, roles and tokens: one transaction and one audit entry each."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit

from .models import ApiToken, Organisation, Role, User

TOKEN_PREFIX = "vin_"  # noqa: S105 - a public prefix, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def create_organisation(*, actor: Any, request: HttpRequest | None = None, **fields: Any) -> Organisation:
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=organisation,
        details={"kind": organisation.kind},
    )
    return organisation


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    password: str | None,
    organisation: Organisation | None,
    role: str = Role.ANALYST,
    email: str = "",
    request: HttpRequest | None = None,
    **extra: Any,
) -> User:
    user = User(username=username, email=email, organisation=organisation, role=role, **extra)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=user,
        details={"role": role, "organisation": organisation.pk if organisation else None},
    )
    return user


@transaction.atomic
def change_role(
    *,
    actor: Any,
    user: User,
    role: str,
    organisation: Organisation | None,
    is_active: bool,
    request: HttpRequest | None = None,
) -> User:
    """Change a person's role, organisation or active flag: a permission change in the audit trail."""
    before = {"role": user.role, "organisation": user.organisation_id, "is_active": user.is_active}
    user.role = role
    user.organisation = organisation
    user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "organisation", "is_active"])
    after = {"role": user.role, "organisation": user.organisation_id, "is_active": user.is_active}
    if before != after:
        audit(
            AuditAction.PERMISSION_CHANGE,
            request=request,
            actor=actor,
            obj=user,
            details={"from": before, "to": after},
        )
    return user


@transaction.atomic
def issue_token(*, user: User, name: str, request: HttpRequest | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it with the raw secret, which is never stored or shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8],
        digest=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=settings.VINCULO_TOKEN_DAYS),
    )
    audit(AuditAction.PERMISSION_CHANGE, request=request, actor=user, obj=token, details={"token": "issued"})
    return token, raw


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken, request: HttpRequest | None = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(
            AuditAction.PERMISSION_CHANGE,
            request=request,
            actor=actor,
            obj=token,
            details={"token": "revoked"},
        )


def authenticate_token(raw: str) -> User | None:
    """The active user a raw token belongs to, or None for an unknown, expired or revoked token."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=hash_token(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
