"""Blocking rules sized to the data: count each rule's candidate pairs before scoring and split
the blocks of a rule that would make too many.

A blocking rule ``family_name & city`` is cheap on a small register but quadratic in the size of
its largest blocks: on a national register common surnames in big cities make blocks of thousands
of records and hundreds of millions of pairs, nearly all different persons. The plan here keeps
the cost of scoring linear in the number of records:

1. The pairs every equi-join rule makes are counted (one ``GROUP BY`` per rule, no pair is built).
2. A budget of candidate pairs, :data:`PAIRS_FLOOR` or :data:`PAIRS_PER_RECORD` per record if
   that is more, is shared among the rules by water-filling: rules under the equal share keep
   all their pairs, the share left over is split among the larger ones.
3. A rule over its share is tightened only where it is big: a block with more than ``S`` records
   is split by one more field (the one of :data:`REFINE_FIELDS` that splits the rule's blocks
   most, a missing value being a value of its own), a sub-block still over ``S`` by a further
   one, up to :data:`MAX_DEPTH` fields; ``S`` is the largest block size that keeps the rule
   within its share (found by bisection, the pair count being monotone in ``S``). Blocks of at
   most ``S`` records, and every pair of them, are untouched.

No rule is dropped; what was done to each rule is returned so that the result's parameters show
it. A tightened rule blocks on a derived column holding, per record, a 64-bit hash of the fields
of its (sub-)block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "PAIRS_FLOOR",
    "PAIRS_PER_RECORD",
    "REFINE_FIELDS",
    "PlannedRule",
    "budget_for",
    "plan",
]

#: Candidate pairs all rules together may make, per input record ...
PAIRS_PER_RECORD = 20.0
#: ... but never fewer than this (a small input keeps every rule as written).
PAIRS_FLOOR = 5e6
#: Fields that may split an oversized block (each a short, rarely wrong value).
REFINE_FIELDS = ("birth_year", "given_initial", "family_initial", "sex")
#: Fields added to a rule at most.
MAX_DEPTH = 3


@dataclass(frozen=True)
class PlannedRule:
    """One prediction blocking rule as planned."""

    columns: tuple[str, ...]
    sql: str | None
    pairs: int
    #: Derived column the rule blocks on when tightened, else None.
    key_column: str | None = None
    refined_by: tuple[str, ...] = ()
    max_block: int = 0
    pairs_after: int | None = None
    records_split: int = 0

    @property
    def text(self) -> str:
        return self.sql if self.sql is not None else " & ".join(self.columns)

    def note(self) -> str:
        if self.key_column is None:
            return f"{self.text}: {self.pairs:,} candidate pairs"
        return (
            f"{self.text}: {self.pairs:,} candidate pairs, over its share of the budget; blocks of more "
            f"than {self.max_block:,} records ({self.records_split:,} records) split by "
            f"{', then '.join(self.refined_by)}: {self.pairs_after or 0:,} pairs"
        )


def _pairs_sql(cols: Sequence[str], where: Sequence[str]) -> str:
    keys = ", ".join(cols)
    cond = " AND ".join(f"{c} IS NOT NULL" for c in where) or "TRUE"
    return (
        f"SELECT coalesce(sum(c * (c - 1) // 2), 0)::HUGEINT FROM "  # noqa: S608 - column names only
        f"(SELECT count(*) AS c FROM t WHERE {cond} GROUP BY {keys})"
    )


def _sql_rule_pairs(con: Any, sql: str, cols: Sequence[str]) -> int:
    """Pairs (an upper bound: both orders) of a rule ``l.a = r.b AND l.c = r.c`` (the swapped-name
    rules); such a rule is kept as written."""
    left = [part.split("=")[0].strip()[2:] for part in sql.split(" AND ")]
    right = [part.split("=")[1].strip()[2:] for part in sql.split(" AND ")]
    lk = ", ".join(left)
    rk = ", ".join(right)
    on = " AND ".join(f"a.k{i} = b.k{i}" for i in range(len(left)))
    la = ", ".join(f"{c} AS k{i}" for i, c in enumerate(left))
    ra = ", ".join(f"{c} AS k{i}" for i, c in enumerate(right))
    # Each side needs only its own columns: the middle-name rules join a record without a middle
    # name to one with it.
    nn_l = " AND ".join(f"{c} IS NOT NULL" for c in left)
    nn_r = " AND ".join(f"{c} IS NOT NULL" for c in right)
    q = (
        f"SELECT coalesce(sum(a.c * b.c), 0)::HUGEINT FROM "  # noqa: S608 - column names only
        f"(SELECT {la}, count(*) c FROM t WHERE {nn_l} GROUP BY {lk}) a JOIN "
        f"(SELECT {ra}, count(*) c FROM t WHERE {nn_r} GROUP BY {rk}) b ON {on}"
    )
    return _scalar(con, q)


def _refined_totals(con: Any, keys: Sequence[str], candidates: Sequence[str], cond: str) -> dict[str, int]:
    """The pairs of the blocks ``keys`` split by each candidate field, in one pass (GROUPING SETS;
    a missing value of the candidate is a value of its own)."""
    sets = ", ".join(f"({', '.join([*keys, f])})" for f in candidates)
    flags = ", ".join(candidates)
    rows = con.execute(
        f"SELECT g, coalesce(sum(c * (c - 1) // 2), 0)::HUGEINT FROM "  # noqa: S608 - names only
        f"(SELECT GROUPING({flags}) AS g, count(*) AS c FROM t WHERE {cond} GROUP BY GROUPING SETS ({sets})) "
        f"GROUP BY g"
    ).fetchall()
    width = len(candidates)
    by_flag = {int(g): int(total) for g, total in rows}
    # GROUPING sets bit (width - 1 - i) when candidate i is not grouped: the set of candidate i
    # has every bit but its own.
    full = (1 << width) - 1
    return {f: by_flag.get(full & ~(1 << (width - 1 - i)), 0) for i, f in enumerate(candidates)}


def _scalar(con: Any, query: str) -> int:
    row = con.execute(query).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _share(counts: Sequence[int], budget: float) -> float:
    """Water-filling: the cap c with sum(min(count, c)) = budget (inf when all fit)."""
    if sum(counts) <= budget:
        return float("inf")
    left = budget
    ordered = sorted(counts)
    for k, count in enumerate(ordered):
        remaining = len(ordered) - k
        if count * remaining >= left:
            return left / remaining
        left -= count
    return float("inf")  # pragma: no cover - unreachable: the sum exceeds the budget


def _level_sizes(groups: list[Any]) -> list[Any]:
    import numpy as np

    sizes = []
    for g in groups:
        _, inverse, counts = np.unique(g, return_inverse=True, return_counts=True)
        sizes.append(counts[inverse].astype(np.int64))
    return sizes


def _levels_at(sizes: list[Any], cap: int) -> Any:
    """Per record, the first level whose block has at most ``cap`` records (else the last)."""
    import numpy as np

    level = np.full(sizes[0].shape, len(sizes) - 1, dtype=np.int64)
    decided = np.zeros(sizes[0].shape, dtype=bool)
    for k, s in enumerate(sizes[:-1]):
        fits = ~decided & (s <= cap)
        level[fits] = k
        decided |= fits
    return level


def _total_at(sizes: list[Any], cap: int) -> int:
    import numpy as np

    level = _levels_at(sizes, cap)
    chosen = np.choose(level, sizes)
    return int((chosen - 1).sum() // 2)


def _tighten(
    con: Any, rule: PlannedRule, present: frozenset[str], share: float, name: str
) -> tuple[PlannedRule, Any]:
    import numpy as np

    cols = list(rule.columns)
    cond = " AND ".join(f"{c} IS NOT NULL" for c in cols)
    refine: list[str] = []
    candidates = [f for f in REFINE_FIELDS if f in present and f not in cols]
    while len(refine) < MAX_DEPTH and candidates:
        totals = _refined_totals(con, [*cols, *refine], candidates, cond)
        best = min(candidates, key=lambda f: (totals[f], candidates.index(f)))
        refine.append(best)
        candidates.remove(best)
        if totals[best] <= share:
            break
    hashes = ", ".join(f"hash({', '.join([*cols, *refine[:k]])}) AS g{k}" for k in range(len(refine) + 1))
    rows = con.execute(
        f"SELECT unique_id, {hashes} FROM t WHERE {cond} ORDER BY unique_id"  # noqa: S608 - names only
    ).fetchnumpy()
    groups = [np.asarray(rows[f"g{k}"]).view(np.int64) for k in range(len(refine) + 1)]
    sizes = _level_sizes(groups)
    lo, hi = 1, int(sizes[0].max())
    while lo < hi:  # the largest cap whose total fits the share
        mid = (lo + hi + 1) // 2
        if _total_at(sizes, mid) <= share:
            lo = mid
        else:
            hi = mid - 1
    level = _levels_at(sizes, lo)
    used = int(level.max())
    keys = np.choose(level, groups)
    after = _total_at(sizes, lo)
    planned = PlannedRule(
        columns=rule.columns,
        sql=None,
        pairs=rule.pairs,
        key_column=name,
        refined_by=tuple(refine[: max(used, 1)]),
        max_block=lo,
        pairs_after=after,
        records_split=int((level > 0).sum()),
    )
    return planned, (np.asarray(rows["unique_id"]), keys)


def plan(
    table: Any, rules: Sequence[tuple[tuple[str, ...], str | None]], present: frozenset[str]
) -> tuple[Any, list[PlannedRule]]:
    """The prediction rules for ``table`` (an Arrow table with ``unique_id`` = row index) and the
    table with a derived key column for each tightened rule."""
    import duckdb
    import numpy as np
    import pyarrow as pa

    n = table.num_rows
    con = duckdb.connect(config={"threads": str(max(1, min(2, _cpus())))})
    try:
        con.register("t", table.select([c for c in table.column_names if c in present or c == "unique_id"]))
        counted: list[PlannedRule] = []
        for cols, sql in rules:
            pairs = _scalar(con, _pairs_sql(cols, cols)) if sql is None else _sql_rule_pairs(con, sql, cols)
            counted.append(PlannedRule(columns=cols, sql=sql, pairs=pairs))
        budget = budget_for(n)
        share = _share([r.pairs for r in counted], budget)
        out: list[PlannedRule] = []
        for k, rule in enumerate(counted):
            if rule.sql is not None or rule.pairs <= share:
                out.append(rule)
                continue
            name = f"_block_{k}"
            planned, (ids, keys) = _tighten(con, rule, present, share, name)
            column = np.zeros(n, dtype=np.int64)
            valid = np.zeros(n, dtype=bool)
            column[ids] = keys
            valid[ids] = True
            table = table.append_column(name, pa.array(column, pa.int64(), mask=~valid))
            out.append(planned)
    finally:
        con.close()
    return table, out


def budget_for(n: int) -> float:
    """Candidate pairs all prediction rules together may make for ``n`` records."""
    return max(PAIRS_FLOOR, PAIRS_PER_RECORD * n)


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
