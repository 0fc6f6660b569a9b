"""Trust Fund: append-only ledger, reconciliation, overdraw checks, access, audit and bad input."""

from __future__ import annotations

import json
import os
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse

from vinculo.errors import VinculoError
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditEntry
from vinculo.web.trustfund import actions
from vinculo.web.trustfund.models import AppendOnlyError, CurrencyBalance, Grant, LedgerEntry

from ..conftest import ROLES, World

READERS = {"admin", "other_reviewer"}


def _admin(world: World) -> User:
    user = world.users["admin"]
    assert user is not None
    return user


def make_grant(world: World, amount: str = "1000") -> Grant:
    admin = _admin(world)
    cycle = actions.create_cycle(
        actor=admin, title="Cycle", year=2024, opens_on=date(2024, 1, 1), closes_on=date(2024, 2, 1)
    )
    return actions.create_grant(
        actor=admin,
        cycle=cycle,
        grantee=world.owner,
        title="Shelter <b>beds</b>",
        amount=amount,
        currency="USD",
        starts_on=date(2024, 3, 1),
        ends_on=date(2025, 2, 28),
        services="Shelter",
    )


def test_balances_and_summaries_always_equal_the_ledger(world: World) -> None:
    admin = _admin(world)
    actions.record_contribution(
        actor=admin, received_on=date(2023, 5, 1), amount="500.25", currency="usd", donor_name="Donor A"
    )
    actions.record_contribution(
        actor=admin,
        received_on=date(2024, 5, 1),
        amount="700",
        currency="EUR",
        donor_organisation=world.partner,
    )
    actions.record_contribution(
        actor=admin, received_on=date(2024, 6, 1), amount="600", currency="USD", donor_name="Donor A"
    )
    grant = make_grant(world)
    actions.record_disbursement(actor=admin, grant_id=grant.pk, paid_on=date(2024, 7, 1), amount="400")
    usd = CurrencyBalance.objects.get(currency="USD")
    assert (usd.contributed, usd.disbursed, usd.balance) == (
        Decimal("1100.25"),
        Decimal("400.00"),
        Decimal("700.25"),
    )
    assert actions.check_reconciliation() == []
    ledger = actions.ledger_balances()
    assert ledger["USD"].balance == usd.balance and ledger["EUR"].balance == Decimal("700.00")
    CurrencyBalance.objects.filter(currency="USD").update(balance=Decimal("1"))
    problems = actions.check_reconciliation()
    assert [p.location.field for p in problems] == ["USD.balance"]


def test_ledger_entries_cannot_be_changed_or_deleted_even_in_sql(world: World) -> None:
    actions.record_contribution(
        actor=_admin(world), received_on=date(2024, 1, 1), amount="10", currency="USD", donor_name="D"
    )
    entry = LedgerEntry.objects.get()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()
    for sql in ["UPDATE trustfund_ledgerentry SET amount = 1", "DELETE FROM trustfund_ledgerentry"]:
        with pytest.raises((IntegrityError, OperationalError, Exception)) as info:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
        assert "append-only" in str(info.value)
    assert LedgerEntry.objects.get().amount == Decimal("10.00")


