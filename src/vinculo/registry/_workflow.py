"""The curation workflow of a programme: who may move it from which status to which.

``draft`` → (submit) → ``submitted`` → (start review) → ``in_review`` → (publish) → ``published``;
a reviewer may return a submitted or in-review programme with comments (``returned``), and the
owner edits and submits it again. A reviewer may also return a published programme for correction.
Only ``published`` programmes are public.
"""

from __future__ import annotations

from dataclasses import dataclass

from vinculo.errors import VinculoError

__all__ = [
    "EDITABLE_STATUSES",
    "STATUSES",
    "TRANSITIONS",
    "Transition",
    "WorkflowError",
    "allowed_transitions",
    "apply_transition",
]

STATUSES: dict[str, str] = {
    "draft": "Draft",
    "submitted": "Submitted",
    "in_review": "In review",
    "published": "Published",
    "returned": "Returned with comments",
}

#: The owner may change the content only in these statuses.
EDITABLE_STATUSES = frozenset({"draft", "returned"})


@dataclass(frozen=True, slots=True)
class Transition:
    """A move between statuses; ``by`` is ``"owner"`` or ``"reviewer"``."""

    name: str
    sources: frozenset[str]
    target: str
    by: str
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("submit", frozenset({"draft", "returned"}), "submitted", "owner"),
        Transition("start_review", frozenset({"submitted"}), "in_review", "reviewer"),
        Transition("publish", frozenset({"submitted", "in_review"}), "published", "reviewer"),
        Transition(
            "return", frozenset({"submitted", "in_review", "published"}), "returned", "reviewer", True
        ),
    )
}


class WorkflowError(VinculoError):
    code = "registry.invalid_transition"


def allowed_transitions(status: str, *, owner: bool, reviewer: bool) -> list[str]:
    """Names of the transitions open from ``status`` to someone with these capacities."""
    roles = {"owner"} if owner else set()
    if reviewer:
        roles.add("reviewer")
    return [t.name for t in TRANSITIONS.values() if status in t.sources and t.by in roles]


def apply_transition(status: str, name: str, comment: str = "") -> str:
    """The status after transition ``name`` from ``status``; :class:`WorkflowError` if not allowed.

    Examples
    --------
    >>> apply_transition("draft", "submit")
    'submitted'
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise WorkflowError(f"There is no transition {name!r}.", fix=f"Use one of: {', '.join(TRANSITIONS)}.")
    if status not in transition.sources:
        sources = ", ".join(sorted(STATUSES[s] for s in transition.sources))
        raise WorkflowError(
            f"A programme that is {STATUSES.get(status, status)!r} cannot be sent to {name!r}.",
            fix=f"This step is possible only from: {sources}. Reload the page to see its current status.",
        )
    if transition.needs_comment and not comment.strip():
        raise WorkflowError(
            "Returning a programme needs a comment.",
            code="registry.comment_required",
            fix="Say what the submitter should change; they will see your comment.",
        )
    return transition.target
