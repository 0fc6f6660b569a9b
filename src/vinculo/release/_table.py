"""A release input read into columns, and the CSV written back, with the case data's cell conventions.

An empty cell means "no attribute"; a multi-valued cell joins its values with ``;``. Any format
:func:`vinculo.readers.read_table` reads (CSV in any encoding or delimiter, XLSX, JSON) becomes a
:class:`ReleaseTable` of text cells in the file's column order. :func:`write_release_csv` writes
UTF-8 CSV with the same conventions, to a temporary file in the target folder that is then
renamed, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from vinculo.errors import VinculoError
from vinculo.readers import Formula, ReaderSettings, read_table

__all__ = ["ReleaseTable", "join_cell", "read_release_table", "split_cell", "write_release_csv"]

#: The separator of multi-valued cells.
SEPARATOR = ";"


def split_cell(cell: str) -> tuple[str, ...]:
    """The values of a cell: ``""`` -> ``()``, ``"a; b"`` -> ``("a", "b")``."""
    return tuple(v for v in (p.strip() for p in cell.split(SEPARATOR)) if v)


def join_cell(values: Sequence[str]) -> str:
    """The cell of a set of values: sorted, each once, joined with ``;``."""
    return SEPARATOR.join(sorted(set(values)))


@dataclass(frozen=True)
class ReleaseTable:
    """Text cells in the input's column order; ``""`` is "no attribute".

    Attributes
    ----------
    name : str
        The file name shown in messages.
    columns : tuple of str
        Headers in file order.
    rows : tuple of tuple of str
        One tuple per non-empty data row, as long as ``columns``.
    checksum : str
        ``sha256:...`` of the input bytes (empty for a table built in memory).
    row_numbers : tuple of int
        The file's row number of each row, for messages (empty for a table built in memory).
    """

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    checksum: str = ""
    row_numbers: tuple[int, ...] = ()

    def column(self, name: str) -> tuple[str, ...]:
        i = self.columns.index(name)
        return tuple(r[i] for r in self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Formula):
        return str(cell)
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, list | tuple):
        return SEPARATOR.join(_text(c) for c in cell if _text(c))
    return str(cell).strip()


def read_release_table(
    source: str | Path | bytes, *, name: str | None = None, settings: ReaderSettings | None = None
) -> ReleaseTable:
    """Read a case file (CSV, XLSX or JSON) into a :class:`ReleaseTable`.

    Raises
    ------
    VinculoError
        ``release.empty`` for a file without a header or without data rows,
        ``release.bad_header`` for an unnamed or repeated column, and the readers' codes for a
        file that cannot be read at all.

    Examples
    --------
    >>> t = read_release_table(b"age,exploitation\\n23,ForcedLabour;SexualExploitation\\n", name="t.csv")
    >>> t.columns, t.rows
    (('age', 'exploitation'), (('23', 'ForcedLabour;SexualExploitation'),))
    """
    table = read_table(source, name=name, settings=settings)
    rows = iter(table.rows)
    first = next(rows, None)
    if first is None:
        raise VinculoError(
            f"{table.name}: the file is empty.",
            code="release.empty",
            fields={"file": table.name},
            fix="Give a file with a header row and at least one data row.",
        )
    header_row, header_cells = first
    header = [_text(c) for c in header_cells]
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for i, h in enumerate(header):
        if not h:
            raise VinculoError(
                f"{table.name}, row {header_row}: column {i + 1} has no header.",
                code="release.bad_header",
                fields={"file": table.name, "column": i + 1},
                fix="Name every column in the header row, or delete the unnamed column.",
            )
        if h in seen:
            raise VinculoError(
                f'{table.name}, row {header_row}: two columns are named "{h}".',
                code="release.bad_header",
                fields={"file": table.name, "column": h},
                fix="Rename or delete one of them.",
            )
        seen.add(h)
    width = len(header)
    out: list[tuple[str, ...]] = []
    numbers: list[int] = []
    for row_no, cells in rows:
        extra = next((i for i in range(width, len(cells)) if _text(cells[i])), None)
        if extra is not None:
            raise VinculoError(
                f"{table.name}, row {row_no}: column {extra + 1} has a value but no header.",
                code="release.bad_header",
                fields={"file": table.name, "row": row_no, "column": extra + 1},
                fix="Name the column in the header row, or delete the stray value.",
            )
        texts = [_text(c) for c in cells[:width]]
        texts.extend([""] * (width - len(texts)))
        out.append(tuple(texts))
        numbers.append(row_no)
    if not out:
        raise VinculoError(
            f"{table.name}: the file has a header row but no data rows.",
            code="release.empty",
            fields={"file": table.name},
            fix="Give a file with at least one data row.",
        )
    return ReleaseTable(
        name=table.name,
        columns=tuple(header),
        rows=tuple(out),
        checksum=table.checksum,
        row_numbers=tuple(numbers),
    )


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write UTF-8 text to ``path`` through ``write(fh)`` into a temporary file beside it, then rename:
    ``path`` holds the old content or the whole new one, never a part."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_release_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write ``rows`` under ``columns`` as UTF-8 CSV at ``path``, atomically (temporary file, rename)."""

    def write(fh: TextIO) -> None:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)

    write_atomically(path, write)
