"""The Global Plan of Action (A/RES/64/293): four pillars, provisional action points, progress summaries."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "PILLARS",
    "PROGRESS_STATUSES",
    "ActionPoint",
    "Pillar",
    "ProgressCount",
    "action_points",
    "count_progress",
    "pool_small_groups",
]

PROGRESS_STATUSES: tuple[str, ...] = ("not_started", "in_progress", "achieved", "not_applicable")


@dataclass(frozen=True, slots=True)
class Pillar:
    code: str
    title: str
    order: int


@dataclass(frozen=True, slots=True)
class ActionPoint:
    """An action point under a pillar. ``provisional`` until an administrator checks it against the Plan."""

    pillar: str
    code: str
    text: str
    order: int
    provisional: bool = True


PILLARS: tuple[Pillar, ...] = (
    Pillar("prevent", "Preventing trafficking in persons", 1),
    Pillar("protect", "Protecting and assisting victims of trafficking", 2),
    Pillar("prosecute", "Prosecuting crimes of trafficking in persons", 3),
    Pillar("partner", "Strengthening partnerships against trafficking in persons", 4),
)


def action_points() -> list[ActionPoint]:
    """The packaged provisional action points (paraphrases, not the resolution's text)."""
    ref = resources.files("vinculo.coordination").joinpath("data", "global_plan_action_points.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return [
            ActionPoint(row["pillar"], row["code"], row["text"], order)
            for order, row in enumerate(csv.DictReader(fh), start=1)
        ]


@dataclass(frozen=True, slots=True)
class ProgressCount:
    """How many answers in a group have each status."""

    group: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, status: str) -> float | None:
        """Share of answers with ``status`` among those that apply (not_applicable excluded)."""
        applicable = self.total - self.counts.get("not_applicable", 0)
        if applicable == 0:
            return None
        return self.counts.get(status, 0) / applicable


def count_progress(answers: Iterable[tuple[str, str]], groups: Sequence[str] = ()) -> list[ProgressCount]:
    """Count answers by status within each group.

    Parameters
    ----------
    answers : iterable of (group, status)
        One pair per answer, e.g. (pillar code, status) or (region, status).
    groups : sequence of str
        Groups to report in this order, even when they have no answer; others follow sorted.

    Examples
    --------
    >>> [c.counts["achieved"] for c in count_progress([("a", "achieved"), ("a", "in_progress")], ["a", "b"])]
    [1, 0]
    """
    table: dict[str, dict[str, int]] = {g: dict.fromkeys(PROGRESS_STATUSES, 0) for g in groups}
    for group, status in answers:
        if status not in PROGRESS_STATUSES:
            raise ValueError(f"Unknown progress status {status!r}; expected one of {PROGRESS_STATUSES}.")
        table.setdefault(group, dict.fromkeys(PROGRESS_STATUSES, 0))[status] += 1
    order = list(groups) + sorted(set(table) - set(groups))
    return [ProgressCount(g, table[g]) for g in order]


def pool_small_groups[K](members: Mapping[str, Iterable[K]], minimum: int, pooled: str) -> dict[str, str]:
    """Which shown group each group's answers go to, so that every shown group has ``minimum`` members.

    Appraisal answers are published only as aggregates of at least ``minimum`` organisations. A group
    (e.g. a region) with fewer members is pooled into the group named ``pooled``; if that pool is then
    still short, the smallest other groups join it until it is not (or everything is pooled). Thus no
    shown group, and no difference between the total and the shown groups, comes from fewer than
    ``minimum`` members. Groups without members are left out.

    Examples
    --------
    >>> pool_small_groups({"Africa": {1, 2, 3}, "Europe": {4, 5, 6}, "Oceania": {7}}, 3, "Other")
    {'Africa': 'Other', 'Europe': 'Europe', 'Oceania': 'Other'}
    """
    sizes = {group: len(set(ids)) for group, ids in members.items()}
    sizes = {group: n for group, n in sizes.items() if n}
    shown = {group: (group if n >= minimum else pooled) for group, n in sizes.items()}
    pool = sum(n for group, n in sizes.items() if shown[group] == pooled)
    for group in sorted((g for g in sizes if shown[g] != pooled), key=lambda g: (sizes[g], g)):
        if pool == 0 or pool >= minimum:
            break
        shown[group] = pooled
        pool += sizes[group]
    return shown
