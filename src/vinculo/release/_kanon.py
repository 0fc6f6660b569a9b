"""k-anonymity (and distinct ℓ-diversity) by full-domain generalisation and row suppression.

:func:`anonymise` takes a :class:`~vinculo.release.ReleaseTable` and :class:`KAnonSettings` and
returns a :class:`KAnonResult`: the released table and a :class:`KAnonReport`.

The search
    Each quasi-identifier (QI) has a hierarchy (:mod:`vinculo.release._hierarchies`); a *node*
    of the lattice picks one level per QI. A node is acceptable when the rows in equivalence
    classes smaller than ``k`` (or, with a sensitive column, with fewer than ``ℓ`` distinct
    sensitive values) are at most ``max_suppression`` of the rows; those rows are removed from
    the release. Among acceptable nodes the one with the least information loss is chosen
    (ties: the first in the lattice's order, i.e. the lowest levels for the first QIs).

    The search is exact. It works on counts of distinct (QI values, sensitive value)
    combinations, never on rows. Two facts prune it: a node's loss is at least its
    generalisation loss without suppression (a per-QI sum known before any counting), so nodes
    are visited in order of that bound and the search stops when the bound reaches the best
    loss found; and a node can only be acceptable when each of its two-QI projections (the
    other QIs at ``*``) is, because generalising never makes classes smaller or less diverse,
    so every pair's lattice is checked first and nodes failing one are never counted. The
    counting and the search live in :mod:`vinculo.release._lattice`.

The loss measure
    Normalised certainty penalty with the observed values as leaves: a label covering ``c``
    of a column's ``m`` distinct cells costs ``(c - 1) / (m - 1)`` per row (0 for the cell
    itself, 1 for ``*``); a removed row costs 1 on every QI. A column's loss is the mean over
    all input rows, the overall loss the mean over the QIs (0 = nothing lost, 1 = everything).
"""

from __future__ import annotations

import difflib
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vinculo.errors import Issue, Location, VinculoError
from vinculo.release._hierarchies import KINDS, Hierarchy, build_hierarchy, name_words
from vinculo.release._lattice import Data, column_loss, count_classes, diversity, prepare, search
from vinculo.release._table import ReleaseTable, split_cell

__all__ = ["KAnonReport", "KAnonResult", "KAnonSettings", "anonymise", "protected_columns"]


#: Words of a column name that mark a direct identifier when the column is no HTCDS field.
IDENTIFIER_WORDS = frozenset(
    {
        "name", "names", "firstname", "lastname", "surname", "forename", "fullname", "phone",
        "telephone", "mobile", "email", "mail", "address", "street", "postcode", "postal", "zip",
        "passport", "ssn", "latitude", "longitude", "dob", "birthdate", "caseworker",
    }
)  # fmt: skip
#: The levels a date of birth may be released at (never finer than its year).
BIRTH_DATE_LEVELS = frozenset({"year", "5-year period", "*"})
#: The largest lattice searched (nodes: the product of each QI's number of levels).
MAX_LATTICE = 2_000_000
#: Words that make a "name" column a name of something other than a person.
NOT_PERSON_WORDS = frozenset(
    {"country", "region", "org", "organisation", "organization", "programme", "file"}
)


@dataclass(frozen=True)
class KAnonSettings:
    """What to protect and how much may be lost.

    Attributes
    ----------
    quasi_identifiers : tuple of str
        The QI columns, as named in the file's header.
    k : int
        Every released equivalence class has at least ``k`` rows (default 11).
    sensitive : str or None
        A column whose values every class must vary in (distinct ℓ-diversity).
    l_diversity : int or None
        ℓ; default 2 when ``sensitive`` is given. Empty sensitive cells do not count as a value.
    max_suppression : float
        Largest share of rows that may be removed (default 0.02).
    hierarchies : mapping of str to (str or list of mapping)
        Column -> hierarchy kind (one of :data:`vinculo.release.KINDS`), instead of detecting it,
        or a custom hierarchy: a list of levels, each a mapping from the labels of the level
        below to coarser labels (``[{"Woman": "F"}, {"F": "Person", "M": "Person"}]``).
    """

    quasi_identifiers: tuple[str, ...]
    k: int = 11
    sensitive: str | None = None
    l_diversity: int | None = None
    max_suppression: float = 0.02
    hierarchies: Mapping[str, str | Sequence[Mapping[str, str]]] = field(default_factory=dict)

    @property
    def ell(self) -> int:
        if self.sensitive is None:
            return 1
        return 2 if self.l_diversity is None else self.l_diversity


