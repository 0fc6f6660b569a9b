"""HTCDS 2.0: the Human Trafficking Case Data Standard's fields, code lists and validation.

Fields, types and code lists are loaded from the standard's own files shipped in
``vinculo/htcds/data/`` (CC BY 4.0, IOM; see ``data/ATTRIBUTION.md``).

- :func:`field_catalogue` -- every field as a :class:`FieldSpec` (type, code list, label,
  entity, whether it is a protected identifier, the templates' other spellings).
- :func:`validate_records` -- check plain dicts; returns every :class:`~vinculo.errors.Issue`.
- :func:`country_lookup` -- ISO 3166 alpha-2/alpha-3 codes and names -> alpha-2;
  :func:`suggest_code` -- the code a near-miss value most likely means ("did you mean").
- :func:`read_submission` / :func:`open_submission` -- read a CSV, XLSX, JSON or KoBo/ODK
  export into typed records (:class:`ParsedSubmission`), streaming.
- :func:`load_mapping` -- a CSV or JSON mapping file for other layouts; :func:`plan_columns`,
  :func:`looks_like_header` and :func:`is_label_row` -- how a file's header row is matched to
  the fields (for other readers of case files, such as :mod:`vinculo.linkage.sources`).
- :mod:`vinculo.htcds.synthetic` -- clearly labelled synthetic records and writers.
- :func:`template_csv` / :func:`template_xlsx` -- blank upload templates; :func:`example_csv` --
  a small synthetic example file.
"""

from __future__ import annotations

from vinculo.htcds._columns import (
    ColumnMapping,
    ColumnPlan,
    is_label_row,
    load_mapping,
    looks_like_header,
    plan_columns,
)
from vinculo.htcds._convert import country_lookup, parse_date, suggest_code
from vinculo.htcds._fields import Entity, FieldCatalogue, FieldSpec, FieldType, field_catalogue
from vinculo.htcds._submission import (
    ParsedRecord,
    ParsedSubmission,
    RecordSource,
    SubmissionReader,
    SubmissionSettings,
    open_submission,
    read_submission,
    require_valid,
)
from vinculo.htcds._templates import example_csv, template_columns, template_csv, template_xlsx
from vinculo.htcds._validate import ValidationSettings, validate_records
from vinculo.htcds._writers import write_csv, write_json, write_xlsx

__all__ = [
    "ColumnMapping",
    "ColumnPlan",
    "Entity",
    "FieldCatalogue",
    "FieldSpec",
    "FieldType",
    "ParsedRecord",
    "ParsedSubmission",
    "RecordSource",
    "SubmissionReader",
    "SubmissionSettings",
    "ValidationSettings",
    "country_lookup",
    "example_csv",
    "field_catalogue",
    "is_label_row",
    "load_mapping",
    "looks_like_header",
    "open_submission",
    "parse_date",
    "plan_columns",
    "read_submission",
    "require_valid",
    "suggest_code",
    "template_columns",
    "template_csv",
    "template_xlsx",
    "validate_records",
    "write_csv",
    "write_json",
    "write_xlsx",
]
