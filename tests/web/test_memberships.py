"""Two-person rule for memberships (issue 9, finding 1): an administrator only asks for a membership of
an organisation; a data manager of that organisation confirms it (or, while it has none, a second
administrator). Every request and decision is audited and e-mailed; one e-mail address, one account."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from vinculo.web.accounts import access, actions
from vinculo.web.accounts.models import MembershipRequest, MembershipStatus, Organisation, Role, User
from vinculo.web.audit.models import AuditEntry
from vinculo.web.cases.models import CaseRecord

from .cases.conftest import submit_and_import
from .conftest import PASSWORD, World, make_user

Capture = Callable[..., AbstractContextManager[Any]]
NEW_PASSWORD = "an entirely new passphrase 77"


@pytest.fixture
def commit(
    django_capture_on_commit_callbacks: Capture,
) -> Iterator[Callable[[], AbstractContextManager[Any]]]:
    """Run on-commit callbacks (the notification e-mails) as a real commit would."""
    yield lambda: django_capture_on_commit_callbacks(execute=True)


def _user(world: World, who: str) -> User:
    user = world.users[who]
    assert user is not None
    return user


def _accept_invitation(email: str) -> Client:
    """Follow the invitation sent to ``email``, choose a password and sign in with it."""
    invitation = next(m for m in mail.outbox if m.to == [email] and "password-reset" in m.body)
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", invitation.body)
    assert link is not None
    client = Client()
    form_page = client.get(link.group(1), follow=True)
    username = User.objects.get(email=email).username
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    signed_in = client.post(reverse("accounts:login"), {"username": username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    return client


def _invite(
    client: Client, world: World, username: str, email: str, role: str, organisation: Organisation
) -> Any:
    return client.post(
        reverse("accounts:person_create"),
        {"username": username, "email": email, "role": role, "organisation": organisation.pk},
    )


def _decide(client: Client, membership: MembershipRequest, decision: str) -> Any:
    return client.post(
        reverse("accounts:membership_requests"), {"request": membership.pk, "decision": decision}
    )


# The reproduction of the issue.


def test_an_administrator_cannot_invite_their_own_address_into_another_organisation(world: World) -> None:
    admin = _user(world, "admin")
    response = _invite(
        world.client_for("admin"), world, "me.too", admin.email, Role.DATA_MANAGER, world.owner
    )
    assert response.status_code == 400
    assert "already belongs to an account" in response.content.decode()
    assert not User.objects.filter(username="me.too").exists()
    assert not mail.outbox


def test_an_invited_data_manager_sees_no_identifiers_until_the_organisation_confirms(
    world: World, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    submit_and_import(world)
    case = CaseRecord.objects.filter(owner=world.owner).order_by("pk").first()
    assert case is not None
    with commit():
        response = _invite(
            world.client_for("admin"),
            world,
            "alias",
            "admin.alias@example.org",
            Role.DATA_MANAGER,
            world.owner,
        )
    assert response.status_code == 302
    invited = _accept_invitation("admin.alias@example.org")
    person = User.objects.get(username="alias")
    assert person.role == Role.NONE and person.organisation_id is None
    page = invited.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 404
    assert "Zenobia" not in page.content.decode()
    assert not access.access_can_see_identifiers(person, case)
    assert not access.access_can_view_case(person, case)

    # The owner's data manager was told and confirms; only then are the identifiers shown.
    manager = _user(world, "owner_manager")
    told = [m for m in mail.outbox if manager.email in m.to]
    assert len(told) == 1 and "alias" in told[0].body and "admin1" in told[0].body
    membership = MembershipRequest.objects.get(person=person)
    with commit():
        assert _decide(world.client_for("owner_manager"), membership, "confirm").status_code == 302
    person.refresh_from_db()
    assert (person.role, person.organisation_id) == (Role.DATA_MANAGER, world.owner.pk)
    assert "Zenobia" in invited.get(reverse("cases:detail", args=[case.pk])).content.decode()
    entries = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(person.pk))
    steps = [e.details.get("membership") for e in entries.order_by("id") if "membership" in e.details]
    assert steps == ["requested", "confirmed"]
    confirmed = entries.get(details__membership="confirmed")
    assert confirmed.actor_username == "owner_manager"


def test_a_second_administrator_cannot_move_the_first_into_an_organisation(world: World) -> None:
    submit_and_import(world)
    admin = _user(world, "admin")
    make_user("admin2", None, Role.ADMIN)
    second = Client()
    second.force_login(User.objects.get(username="admin2"))
    response = second.post(
        reverse("accounts:person", args=[admin.pk]),
        {"role": Role.DATA_MANAGER, "organisation": world.owner.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.role, admin.organisation_id) == (Role.ADMIN, None)
    case = CaseRecord.objects.filter(owner=world.owner).first()
    assert case is not None
    page = world.client_for("admin").get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 404
    membership = MembershipRequest.objects.get(person=admin)
    assert membership.status == MembershipStatus.PENDING
    # Neither administrator can confirm it: the organisation has a data manager of its own.
    for who in (world.client_for("admin"), second):
        assert _decide(who, membership, "confirm").status_code == 400
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING


# Deciding.


def test_a_data_manager_sees_and_confirms_requests_for_their_own_organisation_only(world: World) -> None:
    target = _user(world, "other_analyst")
    membership = actions.change_role(
        actor=_user(world, "admin"), user=target, role=Role.ANALYST, organisation=world.owner, is_active=True
    )
    assert membership is not None
    page = world.client_for("owner_manager").get(reverse("accounts:membership_requests")).content.decode()
    assert "other_analyst" in page
    make_user("partner_manager", world.partner, Role.DATA_MANAGER)
    outsider = Client()
    outsider.force_login(User.objects.get(username="partner_manager"))
    assert "other_analyst" not in outsider.get(reverse("accounts:membership_requests")).content.decode()
    assert _decide(outsider, membership, "confirm").status_code == 400
    # The subject cannot confirm their own request, nor can an analyst of the organisation.
    assert _decide(world.client_for("other_analyst"), membership, "confirm").status_code == 404
    assert _decide(world.client_for("owner_analyst"), membership, "confirm").status_code == 404
    target.refresh_from_db()
    assert target.organisation_id == world.other.pk
    assert _decide(world.client_for("owner_manager"), membership, "confirm").status_code == 302
    target.refresh_from_db()
    assert target.organisation_id == world.owner.pk
    membership.refresh_from_db()
    assert (
        membership.status == MembershipStatus.CONFIRMED
        and membership.decided_by_id == _user(world, "owner_manager").pk
    )


def test_a_refused_request_changes_nothing_and_is_audited(
    world: World, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    target = _user(world, "owner_analyst")
    with commit():
        membership = actions.change_role(
            actor=_user(world, "admin"),
            user=target,
            role=Role.DATA_MANAGER,
            organisation=world.owner,
            is_active=True,
        )
    assert membership is not None
    mail.outbox.clear()
    with commit():
        assert _decide(world.client_for("owner_manager"), membership, "refuse").status_code == 302
    target.refresh_from_db()
    assert (target.role, target.organisation_id) == (Role.ANALYST, world.owner.pk)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REFUSED
    assert AuditEntry.objects.filter(details__membership="refused", object_id=str(target.pk)).count() == 1
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "owner_analyst@example.org",
        "owner_manager@example.org",
    ]
    assert all("refused" in m.subject for m in mail.outbox)
    # A decided request cannot be decided again.
    assert _decide(world.client_for("owner_manager"), membership, "confirm").status_code == 400
    target.refresh_from_db()
    assert target.role == Role.ANALYST


def test_changes_that_open_data_wait_and_the_others_apply_at_once(world: World) -> None:
    admin = _user(world, "admin")
    manager = _user(world, "owner_manager")
    analyst = _user(world, "owner_analyst")
    # Within the organisation, a data manager who becomes an analyst loses access: at once.
    assert (
        actions.change_role(
            actor=admin, user=manager, role=Role.ANALYST, organisation=world.owner, is_active=True
        )
        is None
    )
    manager.refresh_from_db()
    assert manager.role == Role.ANALYST
    # Deactivation is at once; reactivation is a request.
    assert (
        actions.change_role(
            actor=admin, user=analyst, role=Role.ANALYST, organisation=world.owner, is_active=False
        )
        is None
    )
    analyst.refresh_from_db()
    assert not analyst.is_active
    again = actions.change_role(
        actor=admin, user=analyst, role=Role.ANALYST, organisation=world.owner, is_active=True
    )
    assert again is not None
    analyst.refresh_from_db()
    assert not analyst.is_active
    # A later change withdraws the earlier request.
    actions.change_role(
        actor=admin, user=analyst, role=Role.REVIEWER, organisation=world.owner, is_active=False
    )
    again.refresh_from_db()
    assert again.status == MembershipStatus.WITHDRAWN


def test_the_first_manager_of_an_organisation_is_confirmed_by_a_second_administrator(
    world: World, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    first = _user(world, "admin")
    second = make_user("admin2", None, Role.ADMIN)
    with commit():
        response = _invite(
            world.client_for("admin"),
            world,
            "first.manager",
            "first@example.org",
            Role.DATA_MANAGER,
            world.other,
        )
    assert response.status_code == 302
    membership = MembershipRequest.objects.get(person__username="first.manager")
    # "Other NGO" has no data manager: the other administrator is told, and only they may decide.
    assert any(second.email in m.to and "first-manager" in m.body for m in mail.outbox)
    assert not any(first.email in m.to for m in mail.outbox)
    assert (
        "first.manager"
        not in world.client_for("admin").get(reverse("accounts:membership_requests")).content.decode()
    )
    assert _decide(world.client_for("admin"), membership, "confirm").status_code == 400
    client = Client()
    client.force_login(second)
    assert "first.manager" in client.get(reverse("accounts:membership_requests")).content.decode()
    assert _decide(client, membership, "confirm").status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CONFIRMED and membership.bootstrap
    entry = AuditEntry.objects.get(details__membership="confirmed", object_id=str(membership.person_id))
    assert entry.details["bootstrap"] is True and entry.actor_username == "admin2"
    # Once the organisation has a manager, administrators no longer decide its requests.
    later = actions.change_role(
        actor=first,
        user=_user(world, "partner_analyst"),
        role=Role.ANALYST,
        organisation=world.other,
        is_active=True,
    )
    assert later is not None
    assert not access.access_can_decide_membership(second, later)
    assert access.access_can_decide_membership(User.objects.get(username="first.manager"), later)


def test_every_change_is_mailed_to_the_managers_of_the_old_and_the_new_organisation(
    world: World, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    other_manager = make_user("other_manager", world.other, Role.DATA_MANAGER)
    owner_manager = _user(world, "owner_manager")
    admin = _user(world, "admin")
    target = _user(world, "other_analyst")
    with commit():
        membership = actions.change_role(
            actor=admin, user=target, role=Role.ANALYST, organisation=world.owner, is_active=True
        )
    assert membership is not None
    assert sorted(a for m in mail.outbox for a in m.to) == sorted([owner_manager.email, other_manager.email])
    assert all("requested" in m.subject and "other_analyst" in m.body for m in mail.outbox)
    mail.outbox.clear()
    with commit():
        actions.decide_membership(actor=owner_manager, membership=membership, confirm=True)
    # The person is told of decisions and changes too (not of a request: the invitation goes to them).
    told = sorted([owner_manager.email, other_manager.email, target.email])
    assert sorted(a for m in mail.outbox for a in m.to) == told
    mail.outbox.clear()
    with commit():
        actions.change_role(
            actor=admin, user=target, role=Role.ANALYST, organisation=world.owner, is_active=False
        )
    assert sorted(a for m in mail.outbox for a in m.to) == sorted([owner_manager.email, target.email])
    assert all("removed" in m.subject for m in mail.outbox)


def test_a_data_manager_who_is_removed_is_told_as_well(
    world: World, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    """Otherwise an organisation's only manager could be removed, to open the first-manager rule, unseen."""
    manager = _user(world, "owner_manager")
    second = make_user("admin2", None, Role.ADMIN)
    with commit():
        actions.change_role(
            actor=_user(world, "admin"),
            user=manager,
            role=Role.DATA_MANAGER,
            organisation=world.owner,
            is_active=False,
        )
    # The manager, and (the organisation has no manager left) the other administrators.
    assert sorted(a for m in mail.outbox for a in m.to) == sorted([manager.email, second.email])
    assert "owner_manager" in mail.outbox[0].body and "deactivated" in mail.outbox[0].body


