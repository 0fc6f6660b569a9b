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

Membership (two-person rule): any active membership of an organisation lets its holder read that
organisation's restricted records, and a data manager also its victims' identifiers. So an
administrator can only *ask* for such a membership; it takes effect once a data manager of that same
organisation confirms it (or, while it has no active data manager, a second administrator: the
first-manager bootstrap). Until then the account keeps what it had; a new account has role ``none``
and counts as signed out everywhere.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from vinculo.web.core.models import OwnedRecord, Sensitivity

from .models import Role, User

AnyUser = Any  # a User, an AnonymousUser, or whatever request.user holds


def _account(user: AnyUser) -> User | None:
    """The signed-in, active account, or None for anonymous and deactivated users.

    Deactivating an organisation suspends its members: they count as signed out everywhere.
    """
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        if user.role == Role.NONE:
            return None
        if user.organisation_id is not None and not user.organisation.is_active:  # type: ignore[union-attr]
            return None
        return user
    return None


def access_is_member_of(user: AnyUser, organisation_id: int | None) -> bool:
    """Whether ``user`` is an active member of the organisation (e.g. to see a record's full history)."""
    account = _account(user)
    return account is not None and organisation_id is not None and account.organisation_id == organisation_id


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


def access_is_data_manager(user: AnyUser) -> bool:
    account = _account(user)
    return account is not None and account.role == Role.DATA_MANAGER and account.organisation_id is not None


def access_requires_two_factor(user: AnyUser) -> bool:
    """Administrators, and every role that can read victims' identifiers (data managers), must sign in
    with a second factor wherever ``VINCULO_REQUIRE_TWO_FACTOR`` is on (always in production)."""
    from django.conf import settings

    if not getattr(settings, "VINCULO_REQUIRE_TWO_FACTOR", True):
        return False
    return isinstance(user, User) and user.is_authenticated and user.role in (Role.ADMIN, Role.DATA_MANAGER)


def access_can_manage_accounts(user: AnyUser) -> bool:
    return access_is_admin(user)


def access_can_read_audit(user: AnyUser) -> bool:
    return access_is_admin(user)


def access_can_review(user: AnyUser) -> bool:
    """Reviewers (and administrators) curate submissions from all organisations."""
    account = _account(user)
    return account is not None and account.role in (Role.REVIEWER, Role.ADMIN)


def access_can_submit_figures(user: AnyUser) -> bool:
    """Whether ``user`` may submit GLOTIP figures for a Member State.

    Data managers and analysts of an active organisation that acts for a Member State (kind
    ``member_state`` or ``rapporteur``) and has a country may submit figures for that country.
    """
    from .models import OrganisationKind

    account = _account(user)
    if account is None or account.role not in (Role.DATA_MANAGER, Role.ANALYST):
        return False
    org = account.organisation
    return (
        org is not None
        and org.is_active
        and org.kind in (OrganisationKind.MEMBER_STATE, OrganisationKind.RAPPORTEUR)
        and org.country_id is not None
    )


def access_can_view_submission(user: AnyUser, record: OwnedRecord) -> bool:
    """A submission of figures is seen by those who may view the record and by every reviewer."""
    return access_can_view(user, record) or access_can_review(user)


# Coordination registry (resolution 74/176): treaties, network, appraisal, trust fund, events.


def access_can_curate_coordination(user: AnyUser) -> bool:
    """Reviewers and administrators keep the shared reference lists (treaty status, events) up to date."""
    return access_can_review(user)


def access_is_network_member(user: AnyUser) -> bool:
    """Members of a national rapporteur or equivalent mechanism, and administrators, form the network."""
    if access_is_admin(user):
        return True
    account = _account(user)
    if account is None or account.organisation is None:
        return False
    from .models import OrganisationKind

    return bool(account.organisation.kind == OrganisationKind.RAPPORTEUR)


def access_can_fill_questionnaire(user: AnyUser, organisation_id: int | None) -> bool:
    """Data managers and analysts answer their own organisation's appraisal questionnaire."""
    account = _account(user)
    return (
        account is not None
        and access_can_create(account)
        and organisation_id is not None
        and account.organisation_id == organisation_id
    )


