from __future__ import annotations

import pytest

from vinculo.registry import WorkflowError, allowed_transitions, apply_transition


def test_the_happy_path_goes_from_draft_to_published() -> None:
    status = "draft"
    for step in ("submit", "start_review", "publish"):
        status = apply_transition(status, step)
    assert status == "published"


def test_returning_needs_a_comment_and_allows_resubmission() -> None:
    with pytest.raises(WorkflowError) as info:
        apply_transition("in_review", "return", "  ")
    assert info.value.code == "registry.comment_required"
    assert apply_transition("in_review", "return", "Add indicators.") == "returned"
    assert apply_transition("returned", "submit") == "submitted"


def test_a_step_from_the_wrong_status_says_where_it_is_possible() -> None:
    with pytest.raises(WorkflowError) as info:
        apply_transition("draft", "publish")
    assert info.value.code == "registry.invalid_transition"
    assert "Submitted" in str(info.value) and "In review" in str(info.value)
    with pytest.raises(WorkflowError):
        apply_transition("draft", "approve")


def test_owners_and_reviewers_are_offered_different_steps() -> None:
    assert allowed_transitions("draft", owner=True, reviewer=False) == ["submit"]
    assert allowed_transitions("draft", owner=False, reviewer=True) == []
    assert allowed_transitions("submitted", owner=True, reviewer=True) == [
        "start_review",
        "publish",
        "return",
    ]
    assert allowed_transitions("published", owner=True, reviewer=False) == []
    assert allowed_transitions("published", owner=False, reviewer=True) == ["return"]
