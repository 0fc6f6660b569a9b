"""Every change to organisations, accounts, roles and tokens: one transaction and one audit entry each."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit

from . import access
from .models import ApiToken, MembershipRequest, MembershipStatus, Organisation, Role, User
from .notifications import notify_membership

ADMIN_HAS_NO_ORGANISATION = _lazy(
    "A platform administrator belongs to no organisation: leave the organisation empty, or choose another role."
)
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


def _state(user: User) -> dict[str, Any]:
    return {"role": user.role, "organisation": user.organisation_id, "is_active": user.is_active}


def _check_email_free(email: str, *, exclude: int | None = None) -> None:
    others = User.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if email and others.exists():
        raise ValidationError(
            {
                "email": _(
                    "This e-mail address already belongs to an account. Each address holds one account."
                )
            },
            code="email_taken",
        )


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
    """Create an account with this role and organisation at once: for the platform's own commands
    (``createadmin``, demo data), run by whoever holds the server. People added by an administrator
    go through :func:`invite_person`, so that a membership needs its organisation's confirmation."""
    if actor is not None and organisation is not None:
        raise PermissionDenied(
            "An administrator asks for a membership with invite_person(); it is not granted."
        )
    _check_email_free(email)
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
def invite_person(
    *,
    actor: User,
    username: str,
    email: str,
    role: str,
    organisation: Organisation | None,
    request: HttpRequest | None = None,
) -> tuple[User, MembershipRequest | None]:
    """An administrator adds a person. The role is only requested: the account has role ``none`` (no
    access at all) until a data manager of the organisation confirms it (for a new administrator:
    another administrator)."""
    user = create_user(
        actor=actor,
        username=username,
        password=None,
        organisation=None,
        role=Role.NONE,
        email=email,
        request=request,
    )
    membership = change_role(
        actor=actor, user=user, role=role, organisation=organisation, is_active=True, request=request
    )
    return user, membership


def _withdraw_pending(user: User, *, actor: Any, request: HttpRequest | None) -> None:
    for pending in MembershipRequest.objects.select_for_update().filter(
        person=user, status=MembershipStatus.PENDING
    ):
        pending.status = MembershipStatus.WITHDRAWN
        pending.decided_at = timezone.now()
        pending.decided_by = actor if isinstance(actor, User) else None
        pending.save(update_fields=["status", "decided_at", "decided_by"])
        audit(
            AuditAction.PERMISSION_CHANGE,
            request=request,
            actor=actor,
            obj=user,
            details={"membership": "withdrawn", "request": pending.pk},
        )


