"""Two-factor sign-in (issue 9, finding 6): TOTP enrolment with a QR code and a typed key, a code at every
sign-in, recovery codes, throttled and audited codes; required for administrators and data managers."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vinculo.web.accounts.models import ApiToken, User
from vinculo.web.accounts.two_factor import reset_code_throttle
from vinculo.web.audit.models import AuditEntry

from .conftest import PASSWORD, World
from .test_deploy import PROD_ENV, run_manage


@pytest.fixture
def required(settings: Any) -> None:
    settings.VINCULO_REQUIRE_TWO_FACTOR = True


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's authenticator app shows (``steps_ahead`` periods later: a code is used once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"], confirmed=False)
    done = client.post(reverse("accounts:two_factor_enrol"), {"code": code_for(device)})
    assert done.status_code == 200
    return device, list(done.context["codes"])


def test_an_administrator_without_an_authenticator_can_do_nothing_but_enrol(
    world: World, required: None
) -> None:
    client = sign_in("admin1")
    page = client.get(reverse("accounts:people"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:two_factor_enrol"))
    api = client.get("/api/me")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    token = client.post(reverse("accounts:account"), {"name": "sneaky"})
    assert token.status_code == 302 and not ApiToken.objects.exists()
    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 200


def test_enrolment_shows_a_qr_code_and_a_key_and_needs_a_right_code(world: World, required: None) -> None:
    client = sign_in("owner_manager")
    page = client.get(reverse("accounts:two_factor_enrol")).content.decode()
    device = TOTPDevice.objects.get(user__username="owner_manager", confirmed=False)
    qr = client.get(reverse("accounts:two_factor_qr"))
    svg = qr.content.decode()
    assert qr["Content-Type"] == "image/svg+xml" and "no-store" in qr["Cache-Control"]
    assert "<svg" in svg and "<script" not in svg and "style=" not in svg
    assert "<script" not in page and "style=" not in page and reverse("accounts:two_factor_qr") in page
    key = page.split('class="token">')[1].split("<")[0].replace(" ", "")
    import base64

    assert base64.b32decode(key + "=" * (-len(key) % 8)) == device.bin_key
    wrong = client.post(
        reverse("accounts:two_factor_enrol"), {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert AuditEntry.objects.filter(
        action="login_failed", details__two_factor="wrong code at enrolment"
    ).exists()
    reset_code_throttle(device.user)
    done = client.post(reverse("accounts:two_factor_enrol"), {"code": code_for(device)})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert AuditEntry.objects.filter(action="permission_change", details__two_factor="enrolled").count() == 1
    assert client.get(reverse("cases:list")).status_code == 200
    # Once confirmed, the key and its QR code are never shown again.
    assert client.get(reverse("accounts:two_factor_qr")).status_code == 404


def test_every_sign_in_then_asks_for_a_code(world: World, required: None) -> None:
    device, _codes = enrol(sign_in("admin1"))
    client = sign_in("admin1")
    page = client.get(reverse("accounts:people"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:two_factor_verify"))
    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "12345x"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    entry = AuditEntry.objects.filter(action="login_failed").latest("id")
    assert entry.details["two_factor"] == "wrong code" and entry.actor_username == "admin1"
    reset_code_throttle(device.user)  # the wait a wrong code imposes (tested below) is not this test's point
    right = client.post(
        reverse("accounts:two_factor_verify"), {"code": code_for(device, 1), "next": "/accounts/people/"}
    )
    assert right.status_code == 302 and right["Location"] == "/accounts/people/"
    assert client.get(reverse("accounts:people")).status_code == 200
    assert AuditEntry.objects.filter(
        action="login", details__two_factor="verified with the authenticator"
    ).exists()


def test_wrong_codes_are_throttled(world: World, required: None) -> None:
    device, _codes = enrol(sign_in("admin1"))
    client = sign_in("admin1")
    client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    client.post(reverse("accounts:two_factor_verify"), {"code": "000001"})
    # Even the right code waits now, and the refusal says for how long.
    held = client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1)})
    assert held.status_code == 400 and "Wait" in held.content.decode()
    assert AuditEntry.objects.filter(details__two_factor="code refused while throttled").exists()
    assert client.get(reverse("accounts:people")).status_code == 302


def test_a_recovery_code_signs_in_once(world: World, required: None) -> None:
    _device, codes = enrol(sign_in("owner_manager"))
    first = sign_in("owner_manager")
    assert first.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()}).status_code == 302
    assert first.get(reverse("cases:list")).status_code == 200
    assert StaticToken.objects.filter(device__user__username="owner_manager").count() == 9
    again = sign_in("owner_manager")
    assert again.post(reverse("accounts:two_factor_verify"), {"code": codes[0]}).status_code == 400


def test_roles_that_cannot_read_identifiers_are_not_forced(world: World, required: None) -> None:
    client = sign_in("owner_analyst")
    assert client.get(reverse("accounts:account")).status_code == 200
    assert client.get("/api/me").status_code == 200


def test_an_analyst_who_enrolled_is_asked_too_and_may_turn_it_off_with_a_code(
    world: World, required: None
) -> None:
    device, _codes = enrol(sign_in("owner_analyst"))
    client = sign_in("owner_analyst")
    assert client.get(reverse("accounts:account")).status_code == 302
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1)})
    refused = client.post(reverse("accounts:two_factor_manage"), {"action": "disable", "code": "999999"})
    assert refused.status_code == 302 and TOTPDevice.objects.filter(user__username="owner_analyst").exists()
    reset_code_throttle(device.user)  # the wait a wrong code imposes (tested below) is not this test's point
    client.post(reverse("accounts:two_factor_manage"), {"action": "disable", "code": code_for(device, 2)})
    assert not TOTPDevice.objects.filter(user__username="owner_analyst").exists()
    assert AuditEntry.objects.filter(details__two_factor="disabled").count() == 1


def test_an_administrator_who_turns_it_off_must_set_it_up_again(world: World, required: None) -> None:
    device, codes = enrol(sign_in("admin1"))
    client = sign_in("admin1")
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1)})
    response = client.post(reverse("accounts:two_factor_manage"), {"action": "disable", "code": codes[1]})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor_enrol")
    assert client.get(reverse("accounts:people")).status_code == 302


def test_api_tokens_issued_from_a_verified_session_keep_working(world: World, required: None) -> None:
    device, _codes = enrol(sign_in("owner_manager"))
    client = sign_in("owner_manager")
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1)})
    raw = client.post(reverse("accounts:account"), {"name": "script"}).context["new_token"]
    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["username"] == "owner_manager"


def test_a_pending_membership_needs_no_second_factor_until_confirmed(world: World, required: None) -> None:
    user = world.users["owner_analyst"]
    assert isinstance(user, User)
    client = sign_in("owner_analyst")
    assert client.get(reverse("accounts:account")).status_code == 200
    user.role = "data_manager"
    user.save(update_fields=["role"])
    assert client.get(reverse("accounts:account")).status_code == 302


def test_the_demo_sign_in_page_says_two_factor_is_off(world: World) -> None:
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Two-factor sign-in is not required on this server" in page


def test_production_always_requires_two_factor(world: World) -> None:
    code = "from django.conf import settings; print('required', settings.VINCULO_REQUIRE_TWO_FACTOR)"
    result = run_manage("shell", "-c", code, env={**PROD_ENV, "VINCULO_REQUIRE_TWO_FACTOR": "false"})
    assert result.returncode == 0, result.stderr
    assert "required True" in result.stdout


def test_an_administrator_removes_another_person_s_two_factor_and_they_are_told(
    world: World, required: None, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    enrol(sign_in("owner_manager"))
    device, _codes = enrol(sign_in("admin1"))
    admin = sign_in("admin1")
    admin.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1)})
    person = User.objects.get(username="owner_manager")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("accounts:person_two_factor_reset", args=[person.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()
    entry = AuditEntry.objects.get(details__two_factor="removed by an administrator")
    assert entry.actor_username == "admin1" and entry.object_id == str(person.pk)
    assert [m.to for m in mail.outbox] == [["owner_manager@example.org"]]
    # The person must set up a new authenticator at the next sign-in.
    again = sign_in("owner_manager")
    assert again.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:two_factor_enrol"))
    # Nobody removes their own, and only administrators remove anyone's.
    admin_user = User.objects.get(username="admin1")
    admin.post(reverse("accounts:person_two_factor_reset", args=[admin_user.pk]))
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()
    analyst = sign_in("owner_analyst")
    assert analyst.post(reverse("accounts:person_two_factor_reset", args=[admin_user.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()


def test_the_password_reset_e_mail_lifts_the_wait_after_wrong_codes(world: World, required: None) -> None:
    import re

    from django.core import mail

    device, _codes = enrol(sign_in("admin1"))
    client = sign_in("admin1")
    for wrong in ("000000", "000001", "000002"):
        client.post(reverse("accounts:two_factor_verify"), {"code": wrong})
    assert (
        "Wait"
        in client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1)}).content.decode()
    )
    reset = Client()
    reset.post(reverse("accounts:password_reset"), {"email": "admin1@example.org"})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[-1].body)
    assert link is not None
    form_page = reset.get(link.group(1), follow=True)
    new = "another new passphrase 2026"
    reset.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    fresh = sign_in("admin1", new)
    assert fresh.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1)}).status_code == 302


def test_an_authorization_header_does_not_stand_in_for_the_code(world: World, required: None) -> None:
    device, _codes = enrol(sign_in("owner_manager"))
    verified = sign_in("owner_manager")
    verified.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1)})
    raw = verified.post(reverse("accounts:account"), {"name": "script"}).context["new_token"]
    unverified = sign_in("owner_manager")
    for header in ("Bearer nonsense", "Basic abc", f"Bearer {raw}"):
        page = unverified.get(reverse("cases:list"), HTTP_AUTHORIZATION=header)
        assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:two_factor_verify"))
    # On the API the session is set aside: a wrong token is refused, a right one speaks for its owner.
    assert unverified.get("/api/me", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    assert unverified.get("/api/me", HTTP_AUTHORIZATION="Basic abc").status_code == 401
    assert unverified.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "owner_manager"
