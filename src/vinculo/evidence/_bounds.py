"""Tighter ranges for suppressed cells: what the published totals of a table imply.

A ``"<5"`` cell stands for 0 to 4 (:mod:`vinculo.evidence._count`). When it is a part of a
breakdown whose parts add up to a published total, the other figures can narrow it: in a table
where Total = 417, Female = 212 and Male = 205, a suppressed "Other" and a suppressed "Unknown"
must both be 0. This module finds, for one country, indicator and year (a *table*), the tightest
whole-number interval of every suppressed cell (and of every record that adds up several
published cells, some suppressed) that is consistent with every identity that holds.

Which identities hold is decided from the data, not assumed: each *family* of identities
(sex parts add up to the total, age parts to the total, ...) is checked on every table of the
dataset where all its cells are exact, and is used only when it adds up in (nearly) every such
case (:func:`identity_checks`). In the UNODC export, forms of exploitation and citizenships do
not add up to the total (a victim can count under several forms; breakdowns cover part of the
victims), so they never tighten anything.

For each table the bounds come from a small integer programme (``scipy.optimize.milp``, one
minimum and one maximum per cell): the variables are the table's published records, each
between its published ``low`` and ``high``; the constraints are the identities. A table whose
figures contradict an accepted identity is reported (``TableBounds.conflicts``) and keeps the
plain ranges of the cells of that identity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vinculo.evidence._count import Count
from vinculo.evidence._dataset import GlotipDataset

__all__ = [
    "FAMILIES",
    "CellBounds",
    "CellKey",
    "Identity",
    "IdentityCheck",
    "TableBounds",
    "Tightened",
    "cell_label",
    "find_identities",
    "identity_checks",
    "section_cell",
    "table_bounds",
    "tighten_table",
    "tightened_cell",
]

#: (dimension, category, sex, age) of one record within a table (country, indicator, year).
CellKey = tuple[str, str, str, str]

TOTAL = "Total"
UNKNOWN = "Unknown"
SEXES = ("Female", "Male", "Other")
AGES = ("0 to 17 years", "18 years or over")
FORM_DIMENSION = "by form of exploitation"
LIST_DIMENSIONS = ("by citizenship", "by country of repatriation")

#: family -> what it says, in words (for documentation and the UI).
FAMILIES: dict[str, str] = {
    "sex": "the sex parts (Female, Male, Other, Unknown) add up to the total",
    "age": "the age parts (0 to 17 years, 18 years or over, Unknown) add up to the total",
    "sex_age": "the age parts of one sex add up to that sex",
    "age_sex": "the sex parts of one age group add up to that age group",
    "form": "the forms of exploitation add up to the total",
    "by citizenship": "the citizenships add up to the total",
    "by country of repatriation": "the countries of repatriation add up to the total",
}

#: A family is used when at least this share of its fully exact cases add up ...
ACCEPT_SHARE = 0.95
#: ... and it has at least this many fully exact cases to judge by.
ACCEPT_MIN_CASES = 20


@dataclass(frozen=True, slots=True)
class Identity:
    """``parent = sum(children)`` for cells of one table, from one family."""

    family: str
    parent: CellKey
    children: tuple[CellKey, ...]

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return (self.parent, *self.children)

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "parent": list(self.parent),
            "children": [list(c) for c in self.children],
        }


@dataclass(frozen=True, slots=True)
class IdentityCheck:
    """How a family of identities fares on the tables where all its cells are exact."""

    family: str
    exact_cases: int
    adding_up: int
    accepted: bool

    @property
    def share(self) -> float:
        return self.adding_up / self.exact_cases if self.exact_cases else 0.0


@dataclass(frozen=True, slots=True)
class CellBounds:
    """The tightened range of one cell and the identity that gives it.

    ``low``/``high`` are whole numbers within the published range. ``identity`` is the one
    identity that alone (with the other cells at their tightened ranges) gives this range, or
    None when only several identities together do (``joint`` lists them).
    """

    key: CellKey
    published: Count
    low: int
    high: int
    identity: Identity | None
    joint: tuple[Identity, ...] = ()

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    @property
    def identities(self) -> tuple[Identity, ...]:
        return (self.identity,) if self.identity is not None else self.joint

    def to_dict(self) -> dict[str, Any]:
        return {
            "cell": list(self.key),
            "published": self.published.to_json(),
            "low": self.low,
            "high": self.high,
            "derived_from": [i.to_dict() for i in self.identities],
        }


@dataclass(frozen=True, slots=True)
class TableBounds:
    """Every tightened cell of one table, and the identities the table's figures contradict.

    ``conflicts`` are identities that the published figures break on their own (the total is
    outside the range of its parts); they are not used. ``infeasible`` are identities that
    together admit no whole-number solution. Cells of either keep their published ranges.
    """

    cells: Mapping[CellKey, Count]
    identities: tuple[Identity, ...]
    tightened: Mapping[CellKey, CellBounds]
    conflicts: tuple[Identity, ...] = ()
    #: Identities that each admit a solution but together do not: their cells are not tightened.
    infeasible: tuple[Identity, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def get(self, key: CellKey) -> CellBounds | None:
        return self.tightened.get(key)

    def equations(self, key: CellKey) -> list[list[tuple[CellKey, Count]]]:
        """The identities that give the range of ``key``, each as [(parent, count), (child, count) ...]."""
        b = self.tightened.get(key)
        if b is None:
            return []
        return [[(k, self.cells[k]) for k in i.cells] for i in b.identities]

    def explain(self, key: CellKey) -> str:
        """In words: ``"Male 7 = Male, 0 to 17 years <5 + Male, 18 years or over 5"``."""
        out = []
        for eq in self.equations(key):
            (pk, pc), *rest = eq
            out.append(
                f"{cell_label(pk)} {pc.render()} = "
                + " + ".join(f"{cell_label(k)} {c.render()}" for k, c in rest)
            )
        return "; ".join(out)

    def derivation(self, key: CellKey) -> list[dict[str, Any]]:
        """JSON-safe: per identity, its family and every cell with its label and published value."""
        b = self.tightened.get(key)
        if b is None:
            return []
        return [
            {
                "family": i.family,
                "total": {"cell": cell_label(i.parent), "count": self.cells[i.parent].to_json()},
                "parts": [{"cell": cell_label(k), "count": self.cells[k].to_json()} for k in i.children],
            }
            for i in b.identities
        ]


@dataclass(frozen=True, slots=True)
class Tightened:
    """A published count with the narrower range its table implies, ready for a page or a download.

    ``equations`` hold, per identity that gives the range, the total then its parts, each as
    (label, published count); ``families`` name the identities' families.
    """

    count: Count
    low: int
    high: int
    equations: tuple[tuple[tuple[str, Count], ...], ...]
    families: tuple[str, ...]

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    def render(self) -> str:
        """``"<5 (exactly 0)"``, ``"<5 (3–4)"``, ``"≥ 54 (exactly 54)"``."""
        inner = f"exactly {self.low:,}" if self.is_exact else f"{self.low:,}–{self.high:,}"
        return f"{self.count.render()} ({inner})"

    def explain(self) -> str:
        """``"Male 7 = Male, 0 to 17 years <5 + Male, 18 years or over <5"``."""
        return "; ".join(
            f"{eq[0][0]} {eq[0][1].render()} = " + " + ".join(f"{lab} {c.render()}" for lab, c in eq[1:])
            for eq in self.equations
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "published": self.count.to_json(),
            "low": self.low,
            "high": self.high,
            "derived_from": [
                {
                    "family": fam,
                    "total": {"cell": eq[0][0], "count": eq[0][1].to_json()},
                    "parts": [{"cell": lab, "count": c.to_json()} for lab, c in eq[1:]],
                }
                for fam, eq in zip(self.families, self.equations, strict=True)
            ],
            "explanation": self.explain(),
        }


def tightened_cell(bounds: TableBounds, key: CellKey) -> Tightened | None:
    """The :class:`Tightened` value of one cell of a table, or None when it is not narrowed."""
    b = bounds.get(key)
    if b is None:
        return None
    equations = tuple(tuple((cell_label(k), c) for k, c in eq) for eq in bounds.equations(key))
    return Tightened(b.published, b.low, b.high, equations, tuple(i.family for i in b.identities))


def cell_label(key: CellKey) -> str:
    """The label of a cell as the profile tables write it: ``"Male, 0 to 17 years"``, ``"Total"``."""
    parts = [x for x in key[1:] if x != TOTAL]
    return ", ".join(parts) or TOTAL


def section_cell(by: str, dimension: str, part: str) -> CellKey | None:
    """The cell of one country's table that a profile section part shows (None for origins)."""
    if by == "total":
        return (dimension, TOTAL, TOTAL, TOTAL)
    if by == "sex":
        return (dimension, TOTAL, part, TOTAL)
    if by == "age":
        return (dimension, TOTAL, TOTAL, part)
    if by == "sex_age":
        sex, _, age = part.partition(", ")
        return (dimension, TOTAL, sex, age) if age else None
    if by == "category":
        return (dimension, part, TOTAL, TOTAL)
    return None