@dataclass(frozen=True)
class KAnonReport:
    """What the release did; holds no record."""

    k: int
    ell: int
    sensitive: str | None
    quasi_identifiers: tuple[dict[str, Any], ...]
    rows_in: int
    rows_released: int
    rows_suppressed: int
    max_suppressed: int
    classes: int
    smallest_class: int
    largest_class: int
    median_class: float
    lowest_diversity: int | None
    information_loss: float
    dropped_columns: tuple[dict[str, str], ...]
    nodes_in_lattice: int
    nodes_counted: int
    seconds: float
    input_checksum: str
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "l": self.ell if self.sensitive else None,
            "sensitive": self.sensitive,
            "quasi_identifiers": [dict(q) for q in self.quasi_identifiers],
            "rows_in": self.rows_in,
            "rows_released": self.rows_released,
            "rows_suppressed": self.rows_suppressed,
            "max_suppressed": self.max_suppressed,
            "equivalence_classes": {
                "count": self.classes,
                "smallest": self.smallest_class,
                "median": self.median_class,
                "largest": self.largest_class,
            },
            "lowest_diversity": self.lowest_diversity,
            "information_loss": self.information_loss,
            "dropped_columns": [dict(d) for d in self.dropped_columns],
            "lattice": {"nodes": self.nodes_in_lattice, "counted": self.nodes_counted},
            "seconds": self.seconds,
            "input_checksum": self.input_checksum,
            "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        lines = [
            f"k-anonymity k={self.k}"
            + (f", distinct {self.ell}-diversity on {self.sensitive}" if self.sensitive else ""),
            f"rows: {self.rows_in:,} in, {self.rows_released:,} released, {self.rows_suppressed:,} "
            f"suppressed (at most {self.max_suppressed:,} allowed)",
            f"equivalence classes: {self.classes:,}; sizes {self.smallest_class:,} to "
            f"{self.largest_class:,} (median {self.median_class:g})"
            + (f"; at least {self.lowest_diversity} distinct {self.sensitive}" if self.sensitive else ""),
            f"information loss: {self.information_loss:.3f} (0 = none, 1 = all)",
        ]
        width = max(len(q["column"]) for q in self.quasi_identifiers)
        for q in self.quasi_identifiers:
            lines.append(
                f"  {q['column']:<{width}}  {q['kind']:<11}  level {q['level']}/{q['top']} "
                f"{q['level_name']:<22}  loss {q['loss']:.3f}  ({q['values_in']:,} -> {q['values_out']:,} values)"
            )
        for d in self.dropped_columns:
            lines.append(f'Note: column "{d["column"]}" dropped: {d["reason"]}.')
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)


@dataclass(frozen=True)
class KAnonResult:
    """The released table (same columns and order, protected columns dropped) and its report."""

    table: ReleaseTable
    report: KAnonReport


# --- protected identifiers ----------------------------------------------------------------


def protected_columns(columns: Sequence[str]) -> dict[str, str]:
    """Columns that hold protected identifiers -> why: an HTCDS protected field (matched by name,
    alias or label as :func:`vinculo.htcds.plan_columns` does), or a name whose words mark a
    person's name, contact, address, document number, coordinates or date of birth."""
    from vinculo.htcds import field_catalogue, plan_columns

    cat = field_catalogue()
    plans, _ = plan_columns(list(columns), None, file="", sheet=None, header_row=1)
    out: dict[str, str] = {}
    for plan in plans:
        column = columns[plan.index]
        if plan.field and cat[plan.field].protected:
            out[column] = f"HTCDS {plan.field} is a protected identifier"
            continue
        words = set(name_words(column))
        joined = "".join(name_words(column))
        hit = words & IDENTIFIER_WORDS
        if "name" in hit and words & NOT_PERSON_WORDS:
            hit = hit - {"name", "names"}
        if {"birth", "date"} <= words or {"id", "number"} <= words or {"identity", "number"} <= words:
            hit = hit | {"identifier"}
        if hit or joined in {"dateofbirth", "idnumber", "nationalid", "phonenumber"}:
            out[column] = "its name marks a direct identifier (" + ", ".join(sorted(hit) or [joined]) + ")"
    return out


def _is_birth_date(column: str, reason: str) -> bool:
    words = set(name_words(column))
    return "Birthdate" in reason or {"birth", "date"} <= words or bool(words & {"dob", "birthdate"})


# --- checks -------------------------------------------------------------------------------


