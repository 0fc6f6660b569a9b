"""Fixtures for the programmes area: programmes in every status, owned by the world's owner organisation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from vinculo.web.programmes import actions
from vinculo.web.programmes.models import Programme

from ..conftest import World


def fields(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": "Safe shelters for survivors",
        "original_language": "en",
        "problem_statement": "Survivors of trafficking lack safe accommodation.",
        "objectives": "Open two shelters.",
        "activities": "Case management and legal aid.",
        "lessons_learned": "Survivor participation improved services.",
        "start_date": date(2020, 1, 1),
        "end_date": date(2022, 12, 31),
        "budget_amount": "250000",
        "budget_currency": "EUR",
        "pillars": ["protection"],
        "forms": ["sexual_exploitation"],
        "target_groups": ["women", "survivors"],
        "evidence_rating": "not_assessed",
        "evidence_rationale": "",
    }
    base.update(overrides)
    return base


def make_programme(
    world: World, who: str = "owner_author", status: str = "draft", **overrides: Any
) -> Programme:
    countries = overrides.pop("countries", ["NGA"])
    actor = world.users[who]
    assert actor is not None
    programme = actions.create_programme(actor=actor, fields=fields(**overrides), countries=countries)
    reviewer = world.users["other_reviewer"]
    assert reviewer is not None
    path = {
        "draft": [],
        "submitted": [("submit", actor)],
        "in_review": [("submit", actor), ("start_review", reviewer)],
        "published": [("submit", actor), ("publish", reviewer)],
        "returned": [("submit", actor), ("return", reviewer)],
    }[status]
    for step, who_acts in path:
        programme = actions.transition_programme(
            actor=who_acts, programme=programme, name=step, comment="Please add indicators."
        )
    return programme


@pytest.fixture
def programmes(world: World) -> dict[str, Programme]:
    """One programme per status, titled after it."""
    return {
        status: make_programme(world, status=status, title=f"{status} programme")
        for status in ("draft", "submitted", "in_review", "published", "returned")
    }
