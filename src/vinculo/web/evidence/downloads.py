"""CSV, XLSX and JSON downloads of tables, with formula injection neutralised.

The CSV holds the table and nothing else (a header row, then one row per line), so that any CSV reader
(pandas, R, a spreadsheet) reads it as it is. The source citation travels where it has a place of its own:
the XLSX's ``source`` sheet, the JSON's ``source`` field and the page beside the download links.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpResponse

from vinculo.web.core.export import csv_safe

FORMATS = ("csv", "xlsx", "json")
_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def safe_filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:120] or "table"


def render_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(csv_safe(header))
    for row in rows:
        writer.writerow(csv_safe(row))
    return buf.getvalue()


def render_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], citation: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=safe_filename(title)[:31] or "data")
    ws.append(csv_safe(header))
    for row in rows:
        ws.append(csv_safe(row))
    src = wb.create_sheet(title="source")
    src.append(csv_safe([f"Source: {citation}"]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_response(
    fmt: str,
    *,
    name: str,
    title: str,
    header: Sequence[str],
    sheet_rows: Sequence[Sequence[Any]],
    json_rows: Sequence[dict[str, Any]],
    citation: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """One table as a download in ``fmt`` (csv, xlsx or json); 404 for another format."""
    if fmt not in FORMATS:
        raise Http404
    filename = f"{safe_filename(name)}.{fmt}"
    body: str | bytes
    if fmt == "csv":
        body = render_csv(header, sheet_rows)
    elif fmt == "xlsx":
        body = render_xlsx(title, header, sheet_rows, citation)
    else:
        payload = {
            "title": title,
            "source": citation,
            **(extra or {}),
            "columns": list(header),
            "rows": list(json_rows),
        }
        body = json.dumps(payload, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