# -- identities ----------------------------------------------------------------------------------
def _unknown_sex(cells: Mapping[CellKey, Count], d: str, c: str) -> CellKey | None:
    for key in ((d, c, UNKNOWN, TOTAL), (d, c, UNKNOWN, UNKNOWN)):
        if key in cells:
            return key
    return None


def find_identities(cells: Mapping[CellKey, Count], families: Iterable[str] | None = None) -> list[Identity]:
    """Every identity of ``families`` (all when None) whose cells are all published in the table.

    An identity needs its total and every one of its parts: a part that is not published is
    not reported, not zero, so a breakdown with a missing part says nothing about the others.
    """
    wanted = set(FAMILIES if families is None else families)
    out: list[Identity] = []
    grids = sorted({(k[0], k[1]) for k in cells if k[0] not in LIST_DIMENSIONS})

    def add(family: str, parent: CellKey, children: Sequence[CellKey | None]) -> None:
        if family not in wanted or parent not in cells:
            return
        if any(ch is None or ch not in cells for ch in children):
            return
        out.append(Identity(family, parent, tuple(ch for ch in children if ch is not None)))

    for d, c in grids:
        unknown = _unknown_sex(cells, d, c)
        add("sex", (d, c, TOTAL, TOTAL), [*((d, c, s, TOTAL) for s in SEXES), unknown])
        unknown_age = (d, c, TOTAL, UNKNOWN) if (d, c, TOTAL, UNKNOWN) in cells else unknown
        add("age", (d, c, TOTAL, TOTAL), [*((d, c, TOTAL, a) for a in AGES), unknown_age])
        for s in SEXES:
            ages = [(d, c, s, a) for a in AGES]
            if (d, c, s, UNKNOWN) in cells:
                ages.append((d, c, s, UNKNOWN))
            add("sex_age", (d, c, s, TOTAL), ages)
        for a in AGES:
            sexes = [(d, c, s, a) for s in SEXES]
            if (d, c, UNKNOWN, a) in cells:
                sexes.append((d, c, UNKNOWN, a))
            add("age_sex", (d, c, TOTAL, a), sexes)
    forms = sorted({k[1] for k in cells if k[0] == FORM_DIMENSION and k[1] != TOTAL})
    if forms:
        for s, a in sorted({(k[2], k[3]) for k in cells if k[0] == FORM_DIMENSION}):
            add("form", (TOTAL, TOTAL, s, a), [(FORM_DIMENSION, f, s, a) for f in forms])
    for d in LIST_DIMENSIONS:
        parts = sorted(k for k in cells if k[0] == d and k[2] == TOTAL and k[3] == TOTAL and k[1] != TOTAL)
        if parts:
            add(d, (TOTAL, TOTAL, TOTAL, TOTAL), parts)
    return out


