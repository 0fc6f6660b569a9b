"""Changes to the Trust Fund. Each one is a transaction with an audit entry; money moves only through
the ledger, and the derived tables are updated in the same transaction under a per-currency lock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from vinculo.coordination import Balance, LedgerLine, balances, check_currency, parse_amount, reconcile
from vinculo.errors import Issue, VinculoError
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit

from .models import (
    Contribution,
    CurrencyBalance,
    Disbursement,
    DonorYearTotal,
    EntryKind,
    Grant,
    GrantCycle,
    GrantReport,
    LedgerEntry,
)


def _not_future(value: date, field: str) -> None:
    if value > timezone.now().date():
        raise VinculoError(
            f"{field}: {value.isoformat()} is in the future. Record money when it has moved.",
            code="coordination.date_in_future",
        )


def _in_order(start: date, end: date, start_field: str, end_field: str) -> None:
    if end < start:
        raise VinculoError(
            f"{end_field} ({end.isoformat()}) is before {start_field} ({start.isoformat()}). "
            f"Swap them or correct one.",
            code="coordination.dates_out_of_order",
        )


def _lock_balance(currency: str, create: bool) -> CurrencyBalance | None:
    """The currency's balance row, locked until the end of the transaction."""
    if create:
        try:
            with transaction.atomic():
                CurrencyBalance.objects.get_or_create(currency=currency)
        except IntegrityError:  # created meanwhile by a concurrent transaction
            pass
    return CurrencyBalance.objects.select_for_update().filter(currency=currency).first()


@transaction.atomic
def record_contribution(
    *,
    actor: User,
    received_on: date,
    amount: str | Decimal,
    currency: str,
    donor_organisation: Organisation | None = None,
    donor_name: str = "",
    earmarking: str = "",
    request: HttpRequest | None = None,
) -> Contribution:
    value = parse_amount(amount)
    code = check_currency(currency)
    _not_future(received_on, "received_on")
    donor_name = donor_name.strip()
    if (donor_organisation is None) == (not donor_name):
        raise VinculoError(
            "donor: name either an organisation on the platform or a donor in free text, not both and not neither.",
            code="coordination.invalid_donor",
        )
    row = _lock_balance(code, create=True)
    assert row is not None
    contribution = Contribution.objects.create(
        donor_organisation=donor_organisation,
        donor_name="" if donor_organisation else donor_name,
        received_on=received_on,
        amount=value,
        currency=code,
        earmarking=earmarking,
        created_by=actor,
    )
    LedgerEntry.objects.create(
        kind=EntryKind.CONTRIBUTION,
        currency=code,
        amount=value,
        booked_on=received_on,
        donor=contribution.donor,
        contribution=contribution,
    )
    row.contributed += value
    row.balance += value
    row.save()
    total, _ = DonorYearTotal.objects.select_for_update().get_or_create(
        year=received_on.year, donor=contribution.donor, currency=code
    )
    total.amount += value
    total.save()
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=contribution,
        details={"amount": str(value), "currency": code, "year": received_on.year},
    )
    return contribution


@transaction.atomic
def create_cycle(
    *, actor: User, title: str, year: int, opens_on: date, closes_on: date, request: HttpRequest | None = None
) -> GrantCycle:
    _in_order(opens_on, closes_on, "opens_on", "closes_on")
    cycle = GrantCycle.objects.create(title=title, year=year, opens_on=opens_on, closes_on=closes_on)
    audit(AuditAction.CREATE, request=request, actor=actor, obj=cycle)
    return cycle


@transaction.atomic
def create_grant(
    *,
    actor: User,
    cycle: GrantCycle,
    grantee: Organisation,
    title: str,
    amount: str | Decimal,
    currency: str,
    starts_on: date,
    ends_on: date,
    services: str,
    request: HttpRequest | None = None,
) -> Grant:
    value = parse_amount(amount)
    code = check_currency(currency)
    _in_order(starts_on, ends_on, "starts_on", "ends_on")
    grant = Grant.objects.create(
        cycle=cycle,
        grantee=grantee,
        title=title,
        amount=value,
        currency=code,
        starts_on=starts_on,
        ends_on=ends_on,
        services=services,
        created_by=actor,
    )
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=grant,
        details={"amount": str(value), "currency": code},
    )
    return grant


