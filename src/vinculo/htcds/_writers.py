"""Write HTCDS records (plain dicts) to CSV, XLSX or JSON, e.g. synthetic data for tests and demos."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from vinculo.htcds._fields import field_catalogue

__all__ = ["write_csv", "write_json", "write_xlsx"]

Record = Mapping[str, Any]


def _columns(records: Sequence[Record], columns: Sequence[str] | None) -> list[str]:
    if columns is not None:
        return list(columns)
    seen: dict[str, None] = {}
    for rec in records[:1000]:
        seen.update(dict.fromkeys(rec))
    order = {spec.name: i for i, spec in enumerate(field_catalogue())}
    first = [k for k in seen if k not in order]  # ids and markers first, then the standard's order
    return first + sorted((k for k in seen if k in order), key=order.__getitem__)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, tuple | list):
        return " ".join(str(v) for v in value)  # XLSForm select_multiple style
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_csv(
    records: Iterable[Record],
    path: str | Path,
    *,
    columns: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> int:
    """Write records to a CSV file with HTCDS names as the header; return the number written.

    Multi-select values are space-separated (as XLSForm exports), dates ISO, booleans TRUE/FALSE.
    """
    it = iter(records)
    head = [r for _, r in zip(range(1000), it, strict=False)]
    cols = _columns(head, columns)
    n = 0
    with Path(path).open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(cols)
        for rec in (*head, *it):
            writer.writerow([_cell(rec.get(c)) for c in cols])
            n += 1
    return n


def write_xlsx(
    records: Iterable[Record],
    path: str | Path,
    *,
    columns: Sequence[str] | None = None,
    sheet: str = "Case Sheet",
    label_row: bool = False,
) -> int:
    """Write records to an XLSX workbook (openpyxl write-only); optionally a second row of labels."""
    import openpyxl

    it = iter(records)
    head = [r for _, r in zip(range(1000), it, strict=False)]
    cols = _columns(head, columns)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(cols)
    if label_row:
        cat = field_catalogue()
        ws.append([cat[c].label if c in cat else c for c in cols])
    n = 0
    for rec in (*head, *it):
        row = []
        for c in cols:
            v = rec.get(c)
            row.append(v if isinstance(v, dt.date) else _cell(v))
        ws.append(row)
        n += 1
    wb.save(str(path))
    return n


def write_json(records: Iterable[Record], path: str | Path, *, indent: int | None = None) -> int:
    """Write records as a JSON list of objects (multi-selects as lists, dates ISO)."""

    def conv(v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, tuple):
            return list(v)
        return v

    out = [{k: conv(v) for k, v in rec.items()} for rec in records]
    Path(path).write_text(json.dumps(out, ensure_ascii=False, indent=indent), encoding="utf-8")
    return len(out)
