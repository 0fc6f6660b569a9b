"""Sign-in throttling (issue 9, finding 6): per account and address, per address across accounts, a
per-account back-off that cannot shut the person out, and client addresses read only through trusted
reverse proxies."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from vinculo.web.accounts.throttling import DEVICE_COOKIE, backoff_seconds
from vinculo.web.audit.models import AuditEntry
from vinculo.web.core.middleware import client_address

from .conftest import PASSWORD, World

LOGIN = "/accounts/sign-in/"
PROXY = "127.0.0.1"


def _sign_in(
    username: str, password: str, address: str = "192.0.2.1", client: Client | None = None, **meta: Any
) -> int:
    response = (client or Client()).post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **meta
    )
    return int(response.status_code)


def _via_proxy(username: str, password: str, client_ip: str, client: Client | None = None) -> int:
    return _sign_in(username, password, PROXY, client, HTTP_X_FORWARDED_FOR=client_ip)


def test_spraying_many_accounts_from_one_address_is_stopped(world: World) -> None:
    """The issue's spray: 6 accounts x 4 passwords from one address went through 24 of 24."""
    accounts = [u.username for u in world.users.values() if u is not None][:6]
    statuses = [_sign_in(name, f"guess number {n}", "198.51.100.9") for n in range(4) for name in accounts]
    limit = settings.VINCULO_SIGN_IN_ADDRESS_LIMIT
    assert statuses.count(200) == limit  # no more than the limit of wrong passwords was even checked
    assert statuses[limit:] == [429] * (len(statuses) - limit)
    # The address stays stopped, even with a right password; other addresses are not affected.
    assert _sign_in("owner_analyst", PASSWORD, "198.51.100.9") == 429
    assert _sign_in("owner_analyst", PASSWORD, "198.51.100.10") == 302


def test_a_spray_from_a_shared_address_does_not_shut_out_a_known_browser_behind_it(world: World) -> None:
    known = Client()
    assert _sign_in("owner_author", PASSWORD, "198.51.100.9", known) == 302
    known.post(reverse("accounts:logout"))
    for n in range(settings.VINCULO_SIGN_IN_ADDRESS_LIMIT):
        _sign_in(f"someone{n}", "guess", "198.51.100.9")
    assert _sign_in("owner_author", PASSWORD, "198.51.100.9") == 429
    assert _sign_in("owner_author", PASSWORD, "198.51.100.9", known) == 302
    assert known.session["_auth_user_id"] == str(world.users["owner_author"].pk)  # type: ignore[union-attr]


def test_failures_behind_the_proxy_lock_the_guesser_s_address_not_the_person(
    world: World, settings: Any
) -> None:
    settings.VINCULO_TRUSTED_PROXIES = [PROXY]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy("owner_manager", "wrong password", "203.0.113.5")
    assert _via_proxy("owner_manager", PASSWORD, "203.0.113.5") == 429
    assert _via_proxy("owner_manager", PASSWORD, "198.51.100.7") == 302
    failed = AccessAttempt.objects.get(username="owner_manager")
    assert failed.ip_address == "203.0.113.5"