def _tables(dataset: GlotipDataset) -> dict[tuple[str, str, int], dict[CellKey, Count]]:
    found = dataset.cache.get(("bounds", "tables"))
    if found is not None:
        return found  # type: ignore[no-any-return]
    tables: dict[tuple[str, str, int], dict[CellKey, Count]] = {}
    for r in dataset.records:
        tables.setdefault((r.iso3, r.indicator, r.year), {})[(r.dimension, r.category, r.sex, r.age)] = (
            r.count
        )
    dataset.cache[("bounds", "tables")] = tables
    return tables


def identity_checks(dataset: GlotipDataset) -> dict[str, IdentityCheck]:
    """Per family: how many identities are fully exact in the dataset and how many add up.

    A family is ``accepted`` when it has at least ``ACCEPT_MIN_CASES`` fully exact cases and at
    least ``ACCEPT_SHARE`` of them add up exactly. Computed once per dataset.
    """
    found = dataset.cache.get(("bounds", "checks"))
    if found is not None:
        return found  # type: ignore[no-any-return]
    exact = dict.fromkeys(FAMILIES, 0)
    good = dict.fromkeys(FAMILIES, 0)
    for cells in _tables(dataset).values():
        for ident in find_identities(cells):
            counts = [cells[k] for k in ident.cells]
            if all(c.is_exact for c in counts):
                exact[ident.family] += 1
                good[ident.family] += counts[0].low == sum(c.low for c in counts[1:])
    checks = {
        f: IdentityCheck(
            f,
            exact[f],
            good[f],
            exact[f] >= ACCEPT_MIN_CASES and good[f] >= ACCEPT_SHARE * exact[f],
        )
        for f in FAMILIES
    }
    dataset.cache[("bounds", "checks")] = checks
    return checks


