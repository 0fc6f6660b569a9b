"""Sign-in, throttling, password reset, sessions, administrators and API tokens."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from vinculo.web.accounts.models import ApiToken, Role
from vinculo.web.audit.models import AuditEntry

from .conftest import PASSWORD, World


def test_argon2_is_the_password_hasher_of_every_deployment() -> None:
    from vinculo.web.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sessions_expire_after_inactivity_and_when_the_browser_closes() -> None:
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_sign_in_and_out(world: World) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "owner_manager", "password": PASSWORD})
    assert response.status_code == 302
    assert "Signed in as owner_manager" in client.get("/").content.decode()
    client.post(reverse("accounts:logout"))
    assert "Signed in as" not in client.get("/").content.decode()


def test_repeated_failed_sign_ins_lock_the_account_for_that_address(world: World) -> None:
    client = Client()
    statuses = [
        client.post(reverse("accounts:login"), {"username": "owner_manager", "password": "nope"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = client.post(reverse("accounts:login"), {"username": "owner_manager", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_password_reset_sends_a_link_that_sets_a_new_password(world: World) -> None:
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "owner_manager@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "a brand new passphrase 2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    user = get_user_model().objects.get(username="owner_manager")
    assert user.check_password(new_password)
    entry = AuditEntry.objects.filter(action="permission_change", object_id=str(user.pk)).latest("id")
    assert entry.details == {"password": "set from an e-mailed link"}
    assert new_password not in str(entry.details)


def test_password_reset_does_not_reveal_whether_an_address_is_known(world: World) -> None:
    client = Client()
    known = client.post(reverse("accounts:password_reset"), {"email": "owner_manager@example.org"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_createadmin_makes_a_platform_administrator(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VINCULO_ADMIN_PASSWORD", "a long enough admin passphrase")
    call_command("createadmin", "root2", email="root2@example.org")
    user = get_user_model().objects.get(username="root2")
    assert user.role == Role.ADMIN and user.organisation is None
    assert AuditEntry.objects.filter(action="create", object_id=str(user.pk)).exists()
    with pytest.raises(CommandError, match="exists already"):
        call_command("createadmin", "root2")


def test_createadmin_refuses_a_weak_password(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VINCULO_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="too weak"):
        call_command("createadmin", "weak")
    assert not get_user_model().objects.filter(username="weak").exists()


def test_a_token_is_shown_once_and_only_its_digest_is_stored(world: World) -> None:
    client = world.client_for("owner_analyst")
    response = client.post(reverse("accounts:account"), {"name": "nightly"})
    raw = response.context["new_token"]
    assert raw.startswith("vin_")
    token = ApiToken.objects.get(name="nightly")
    assert token.digest != raw and raw not in token.digest
    again = client.get(reverse("accounts:account")).content.decode()
    assert raw not in again


def test_a_user_cannot_revoke_another_user_s_token(world: World) -> None:
    owner = world.users["owner_analyst"]
    assert owner is not None
    from vinculo.web.accounts import actions

    token, _ = actions.issue_token(user=owner, name="mine")
    response = world.client_for("other_analyst").post(reverse("accounts:revoke_token", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_role_form_requires_an_organisation_except_for_administrators(world: World) -> None:
    target = world.users["other_analyst"]
    assert target is not None
    response = world.client_for("admin").post(
        reverse("accounts:person", args=[target.pk]),
        {"role": Role.ANALYST, "organisation": "", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "Choose an organisation" in response.content.decode()
    target.refresh_from_db()
    assert target.organisation_id == world.other.pk


def test_an_administrator_adds_a_person_who_is_invited_to_choose_a_password(world: World) -> None:
    client = world.client_for("admin")
    response = client.post(
        reverse("accounts:person_create"),
        {
            "username": "new.person",
            "email": "new@example.org",
            "role": Role.ANALYST,
            "organisation": world.other.pk,
        },
    )
    assert response.status_code == 302
    person = get_user_model().objects.get(username="new.person")
    assert not person.has_usable_password()
    # The membership is only requested (two-person rule): the account has no organisation or role yet.
    assert person.organisation_id is None and person.role == Role.NONE
    assert person.membership_requests.get().organisation_id == world.other.pk
    assert len(mail.outbox) == 1 and "new.person" in mail.outbox[0].body
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    assert AuditEntry.objects.filter(
        action="create", object_id=str(person.pk), actor_username="admin1"
    ).exists()


def test_adding_a_person_with_a_taken_name_or_no_organisation_is_refused(world: World) -> None:
    client = world.client_for("admin")
    response = client.post(
        reverse("accounts:person_create"),
        {"username": "OWNER_MANAGER", "email": "x@example.org", "role": Role.ANALYST, "organisation": ""},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "This user name is taken" in text and "Choose an organisation" in text
    assert not mail.outbox


def test_an_administrator_adds_an_organisation_and_others_cannot(world: World) -> None:
    data = {"name": "New Rapporteur Office", "short_name": "NRO", "kind": "rapporteur", "icat_role": ""}
    assert (
        world.client_for("owner_manager").post(reverse("accounts:organisation_create"), data).status_code
        == 404
    )
    response = world.client_for("admin").post(reverse("accounts:organisation_create"), data)
    assert response.status_code == 302
    from vinculo.web.accounts.models import Organisation

    organisation = Organisation.objects.get(name="New Rapporteur Office")
    assert AuditEntry.objects.filter(action="create", object_id=str(organisation.pk)).exists()


def test_an_administrator_cannot_move_into_an_organisation_to_read_its_data(world: World) -> None:
    admin = world.users["admin"]
    assert admin is not None
    response = world.client_for("admin").post(
        reverse("accounts:person", args=[admin.pk]),
        {"role": Role.ADMIN, "organisation": world.owner.pk, "is_active": "on"},
    )
    assert response.status_code == 400
    admin.refresh_from_db()
    assert admin.organisation_id is None


def test_the_audit_trail_holds_no_character_of_a_token_s_secret(world: World) -> None:
    """A token is named in the trail by its name and number only, on issue and on revocation."""
    owner = world.users["owner_analyst"]
    assert owner is not None
    client = world.client_for("owner_analyst")
    raw = client.post(reverse("accounts:account"), {"name": "nightly"}).context["new_token"]
    token = ApiToken.objects.get(name="nightly")
    client.post(reverse("accounts:revoke_token", args=[token.pk]))
    secret = raw.removeprefix("vin_")
    entries = list(AuditEntry.objects.filter(object_type="accounts.apitoken"))
    assert len(entries) == 2
    for entry in entries:
        stored = " ".join([entry.object_repr, entry.object_id, str(entry.details)])
        # No run of 4 characters of the secret appears anywhere in what the entry stores.
        runs = {secret[i : i + 4] for i in range(len(secret) - 3)}
        assert not [run for run in runs if run in stored], stored
        assert "nightly" in entry.object_repr


def test_createadmin_refuses_an_address_that_belongs_to_another_account(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VINCULO_ADMIN_PASSWORD", "a long enough admin passphrase")
    with pytest.raises(CommandError, match="already belongs to an account"):
        call_command("createadmin", "root3", email="Owner_Manager@Example.org")
    assert not get_user_model().objects.filter(username="root3").exists()
