"""Demo loader: about 30 synthetic programmes, clearly labelled, most of them published."""

from __future__ import annotations

from django.db import transaction

from vinculo.evidence import known_areas
from vinculo.registry import generate_programmes
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.core.models import Country

from . import actions
from .models import Programme

DEMO_COUNT = 30


def demo_countries() -> list[str]:
    stored = set(Country.objects.values_list("iso3", flat=True))
    return sorted(code for code, area in known_areas().items() if area.region and code in stored)


@transaction.atomic
def load_synthetic(owner_user: User, reviewer: User | None, n: int, *, seed: int = 74176) -> list[Programme]:
    """Create ``n`` synthetic programmes authored by ``owner_user``; the reviewer publishes 4 in 5."""
    out = []
    for k, record in enumerate(generate_programmes(n, demo_countries(), seed=seed)):
        countries = record.pop("countries")
        translations = record.pop("translations")
        indicators = record.pop("indicators")
        evaluations = record.pop("evaluations")
        programme = actions.create_programme(
            actor=owner_user,
            fields=record,
            countries=countries,
            indicators=indicators,
            evaluations=evaluations,
            translations=translations,
            synthetic=True,
        )
        if reviewer is not None and k % 5 != 4:
            programme = actions.transition_programme(actor=owner_user, programme=programme, name="submit")
            programme = actions.transition_programme(actor=reviewer, programme=programme, name="publish")
        out.append(programme)
    return out


def load_demo_programmes() -> list[str]:
    if Programme.objects.filter(synthetic=True).exists():
        return ["Programmes: synthetic demo programmes already present."]
    owner = Organisation.objects.filter(name="Demo Shelter Network (fictitious)").first()
    manager = User.objects.filter(username="ngo.manager", organisation=owner).first()
    reviewer = User.objects.filter(username="unodc.reviewer").first()
    if owner is None or manager is None:
        return ["Programmes: demo organisation missing; no programmes loaded."]
    created = load_synthetic(manager, reviewer, DEMO_COUNT)
    return [f"Programmes: {len(created)} synthetic programmes (labelled [Synthetic]) at /programmes/."]