# -- the integer programme -------------------------------------------------------------------------
def _feasible_alone(ident: Identity, cells: Mapping[CellKey, Count]) -> bool:
    p = cells[ident.parent]
    lo = sum(cells[k].low for k in ident.children)
    hi = sum(cells[k].high for k in ident.children)
    return max(p.low, lo) <= min(p.high, hi)


def _solve(
    cells: Mapping[CellKey, Count],
    identities: Sequence[Identity],
    targets: Sequence[CellKey],
) -> dict[CellKey, tuple[int, int]] | None:
    """Min and max of every target over the whole-number solutions; None when there is none.

    Solved with ``scipy.optimize.milp`` (integrality on every cell): the linear relaxation can
    be looser than the whole-number range when several identities share cells.
    """
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    keys = sorted({k for i in identities for k in i.cells})
    pos = {k: i for i, k in enumerate(keys)}
    a = np.zeros((len(identities), len(keys)))
    for row, ident in enumerate(identities):
        a[row, pos[ident.parent]] += 1.0
        for ch in ident.children:
            a[row, pos[ch]] -= 1.0
    lows = np.array([cells[k].low for k in keys], dtype=float)
    highs = np.array([cells[k].high for k in keys], dtype=float)
    constraints = [LinearConstraint(a, 0.0, 0.0)] if identities else []
    bounds = Bounds(lows, highs)
    integrality = np.ones(len(keys))
    out: dict[CellKey, tuple[int, int]] = {}
    for k in targets:
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(keys))
            c[pos[k]] = sign
            res = milp(c, constraints=constraints, bounds=bounds, integrality=integrality)
            if res.status != 0 or res.x is None:
                return None
            ends.append(round(float(res.x[pos[k]])))
        out[k] = (ends[0], ends[1])
    return out


def _alone(ident: Identity, key: CellKey, ranges: Mapping[CellKey, tuple[int, int]]) -> tuple[int, int]:
    """The range of ``key`` that ``ident`` gives from the ranges of its other cells."""
    if key == ident.parent:
        return (sum(ranges[k][0] for k in ident.children), sum(ranges[k][1] for k in ident.children))
    others = [k for k in ident.children if k != key]
    p = ranges[ident.parent]
    return (p[0] - sum(ranges[k][1] for k in others), p[1] - sum(ranges[k][0] for k in others))


