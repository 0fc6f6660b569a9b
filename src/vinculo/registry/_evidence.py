"""Rules for the evidence strength rating of a programme.

The rating says how much an evaluation can tell about whether the programme worked, following the
hierarchy of designs in ICAT's toolkit for evaluating counter-trafficking programmes:

* ``strong``: an independent evaluation with a comparison group (experimental or quasi-experimental);
* ``moderate``: any evaluation measuring change against baselines (before and after), or an
  independent evaluation of another design with at least one indicator measured against its baseline;
* ``limited``: monitoring or qualitative findings only;
* ``not_assessed``: no monitoring or evaluation recorded.

A programme may claim a rating at most as strong as these rules support; a rationale is required
for every rating other than ``not_assessed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vinculo.errors import Issue, Location

__all__ = [
    "EvaluationFacts",
    "EvidenceAssessment",
    "IndicatorFacts",
    "check_evidence_rating",
    "suggest_evidence_rating",
]

_ORDER = {"not_assessed": 0, "limited": 1, "moderate": 2, "strong": 3}


@dataclass(frozen=True, slots=True)
class EvaluationFacts:
    """What matters about one monitoring or evaluation exercise: its design and who ran it."""

    design: str
    evaluator: str


@dataclass(frozen=True, slots=True)
class IndicatorFacts:
    """Whether an indicator has a baseline and a measured result."""

    has_baseline: bool
    has_result: bool


@dataclass(frozen=True, slots=True)
class EvidenceAssessment:
    """The strongest rating the recorded evaluations support, and why."""

    rating: str
    reasons: tuple[str, ...]


def suggest_evidence_rating(
    evaluations: Sequence[EvaluationFacts], indicators: Sequence[IndicatorFacts] = ()
) -> EvidenceAssessment:
    """The strongest rating the evaluations and indicators support.

    Examples
    --------
    >>> suggest_evidence_rating([EvaluationFacts("quasi_experimental", "independent")]).rating
    'strong'
    >>> suggest_evidence_rating([EvaluationFacts("monitoring", "internal")]).rating
    'limited'
    """
    if not evaluations:
        return EvidenceAssessment("not_assessed", ("No monitoring or evaluation is recorded.",))
    measured = any(i.has_baseline and i.has_result for i in indicators)
    for e in evaluations:
        if e.evaluator == "independent" and e.design in ("experimental", "quasi_experimental"):
            return EvidenceAssessment(
                "strong", ("An independent evaluation compared participants with a comparison group.",)
            )
    for e in evaluations:
        if e.design in ("experimental", "quasi_experimental", "pre_post"):
            return EvidenceAssessment(
                "moderate", ("An evaluation measured change against a baseline or a comparison group.",)
            )
    if measured and any(e.evaluator == "independent" for e in evaluations):
        return EvidenceAssessment(
            "moderate",
            ("An independent evaluation took place and an indicator was measured against its baseline.",),
        )
    return EvidenceAssessment(
        "limited", ("Only monitoring or qualitative findings are recorded; no change was measured.",)
    )


def check_evidence_rating(claimed: str, rationale: str, assessment: EvidenceAssessment) -> list[Issue]:
    """Issues when ``claimed`` is stronger than ``assessment`` supports, or has no rationale."""
    issues: list[Issue] = []
    if claimed not in _ORDER:
        return issues  # reported by the vocabulary check
    if _ORDER[claimed] > _ORDER[assessment.rating]:
        issues.append(
            Issue(
                "registry.evidence_overrated",
                f"The evidence rating {claimed!r} is stronger than the recorded evaluations support "
                f"({assessment.rating!r}: {' '.join(assessment.reasons)})",
                Location(field="evidence_rating"),
                value=claimed,
                expected=f"{assessment.rating!r} or weaker",
                fix="Record the evaluation that supports the rating (design and evaluator), or lower the rating.",
            )
        )
    if claimed != "not_assessed" and not rationale.strip():
        issues.append(
            Issue(
                "registry.missing_rationale",
                f"The evidence rating {claimed!r} has no rationale.",
                Location(field="evidence_rationale"),
                fix="Say in a sentence or two which evaluation supports the rating and what it found.",
            )
        )
    return issues
