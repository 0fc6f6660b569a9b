"""Reading case files for the platform: encrypted storage of uploads, streaming, issues and quarantine.

No function here writes to the database; ``actions.py`` does.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings

from vinculo.errors import Issue, VinculoError
from vinculo.htcds import (
    ColumnMapping,
    ParsedRecord,
    SubmissionReader,
    SubmissionSettings,
    ValidationSettings,
    load_mapping,
    open_submission,
)
from vinculo.protect import KeyRing
from vinculo.readers import ReaderSettings, read_table
from vinculo.web.core.export import csv_safe

from .protection import derived_secret

# Files up to this size are checked while the user waits; larger ones in a background job.
DEFAULT_BACKGROUND_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Issues kept in full for the preview and the problems download (all are counted).
MAX_ISSUES = 200_000


def max_upload_bytes() -> int:
    return int(getattr(settings, "VINCULO_CASES_MAX_BYTES", DEFAULT_MAX_BYTES))


def background_bytes() -> int:
    return int(getattr(settings, "VINCULO_CASES_BACKGROUND_BYTES", DEFAULT_BACKGROUND_BYTES))


def check_size(size: int, name: str) -> None:
    limit = max_upload_bytes()
    if size > limit:
        raise VinculoError(
            f"{name}: the file is {size:,} bytes; the platform accepts case files up to {limit:,} bytes.",
            code="cases.file_too_large",
            fields={"file": name, "size": size, "limit": limit},
            fix="Split the file into several submissions (for example by year) and upload each one.",
        )
    if size == 0:
        raise VinculoError(
            f"{name}: the file is empty.", code="cases.empty_file", fix="Check that you chose the right file."
        )


def seal_bytes(data: bytes, ring: KeyRing) -> str:
    """Compress and encrypt file bytes for storage (the key ring works on text)."""
    if not data:
        return ""
    return ring.encrypt(base64.b64encode(zlib.compress(data, 3)).decode("ascii"))


def unseal_bytes(token: str, ring: KeyRing) -> bytes:
    if not token:
        return b""
    return zlib.decompress(base64.b64decode(ring.decrypt(token)))


def submission_settings(
    sheet: str | None = None, today: dt.date | None = None, date_order: str = ""
) -> SubmissionSettings:
    order: Any = date_order if date_order in ("DMY", "MDY") else None
    return SubmissionSettings(
        reader=ReaderSettings(max_bytes=max_upload_bytes(), sheet=sheet or None),
        # Problem lists are stored and shown on the platform: they never quote a value, since an
        # invalid value may still identify a person (a name typed into the wrong column).
        validation=ValidationSettings(
            today=today, date_order=order, max_issues=MAX_ISSUES, echo_values=False
        ),
        keep_records=False,
        # A file without an id column gets ids hashed from the row: keyed, so that nobody can test a
        # guessed name and date of birth against an id they can see.
        record_id_key=derived_secret("record-id"),
    )


def read_mapping(data: bytes, name: str) -> ColumnMapping | None:
    """The mapping file, checked against the standard (raises ``htcds.bad_mapping``)."""
    if not data:
        return None
    return load_mapping(data, name=name)


def mapping_json(columns: dict[str, str | None], values: dict[str, dict[str, str]]) -> bytes:
    """A mapping chosen on the platform as the JSON of a mapping file (stored like an uploaded one)."""
    return json.dumps({"columns": columns, "values": values}, ensure_ascii=False, sort_keys=True).encode()


def public_issue(issue: Issue) -> dict[str, Any]:
    """An issue as a dict safe to store and show: field, row, column, code, message, no value.

    The reader is set not to quote values (``submission_settings``); a value that still arrives
    (an issue made elsewhere) is dropped here.
    """
    data = issue.to_dict()
    data.pop("value", None)
    return data


@dataclass
class RowTap:
    """Remembers the raw cells of rows read but not yet turned into records (for quarantine)."""

    rows: Iterator[tuple[int, tuple[Any, ...]]]
    pending: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    first: tuple[int, tuple[Any, ...]] | None = None

    def __iter__(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for row in self.rows:
            if self.first is None:
                self.first = row
            self.pending[row[0]] = row[1]
            if len(self.pending) > 64:
                self.pending.pop(next(iter(self.pending)))
            yield row

    def take(self, row: int) -> tuple[Any, ...] | None:
        cells = self.pending.pop(row, None)
        return cells


@dataclass
class Reading:
    """A streaming read of a stored upload: records with their error counts, then the result."""

    reader: SubmissionReader
    tap: RowTap | None

    def records(self) -> Iterator[tuple[ParsedRecord, bool, tuple[Any, ...] | None]]:
        """``(record, has_errors, raw cells or None)`` in file order."""
        log = self.reader.log
        errors_before = log.errors
        for record in self.reader:
            has_errors = log.errors > errors_before
            errors_before = log.errors
            cells = self.tap.take(record.row) if self.tap is not None else None
            yield record, has_errors, cells


def open_reading(
    data: bytes,
    name: str,
    *,
    mapping: ColumnMapping | None,
    sheet: str | None = None,
    keep_cells: bool = False,
    today: dt.date | None = None,
    date_order: str = "",
) -> Reading:
    """Open an upload for streaming. Raises VinculoError when the file is unusable."""
    cfg = submission_settings(sheet, today, date_order)
    if not keep_cells:
        return Reading(open_submission(data, name=name, mapping=mapping, settings=cfg), None)
    table = read_table(data, name=name, settings=cfg.reader)
    tap = RowTap(table.rows)
    table.rows = iter(tap)
    return Reading(SubmissionReader(table, mapping=mapping, settings=replace(cfg)), tap)


def preview_records(reading: Reading, limit: int) -> list[tuple[int, dict[str, Any], bool]]:
    """The first ``limit`` records as they will be stored: ``(row, typed values, has errors)``."""
    out: list[tuple[int, dict[str, Any], bool]] = []
    for record, has_errors, _cells in reading.records():
        out.append((record.row, dict(record.values), has_errors))
        if len(out) >= limit:
            break
    return out


def quarantine_csv(
    header: tuple[Any, ...] | None, rows: list[tuple[int, tuple[Any, ...], list[str]]]
) -> bytes:
    """The rejected rows as CSV: source row number, what is wrong, then the original cells.

    Cells that could start a spreadsheet formula are prefixed with ``'`` like every export.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    head = ["source_row", "problems", *[("" if h is None else str(h)) for h in (header or ())]]
    writer.writerow(csv_safe(head))
    for row_no, cells, problems in rows:
        writer.writerow(csv_safe([row_no, " | ".join(problems), *[("" if c is None else c) for c in cells]]))
    return out.getvalue().encode("utf-8-sig")


def problems_csv(issues: list[dict[str, Any]], file_name: str) -> Iterator[list[Any]]:
    """Rows of the problems download (header first); no cell value (see ``public_issue``)."""
    yield [
        "file",
        "sheet",
        "row",
        "column",
        "field",
        "severity",
        "code",
        "problem",
        "expected",
        "fix",
    ]
    for item in issues:
        loc = item.get("location", {})
        yield [
            loc.get("file", file_name),
            loc.get("sheet", ""),
            loc.get("row", ""),
            loc.get("column", ""),
            loc.get("field", ""),
            item.get("severity", ""),
            item.get("code", ""),
            item.get("message", ""),
            item.get("expected", ""),
            item.get("fix", ""),
        ]


ProgressFn = Callable[[int, int], None]