def test_a_disbursement_that_would_overdraw_the_fund_or_the_grant_is_refused(world: World) -> None:
    admin = _admin(world)
    grant = make_grant(world, amount="300")
    with pytest.raises(VinculoError) as info:
        actions.record_disbursement(actor=admin, grant_id=grant.pk, paid_on=date(2024, 7, 1), amount="1")
    assert info.value.code == "coordination.overdraw"
    actions.record_contribution(
        actor=admin, received_on=date(2024, 1, 1), amount="1000", currency="USD", donor_name="D"
    )
    actions.record_disbursement(actor=admin, grant_id=grant.pk, paid_on=date(2024, 7, 1), amount="200")
    with pytest.raises(VinculoError) as info:
        actions.record_disbursement(actor=admin, grant_id=grant.pk, paid_on=date(2024, 7, 2), amount="100.01")
    assert info.value.code == "coordination.grant_exceeded"
    assert actions.check_reconciliation() == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"amount": "-5", "currency": "USD"}, "coordination.invalid_amount"),
        ({"amount": "100", "currency": "XXY"}, "coordination.invalid_currency"),
        ({"amount": "abc", "currency": "USD"}, "coordination.invalid_amount"),
        ({"amount": "100", "currency": "USD", "received_on": "2999-01-01"}, "coordination.date_in_future"),
        ({"amount": "100", "currency": "USD", "donor_name": ""}, "coordination.invalid_donor"),
    ],
)
def test_bad_contributions_are_refused_in_the_error_shape_and_nothing_is_written(
    world: World, body: dict[str, str], code: str
) -> None:
    payload = {"received_on": "2024-01-01", "donor_name": "Donor", **body}
    response = world.client_for("admin").post(
        "/api/trustfund/contributions", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400
    assert (
        set(response.json()) == {"ok", "error", "errors", "code", "status"}
        and response.json()["code"] == code
    )
    assert LedgerEntry.objects.count() == 0


def test_a_grant_with_dates_in_the_wrong_order_is_refused(world: World) -> None:
    admin = _admin(world)
    cycle = actions.create_cycle(
        actor=admin, title="C", year=2024, opens_on=date(2024, 1, 1), closes_on=date(2024, 2, 1)
    )
    with pytest.raises(VinculoError) as info:
        actions.create_grant(
            actor=admin,
            cycle=cycle,
            grantee=world.owner,
            title="t",
            amount="1",
            currency="USD",
            starts_on=date(2025, 1, 1),
            ends_on=date(2024, 1, 1),
            services="s",
        )
    assert info.value.code == "coordination.dates_out_of_order"
    with pytest.raises(VinculoError):
        actions.create_cycle(
            actor=admin, title="C", year=2024, opens_on=date(2024, 3, 1), closes_on=date(2024, 2, 1)
        )


@pytest.mark.parametrize("who", ROLES)
def test_summary_is_public_and_detail_is_for_administrators_and_reviewers(world: World, who: str) -> None:
    admin = _admin(world)
    actions.record_contribution(
        actor=admin, received_on=date(2024, 1, 1), amount="1000", currency="USD", donor_name="=HYPERLINK()"
    )
    grant = make_grant(world)
    actions.record_disbursement(actor=admin, grant_id=grant.pk, paid_on=date(2024, 7, 1), amount="100")
    client = world.client_for(who)
    summary = client.get(reverse("trustfund:summary"))
    assert summary.status_code == 200 and "<svg" in summary.content.decode()
    csv_text = client.get(reverse("trustfund:summary"), {"format": "csv"}).content.decode()
    assert "'=HYPERLINK()" in csv_text
    assert client.get("/api/trustfund/summary").json()["balances"][0]["balance"] == "900.00"
    reads = who in READERS
    for url in [
        reverse("trustfund:detail"),
        reverse("trustfund:grant", args=[grant.pk]),
        "/api/trustfund/grants",
        f"/api/trustfund/grants/{grant.pk}",
        "/api/trustfund/reconciliation",
    ]:
        assert client.get(url).status_code == (200 if reads else 404), url
    if reads:
        page = client.get(reverse("trustfund:grant", args=[grant.pk])).content.decode()
        assert "Shelter &lt;b&gt;beds&lt;/b&gt;" in page
        user = world.users[who]
        assert user is not None
        assert AuditEntry.objects.filter(
            action="view", object_type="trustfund.grant", actor_username=user.username
        ).exists()
    manages = who == "admin"
    for url in [
        reverse("trustfund:contribution_create"),
        reverse("trustfund:cycle_create"),
        reverse("trustfund:grant_create"),
        reverse("trustfund:disbursement_create", args=[grant.pk]),
        reverse("trustfund:report_create", args=[grant.pk]),
    ]:
        status = client.get(url).status_code
        assert status == (200 if manages else (302 if who == "anonymous" else 404)), url
    post = client.post(
        "/api/trustfund/contributions",
        data=json.dumps({"received_on": "2024-01-01", "amount": "5", "currency": "USD", "donor_name": "x"}),
        content_type="application/json",
    )
    assert post.status_code == (201 if manages else 403)
    disburse = client.post(
        f"/api/trustfund/grants/{grant.pk}/disbursements",
        data=json.dumps({"paid_on": "2024-08-01", "amount": "5"}),
        content_type="application/json",
    )
    assert disburse.status_code == (201 if manages else 403)


def test_pages_record_money_and_audit_each_change(world: World) -> None:
    client = world.client_for("admin")
    response = client.post(
        reverse("trustfund:contribution_create"),
        {
            "donor_name": "Page donor",
            "received_on": "2024-02-02",
            "amount": "250",
            "currency": "EUR",
            "earmarking": "",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("trustfund:contribution_create"),
        {"donor_name": "Page donor", "received_on": "2024-02-02", "amount": "-1", "currency": "EUR"},
    )
    assert bad.status_code == 400 and "greater than zero" in bad.content.decode()
    assert AuditEntry.objects.filter(action="create", object_type="trustfund.contribution").count() == 1
    assert actions.check_reconciliation() == []


@pytest.mark.skipif(
    os.environ.get("VINCULO_TEST_DATABASE") != "postgres", reason="needs PostgreSQL (row locks)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_disbursements_never_overdraw_and_the_ledger_reconciles() -> None:
    from vinculo.web.accounts import actions as account_actions
    from vinculo.web.accounts.models import OrganisationKind, Role

    admin = account_actions.create_user(
        actor=None, username="fund-admin", password="x" * 16, organisation=None, role=Role.ADMIN
    )
    ngo = account_actions.create_organisation(
        actor=None, name="Concurrent NGO", kind=OrganisationKind.CIVIL_SOCIETY
    )
    actions.record_contribution(
        actor=admin, received_on=date(2024, 1, 1), amount="1000", currency="USD", donor_name="D"
    )
    cycle = actions.create_cycle(
        actor=admin, title="C", year=2024, opens_on=date(2024, 1, 1), closes_on=date(2024, 2, 1)
    )
    grant = actions.create_grant(
        actor=admin,
        cycle=cycle,
        grantee=ngo,
        title="G",
        amount="5000",
        currency="USD",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        services="s",
    )
    results: list[str] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        from django.db import connections

        try:
            barrier.wait()
            actions.record_disbursement(
                actor=admin, grant_id=grant.pk, paid_on=date(2024, 6, 1), amount="300"
            )
            results.append("paid")
        except VinculoError as exc:
            results.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("paid") == 3 and results.count("coordination.overdraw") == 5
    balance = CurrencyBalance.objects.get(currency="USD")
    assert balance.balance == Decimal("100.00")
    assert actions.check_reconciliation() == []


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "$2,385,000.00"),
        ("fr", "2\u202f385\u202f000,00\xa0$US"),
        ("es", "2.385.000,00\xa0US$"),
        ("zh-hans", "US$2,385,000.00"),
    ],
)
def test_amounts_are_written_as_the_readers_language_writes_money(
    world: World, language: str, shown: str
) -> None:
    admin = _admin(world)
    actions.record_contribution(
        actor=admin, received_on=date(2024, 1, 1), amount="2385000", currency="USD", donor_name="Donor"
    )
    client = world.client_for("admin")
    client.cookies["vinculo_language"] = language
    for url in (reverse("trustfund:summary"), reverse("trustfund:detail")):
        page = client.get(url).content.decode()
        assert shown in page, (language, url)
        assert "2385000.00" not in page and "2385000" not in page
