"""Fictitious Trust Fund records for the demo, clearly labelled."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from vinculo.web.accounts.models import Organisation, Role, User

from . import actions
from .models import Contribution, Grant


@transaction.atomic
def load_demo() -> list[str]:
    if Contribution.objects.filter(donor_name__startswith="Demo donor").exists():
        return []
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    ngo = Organisation.objects.filter(name="Demo Shelter Network (fictitious)").first()
    if admin is None or ngo is None:
        return []
    for year, donor, amount in [
        (2023, "Demo donor A (fictitious)", "50000"),
        (2024, "Demo donor B (fictitious)", "30000"),
        (2024, "Demo donor A (fictitious)", "20000"),
    ]:
        actions.record_contribution(
            actor=admin,
            received_on=date(year, 3, 1),
            amount=amount,
            currency="USD",
            donor_name=donor,
            earmarking="Demo: fictitious",
        )
    cycle = actions.create_cycle(
        actor=admin,
        title="Demo grant cycle 2024 (fictitious)",
        year=2024,
        opens_on=date(2024, 1, 15),
        closes_on=date(2024, 3, 31),
    )
    grant = actions.create_grant(
        actor=admin,
        cycle=cycle,
        grantee=ngo,
        title="Demo: shelter and legal aid (fictitious)",
        amount="40000",
        currency="USD",
        starts_on=date(2024, 6, 1),
        ends_on=date(2025, 5, 31),
        services="Shelter, medical care and legal aid for victims (fictitious demo).",
    )
    actions.record_disbursement(actor=admin, grant_id=grant.pk, paid_on=date(2024, 6, 15), amount="20000")
    actions.add_report(
        actor=admin,
        grant=Grant.objects.get(pk=grant.pk),
        title="Demo interim report",
        due_on=date(2024, 12, 31),
    )
    return ["Trust Fund: fictitious demo contributions, one grant cycle, one grant and one disbursement."]
