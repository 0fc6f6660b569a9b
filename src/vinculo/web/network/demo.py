"""Fictitious network records for the demo, clearly labelled."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from vinculo.web.accounts.models import Organisation, User
from vinculo.web.core.models import Country

from . import actions
from .models import Mechanism


@transaction.atomic
def load_demo() -> list[str]:
    org = Organisation.objects.filter(name="Demo National Rapporteur Office (fictitious)").first()
    user = User.objects.filter(username="admin").first()
    if org is None or user is None or Mechanism.objects.filter(organisation=org).exists():
        return []
    actions.create_mechanism(
        actor=user,
        fields={
            "country": Country.objects.get(iso3="NLD"),
            "organisation": org,
            "kind": "rapporteur",
            "mandate": "Demo (fictitious): monitors anti-trafficking policy and reports to parliament.",
            "legal_basis": "Demo (fictitious) act.",
            "independence": "independent",
            "contact_email": "rapporteur@example.org",
            "contact_phone": "+00 0000 0000",
        },
    )
    actions.create_meeting(
        actor=user,
        fields={
            "title": "Demo consultative meeting (fictitious)",
            "starts_on": date(2025, 3, 10),
            "ends_on": date(2025, 3, 11),
            "location": "Online",
            "agenda": "1. Data sharing\n2. Appraisal 2025",
            "minutes": "Fictitious demo minutes.",
        },
        participants=[org],
    )
    rapp = User.objects.filter(username="rapporteur.analyst").first()
    if rapp is not None:
        actions.create_note(
            actor=rapp,
            title="Demo: a joint referral mechanism (fictitious)",
            text="Fictitious demo note.",
            countries=Country.objects.filter(iso3__in=["NLD"]),
        )
    return ["Network: one fictitious rapporteur office, one meeting and one good-practice note."]
