"""Every object-level access decision of the platform, in one place.

Views, API routes, exports and templates call only these functions. The rules:

* ``public`` records are visible to everyone, signed in or not;
* ``internal`` records to any signed-in, active member of the platform;
* ``restricted`` records only to members of the owning organisation and of the organisations
  it explicitly shares the record with. Platform administrators run the platform; they do not
  see other organisations' restricted data.

Changing a record is for the owning organisation's data managers and for the record's author while
they still belong to that organisation. Administrators manage organisations, accounts and roles and
read the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from vinculo.web.core.models import OwnedRecord, Sensitivity

from .models import Role, User

AnyUser = Any  # a User, an AnonymousUser, or whatever request.user holds


def _account(user: AnyUser) -> User | None:
    """The signed-in, active account, or None for anonymous and deactivated users."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def access_is_admin(user: AnyUser) -> bool:
    account = _account(user)
    return account is not None and account.role == Role.ADMIN


def access_visible_filter(user: AnyUser) -> Q:
    """The condition an :class:`OwnedRecord` must meet to be visible to ``user``."""
    condition = Q(sensitivity=Sensitivity.PUBLIC)
    account = _account(user)
    if account is None:
        return condition
    condition |= Q(sensitivity=Sensitivity.INTERNAL)
    org_id = account.organisation_id
    if org_id is not None:
        condition |= Q(sensitivity=Sensitivity.RESTRICTED) & (Q(owner_id=org_id) | Q(shared_with__id=org_id))
    return condition


def access_visible[M: OwnedRecord](user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """``queryset`` narrowed to the records ``user`` may see (no duplicates from sharing)."""
    return queryset.filter(access_visible_filter(user)).distinct()


def access_can_view(user: AnyUser, record: OwnedRecord) -> bool:
    if record.sensitivity == Sensitivity.PUBLIC:
        return True
    account = _account(user)
    if account is None:
        return False
    if record.sensitivity == Sensitivity.INTERNAL:
        return True
    org_id = account.organisation_id
    if org_id is None:
        return False
    if record.owner_id == org_id:
        return True
    return record.shared_with.filter(id=org_id).exists()


def access_can_create(user: AnyUser) -> bool:
    """Whether ``user`` may create records owned by their own organisation."""
    account = _account(user)
    return (
        account is not None
        and account.organisation_id is not None
        and account.role in (Role.DATA_MANAGER, Role.ANALYST)
    )


def access_can_change(user: AnyUser, record: OwnedRecord) -> bool:
    account = _account(user)
    if account is None or account.organisation_id is None:
        return False
    if record.owner_id != account.organisation_id:
        return False
    if account.role == Role.DATA_MANAGER:
        return True
    return record.created_by_id == account.pk and account.role == Role.ANALYST


def access_can_manage_accounts(user: AnyUser) -> bool:
    return access_is_admin(user)


def access_can_read_audit(user: AnyUser) -> bool:
    return access_is_admin(user)


def access_can_review(user: AnyUser) -> bool:
    """Reviewers (and administrators) curate submissions from all organisations."""
    account = _account(user)
    return account is not None and account.role in (Role.REVIEWER, Role.ADMIN)
