"""CSV and XLSX exports of case records: what the role may see, formula injection neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from vinculo.htcds import field_catalogue
from vinculo.web.accounts import access
from vinculo.web.core.export import csv_safe

from .models import CaseRecord
from .protection import EXTRA_KEY, open_protected, open_source_id, row_values

META_COLUMNS = [
    "case",
    "source_record_id",
    "owner",
    "sensitivity",
    "version",
    "submission",
    "consent_to_share",
]


def export_columns(with_identifiers: bool) -> list[str]:
    fields = [s.name for s in field_catalogue() if with_identifiers or not s.protected]
    return META_COLUMNS + fields


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if value is None:
        return ""
    return value


def export_rows(user: Any, queryset: QuerySet[CaseRecord], with_identifiers: bool) -> Iterator[list[Any]]:
    """Header then one row per visible case; identifiers (and the file's record id) only in rows the
    user may see them for; a public case of another organisation with its coded values only."""
    columns = export_columns(with_identifiers)
    fields = columns[len(META_COLUMNS) :]
    yield columns
    owners: dict[int, str] = {}
    records = queryset.select_related("owner", "submission").order_by("pk")
    for record in records.iterator(chunk_size=2000):
        view = access.access_case_view(user, record)
        values = row_values(record.values, view)
        source_id = ""
        if view == access.CASE_VIEW_IDENTIFIERS:
            source_id = open_source_id(record.source_id_token)
            if with_identifiers:
                secret = open_protected(record.protected)
                secret.pop(EXTRA_KEY, None)
                values.update(secret)
        if record.owner_id not in owners:
            owners[record.owner_id] = str(record.owner)
        row = [
            record.pk,
            source_id,
            owners[record.owner_id],
            record.sensitivity,
            record.version,
            record.submission.number,
            record.consent_to_share,
        ] + [_cell(values.get(name)) for name in fields]
        yield csv_safe(row)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterator[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(rows: Iterator[list[Any]]) -> bytes:
    """An XLSX workbook built in memory: nothing is written to disk.

    openpyxl writes every worksheet to a temporary file before zipping it, even to a stream, so
    exports use XlsxWriter's ``in_memory`` mode. Empty cells are not written; strings are never
    turned into formulas, numbers or links (and ``csv_safe`` has already neutralised formulas).
    """
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = book.add_worksheet("cases")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def problems_table_csv(rows: Iterator[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(csv_safe(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
