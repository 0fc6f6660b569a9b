from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from vinculo.registry import ProgrammeError, check_programme, raise_for_issues


def good(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "Shelters",
        "original_language": "en",
        "pillars": ["protection"],
        "evidence_rating": "not_assessed",
    }
    fields.update(overrides)
    return fields


def test_a_minimal_programme_has_no_issue() -> None:
    assert check_programme(good()) == []


def test_every_problem_is_collected_at_once() -> None:
    issues = check_programme(
        good(
            title="",
            original_language="de",
            pillars=["punishment"],
            start_date=date(2024, 1, 2),
            end_date=date(2024, 1, 1),
            budget_amount="-1",
            budget_currency="ABC",
            evidence_rating="strong",
            indicators=[{"name": ""}],
            evaluations=[{"design": "guess", "evaluator": "internal"}],
        )
    )
    codes = {i.code for i in issues}
    assert codes >= {
        "registry.required",
        "registry.unknown_language",
        "registry.unknown_code",
        "registry.period_order",
        "registry.negative_budget",
        "registry.unknown_currency",
        "registry.evidence_overrated",
        "registry.missing_rationale",
    }
    fields = {i.location.field for i in issues}
    assert {"title", "end_date", "budget_amount", "indicators[1].name", "evaluations[1].design"} <= fields


def test_raise_for_issues_raises_once_with_every_issue() -> None:
    issues = check_programme(good(title="", pillars=[]))
    with pytest.raises(ProgrammeError) as info:
        raise_for_issues(issues)
    assert len(info.value.issues) == 2
    assert "2 problems" in str(info.value)
    raise_for_issues([])