@transaction.atomic
def change_role(
    *,
    actor: Any,
    user: User,
    role: str,
    organisation: Organisation | None,
    is_active: bool,
    request: HttpRequest | None = None,
) -> MembershipRequest | None:
    """Change a person's role, organisation or active flag, or ask for it (two-person rule).

    A change that would open an organisation's restricted data (see
    :func:`access.access_membership_needs_confirmation`) only files a pending request, returned, and
    changes nothing else; any other change (removal, deactivation, another role in the same
    organisation) takes effect at once and returns None. Either way any earlier pending request for
    the person is withdrawn, the change is audited as a permission change, and the data managers of
    the old and the new organisation are told by e-mail.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _state(user)
    organisation_id: int | None = organisation.pk if organisation else None
    wanted: dict[str, Any] = {"role": role, "organisation": organisation_id, "is_active": is_active}
    if role == Role.NONE or (role != Role.ADMIN and organisation is None):
        raise ValidationError(
            {"organisation": _("Choose an organisation: only platform administrators may have none.")}
        )
    if role == Role.ADMIN and organisation is not None:
        raise ValidationError({"organisation": ADMIN_HAS_NO_ORGANISATION})
    _withdraw_pending(user, actor=actor, request=request)
    if access.access_membership_needs_confirmation(
        user, organisation_id=organisation_id, role=role, is_active=is_active
    ):
        membership = MembershipRequest.objects.create(
            person=user,
            organisation=organisation,
            role=role,
            requested_by=actor if isinstance(actor, User) else None,
        )
        audit(
            AuditAction.PERMISSION_CHANGE,
            request=request,
            actor=actor,
            obj=user,
            details={
                "membership": "requested",
                "request": membership.pk,
                "from": before,
                "to": wanted,
                "bootstrap": access.access_needs_bootstrap(organisation_id),
            },
        )
        notify_membership(
            _("requested"), person=user, actor=actor, organisation_ids=[before["organisation"], organisation_id],
            before=before, after=wanted, pending=True, request=request,
            tell_admins=organisation_id is None or access.access_needs_bootstrap(organisation_id),
        )  # fmt: skip
        return membership
    if before == wanted:
        return None
    # Told before the change is saved, so that a data manager who is removed or demoted is told too.
    event = (
        _("removed") if not is_active or before["organisation"] != wanted["organisation"] else _("changed")
    )
    # Leaving an organisation without a data manager opens the first-manager rule: administrators are told.
    managers = access.access_organisation_managers(before["organisation"]).exclude(pk=user.pk)
    was_last_manager = before["role"] == Role.DATA_MANAGER and before["is_active"] and not managers.exists()
    still_manager = role == Role.DATA_MANAGER and is_active and organisation_id == before["organisation"]
    notify_membership(
        event, person=user, actor=actor, organisation_ids=[before["organisation"], organisation_id],
        before=before, after=wanted, request=request, tell_person=True,
        tell_admins=was_last_manager and not still_manager,
    )  # fmt: skip
    user.role = role
    user.organisation = organisation
    user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "organisation", "is_active"])
    audit(
        AuditAction.PERMISSION_CHANGE,
        request=request,
        actor=actor,
        obj=user,
        details={"from": before, "to": wanted},
    )
    return None


class MembershipDecisionError(Exception):
    """The caller may not decide this request, or it is no longer pending."""


@transaction.atomic
def decide_membership(
    *, actor: User, membership: MembershipRequest, confirm: bool, request: HttpRequest | None = None
) -> MembershipRequest:
    """A data manager of the organisation (or, under the first-manager rule, a second administrator)
    confirms or refuses a pending request. Confirming gives the person the role in the organisation
    and makes the account active."""
    membership = MembershipRequest.objects.select_for_update().get(pk=membership.pk)
    if not access.access_can_decide_membership(actor, membership):
        raise MembershipDecisionError
    # An administrator decides an organisation's request only under the first-manager rule.
    bootstrap = actor.role == Role.ADMIN and membership.organisation_id is not None
    person = User.objects.select_for_update().get(pk=membership.person_id)
    before = _state(person)
    membership.status = MembershipStatus.CONFIRMED if confirm else MembershipStatus.REFUSED
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.bootstrap = bootstrap
    membership.save(update_fields=["status", "decided_by", "decided_at", "bootstrap"])
    after = dict(before)
    if confirm:
        person.role = membership.role
        person.organisation_id = membership.organisation_id
        person.is_active = True
        person.full_clean(exclude=["password"])
        person.save(update_fields=["role", "organisation", "is_active"])
        after = _state(person)
    audit(
        AuditAction.PERMISSION_CHANGE,
        request=request,
        actor=actor,
        obj=person,
        details={
            "membership": "confirmed" if confirm else "refused",
            "request": membership.pk,
            "from": before,
            "to": after,
            "bootstrap": bootstrap,
        },
    )
    requested = {"role": membership.role, "organisation": membership.organisation_id, "is_active": True}
    notify_membership(
        _("confirmed") if confirm else _("refused"), person=person, actor=actor,
        organisation_ids=[before["organisation"], membership.organisation_id],
        before=before, after=requested, request=request,
        tell_admins=bootstrap or membership.organisation_id is None, tell_person=True,
    )  # fmt: skip
    return membership


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
