"""Capture histories: reading, validating and holding the observed table.

A capture history says which lists a case is on. For ``t`` lists the ``2**t - 1`` possible
observed histories are numbered by a bit mask: list ``i`` (0-based, in header order) is bit
``1 << i``. Cell 0 (on no list) is the unobserved dark figure and always has count 0.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from vinculo.errors import Issue, Location, SparseDataWarning, VinculoError, VinculoWarning
from vinculo.readers import read_table

__all__ = [
    "MAX_LISTS",
    "CaptureHistories",
    "histories_from_counts",
    "histories_from_records",
    "read_histories",
    "read_strata",
]

MAX_LISTS = 15
MAX_COUNT = 10**10  # more cases than people alive: a typing error, and beyond what a fit can use

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class CaptureHistories:
    """An observed capture-history table.

    Attributes
    ----------
    lists : tuple of str
        List names in header order. List ``i`` is bit ``1 << i`` of a cell index.
    counts : numpy.ndarray
        Integer counts of length ``2**len(lists)``, indexed by cell bit mask; ``counts[0]`` is 0.
        Read-only.
    source : str
        A name for the input (file name or ``"<rows>"``), used in messages.
    sha256 : str
        SHA-256 of the canonical table (one ``bits,count`` line per cell), for provenance.
    notes : tuple of str
        Warnings raised while reading (merged duplicates, ignored all-zero rows).
    """

    lists: tuple[str, ...]
    counts: IntArray = field(repr=False)
    source: str = "<rows>"
    sha256: str = ""
    notes: tuple[str, ...] = ()

    @property
    def n_lists(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def n_observed(self) -> int:
        """Number of observed cases (sum of all counts)."""
        return int(self.counts.sum())

    def overlap(self, members: Sequence[int]) -> int:
        """Number of cases on every list in ``members`` (regardless of other lists)."""
        mask = 0
        for i in members:
            mask |= 1 << i
        cells = np.arange(self.counts.size)
        return int(self.counts[(cells & mask) == mask].sum())

    def list_totals(self) -> IntArray:
        """Cases on each list."""
        cells = np.arange(self.counts.size)
        return np.array(
            [self.counts[(cells >> i) & 1 == 1].sum() for i in range(self.n_lists)], dtype=np.int64
        )

    def with_counts(self, counts: npt.ArrayLike) -> CaptureHistories:
        """A copy with other counts (bootstrap replicates); provenance fields are kept."""
        arr = np.asarray(counts, dtype=np.int64).copy()
        arr.setflags(write=False)
        return CaptureHistories(self.lists, arr, self.source, _checksum(self.lists, arr), self.notes)

    def counts_msb(self) -> IntArray:
        """Counts re-indexed with list 0 as the most significant bit (as ``fit_bayes`` expects)."""
        t = self.n_lists
        out = np.zeros_like(self.counts)
        for cell in range(self.counts.size):
            rev = 0
            for i in range(t):
                if cell >> i & 1:
                    rev |= 1 << (t - 1 - i)
            out[rev] = self.counts[cell]
        return out

    def rows(self) -> list[tuple[tuple[int, ...], int]]:
        """The non-zero histories as ``(bits in header order, count)`` pairs."""
        out = []
        for cell in range(1, self.counts.size):
            if self.counts[cell]:
                out.append((tuple((cell >> i) & 1 for i in range(self.n_lists)), int(self.counts[cell])))
        return out


def _checksum(lists: Sequence[str], counts: IntArray) -> str:
    h = hashlib.sha256()
    h.update(",".join(lists).encode())
    for cell in range(1, counts.size):
        bits = "".join(str((cell >> i) & 1) for i in range(len(lists)))
        h.update(f"\n{bits},{int(counts[cell])}".encode())
    return h.hexdigest()


def _fail(issues: list[Issue], source: str) -> VinculoError:
    first = issues[0]
    more = f" ({len(issues) - 1} more problem(s) listed in .issues)" if len(issues) > 1 else ""
    return VinculoError(
        f"{source}: {first.location}: {first.message}{more}" if str(first.location) else first.message + more,
        code=first.code,
        issues=issues,
        fix=first.fix,
    )


def _warn(message: str, notes: list[str], category: type[VinculoWarning] = VinculoWarning) -> None:
    notes.append(message)
    warnings.warn(message, category, stacklevel=3)


def histories_from_counts(
    lists: Sequence[str], counts: npt.ArrayLike, *, source: str = "<counts>"
) -> CaptureHistories:
    """Build histories from a full count vector indexed by cell bit mask (``counts[0]`` ignored).

    Parameters
    ----------
    lists : sequence of str
        List names; list ``i`` is bit ``1 << i``.
    counts : array_like
        ``2**len(lists)`` non-negative integers.
    source : str
        Name used in messages.
    """
    arr = np.asarray(counts, dtype=np.int64).copy()
    if arr.shape != (2 ** len(lists),):
        raise VinculoError(
            f"{source}: expected {2 ** len(lists)} counts for {len(lists)} lists, found {arr.size}.",
            code="mse.bad_counts",
            fix="Pass one count per cell, indexed by the bit mask of the lists.",
        )
    if (arr < 0).any():
        raise VinculoError(f"{source}: counts must not be negative.", code="mse.negative_count")
    arr[0] = 0
    _check_lists(tuple(lists), arr, source)
    arr.setflags(write=False)
    return CaptureHistories(tuple(lists), arr, source, _checksum(tuple(lists), arr))


def _check_lists(lists: tuple[str, ...], counts: IntArray, source: str) -> None:
    if len(lists) < 2:
        raise VinculoError(
            f"{source}: found {len(lists)} list column(s) ({', '.join(lists) or 'none'}); "
            "multiple systems estimation needs at least 2 lists.",
            code="mse.too_few_lists",
            fix="Add a 0/1 column for each further list, or check the column names.",
        )
    if len(lists) > MAX_LISTS:
        raise VinculoError(
            f"{source}: found {len(lists)} list columns; at most {MAX_LISTS} are supported.",
            code="mse.too_many_lists",
            fix="Merge small or similar lists (e.g. all NGO lists into one) before estimating.",
        )
    if len(set(lists)) != len(lists):
        dup = sorted({n for n in lists if lists.count(n) > 1})
        raise VinculoError(
            f"{source}: list column(s) {', '.join(dup)} appear more than once.",
            code="mse.duplicate_list",
            fix="Give each list column a distinct name.",
        )
    cells = np.arange(counts.size)
    empty = [lists[i] for i in range(len(lists)) if counts[(cells >> i) & 1 == 1].sum() == 0]
    if empty:
        raise VinculoError(
            f"{source}: list(s) {', '.join(repr(n) for n in empty)} have no cases.",
            code="mse.empty_list",
            fields={"lists": empty},
            fix="Drop the empty list column(s): a list with no cases carries no information.",
        )
    if counts.sum() == 0:
        raise VinculoError(
            f"{source}: all counts are zero.", code="mse.empty_table", fix="Check the input file."
        )


def _parse_int(text: str) -> int | None:
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value != int(value):
        return None
    return int(value)


def _table_from_rows(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    source: str,
    count_column: str | None,
    exclude: Sequence[str] = (),
    first_row: int = 2,
    row_numbers: Sequence[int] | None = None,
) -> CaptureHistories:
    names = [str(h).strip() for h in header]
    if count_column is not None and count_column not in names:
        raise VinculoError(
            f'{source}: no "{count_column}" column; found columns {", ".join(names)}.',
            code="mse.missing_count_column",
            fix=f'Add a "{count_column}" column with the number of cases for each capture history, '
            "or pass count_column=None if each row is one case.",
        )
    skip = set(exclude) | ({count_column} if count_column else set())
    list_idx = [i for i, n in enumerate(names) if n not in skip]
    lists = tuple(names[i] for i in list_idx)
    if len(lists) < 2 or len(lists) > MAX_LISTS:
        _check_lists(lists, np.zeros(2 ** min(len(lists), 1), dtype=np.int64), source)
    count_idx = names.index(count_column) if count_column else None
    counts = np.zeros(2 ** len(lists), dtype=np.int64)
    seen: dict[int, int] = {}
    issues: list[Issue] = []
    notes: list[str] = []
    zero_rows: list[int] = []
    n_rows = 0
    for offset, row in enumerate(rows):
        rownum = row_numbers[offset] if row_numbers is not None else first_row + offset
        values = ["" if v is None else str(v).strip() for v in row]
        if not any(values):
            continue
        n_rows += 1
        if len(values) < len(names):
            values += [""] * (len(names) - len(values))
        cell = 0
        bad = False
        for bit, i in enumerate(list_idx):
            v = _parse_int(values[i])
            if v not in (0, 1):
                issues.append(
                    Issue(
                        "mse.bad_membership",
                        f"{values[i]!r} is not 0 or 1.",
                        Location(file=source, row=rownum, column=names[i]),
                        value=values[i],
                        expected="0 or 1",
                        fix="List columns hold 1 (case is on the list) or 0 (not on it).",
                    )
                )
                bad = True
            elif v == 1:
                cell |= 1 << bit
        n = 1
        if count_idx is not None:
            parsed = _parse_int(values[count_idx])
            if parsed is not None and parsed > MAX_COUNT:
                issues.append(
                    Issue(
                        "mse.bad_count",
                        f"the count is larger than {MAX_COUNT:,}.",
                        Location(file=source, row=rownum, column=names[count_idx]),
                        expected=f"a whole number from 0 to {MAX_COUNT:,}",
                        fix="Counts are numbers of cases: check the cell for a typing error.",
                    )
                )
                bad = True
            elif parsed is None or parsed < 0:
                issues.append(
                    Issue(
                        "mse.bad_count",
                        f"{values[count_idx]!r} is not a non-negative whole number.",
                        Location(file=source, row=rownum, column=names[count_idx]),
                        value=values[count_idx],
                        expected="a whole number >= 0",
                        fix="Counts are numbers of cases: 0, 1, 2, ...",
                    )
                )
                bad = True
            else:
                n = parsed
        if bad:
            continue
        if cell == 0:
            if n:
                zero_rows.append(rownum)
            continue
        if count_idx is not None and cell in seen:
            bits = "".join(str((cell >> b) & 1) for b in range(len(lists)))
            _warn(
                f"{source}: row {rownum} repeats the capture history {bits} of row {seen[cell]}; "
                "their counts were added.",
                notes,
            )
        seen.setdefault(cell, rownum)
        counts[cell] += n
    if issues:
        raise _fail(issues, source)
    if n_rows == 0:
        raise VinculoError(
            f"{source}: the table has no data rows.",
            code="mse.empty_table",
            fix="Add one row per capture history (0/1 list columns and a count).",
        )
    if zero_rows:
        _warn(
            f"{source}: row(s) {', '.join(map(str, zero_rows[:10]))} have a capture history on no list; "
            "they were ignored (the unobserved cell is what is being estimated).",
            notes,
            SparseDataWarning,
        )
    _check_lists(lists, counts, source)
    counts.setflags(write=False)
    return CaptureHistories(lists, counts, source, _checksum(lists, counts), tuple(notes))


def _read_csv(path: Path) -> tuple[list[str], list[list[Any]], list[int]]:
    """Header, data rows and their row numbers, read with :mod:`vinculo.readers` (so the same size,
    encoding, quoting and format checks apply as to case files). Empty rows are skipped."""
    rows = list(read_table(path).rows)
    if not rows:
        raise VinculoError(
            f"{path.name}: the file is empty.",
            code="mse.empty_table",
            fix="Write a header (one column per list and count) and one row per capture history.",
        )
    (_n, header), *body = rows
    names = ["" if h is None else str(h) for h in header]
    return names, [list(cells) for _n, cells in body], [n for n, _cells in body]


def read_histories(
    source: str | Path | Iterable[Mapping[str, Any]],
    *,
    count_column: str | None = "count",
    exclude: Sequence[str] = (),
) -> CaptureHistories:
    """Read a capture-history table from a CSV file or from rows.

    Parameters
    ----------
    source : path or iterable of mappings
        A CSV file (comma, semicolon or tab separated) with one 0/1 column per list and a count
        column, or rows as dicts with the same keys.
    count_column : str or None
        Name of the count column. ``None`` means every row is one case (records with list
        memberships), so histories are counted.
    exclude : sequence of str
        Further columns that are not lists (e.g. a stratum column).

    Returns
    -------
    CaptureHistories

    Raises
    ------
    VinculoError
        With a stable code (``mse.bad_membership``, ``mse.bad_count``, ``mse.missing_count_column``,
        ``mse.too_few_lists``, ``mse.too_many_lists``, ``mse.empty_list``, ``mse.empty_table``) naming
        the row and column and how to fix the input.

    Examples
    --------
    >>> h = read_histories([{"A": 1, "B": 0, "count": 30}, {"A": 0, "B": 1, "count": 20},
    ...                     {"A": 1, "B": 1, "count": 10}])
    >>> h.lists, h.n_observed
    (('A', 'B'), 60)
    """
    if isinstance(source, str | Path):
        path = Path(source)
        header, rows, numbers = _read_csv(path)
        return _table_from_rows(
            header, rows, source=path.name, count_column=count_column, exclude=exclude, row_numbers=numbers
        )
    materialised = [dict(r) for r in source]
    if not materialised:
        raise VinculoError(
            "<rows>: no rows were given.", code="mse.empty_table", fix="Pass at least one row."
        )
    header = list(materialised[0].keys())
    return _table_from_rows(
        header,
        ([r.get(h) for h in header] for r in materialised),
        source="<rows>",
        count_column=count_column,
        exclude=exclude,
    )


def histories_from_records(
    records: Iterable[Iterable[str]], lists: Sequence[str], *, source: str = "<records>"
) -> CaptureHistories:
    """Count capture histories from records, each given as the names of the lists it is on.

    Examples
    --------
    >>> h = histories_from_records([["A"], ["A", "B"], ["B"]], lists=["A", "B"])
    >>> h.rows()
    [((1, 0), 1), ((0, 1), 1), ((1, 1), 1)]
    """
    index = {name: i for i, name in enumerate(lists)}
    counts = np.zeros(2 ** len(lists), dtype=np.int64)
    issues: list[Issue] = []
    notes: list[str] = []
    n_empty = 0
    for k, record in enumerate(records, start=1):
        cell = 0
        for name in record:
            if name not in index:
                issues.append(
                    Issue(
                        "mse.unknown_list",
                        f"record {k} names list {name!r}, which is not one of {', '.join(lists)}.",
                        Location(file=source, row=k),
                        value=str(name),
                        fix="Add the list to `lists` or correct the record.",
                    )
                )
            else:
                cell |= 1 << index[name]
        if cell == 0:
            n_empty += 1
        counts[cell] += 1
    if issues:
        raise _fail(issues, source)
    counts[0] = 0
    if n_empty:
        _warn(f"{source}: {n_empty} record(s) are on no list and were ignored.", notes, SparseDataWarning)
    _check_lists(tuple(lists), counts, source)
    counts.setflags(write=False)
    return CaptureHistories(tuple(lists), counts, source, _checksum(tuple(lists), counts), tuple(notes))


def read_strata(
    source: str | Path | Iterable[Mapping[str, Any]],
    by: str,
    *,
    count_column: str | None = "count",
) -> dict[str, CaptureHistories]:
    """Read a table with a stratum column and return one :class:`CaptureHistories` per stratum.

    All strata share the same lists (the other columns). A list with no cases in a stratum is an
    error for that stratum's table, raised with the stratum named.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        header, table, numbers = _read_csv(path)
        name = path.name
    else:
        dict_rows = [dict(r) for r in source]
        header = list(dict_rows[0].keys()) if dict_rows else []
        name = "<rows>"
        table = [[r.get(h) for h in header] for r in dict_rows]
        numbers = [offset + 2 for offset in range(len(table))]
    if by not in header:
        raise VinculoError(
            f'{name}: no stratum column "{by}"; found columns {", ".join(map(str, header))}.',
            code="mse.missing_stratum_column",
            fix="Name an existing column with `by`.",
        )
    col = header.index(by)
    keep = [i for i in range(len(header)) if i != col]
    groups: dict[str, list[tuple[int, list[Any]]]] = {}
    for offset, row in enumerate(table):
        if not any(str(v).strip() for v in row if v is not None):
            continue
        key = str(row[col] if col < len(row) else "").strip()
        groups.setdefault(key, []).append((numbers[offset], row))
    out: dict[str, CaptureHistories] = {}
    for key in sorted(groups):
        members = groups[key]
        out[key] = _table_from_rows(
            [header[i] for i in keep],
            ([r[i] if i < len(r) else "" for i in keep] for _, r in members),
            source=f"{name} [{by}={key}]",
            count_column=count_column,
            row_numbers=[n for n, _ in members],
        )
    return out
