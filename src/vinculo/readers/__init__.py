"""Readers for CSV, XLSX and JSON that keep file, sheet and row for every value.

:func:`read_table` opens a file (or uploaded bytes), checks its size, recognises the format
from its first bytes (then its extension), detects the text encoding, and returns a
:class:`Table` whose ``rows`` iterator yields ``(row_number, cells)`` for non-empty rows only.
The readers know nothing about HTCDS: :func:`vinculo.htcds.read_submission` maps the columns.

Every failure that makes a file unusable raises :class:`~vinculo.errors.VinculoError` with a
stable code (``readers.file_too_large``, ``readers.too_many_rows``, ``readers.bad_encoding``,
``readers.malformed_csv``, ``readers.unclosed_quote``, ``readers.malformed_json``,
``readers.too_deep``, ``readers.encrypted_xlsx``,
``readers.truncated_xlsx``, ``readers.not_xlsx``, ``readers.unreadable_xlsx``,
``readers.sheet_not_found``, ``readers.unreadable_file``, ``readers.unknown_format``).
"""

from __future__ import annotations

from pathlib import Path

from vinculo.errors import VinculoError
from vinculo.readers._base import Formula, ReaderSettings, Table, column_letter, load_bytes
from vinculo.readers._json import parse_json, read_json_bytes
from vinculo.readers._text import decode_text, read_csv_bytes
from vinculo.readers._xlsx import OLE_SIGNATURE, ZIP_SIGNATURE, HeaderPredicate, read_xlsx_bytes

__all__ = [
    "Formula",
    "HeaderPredicate",
    "ReaderSettings",
    "Table",
    "column_letter",
    "decode_text",
    "detect_format",
    "load_bytes",
    "parse_json",
    "read_table",
]

_CSV_EXT = {".csv", ".tsv", ".txt", ".tab"}
_JSON_EXT = {".json", ".jsonl", ".ndjson"}
_XLSX_EXT = {".xlsx", ".xlsm"}


def detect_format(data: bytes, name: str) -> str:
    """Return ``"xlsx"``, ``"csv"`` or ``"json"`` from the first bytes, then the extension."""
    if data.startswith(ZIP_SIGNATURE) or data.startswith(OLE_SIGNATURE):
        return "xlsx"
    ext = Path(name).suffix.lower()
    if ext in _XLSX_EXT or ext == ".xls":
        return "xlsx"  # the XLSX reader explains what is wrong with the bytes
    if ext in _JSON_EXT:
        return "json"
    if ext in _CSV_EXT:
        return "csv"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"[", b"{"):
        return "json"
    if ext in ("", ".dat"):
        return "csv"
    raise VinculoError(
        f"{name}: unknown file type {ext!r}.",
        code="readers.unknown_format",
        fields={"file": name, "extension": ext},
        fix="Upload a .csv, .xlsx or .json file.",
    )


def read_table(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    settings: ReaderSettings | None = None,
    prefer_sheet: HeaderPredicate | None = None,
) -> Table:
    """Open ``source`` and return a :class:`Table` over its rows.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the bytes of an upload.
    name : str, optional
        Name shown in messages (defaults to the file name, or ``"<upload>"`` for bytes).
    settings : ReaderSettings, optional
        Size and row limits, a forced encoding, delimiter or sheet.
    prefer_sheet : callable, optional
        For workbooks without ``settings.sheet``: the first sheet whose first non-empty row
        makes this return True is read (else the first sheet).

    Raises
    ------
    VinculoError
        When the file cannot be used at all (see the module docstring for codes).

    Examples
    --------
    >>> from vinculo.readers import read_table
    >>> table = read_table(b"a,b\\n1,2\\n", name="tiny.csv")
    >>> table.encoding, list(table.rows)
    ('utf-8', [(1, ('a', 'b')), (2, ('1', '2'))])
    """
    settings = settings or ReaderSettings()
    data, display = load_bytes(source, name, settings)
    fmt = detect_format(data, display)
    if fmt == "xlsx":
        return read_xlsx_bytes(data, display, settings, prefer_sheet)
    if fmt == "json":
        return read_json_bytes(data, display, settings)
    return read_csv_bytes(data, display, settings)