def test_nothing_is_mailed_when_the_change_is_rolled_back(
    world: World, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        actions.change_role(
            actor=_user(world, "admin"), user=_user(world, "other_analyst"), role=Role.ANALYST,
            organisation=world.owner, is_active=True,
        )  # fmt: skip
        raise RuntimeError
    assert not mail.outbox
    assert not MembershipRequest.objects.exists()


def test_an_administrator_cannot_grant_a_membership_through_the_account_functions(world: World) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_user(
            actor=_user(world, "admin"), username="direct", password=None, organisation=world.owner,
            role=Role.DATA_MANAGER, email="direct@example.org",
        )  # fmt: skip
    assert not User.objects.filter(username="direct").exists()


# One e-mail address, one account.


def test_an_address_already_in_use_is_refused_in_any_case(world: World) -> None:
    response = world.client_for("admin").post(
        reverse("accounts:person_create"),
        {
            "username": "twin",
            "email": "OWNER_Manager@Example.ORG",
            "role": Role.ANALYST,
            "organisation": world.other.pk,
        },
    )
    assert response.status_code == 400
    assert "already belongs to an account" in response.content.decode()
    with pytest.raises(ValidationError, match="already belongs"):
        actions.create_user(
            actor=None, username="twin", password=None, organisation=None, role=Role.ADMIN,
            email="Owner_Manager@example.org",
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="twin", email="owner_manager@EXAMPLE.org", role=Role.ADMIN)
    assert not User.objects.filter(username="twin").exists()
    # Accounts without an address (created by the platform's commands) do not clash.
    User.objects.create(username="no-mail-1", role=Role.ADMIN)
    User.objects.create(username="no-mail-2", role=Role.ADMIN)


def test_a_pending_account_counts_as_signed_out(world: World) -> None:
    person, membership = actions.invite_person(
        actor=_user(world, "admin"), username="waiting", email="waiting@example.org",
        role=Role.ANALYST, organisation=world.owner,
    )  # fmt: skip
    assert membership is not None
    internal = world.notices["internal"]
    assert access.access_can_view(_user(world, "owner_analyst"), internal)
    assert not access.access_can_view(person, internal)
    assert not access.access_can_create(person)
    assert not access.access_can_manage_accounts(person)


@pytest.mark.parametrize("who", ["owner_analyst", "other_reviewer", "anonymous"])
def test_the_membership_requests_page_is_for_managers_and_administrators(world: World, who: str) -> None:
    response = world.client_for(who).get(reverse("accounts:membership_requests"))
    assert response.status_code in (302, 404)
    if who != "anonymous":
        assert response.status_code == 404
    assert world.client_for("owner_manager").get(reverse("accounts:membership_requests")).status_code == 200
    assert world.client_for("admin").get(reverse("accounts:membership_requests")).status_code == 200


def test_password_signed_in_pending_account_sees_a_notice(world: World) -> None:
    actions.invite_person(
        actor=_user(world, "admin"), username="waiting", email="waiting@example.org",
        role=Role.ANALYST, organisation=world.owner,
    )  # fmt: skip
    person = User.objects.get(username="waiting")
    person.set_password(PASSWORD)
    person.save()
    client = Client()
    assert (
        client.post(reverse("accounts:login"), {"username": "waiting", "password": PASSWORD}).status_code
        == 302
    )
    assert "awaits confirmation" in client.get(reverse("accounts:account")).content.decode()


# Administrators: the role that manages accounts is itself granted by two people.


def test_a_new_administrator_needs_another_administrator_s_confirmation(
    world: World, commit: Callable[[], AbstractContextManager[Any]]
) -> None:
    second = make_user("admin2", None, Role.ADMIN)
    with commit():
        response = world.client_for("admin").post(
            reverse("accounts:person_create"),
            {"username": "puppet", "email": "puppet@example.org", "role": Role.ADMIN, "organisation": ""},
        )
    assert response.status_code == 302
    puppet = User.objects.get(username="puppet")
    assert puppet.role == Role.NONE and not access.access_can_manage_accounts(puppet)
    membership = MembershipRequest.objects.get(person=puppet)
    assert membership.organisation_id is None
    assert any(second.email in m.to for m in mail.outbox)
    # The administrator who asked cannot confirm; nor could the new account, were it signed in.
    assert _decide(world.client_for("admin"), membership, "confirm").status_code == 400
    assert not access.access_can_decide_membership(puppet, membership)
    client = Client()
    client.force_login(second)
    assert _decide(client, membership, "confirm").status_code == 302
    puppet.refresh_from_db()
    assert (puppet.role, puppet.organisation_id) == (Role.ADMIN, None)
    membership.refresh_from_db()
    assert not membership.bootstrap and membership.decided_by_id == second.pk


def test_an_administrator_alone_cannot_make_a_second_administrator_to_confirm_their_own_requests(
    world: World,
) -> None:
    """Otherwise one administrator could invent a second one and pass the first-manager rule alone."""
    admin = _user(world, "admin")
    _puppet, as_admin = actions.invite_person(
        actor=admin, username="puppet", email="puppet@example.org", role=Role.ADMIN, organisation=None
    )
    _manager, as_manager = actions.invite_person(
        actor=admin,
        username="first",
        email="first@example.org",
        role=Role.DATA_MANAGER,
        organisation=world.other,
    )
    assert as_admin is not None and as_manager is not None
    assert not access.access_can_decide_membership(admin, as_admin)
    assert not access.access_can_decide_membership(admin, as_manager)
    assert not access.access_decidable_memberships(admin, MembershipRequest.objects.all()).exists()


def test_an_administrator_belongs_to_no_organisation(world: World) -> None:
    target = _user(world, "owner_analyst")
    response = world.client_for("admin").post(
        reverse("accounts:person", args=[target.pk]),
        {"role": Role.ADMIN, "organisation": world.owner.pk, "is_active": "on"},
    )
    assert response.status_code == 400
    assert "belongs to no organisation" in response.content.decode()
    with pytest.raises(ValidationError):
        actions.change_role(
            actor=_user(world, "admin"),
            user=target,
            role=Role.ADMIN,
            organisation=world.owner,
            is_active=True,
        )
    target.refresh_from_db()
    assert target.role == Role.ANALYST
    assert not MembershipRequest.objects.exists()


def test_the_membership_pages_render_pending_and_decided_requests(world: World) -> None:
    admin = _user(world, "admin")
    make_user("admin2", None, Role.ADMIN)
    person, membership = actions.invite_person(
        actor=admin, username="someone", email="someone@example.org", role=Role.ADMIN, organisation=None
    )
    page = world.client_for("admin").get(reverse("accounts:person", args=[person.pk])).content.decode()
    assert "Awaiting confirmation" in page and " of None" not in page
    second = Client()
    second.force_login(User.objects.get(username="admin2"))
    listing = second.get(reverse("accounts:membership_requests")).content.decode()
    assert "someone" in listing and "<td>None</td>" not in listing
    assert membership is not None
    _decide(second, membership, "refuse")
    decided = second.get(reverse("accounts:membership_requests")).content.decode()
    assert "Refused" in decided


def test_the_migration_refuses_accounts_that_share_an_address_and_changes_nothing(db: None) -> None:
    """Run the migration's check on a database that still lacks the unique index (dropped inside this
    test's transaction, which is rolled back afterwards)."""
    import importlib

    from django.apps import apps
    from django.core.management.base import CommandError
    from django.db import connection

    migration = importlib.import_module(
        "vinculo.web.accounts.migrations.0003_membership_requests_and_one_account_per_email"
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX unique_user_email_case_insensitive")
    User.objects.create(username="first", email="Same@Example.org", role=Role.ADMIN)
    User.objects.create(username="second", email="same@example.ORG", role=Role.ADMIN)
    User.objects.create(username="third", email="other@example.org", role=Role.ADMIN)
    with pytest.raises(CommandError, match=r"same@example\.org: first, second\)") as refused:
        migration.refuse_shared_email_addresses(apps, connection.schema_editor())
    assert "Nothing was changed" in str(refused.value) and "third" not in str(refused.value)
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "Same@Example.org",
        "other@example.org",
        "same@example.ORG",
    ]
    User.objects.filter(username="second").update(email="second@example.org")
    migration.refuse_shared_email_addresses(apps, connection.schema_editor())  # now it goes through


def test_the_page_of_an_account_awaiting_confirmation_shows_what_was_asked(world: World) -> None:
    person, _membership = actions.invite_person(
        actor=_user(world, "admin"), username="waiting", email="waiting@example.org",
        role=Role.ANALYST, organisation=world.owner,
    )  # fmt: skip
    form = world.client_for("admin").get(reverse("accounts:person", args=[person.pk])).context["form"]
    assert form.initial["role"] == Role.ANALYST and form.initial["organisation"] == world.owner