@transaction.atomic
def add_report(
    *,
    actor: User,
    grant: Grant,
    title: str,
    due_on: date,
    received_on: date | None = None,
    request: HttpRequest | None = None,
) -> GrantReport:
    report = GrantReport.objects.create(grant=grant, title=title, due_on=due_on, received_on=received_on)
    audit(AuditAction.CREATE, request=request, actor=actor, obj=report, details={"grant": grant.pk})
    return report


@transaction.atomic
def mark_report_received(
    *, actor: User, report: GrantReport, received_on: date, request: HttpRequest | None = None
) -> GrantReport:
    _not_future(received_on, "received_on")
    report.received_on = received_on
    report.save(update_fields=["received_on"])
    audit(AuditAction.UPDATE, request=request, actor=actor, obj=report, details={"received": True})
    return report


@transaction.atomic
def record_disbursement(
    *,
    actor: User,
    grant_id: int,
    paid_on: date,
    amount: str | Decimal,
    note: str = "",
    request: HttpRequest | None = None,
) -> Disbursement:
    """Pay part of a grant. Refused if it would overdraw the fund's balance in that currency or the grant.

    The per-currency balance row is locked first (``SELECT ... FOR UPDATE``), so concurrent
    disbursements in one currency run one after the other and each sees the balance left by the last.
    """
    value = parse_amount(amount)
    _not_future(paid_on, "paid_on")
    currency = Grant.objects.values_list("currency", flat=True).get(pk=grant_id)
    row = _lock_balance(currency, create=False)
    grant = Grant.objects.select_for_update().get(pk=grant_id)
    available = row.balance if row is not None else Decimal(0)
    if value > available:
        raise VinculoError(
            f"amount: paying {value} {currency} would overdraw the fund, which holds {available} {currency}. "
            "Record the contribution first or pay less.",
            code="coordination.overdraw",
            fields={"available": str(available)},
        )
    paid = Disbursement.objects.filter(grant=grant).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if paid + value > grant.amount:
        raise VinculoError(
            f"amount: {value} {currency} would bring the payments of grant {grant.title!r} to {paid + value}, "
            f"more than the {grant.amount} granted.",
            code="coordination.grant_exceeded",
        )
    assert row is not None
    disbursement = Disbursement.objects.create(
        grant=grant, paid_on=paid_on, amount=value, currency=currency, note=note, created_by=actor
    )
    LedgerEntry.objects.create(
        kind=EntryKind.DISBURSEMENT,
        currency=currency,
        amount=value,
        booked_on=paid_on,
        donor="",
        disbursement=disbursement,
    )
    row.disbursed += value
    row.balance -= value
    row.save()
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=disbursement,
        details={"amount": str(value), "currency": currency, "grant": grant.pk},
    )
    return disbursement


def ledger_balances() -> dict[str, Balance]:
    lines = [
        LedgerLine("contribution" if kind == EntryKind.CONTRIBUTION else "disbursement", currency, amount)
        for kind, currency, amount in LedgerEntry.objects.values_list("kind", "currency", "amount")
    ]
    return balances(lines)


def check_reconciliation() -> list[Issue]:
    """Every difference between the derived tables and the ledger (empty list when they agree)."""
    summary = {r.currency: (r.contributed, r.disbursed, r.balance) for r in CurrencyBalance.objects.all()}
    issues = reconcile(ledger_balances(), summary)
    from_ledger: dict[tuple[int, str, str], Decimal] = {}
    for booked_on, donor, currency, amount in LedgerEntry.objects.filter(
        kind=EntryKind.CONTRIBUTION
    ).values_list("booked_on", "donor", "currency", "amount"):
        key = (booked_on.year, donor, currency)
        from_ledger[key] = from_ledger.get(key, Decimal(0)) + amount
    stored = {(t.year, t.donor, t.currency): t.amount for t in DonorYearTotal.objects.all()}
    for key in sorted(set(from_ledger) | set(stored)):
        if from_ledger.get(key, Decimal(0)) != stored.get(key, Decimal(0)):
            issues.append(
                Issue(
                    "coordination.ledger_mismatch",
                    f"{key[0]} {key[1]} {key[2]}: the summary says {stored.get(key, 0)}, the ledger says "
                    f"{from_ledger.get(key, 0)}.",
                )
            )
    return issues


def summary_by_year_and_donor() -> list[dict[str, Any]]:
    return [
        {"year": t.year, "donor": t.donor, "currency": t.currency, "amount": t.amount}
        for t in DonorYearTotal.objects.all()
    ]
