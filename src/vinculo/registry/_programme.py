"""Validation of a programme record as a whole: every problem collected and reported once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from vinculo.errors import Issue, Location, VinculoError

from ._budget import check_budget
from ._evidence import EvaluationFacts, IndicatorFacts, check_evidence_rating, suggest_evidence_rating
from ._period import check_period
from ._translations import check_language
from ._vocabulary import (
    EVALUATION_DESIGNS,
    EVALUATORS,
    EVIDENCE_RATINGS,
    FORMS_OF_EXPLOITATION,
    PILLARS,
    TARGET_GROUPS,
    check_codes,
)

__all__ = ["MAX_TITLE_LENGTH", "ProgrammeError", "check_programme", "raise_for_issues"]

MAX_TITLE_LENGTH = 300


class ProgrammeError(VinculoError):
    code = "registry.invalid_programme"


def raise_for_issues(issues: Sequence[Issue], what: str = "The programme") -> None:
    """Raise one :class:`ProgrammeError` carrying every issue (nothing when there is none)."""
    errors = [i for i in issues if i.severity == "error"]
    if not errors:
        return
    noun = "problem" if len(errors) == 1 else "problems"
    summary = " ".join(str(i) for i in errors)
    raise ProgrammeError(
        f"{what} was not saved: {len(errors)} {noun}. {summary}",
        code=errors[0].code if len(errors) == 1 else ProgrammeError.code,
        issues=errors,
    )


def _required(fields: Mapping[str, Any], name: str, label: str) -> list[Issue]:
    if str(fields.get(name) or "").strip():
        return []
    return [
        Issue(
            "registry.required", f"The {label} is required.", Location(field=name), fix=f"Enter the {label}."
        )
    ]


def check_programme(fields: Mapping[str, Any]) -> list[Issue]:
    """Every issue in a programme's fields (see :mod:`vinculo.registry` for the field names).

    ``indicators`` and ``evaluations`` are lists of mappings; dates are :class:`datetime.date`.
    """
    issues = _required(fields, "title", "title")
    title = str(fields.get("title") or "")
    if len(title) > MAX_TITLE_LENGTH:
        issues.append(
            Issue(
                "registry.too_long",
                f"The title has {len(title)} characters.",
                Location(field="title"),
                expected=f"at most {MAX_TITLE_LENGTH}",
                fix="Shorten the title; put details in the objectives.",
            )
        )
    issues += check_language("original_language", str(fields.get("original_language") or ""))
    pillars = list(fields.get("pillars") or [])
    if not pillars:
        issues.append(
            Issue(
                "registry.required",
                "Choose at least one pillar of the Global Plan of Action.",
                Location(field="pillars"),
                fix="Tick prevention, protection, prosecution or partnership.",
            )
        )
    issues += check_codes("pillars", pillars, PILLARS)
    issues += check_codes("forms", fields.get("forms") or [], FORMS_OF_EXPLOITATION)
    issues += check_codes("target_groups", fields.get("target_groups") or [], TARGET_GROUPS)
    start, end = fields.get("start_date"), fields.get("end_date")
    if isinstance(start, date) and isinstance(end, date):
        issues += check_period(start, end)
    _, budget_issues = check_budget(fields.get("budget_amount"), fields.get("budget_currency"))
    issues += budget_issues
    evaluations: list[EvaluationFacts] = []
    for n, row in enumerate(fields.get("evaluations") or [], start=1):
        for key, vocabulary in (("design", EVALUATION_DESIGNS), ("evaluator", EVALUATORS)):
            found = check_codes(f"evaluations[{n}].{key}", [str(row.get(key) or "")], vocabulary)
            issues += found
        evaluations.append(EvaluationFacts(str(row.get("design") or ""), str(row.get("evaluator") or "")))
    indicators: list[IndicatorFacts] = []
    for n, row in enumerate(fields.get("indicators") or [], start=1):
        if not str(row.get("name") or "").strip():
            issues.append(
                Issue(
                    "registry.required",
                    f"Indicator {n} has no name.",
                    Location(field=f"indicators[{n}].name"),
                    fix="Name the indicator or remove the row.",
                )
            )
        indicators.append(
            IndicatorFacts(
                bool(str(row.get("baseline") or "").strip()), bool(str(row.get("result") or "").strip())
            )
        )
    rating = str(fields.get("evidence_rating") or "not_assessed")
    issues += check_codes("evidence_rating", [rating], EVIDENCE_RATINGS)
    issues += check_evidence_rating(
        rating, str(fields.get("evidence_rationale") or ""), suggest_evidence_rating(evaluations, indicators)
    )
    return issues
