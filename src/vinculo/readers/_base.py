"""Shared pieces of the readers: settings, the Table they return, the Formula marker."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vinculo.errors import Issue, VinculoError

__all__ = ["Formula", "ReaderSettings", "Table", "column_letter"]

Cell = Any
Row = tuple[int, tuple[Cell, ...]]


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    """Limits and choices for reading one file. Defaults suit a web upload.

    Attributes
    ----------
    max_bytes : int
        Largest file accepted (bytes). Larger files raise ``readers.file_too_large``.
    max_rows : int
        Most non-empty data rows accepted. Empty rows never count.
    max_uncompressed_bytes : int
        Largest total uncompressed size of an XLSX archive (guards against zip bombs).
    encoding : str or None
        Force a text encoding for CSV/JSON instead of detecting it.
    delimiter : str or None
        Force the CSV delimiter instead of detecting it from the header line.
    sheet : str or None
        XLSX sheet to read; by default the first sheet whose first row looks like a header
        (the caller can pass a predicate to :func:`read_table`), else the first sheet.
    max_depth : int
        Deepest nesting of lists and objects accepted in a JSON file (``readers.too_deep``).
    """

    max_bytes: int = 100 * 1024 * 1024
    max_rows: int = 1_000_000
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    max_depth: int = 32


class Formula(str):
    """A spreadsheet cell that holds a formula; the string is the formula text (``=A1+B1``).

    Readers never evaluate formulas and never use a cached result: callers report them.
    """

    __slots__ = ()


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    n = index + 1
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class Table:
    """Rows read from one file or sheet, each with its 1-based row number.

    ``rows`` yields only non-empty rows (a row whose cells are all empty is skipped and
    counted in ``empty_rows_skipped``). Row 1 is the first line of a CSV or the first row of
    a sheet, as a spreadsheet shows it; for JSON, row *n* is the *n*-th record and row 1 is
    a synthetic header made of the keys.
    """

    name: str
    format: str
    checksum: str
    rows: Iterator[Row]
    encoding: str | None = None
    encoding_detail: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    merged_ranges: tuple[str, ...] = ()
    issues: list[Issue] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=lambda: {"empty_rows_skipped": 0})

    @property
    def empty_rows_skipped(self) -> int:
        return self.counters["empty_rows_skipped"]


def load_bytes(source: str | Path | bytes, name: str | None, settings: ReaderSettings) -> tuple[bytes, str]:
    """Read ``source`` into memory, enforcing ``max_bytes``; return the bytes and a display name."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        display = name or "<upload>"
        if len(data) > settings.max_bytes:
            raise _too_large(display, len(data), settings.max_bytes)
        return data, display
    path = Path(source)
    display = name or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise VinculoError(
            f"{display}: cannot open the file ({exc.strerror or type(exc).__name__}).",
            code="readers.unreadable_file",
            fields={"file": display},
            fix="Check the path and the file's permissions.",
        ) from None
    if path.is_dir():
        raise VinculoError(
            f"{display}: is a folder, not a file.",
            code="readers.unreadable_file",
            fields={"file": display},
            fix="Pass the path of a CSV, XLSX or JSON file.",
        )
    if size > settings.max_bytes:
        raise _too_large(display, size, settings.max_bytes)
    try:
        with path.open("rb") as fh:
            data = fh.read(settings.max_bytes + 1)
    except OSError as exc:
        raise VinculoError(
            f"{display}: cannot read the file ({exc.strerror or type(exc).__name__}).",
            code="readers.unreadable_file",
            fields={"file": display},
            fix="Check the file's permissions.",
        ) from None
    if len(data) > settings.max_bytes:
        raise _too_large(display, len(data), settings.max_bytes)
    return data, display


def _too_large(display: str, size: int, limit: int) -> VinculoError:
    return VinculoError(
        f"{display}: the file is {size:,} bytes; the limit is {limit:,} bytes.",
        code="readers.file_too_large",
        fields={"file": display, "size": size, "limit": limit},
        fix="Split the file into smaller files, or raise ReaderSettings.max_bytes.",
    )


def too_many_rows(display: str, limit: int, row: int) -> VinculoError:
    return VinculoError(
        f"{display}: more than {limit:,} non-empty data rows (limit reached at row {row:,}).",
        code="readers.too_many_rows",
        fields={"file": display, "limit": limit, "row": row},
        fix="Split the file, or raise ReaderSettings.max_rows.",
    )


def checksum(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