def _suggest(name: str, columns: Sequence[str]) -> str:
    lower = {c.casefold(): c for c in columns}
    if name.casefold() in lower:
        return f' Did you mean "{lower[name.casefold()]}"?'
    close = difflib.get_close_matches(name, list(columns), n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


def _check(table: ReleaseTable, settings: KAnonSettings, protected: Mapping[str, str]) -> None:
    issues: list[Issue] = []
    where = Location(file=table.name)

    def add(code: str, message: str, fix: str, column: str | None = None) -> None:
        issues.append(Issue(code, message, Location(file=table.name, column=column), fix=fix))

    if settings.k < 2:
        add(
            "release.bad_k",
            f"k must be at least 2; got {settings.k}.",
            "Use --k 2 or more (11 is the default).",
        )
    if not 0 <= settings.max_suppression < 1:
        add(
            "release.bad_suppression",
            f"the suppression budget must be from 0 up to (not including) 1; got {settings.max_suppression:g}.",
            "Use a share such as 0.02 (2 % of rows).",
        )
    if settings.sensitive is None and settings.l_diversity is not None:
        add("release.bad_l", "ℓ is given without a sensitive column.", "Name the column with --sensitive.")
    if settings.sensitive is not None and settings.ell < 1:
        add("release.bad_l", f"ℓ must be at least 1; got {settings.ell}.", "Use --l 2 or more.")
    if not settings.quasi_identifiers:
        add(
            "release.no_quasi_identifiers",
            "no quasi-identifier was given.",
            "Name them with --quasi COL1,COL2.",
        )
    wanted = [*settings.quasi_identifiers, *([settings.sensitive] if settings.sensitive else [])]
    for name in dict.fromkeys(wanted):
        if name not in table.columns:
            add(
                "release.unknown_column",
                f'there is no column "{name}".{_suggest(name, table.columns)}',
                "Columns: " + ", ".join(table.columns) + ".",
            )
    dup = sorted({q for q in settings.quasi_identifiers if settings.quasi_identifiers.count(q) > 1})
    if dup:
        add(
            "release.bad_quasi_identifiers",
            f"{', '.join(dup)} named twice in the quasi-identifiers.",
            "Name each once.",
        )
    if settings.sensitive and settings.sensitive in settings.quasi_identifiers:
        add(
            "release.bad_quasi_identifiers",
            f'"{settings.sensitive}" is both a quasi-identifier and the sensitive column.',
            "A column is one or the other.",
            settings.sensitive,
        )
    for name in dict.fromkeys(wanted):
        if name in protected and not (
            name in settings.quasi_identifiers and _is_birth_date(name, protected[name])
        ):
            add(
                "release.protected_column",
                f'"{name}" holds protected identifiers ({protected[name]}); it is never released.',
                "Leave it out of --quasi and --sensitive (it is dropped from the output); derive a coarser "
                "column (an age from a date of birth, a country from an address) if you need one.",
                name,
            )
    for column, kind in settings.hierarchies.items():
        if not isinstance(kind, str):
            if not isinstance(kind, list | tuple) or not all(
                isinstance(t, Mapping) and all(isinstance(v, str) for v in t.values()) for t in kind
            ):
                add(
                    "release.bad_hierarchy",
                    f'the hierarchy of "{column}" is not a list of mappings from labels to coarser labels.',
                    'Write it as [{"value": "label", ...}, {"label": "coarser label", ...}].',
                    column,
                )
        elif kind not in KINDS:
            add(
                "release.bad_hierarchy",
                f'"{kind}" is not a hierarchy kind (for column "{column}").',
                "Use one of " + ", ".join(KINDS) + ".",
                column,
            )
        if column not in settings.quasi_identifiers:
            add(
                "release.bad_hierarchy",
                f'a hierarchy is given for "{column}", which is not a quasi-identifier.',
                "Add it to --quasi or drop the hierarchy.",
                column,
            )
    if len(table) < settings.k and settings.k >= 2:
        add(
            "release.k_too_large",
            f"k={settings.k} is larger than the file's {len(table):,} row(s); no class can reach it.",
            f"Use a k of at most {len(table):,}, or release more rows.",
        )
    if issues:
        raise VinculoError(
            issues[0].message if len(issues) == 1 else f"{len(issues)} problems with the release settings.",
            code=issues[0].code,
            issues=issues,
            fields={"file": where.file},
        )


# --- the entry point ----------------------------------------------------------------------


def anonymise(table: ReleaseTable, settings: KAnonSettings) -> KAnonResult:
    """Release ``table`` k-anonymous (and ℓ-diverse) with the least information loss.

    Parameters
    ----------
    table : ReleaseTable
        The input, as :func:`vinculo.release.read_release_table` reads it.
    settings : KAnonSettings
        Quasi-identifiers, k, the sensitive column and ℓ, the suppression budget.

    Returns
    -------
    KAnonResult
        The released table: the input's columns in order, less protected identifiers; QI cells
        replaced by their labels at the chosen levels; rows of failing classes removed.

    Raises
    ------
    VinculoError
        ``release.unknown_column``, ``release.protected_column``, ``release.bad_k``,
        ``release.k_too_large``, ``release.unique_quasi_identifier``, ``release.l_impossible``,
        ``release.no_solution`` and the other codes in the module's docs.

    Examples
    --------
    >>> from vinculo.release import ReleaseTable, KAnonSettings, anonymise
    >>> rows = tuple((str(20 + i % 30), "F" if i % 2 else "M") for i in range(200))
    >>> result = anonymise(ReleaseTable("t", ("age", "gender"), rows), KAnonSettings(("age", "gender"), k=5))
    >>> result.report.smallest_class >= 5
    True
    """
    started = time.perf_counter()
    protected = protected_columns(table.columns)
    _check(table, settings, protected)
    n = len(table)
    hierarchies: list[Hierarchy] = []
    issues: list[Issue] = []
    for q in settings.quasi_identifiers:
        cells = table.column(q)
        min_level = 0
        if q in protected:
            min_level = -1
        spec = settings.hierarchies.get(q)
        if isinstance(spec, str) or spec is None:
            h = build_hierarchy(q, cells, spec)
        else:
            h = build_hierarchy(q, cells, custom=spec)
        if min_level < 0:  # a date of birth: never below its year
            if h.kind != "date":
                issues.append(
                    Issue(
                        "release.protected_column",
                        f'"{q}" holds protected identifiers ({protected[q]}) and its values are not dates, '
                        "so it cannot be generalised to a year.",
                        Location(file=table.name, column=q),
                        fix="Leave it out of --quasi; it is dropped from the output.",
                    )
                )
                continue
            lowest = next(i for i, name in enumerate(h.level_names) if name in BIRTH_DATE_LEVELS)
            h = Hierarchy(h.column, h.kind, h.level_names, h.labels, lowest)
        distinct = len(set(cells))
        if distinct == n and n > 1 and h.kind == "categorical":
            issues.append(
                Issue(
                    "release.unique_quasi_identifier",
                    f'"{q}" has a different value on every row ({n:,} rows), like an identifier; its '
                    'values have no hierarchy, so it cannot be generalised short of "*" (all values removed).',
                    Location(file=table.name, column=q),
                    fix=f"Drop {q} from --quasi (and from the file if it identifies people), or give it a "
                    "hierarchy with --hierarchy if its values are numbers, dates or countries.",
                )
            )
        hierarchies.append(h)
    ell = settings.ell
    if settings.sensitive is not None and ell > 1:
        values = {
            v
            for c in table.column(settings.sensitive)
            if split_cell(c)
            for v in [";".join(sorted(set(split_cell(c))))]
        }
        if len(values) < ell:
            issues.append(
                Issue(
                    "release.l_impossible",
                    f'"{settings.sensitive}" has {len(values)} distinct non-empty value(s), fewer than ℓ={ell}.',
                    Location(file=table.name, column=settings.sensitive),
                    fix="Lower --l, or choose another sensitive column.",
                )
            )
    if issues:
        raise VinculoError(
            issues[0].message if len(issues) == 1 else f"{len(issues)} problems with the quasi-identifiers.",
            code=issues[0].code,
            issues=issues,
            fields={"file": table.name},
        )
    size = math.prod(h.top - h.min_level + 1 for h in hierarchies)
    if size > MAX_LATTICE:
        raise VinculoError(
            f"{len(hierarchies)} quasi-identifiers with "
            + " x ".join(str(h.top - h.min_level + 1) for h in hierarchies)
            + f" levels make {size:,} combinations of levels to search; the limit is {MAX_LATTICE:,}.",
            code="release.lattice_too_large",
            fields={"file": table.name, "nodes": size},
            fix="Name fewer quasi-identifiers (those an outsider could know), or force coarser hierarchies "
            "(--hierarchy COL=categorical).",
        )
    budget = math.floor(settings.max_suppression * n + 1e-9)
    data, _cells = prepare(table, settings, hierarchies)
    node, total, counted = search(data, hierarchies, n, settings.k, ell, budget)
    if node is None:
        raise VinculoError(
            f"{table.name}: no generalisation of {', '.join(settings.quasi_identifiers)} makes every class "
            f"reach k={settings.k}"
            + (f" with {ell} distinct {settings.sensitive}" if ell > 1 else "")
            + f' while removing at most {budget:,} of {n:,} rows, even with every quasi-identifier at "*".',
            code="release.no_solution",
            fields={"file": table.name},
            fix="Lower k or ℓ, raise the suppression budget (--max-suppression), or release more rows.",
        )
    return _release(table, settings, protected, hierarchies, data, node, total, counted, budget, started)


def _release(
    table: ReleaseTable,
    settings: KAnonSettings,
    protected: Mapping[str, str],
    hierarchies: Sequence[Hierarchy],
    data: Data,
    node: tuple[int, ...],
    total: int,
    counted: int,
    budget: int,
    started: float,
) -> KAnonResult:
    n = len(table)
    ell = settings.ell
    qis = tuple(range(len(node)))
    cls, bad, sizes = count_classes(data, node, qis, settings.k, ell)
    keep = ~bad[cls]
    losses = column_loss(data, node, keep, n)
    assert data.row_combo is not None
    keep_rows = keep[data.row_combo]
    qi_pos = {table.columns.index(q): j for j, q in enumerate(settings.quasi_identifiers)}
    dropped = [c for c in table.columns if c in protected and c not in settings.quasi_identifiers]
    out_index = [i for i, c in enumerate(table.columns) if c not in dropped]
    rows: list[tuple[str, ...]] = []
    for r, row in enumerate(table.rows):
        if not keep_rows[r]:
            continue
        rows.append(
            tuple(
                hierarchies[qi_pos[i]].generalise(row[i], node[qi_pos[i]]) if i in qi_pos else row[i]
                for i in out_index
            )
        )
    released = ReleaseTable(
        name=table.name, columns=tuple(table.columns[i] for i in out_index), rows=tuple(rows), checksum=""
    )
    kept_sizes = sizes[~bad]
    lowest: int | None = None
    if settings.sensitive is not None:
        present = keep & (data.sens >= 0)
        per_class = diversity(cls[present], data.sens[present], len(sizes), max(int(data.sens.max()), 0) + 1)[
            ~bad
        ]
        lowest = int(per_class.min()) if len(per_class) else 0
    warnings: list[str] = []
    rows_suppressed = n - len(rows)
    if rows_suppressed:
        warnings.append(
            f"{rows_suppressed:,} row(s) in classes smaller than k"
            + (f" or with fewer than {ell} distinct {settings.sensitive}" if ell > 1 else "")
            + " were removed; counts from the released file undercount by that many."
        )
    for i in out_index:
        column = table.columns[i]
        if column in settings.quasi_identifiers or column == settings.sensitive or n < 2:
            continue
        if len({row[i] for row in table.rows}) == n:
            warnings.append(
                f'column "{column}" has a different value on every row, like a record id; it is released '
                "as it is and links each released row to the source. Delete the column unless that is intended."
            )
    qi_report = []
    for j, h in enumerate(hierarchies):
        level = node[j]
        at = out_index.index(table.columns.index(h.column))
        qi_report.append(
            {
                "column": h.column,
                "kind": h.kind,
                "level": level,
                "top": h.top,
                "level_name": h.level_names[level],
                "levels": list(h.level_names[h.min_level :]),
                "loss": round(losses[j], 6),
                "values_in": len(h.labels[0]),
                "values_out": len({row[at] for row in rows}),
            }
        )
    report = KAnonReport(
        k=settings.k,
        ell=ell,
        sensitive=settings.sensitive,
        quasi_identifiers=tuple(qi_report),
        rows_in=n,
        rows_released=len(rows),
        rows_suppressed=rows_suppressed,
        max_suppressed=budget,
        classes=len(kept_sizes),
        smallest_class=int(kept_sizes.min()) if len(kept_sizes) else 0,
        largest_class=int(kept_sizes.max()) if len(kept_sizes) else 0,
        median_class=float(np.median(kept_sizes)) if len(kept_sizes) else 0.0,
        lowest_diversity=lowest,
        information_loss=round(sum(losses) / len(losses), 6),
        dropped_columns=tuple({"column": c, "reason": protected[c]} for c in dropped),
        nodes_in_lattice=total,
        nodes_counted=counted,
        seconds=round(time.perf_counter() - started, 3),
        input_checksum=table.checksum,
        warnings=tuple(warnings),
    )
    return KAnonResult(table=released, report=report)
