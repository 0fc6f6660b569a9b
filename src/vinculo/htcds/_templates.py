"""Blank HTCDS 2.0 upload templates (CSV, XLSX) and a small, clearly synthetic example file."""

from __future__ import annotations

import csv
import io
from typing import Any

from vinculo.htcds._fields import FieldType, field_catalogue
from vinculo.htcds._writers import _cell

__all__ = ["example_csv", "template_columns", "template_csv", "template_xlsx"]

_CODED = (FieldType.PICKLIST, FieldType.MULTI_PICKLIST)


def template_columns() -> list[str]:
    """Every HTCDS 2.0 field that is not deprecated, in the standard's order (the template's header)."""
    return [spec.name for spec in field_catalogue() if not spec.deprecated]


def template_csv() -> bytes:
    """A CSV with the HTCDS field names as its only row (UTF-8 with a byte-order mark, for Excel)."""
    out = io.StringIO()
    csv.writer(out).writerow(template_columns())
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """An XLSX template: field names in row 1, labels in row 2 (skipped on reading), and a sheet of codes.

    The "Codes" sheet lists, for every coded field, each HTCDS value with its label; the
    "About" sheet says how to fill the template. Made with openpyxl.
    """
    import openpyxl
    from openpyxl.styles import Font

    cat = field_catalogue()
    cols = template_columns()
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Case Sheet"
    ws.append(cols)
    ws.append([cat[c].label for c in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for cell in ws[2]:
        cell.font = Font(italic=True)
    ws.freeze_panes = "A3"
    codes = wb.create_sheet("Codes")
    codes.append(["field", "value", "label"])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    for name in cols:
        spec = cat[name]
        if spec.type in _CODED:
            for value, label in zip(spec.values, spec.value_labels or spec.values, strict=False):
                codes.append([name, value, label])
    about = wb.create_sheet("About")
    for line in (
        "Template for case files on the Human Trafficking Case Data Standard (HTCDS) 2.0.",
        "Row 1 holds the field names and row 2 their labels; write one case per row from row 3.",
        "Leave a column empty when the value is unknown; columns may be deleted.",
        "Coded fields take the values of the Codes sheet (or their labels); several values are",
        "separated by spaces or ';'. Dates: YYYY-MM-DD. Countries: ISO 3166 codes such as PH.",
        "HTCDS v2.0, IOM, CC BY 4.0, https://github.com/UNMigration/HTCDS",
    ):
        about.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def example_csv(n: int = 8, seed: int = 2026) -> bytes:
    """A small synthetic example file: ``SYNTHETIC-`` ids, ``is_synthetic`` TRUE, fictitious names.

    The records come from :func:`vinculo.htcds.synthetic.generate`; their protected fields are
    left out except first names (``Synthetic-…``), so the example also shows how identifiers look.
    """
    from vinculo.htcds.synthetic import generate

    cat = field_catalogue()
    records = list(generate(n, seed))
    keep: list[str] = ["record_id", "is_synthetic"]
    for spec in cat:
        if any(spec.name in r for r in records) and (not spec.protected or spec.name == "prs_FirstName"):
            keep.append(spec.name)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(keep)
    for rec in records:
        row: list[Any] = [_cell(rec.get(c)) for c in keep]
        writer.writerow(row)
    return out.getvalue().encode("utf-8")