def test_without_trusted_proxies_a_forwarded_for_header_changes_nothing(world: World) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in("owner_manager", "wrong password", "192.0.2.50", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    assert _sign_in("owner_manager", PASSWORD, "192.0.2.50", HTTP_X_FORWARDED_FOR="10.9.9.99") == 429


def test_spelling_a_user_name_differently_does_not_escape_the_count(world: World) -> None:
    for name in ["owner_manager", "OWNER_MANAGER", " Owner_Manager", "owner_MANAGER", "Owner_manager "]:
        _sign_in(name, "wrong password", "192.0.2.60")
    assert _sign_in("owner_manager", PASSWORD, "192.0.2.60") == 429


def test_guessing_one_account_from_many_addresses_waits_longer_and_longer(world: World) -> None:
    known = Client()
    assert _sign_in("owner_manager", PASSWORD, "192.0.2.1", known) == 302
    assert DEVICE_COOKIE in known.cookies
    known.post(reverse("accounts:logout"))  # signed out; the browser keeps its device cookie
    assert "_auth_user_id" not in known.session
    after = settings.VINCULO_SIGN_IN_BACKOFF_AFTER
    for n in range(after):
        assert _sign_in("owner_manager", "wrong password", f"203.0.113.{n + 1}") == 200
    # A fresh address and browser waits, even with the right password, and is told for how long.
    response = Client().post(
        reverse("accounts:login"),
        {"username": "owner_manager", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.1",
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Wait" in response.content.decode()
    # The person's own browser is not held back.
    assert _sign_in("owner_manager", PASSWORD, "198.51.100.200", known) == 302
    assert known.session["_auth_user_id"] == str(world.users["owner_manager"].pk)  # type: ignore[union-attr]
    # Once the wait has passed a try is allowed again; each further failure doubles the wait.
    AccessAttempt.objects.filter(username="owner_manager").update(
        attempt_time=AccessAttempt.objects.get(ip_address="203.0.113.1").attempt_time
        - timedelta(seconds=settings.VINCULO_SIGN_IN_BACKOFF_FIRST + 1)
    )
    assert _sign_in("owner_manager", PASSWORD, "198.51.100.2") == 302
    first = settings.VINCULO_SIGN_IN_BACKOFF_FIRST
    assert backoff_seconds(after - 1) == 0
    assert backoff_seconds(after) == first and backoff_seconds(after + 3) == 8 * first
    assert backoff_seconds(after + 1000) == settings.VINCULO_SIGN_IN_BACKOFF_MAX


def test_a_forged_device_cookie_does_not_lift_the_wait(world: World) -> None:
    for n in range(settings.VINCULO_SIGN_IN_BACKOFF_AFTER):
        _sign_in("owner_manager", "wrong password", f"203.0.113.{n + 1}")
    forged = Client()
    forged.cookies[DEVICE_COOKIE] = "owner_manager"
    assert _sign_in("owner_manager", PASSWORD, "198.51.100.3", forged) == 429
    other = Client()
    assert _sign_in("owner_analyst", PASSWORD, "198.51.100.4", other) == 302  # a cookie for another account
    other.post(reverse("accounts:logout"))
    assert _sign_in("owner_manager", PASSWORD, "198.51.100.4", other) == 429


def test_the_password_reset_e_mail_lifts_every_lock_on_the_account(world: World) -> None:
    for n in range(settings.VINCULO_SIGN_IN_BACKOFF_AFTER):
        _sign_in("owner_manager", "wrong password", f"203.0.113.{n + 1}")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in("owner_manager", "wrong password", "198.51.100.5")
    client = Client(REMOTE_ADDR="198.51.100.5")
    client.post(reverse("accounts:password_reset"), {"email": "owner_manager@example.org"})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new = "a fresh passphrase for 2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert _sign_in("owner_manager", new, "198.51.100.5") == 302


def test_the_audit_trail_records_the_client_behind_the_proxy(world: World, settings: Any) -> None:
    settings.VINCULO_TRUSTED_PROXIES = [PROXY]
    _via_proxy("owner_manager", "wrong password", "1.1.1.1, 203.0.113.77")
    entry = AuditEntry.objects.filter(action="login_failed").latest("id")
    assert entry.ip_address == "203.0.113.77"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        ([], "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no proxy configured: the header is ignored
        (["127.0.0.1"], "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # the peer is not a trusted proxy
        (["127.0.0.1"], "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged hop on the left
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "203.0.113.9, 10.1.2.3", "203.0.113.9"),  # two proxies
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),  # no header: the proxy itself
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "203.0.113.9, <script>", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", " 2001:db8::1 ", "2001:db8::1"),
        (["::1"], "::1", "::ffff:203.0.113.9", "203.0.113.9"),
        ([], "garbage", "", None),
        ("127.0.0.1, 10.0.0.0/8", "10.0.0.5", "198.51.100.1", "198.51.100.1"),  # a comma-separated string
    ],
)
def test_client_address_believes_only_trusted_proxies(
    settings: Any, proxies: Any, remote: str, forwarded: str, expected: str | None
) -> None:
    settings.VINCULO_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.parametrize("bad", [1, ["not a network"], ["10.0.0.0/33"]])
def test_a_wrong_trusted_proxies_setting_names_itself(settings: Any, bad: Any) -> None:
    settings.VINCULO_TRUSTED_PROXIES = bad
    with pytest.raises(ImproperlyConfigured, match="VINCULO_TRUSTED_PROXIES"):
        client_address(RequestFactory().get("/"))


@pytest.fixture
def _empty_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("_empty_cache")
def test_password_reset_e_mails_to_one_account_are_limited_per_hour(world: World) -> None:
    url = reverse("accounts:password_reset")
    answers = []
    for k in range(settings.VINCULO_PASSWORD_RESET_EMAIL_LIMIT + 3):
        # From a different address each time: the limit is the account's, not only the address's.
        response = Client().post(url, {"email": "owner_manager@example.org"}, REMOTE_ADDR=f"192.0.2.{k + 1}")
        answers.append((response.status_code, response["Location"]))
    # Every request gets the same answer, so the limit reveals nothing; only the first e-mails go out.
    assert set(answers) == {(302, reverse("accounts:password_reset_done"))}
    assert len(mail.outbox) == settings.VINCULO_PASSWORD_RESET_EMAIL_LIMIT


@pytest.mark.usefixtures("_empty_cache")
def test_password_reset_requests_from_one_address_are_limited_across_accounts(world: World) -> None:
    url = reverse("accounts:password_reset")
    people = ["owner_manager", "owner_analyst", "owner_author", "partner_analyst", "other_analyst"]
    for k in range(settings.VINCULO_PASSWORD_RESET_ADDRESS_LIMIT + 5):
        email = f"{people[k % len(people)]}@example.org"
        response = Client().post(url, {"email": email}, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 302
    assert len(mail.outbox) == settings.VINCULO_PASSWORD_RESET_ADDRESS_LIMIT
    # Another address is not affected.
    Client().post(url, {"email": "other_reviewer@example.org"}, REMOTE_ADDR="203.0.113.9")
    assert len(mail.outbox) == settings.VINCULO_PASSWORD_RESET_ADDRESS_LIMIT + 1
