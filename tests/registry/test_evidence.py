from __future__ import annotations

import pytest

from vinculo.registry import EvaluationFacts, IndicatorFacts, check_evidence_rating, suggest_evidence_rating


@pytest.mark.parametrize(
    ("evaluations", "indicators", "rating"),
    [
        ([], [], "not_assessed"),
        ([EvaluationFacts("monitoring", "internal")], [], "limited"),
        ([EvaluationFacts("qualitative", "independent")], [], "limited"),
        ([EvaluationFacts("qualitative", "independent")], [IndicatorFacts(True, True)], "moderate"),
        ([EvaluationFacts("pre_post", "internal")], [], "moderate"),
        ([EvaluationFacts("experimental", "internal")], [], "moderate"),
        ([EvaluationFacts("quasi_experimental", "independent")], [], "strong"),
        (
            [EvaluationFacts("monitoring", "internal"), EvaluationFacts("experimental", "independent")],
            [],
            "strong",
        ),
    ],
)
def test_the_suggested_rating_follows_the_design_hierarchy(
    evaluations: list[EvaluationFacts], indicators: list[IndicatorFacts], rating: str
) -> None:
    assessment = suggest_evidence_rating(evaluations, indicators)
    assert assessment.rating == rating
    assert assessment.reasons


def test_claiming_more_than_the_evaluations_support_is_an_issue() -> None:
    assessment = suggest_evidence_rating([EvaluationFacts("monitoring", "internal")])
    issues = check_evidence_rating("strong", "We believe it works.", assessment)
    assert [i.code for i in issues] == ["registry.evidence_overrated"]
    assert "limited" in issues[0].message


def test_a_weaker_claim_is_allowed_but_needs_a_rationale() -> None:
    assessment = suggest_evidence_rating([EvaluationFacts("quasi_experimental", "independent")])
    assert check_evidence_rating("moderate", "Small sample.", assessment) == []
    assert [i.code for i in check_evidence_rating("moderate", " ", assessment)] == [
        "registry.missing_rationale"
    ]
    assert check_evidence_rating("not_assessed", "", assessment) == []