def access_can_view_questionnaire(user: AnyUser, organisation_id: int | None, submitted: bool) -> bool:
    """The organisation's own members always; reviewers and administrators once it is submitted."""
    account = _account(user)
    if account is None:
        return False
    if organisation_id is not None and account.organisation_id == organisation_id:
        return True
    return submitted and access_can_review(user)


def access_can_manage_trustfund(user: AnyUser) -> bool:
    """Administrators record contributions, grants and disbursements of the Trust Fund."""
    return access_is_admin(user)


def access_can_read_trustfund_detail(user: AnyUser) -> bool:
    """Grants and disbursements are for administrators and reviewers; the summary is public."""
    return access_can_review(user)


# Curated records (programmes and practices): a status instead of a sensitivity. Only published
# records are public; the others are visible to the owning organisation's members and to reviewers.
CURATED_PUBLIC_STATUS = "published"
CURATED_EDITABLE_STATUSES = ("draft", "returned")


def access_curated_filter(user: AnyUser) -> Q:
    """The condition a curated record (``status``, ``owner``) must meet to be visible to ``user``."""
    if access_can_review(user):
        return Q()
    condition = Q(status=CURATED_PUBLIC_STATUS)
    account = _account(user)
    if account is not None and account.organisation_id is not None:
        condition |= Q(owner_id=account.organisation_id)
    return condition