def tighten_table(cells: Mapping[CellKey, Count], identities: Sequence[Identity]) -> TableBounds:
    """Tighten the non-exact cells of one table under ``identities`` (parent = sum of children).

    Identities that the figures contradict by themselves are left out and listed in
    ``conflicts``; if the rest still admit no whole-number solution, nothing is tightened
    (``infeasible``). Only cells whose range gets narrower than published are returned.
    """
    usable = [i for i in identities if all(k in cells for k in i.cells)]
    conflicts = tuple(i for i in usable if not _feasible_alone(i, cells))
    usable = [i for i in usable if i not in conflicts]
    keys = sorted({k for i in usable for k in i.cells})
    targets = [k for k in keys if not cells[k].is_exact]
    notes: list[str] = []
    if conflicts:
        notes.append(f"{len(conflicts)} published totals do not match their parts in this table.")
    ranges: dict[CellKey, tuple[int, int]] = {k: (cells[k].low, cells[k].high) for k in keys}
    contradicting: list[Identity] = []
    for group in _components(usable):
        wanted = [k for k in sorted({c for i in group for c in i.cells}) if not cells[k].is_exact]
        if not wanted:
            continue
        solved = _solve_one(group[0], cells) if len(group) == 1 else _solve(cells, group, wanted)
        if solved is None:
            contradicting.extend(group)
            continue
        ranges.update(solved)
    if contradicting:
        notes.append(
            f"{len(contradicting)} published totals and their parts contradict each other when taken "
            "together; the cells concerned keep their published ranges."
        )
    tightened: dict[CellKey, CellBounds] = {}
    for k in targets:
        lo, hi = ranges[k]
        if (lo, hi) == (cells[k].low, cells[k].high):
            continue
        mine = [i for i in usable if k in i.cells and i not in contradicting]
        alone = [i for i in mine if _clip(_alone(i, k, ranges), cells[k]) == (lo, hi)]
        if alone:
            tightened[k] = CellBounds(k, cells[k], lo, hi, alone[0])
        else:
            tightened[k] = CellBounds(k, cells[k], lo, hi, None, tuple(_component(k, usable)))
    return TableBounds(cells, tuple(usable), tightened, conflicts, tuple(contradicting), tuple(notes))


def _clip(span: tuple[int, int], published: Count) -> tuple[int, int]:
    return (max(span[0], published.low), min(span[1], published.high))


def _components(identities: Sequence[Identity]) -> list[list[Identity]]:
    """The identities grouped into sets that share cells (each set is solved on its own)."""
    groups: list[list[Identity]] = []
    for i in identities:
        linked = [g for g in groups if any(set(i.cells) & set(j.cells) for j in g)]
        merged = [i]
        for g in linked:
            merged = g + merged
            groups.remove(g)
        groups.append(merged)
    return groups


def _solve_one(ident: Identity, cells: Mapping[CellKey, Count]) -> dict[CellKey, tuple[int, int]] | None:
    """Exact integer ranges under one identity ``p = c1 + ... + cn`` with whole-number boxes.

    For one equation with unit coefficients, every whole number between these ends is reached
    (move one unit at a time between two solutions), so no integer programme is needed.
    """
    keys = ident.cells
    lows = {k: cells[k].low for k in keys}
    highs = {k: cells[k].high for k in keys}
    out: dict[CellKey, tuple[int, int]] = {}
    for k in keys:
        lo, hi = _alone(ident, k, {c: (lows[c], highs[c]) for c in keys})
        lo, hi = max(lo, lows[k]), min(hi, highs[k])
        if lo > hi:
            return None
        out[k] = (lo, hi)
    return out


def _component(key: CellKey, identities: Sequence[Identity]) -> list[Identity]:
    """The identities linked to ``key`` through shared cells."""
    seen: list[Identity] = []
    frontier = {key}
    done: set[CellKey] = set()
    while frontier:
        k = frontier.pop()
        done.add(k)
        for i in identities:
            if k in i.cells and i not in seen:
                seen.append(i)
                frontier.update(c for c in i.cells if c not in done)
    return seen


def table_bounds(dataset: GlotipDataset, iso3: str, indicator: str, year: int) -> TableBounds:
    """The tightened cells of one country, indicator and year, under the accepted families."""
    cache_key = ("bounds", iso3, indicator, str(year))
    found = dataset.cache.get(cache_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    cells = _tables(dataset).get((iso3, indicator, year), {})
    accepted = [f for f, c in identity_checks(dataset).items() if c.accepted]
    result = tighten_table(cells, find_identities(cells, accepted))
    dataset.cache[cache_key] = result
    return result