def access_curated_visible[M: Any](user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """``queryset`` of curated records narrowed to those ``user`` may see (no joins, no duplicates)."""
    return queryset.filter(access_curated_filter(user))


def access_can_read_curation(user: AnyUser, record: Any) -> bool:
    """Drafts, review comments and version history: the owning organisation's members and reviewers."""
    if access_can_review(user):
        return True
    account = _account(user)
    return (
        account is not None
        and account.organisation_id is not None
        and record.owner_id == account.organisation_id
    )


def access_can_view_curated(user: AnyUser, record: Any) -> bool:
    return record.status == CURATED_PUBLIC_STATUS or access_can_read_curation(user, record)


def access_can_change_curated(user: AnyUser, record: Any) -> bool:
    """The owner's data managers, and the author while an analyst of the owner, in draft or returned."""
    if record.status not in CURATED_EDITABLE_STATUSES:
        return False
    account = _account(user)
    if account is None or account.organisation_id is None or record.owner_id != account.organisation_id:
        return False
    if account.role == Role.DATA_MANAGER:
        return True
    return bool(record.created_by_id == account.pk and account.role == Role.ANALYST)


# Case records (HTCDS, resolution 74/176 §13). A case without consent to share never leaves its
# owning organisation, whatever its sensitivity or sharing. Outside the owner, a case is seen in one
# of two ways:
#
# * as a row (lists, detail, history, exports, the API's case list): public cases, and internal or
#   restricted cases the owner shares with the viewer's organisation;
# * in aggregates only (counts, charts and their data tables, with small-cell protection): also the
#   internal cases of every organisation, for any signed-in member.
#
# What a row shows depends on who looks (``access_case_view``).

CASE_VIEW_IDENTIFIERS = "identifiers"  # the owner's data managers: everything, identifiers included
CASE_VIEW_OWNER = "owner"  # other members of the owner: every non-protected value
CASE_VIEW_SHARED = "shared"  # members of an organisation the owner shares the case with: the same
CASE_VIEW_PUBLIC = "public"  # anyone else, on a public case: coded values only


def _shared_case_ids(org_id: int) -> Any:
    from vinculo.web.cases.models import CaseRecord

    through = CaseRecord.shared_with.through
    return through.objects.filter(organisation_id=org_id).values("caserecord_id")


def access_cases_filter(user: AnyUser) -> Q:
    """The condition a case record must meet for ``user`` to see it as a row (no joins: no duplicates)."""
    account = _account(user)
    consented = Q(consent_to_share=True)
    condition = Q(sensitivity=Sensitivity.PUBLIC) & consented
    if account is None:
        return condition
    org_id = account.organisation_id
    if org_id is not None:
        condition |= Q(owner_id=org_id)
        condition |= (
            Q(sensitivity__in=(Sensitivity.INTERNAL, Sensitivity.RESTRICTED))
            & consented
            & Q(pk__in=_shared_case_ids(org_id))
        )
    return condition


def access_visible_cases[M: OwnedRecord](user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Case records ``user`` may see as rows: their own organisation's, public ones, shared ones."""
    return queryset.filter(access_cases_filter(user))


def access_counted_cases_filter(user: AnyUser) -> Q:
    """The condition a case record must meet to be counted in aggregates shown to ``user``.

    Rows ``user`` may see, and the consented internal cases of every organisation for signed-in
    members. Counts over cases of other organisations are small-cell protected
    (``access_sees_exact_counts``).
    """
    account = _account(user)
    consented = Q(consent_to_share=True)
    condition = Q(sensitivity=Sensitivity.PUBLIC) & consented
    if account is None:
        return condition
    condition |= Q(sensitivity=Sensitivity.INTERNAL) & consented
    org_id = account.organisation_id
    if org_id is not None:
        condition |= Q(owner_id=org_id)
        condition |= Q(sensitivity=Sensitivity.RESTRICTED) & consented & Q(pk__in=_shared_case_ids(org_id))
    return condition


def access_counted_cases[M: OwnedRecord](user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Case records counted in the aggregates ``user`` sees (never shown as rows unless also visible)."""
    return queryset.filter(access_counted_cases_filter(user))


def access_case_counts_scope(user: AnyUser) -> tuple[str, int | None]:
    """Who the aggregates are for: users with the same scope are counted over the same cases.

    Used as part of the key of cached counts.
    """
    account = _account(user)
    if account is None:
        return ("anonymous", None)
    return ("member", account.organisation_id)


def access_can_view_case(user: AnyUser, record: Any) -> bool:
    """One case as a row or page: its owner's members always; others if public or shared, with consent."""
    account = _account(user)
    if (
        account is not None
        and account.organisation_id is not None
        and record.owner_id == account.organisation_id
    ):
        return True
    if not record.consent_to_share:
        return False
    if record.sensitivity == Sensitivity.PUBLIC:
        return True
    if account is None or account.organisation_id is None:
        return False
    return bool(record.shared_with.filter(id=account.organisation_id).exists())


def access_case_view(user: AnyUser, record: Any) -> str:
    """How much of a case ``user`` sees, for a record already known to be visible as a row.

    One of ``CASE_VIEW_IDENTIFIERS``, ``CASE_VIEW_OWNER``, ``CASE_VIEW_SHARED``, ``CASE_VIEW_PUBLIC``.
    A public case is shown to everyone outside the owner at the public level, shared or not; an
    internal or restricted case outside the owner is visible only because it is shared.
    """
    if access_can_see_identifiers(user, record):
        return CASE_VIEW_IDENTIFIERS
    if access_is_member_of(user, record.owner_id):
        return CASE_VIEW_OWNER
    if record.sensitivity == Sensitivity.PUBLIC:
        return CASE_VIEW_PUBLIC
    return CASE_VIEW_SHARED


def access_can_submit_cases(user: AnyUser) -> bool:
    """Only data managers of an active organisation submit case files (for their own organisation)."""
    account = _account(user)
    if account is None or account.role != Role.DATA_MANAGER or account.organisation_id is None:
        return False
    org = account.organisation
    return org is not None and org.is_active


def access_can_manage_case_submission(user: AnyUser, submission: Any) -> bool:
    """A case submission (problems, preview, confirmation, quarantine): the owner's data managers."""
    return access_can_submit_cases(user) and bool(submission.owner_id == user.organisation_id)


def access_can_use_saved_mapping(user: AnyUser, mapping: Any) -> bool:
    """A saved column mapping of case files: used and replaced by its organisation's data managers only."""
    return access_can_submit_cases(user) and bool(mapping.owner_id == user.organisation_id)


def access_can_see_identifiers(user: AnyUser, record: Any) -> bool:
    """Names, birthdates, documents, contacts and notes of a case: the owning organisation's data managers.

    ``record`` is a case record or a submission (anything with ``owner_id``). Identifiers are left
    out of pages, API answers and exports for everyone else.
    """
    account = _account(user)
    return (
        account is not None
        and account.role == Role.DATA_MANAGER
        and account.organisation_id is not None
        and record.owner_id == account.organisation_id
    )


def access_sees_exact_counts(user: AnyUser, owner_ids: Any) -> bool:
    """Whether counts over cases of ``owner_ids`` are shown exactly to ``user``.

    Only when every counted case belongs to the user's own organisation; otherwise counts under 5
    are shown as "<5" (small-cell protection).
    """
    account = _account(user)
    if account is None or account.organisation_id is None:
        return False
    return set(owner_ids) <= {account.organisation_id}


# Memberships and roles (two-person rule). See the module docstring and docs/security/accounts.md.


def access_membership_needs_confirmation(
    person: User, *, organisation_id: int | None, role: str, is_active: bool
) -> bool:
    """Whether giving ``person`` this organisation, role and active flag needs a second person's yes.

    It does whenever it would open restricted data the person cannot read today: joining an
    organisation (or coming back to it when deactivated or pending) with any role, and becoming its
    data manager (victims' identifiers); and becoming (or coming back as) a platform administrator,
    who manages accounts. Removals, deactivation and other role changes inside the same organisation
    take effect at once.
    """
    if not is_active:
        return False
    active_now = person.pk is not None and person.is_active and person.role != Role.NONE
    if role == Role.ADMIN:
        return not (active_now and person.role == Role.ADMIN)
    if organisation_id is None:
        return False
    if not (active_now and person.organisation_id == organisation_id):
        return True
    return role == Role.DATA_MANAGER and person.role != Role.DATA_MANAGER


def access_organisation_managers(organisation_id: int | None) -> QuerySet[User]:
    """The active data managers of an organisation: they decide its membership requests."""
    if organisation_id is None:
        return User.objects.none()
    return User.objects.filter(organisation_id=organisation_id, role=Role.DATA_MANAGER, is_active=True)


def access_needs_bootstrap(organisation_id: int | None) -> bool:
    """An organisation without an active data manager: a second administrator decides its requests."""
    return organisation_id is not None and not access_organisation_managers(organisation_id).exists()


def access_can_decide_membership(user: AnyUser, membership: Any) -> bool:
    """Who confirms or refuses a pending membership request (never its subject or its requester).

    A data manager of the organisation concerned; while it has none (the first-manager bootstrap), a
    platform administrator other than the one who asked. A request to become an administrator (no
    organisation): another administrator.
    """
    account = _account(user)
    if account is None or membership.status != "pending":
        return False
    if account.pk in (membership.person_id, membership.requested_by_id):
        return False
    if membership.organisation_id is None:
        return account.role == Role.ADMIN
    if account.role == Role.DATA_MANAGER and account.organisation_id == membership.organisation_id:
        return True
    return account.role == Role.ADMIN and access_needs_bootstrap(membership.organisation_id)


def access_decidable_memberships[M: Any](user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Pending membership requests ``user`` may decide (see :func:`access_can_decide_membership`)."""
    account = _account(user)
    if account is None:
        return queryset.none()
    pending = (
        queryset.filter(status="pending").exclude(person_id=account.pk).exclude(requested_by_id=account.pk)
    )
    if account.role == Role.DATA_MANAGER and account.organisation_id is not None:
        return pending.filter(organisation_id=account.organisation_id)
    if account.role == Role.ADMIN:
        managed = User.objects.filter(role=Role.DATA_MANAGER, is_active=True, organisation__isnull=False)
        unmanaged = Q(organisation__isnull=False) & ~Q(organisation_id__in=managed.values("organisation_id"))
        return pending.filter(Q(organisation__isnull=True) | unmanaged)
    return queryset.none()
