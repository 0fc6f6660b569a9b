"""Match a file's columns to HTCDS fields: by name, template alias, label, group path or mapping file."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from vinculo.errors import Issue, Location, VinculoError
from vinculo.htcds._convert import norm_key
from vinculo.htcds._fields import FieldCatalogue, FieldType, field_catalogue, xlsform_labels
from vinculo.readers import Formula, ReaderSettings, column_letter, decode_text, parse_json, read_table

__all__ = ["ColumnMapping", "ColumnPlan", "load_mapping", "looks_like_header", "plan_columns"]

# Columns that KoBoToolbox, ODK Central and vinculo's own writers add to exports. They are
# known, kept with each record under ``extra`` and never reported as unknown.
METADATA_COLUMNS = frozenset(
    {
        "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
        "username", "audit", "__version__", "_version_", "_version", "_id", "_uuid",
        "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
        "_tags", "_index", "_parent_table_name", "_parent_index", "_attachments",
        "_geolocation", "_xform_id_string", "meta/instanceID", "instanceID",
        "meta/instanceName", "meta/rootUuid", "meta/deprecatedID", "formhub/uuid", "KEY",
        "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent",
        "AttachmentsExpected", "ReviewState", "DeviceID", "Edits", "FormVersion",
        "is_synthetic", "source_record_id",
    }
)  # fmt: skip

# Headers of spreadsheet row-number columns ("#", or "A" when the letter row was copied as a
# header). Such a column, and a column without a header, holding whole numbers is read as row
# numbers: its numbers are not kept with the records.
ROW_NUMBER_HEADERS = frozenset({"#", "A", "No.", "N°", "№"})

# Columns that identify a record in its source system, in order of preference.
ID_COLUMNS = (
    "source_record_id", "record_id", "case_id", "id", "_uuid", "meta/instanceID",
    "instanceID", "KEY", "_id",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """How one source column is read.

    ``how`` is one of: ``name`` (exact HTCDS name), ``alias`` (a spelling used by the
    standard's XLSForm or Excel templates), ``normalised`` (same name up to case and
    underscores), ``label`` (an HTCDS or XLSForm label), ``group_path`` (``group/field`` from a
    KoBo/ODK export), ``option`` (a KoBo ``field/value`` 0/1 column of a select_multiple),
    ``mapping`` (from the mapping file), ``id``, ``metadata``, ``ignored`` (the mapping file
    says so), ``duplicate``, ``ambiguous``, ``unknown``, ``unnamed`` (no header) or
    ``row_number`` (a "#"- or "A"-headed column; its whole numbers are row numbers, not kept).
    """

    index: int
    header: str
    column: str
    field: str | None
    how: str
    option: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "column": self.column,
            "header": self.header,
            "field": self.field,
            "how": self.how,
            **({"option": self.option} if self.option else {}),
        }


@dataclass(frozen=True)
class ColumnMapping:
    """A user's mapping from source columns to HTCDS fields, with optional value recodes.

    Attributes
    ----------
    columns : mapping of str to (str or None)
        Source column header -> canonical HTCDS field; ``None`` ignores the column on purpose.
    values : mapping of str to mapping of str to str
        HTCDS field -> {source value -> HTCDS value}; source values match ignoring case and
        surrounding spaces.
    source : str or None
        Where the mapping came from (shown in results).
    """

    columns: Mapping[str, str | None] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "columns": dict(self.columns),
            "values": {k: dict(v) for k, v in self.values.items()},
        }


# --- indexes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    names: frozenset[str]
    aliases: Mapping[str, tuple[str, str]]
    normalised: Mapping[str, str]
    primary_labels: Mapping[str, tuple[str, ...]]
    secondary_labels: Mapping[str, tuple[str, ...]]


@cache
def _index() -> _Index:
    cat = field_catalogue()
    aliases: dict[str, tuple[str, str]] = {}
    normalised: dict[str, str] = {}
    primary: dict[str, list[str]] = {}
    secondary: dict[str, list[str]] = {}
    for spec in cat:
        normalised[norm_key(spec.name)] = spec.name
        for alias, source in spec.aliases:
            aliases[alias] = (spec.name, source)
            normalised.setdefault(norm_key(alias), spec.name)
        for text in (spec.label, spec.name[4:]):
            lst = primary.setdefault(norm_key(text), [])
            if spec.name not in lst:
                lst.append(spec.name)
    for name, label in xlsform_labels().items():
        key = norm_key(label)
        if name not in primary.get(key, []):
            secondary.setdefault(key, []).append(name)
    return _Index(
        names=frozenset(s.name for s in cat),
        aliases=aliases,
        normalised=normalised,
        primary_labels={k: tuple(v) for k, v in primary.items()},
        secondary_labels={k: tuple(v) for k, v in secondary.items()},
    )


def _header_text(cell: Any) -> str:
    if cell is None or isinstance(cell, Formula):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def _resolve_name(text: str) -> tuple[str | None, str]:
    idx = _index()
    if text in idx.names:
        return text, "name"
    if text in idx.aliases:
        return idx.aliases[text][0], "alias"
    hit = idx.normalised.get(norm_key(text))
    if hit:
        return hit, "normalised"
    return None, ""


def _label_candidates(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    idx = _index()
    key = norm_key(text)
    return idx.primary_labels.get(key, ()), idx.secondary_labels.get(key, ())


def looks_like_header(row: Sequence[Any]) -> bool:
    """True when at least one cell names an HTCDS field (by name, alias, label or group path)."""
    for cell in row:
        text = _header_text(cell)
        if not text:
            continue
        for candidate in (text, text.rsplit("/", 1)[-1]):
            name, _ = _resolve_name(candidate)
            primary, secondary = _label_candidates(candidate)
            if name or primary or secondary:
                return True
    return False


def is_label_row(row: Sequence[Any]) -> bool:
    """True when most text cells of ``row`` are HTCDS labels (the Excel templates' second row)."""
    texts = [_header_text(c) for c in row if isinstance(c, str) and c.strip()]
    if len(texts) < 2 or len(texts) != len([c for c in row if c is not None]):
        return False
    hits = sum(1 for t in texts if any(_label_candidates(t)))
    return hits >= max(2, (len(texts) + 1) // 2)


# --- planning -----------------------------------------------------------------------------


def _loc(file: str, sheet: str | None, row: int, column: str, fld: str | None = None) -> Location:
    return Location(file=file, sheet=sheet, row=row, column=column, field=fld)


def plan_columns(
    header: Sequence[Any],
    label_row: Sequence[Any] | None,
    *,
    file: str,
    sheet: str | None,
    header_row: int,
    mapping: ColumnMapping | None = None,
    id_column: str | None = None,
    catalogue: FieldCatalogue | None = None,
) -> tuple[list[ColumnPlan], list[Issue]]:
    """Decide, for every column, which HTCDS field it holds; report each decision worth knowing."""
    cat = catalogue or field_catalogue()
    issues: list[Issue] = []
    plans: list[ColumnPlan | None] = [None] * len(header)
    map_cols = {norm_key(k): v for k, v in (mapping.columns if mapping else {}).items()}
    map_exact = dict(mapping.columns) if mapping else {}
    wanted_id = id_column
    if wanted_id is None:
        texts = {_header_text(c) for c in header}
        wanted_id = next((c for c in ID_COLUMNS if c in texts), None)
    ambiguous: dict[str, list[int]] = {}

    for i, cell in enumerate(header):
        text = _header_text(cell)
        via_label_row = False
        if not text and label_row is not None and i < len(label_row):
            text = _header_text(label_row[i])
            via_label_row = bool(text)
        column = column_letter(i) if via_label_row or not text else text
        if not text:
            plans[i] = ColumnPlan(i, "", column, None, "unnamed")
            continue
        if text in map_exact or norm_key(text) in map_cols:
            target = map_exact[text] if text in map_exact else map_cols[norm_key(text)]
            plans[i] = ColumnPlan(i, text, column, target, "mapping" if target else "ignored")
            continue
        if text == wanted_id:
            plans[i] = ColumnPlan(i, text, column, None, "id")
            continue
        if text in ROW_NUMBER_HEADERS:
            plans[i] = ColumnPlan(i, text, column, None, "row_number")
            continue
        name, how = _resolve_name(text)
        if name and not via_label_row:
            plans[i] = ColumnPlan(i, text, column, name, how)
            if how == "alias":
                canonical, source = _index().aliases[text]
                issues.append(
                    Issue(
                        "htcds.alias_field_name",
                        f'column "{text}" is the spelling used by the {source}; read as {canonical}, '
                        "the name in the HTCDS 2.0 field list.",
                        _loc(file, sheet, header_row, column, canonical),
                        expected=canonical,
                        fix=f"Rename the column to {canonical} to silence this warning.",
                        severity="warning",
                    )
                )
            elif how == "normalised":
                issues.append(
                    Issue(
                        "htcds.nonstandard_field_name",
                        f'column "{text}" differs from the HTCDS name {name} only in case or '
                        f"punctuation; read as {name}.",
                        _loc(file, sheet, header_row, column, name),
                        expected=name,
                        fix=f"Rename the column to {name}.",
                        severity="warning",
                    )
                )
            continue
        primary, secondary = _label_candidates(text)
        if primary or secondary:
            ambiguous.setdefault(norm_key(text), []).append(i)
            plans[i] = ColumnPlan(i, text, column, None, "label")
            continue
        if text in METADATA_COLUMNS:
            plans[i] = ColumnPlan(i, text, column, None, "metadata")
            continue
        if "/" in text:
            group, last = text.rsplit("/", 1)
            parent, _ = _resolve_name(group.rsplit("/", 1)[-1])
            if parent and cat[parent].multiple:
                plans[i] = ColumnPlan(i, text, column, parent, "option", option=last)
                continue
            name, how = _resolve_name(last)
            if name is None:
                by_label, _ = _label_candidates(last)
                if len(by_label) == 1:
                    name = by_label[0]
            if name:
                plans[i] = ColumnPlan(i, text, column, name, "group_path")
                continue
        close = difflib.get_close_matches(text, sorted(_index().names), n=1, cutoff=0.85)
        hint = f" Did you mean {close[0]}?" if close else ""
        plans[i] = ColumnPlan(i, text, column, None, "unknown")
        issues.append(
            Issue(
                "htcds.unknown_column",
                f'column "{text}" is not an HTCDS 2.0 field; its values are kept as extra data '
                f"and not validated.{hint}",
                _loc(file, sheet, header_row, column),
                fix="Rename it to an HTCDS field name or label, map it in a mapping file, or "
                "map it to nothing to ignore it on purpose.",
                severity="warning",
            )
        )

    # labels: one field per label, or several columns sharing a label assigned in form order
    for cols in ambiguous.values():
        primary, secondary = _label_candidates(_header_text(header[cols[0]]) or "")
        if not primary and not secondary and label_row is not None:
            primary, secondary = _label_candidates(_header_text(label_row[cols[0]]))
        candidates = primary + secondary
        if len(cols) == 1 and len(primary) == 1:
            old = plans[cols[0]]
            assert old is not None
            plans[cols[0]] = ColumnPlan(old.index, old.header, old.column, primary[0], "label")
            if not _header_text(header[cols[0]]):
                issues.append(
                    Issue(
                        "htcds.header_from_label",
                        f"column {old.column} has no field name in the header row; its label "
                        f'"{old.header}" in the next row was used: read as {primary[0]}.',
                        _loc(file, sheet, header_row, old.column, primary[0]),
                        expected=primary[0],
                        fix=f"Write {primary[0]} in the header cell.",
                        severity="warning",
                    )
                )
        elif len(cols) == len(candidates) and len(cols) > 1:
            for col, fld in zip(cols, candidates, strict=True):
                old = plans[col]
                assert old is not None
                plans[col] = ColumnPlan(old.index, old.header, old.column, fld, "label")
                issues.append(
                    Issue(
                        "htcds.ambiguous_label",
                        f'{len(cols)} columns are labelled "{old.header}" (as in the HTCDS XLSForm); '
                        f"column {old.column} was read as {fld} by its position.",
                        _loc(file, sheet, header_row, old.column, fld),
                        expected=", ".join(candidates),
                        fix="Export with field names instead of labels, or use a mapping file.",
                        severity="warning",
                    )
                )
        else:
            for col in cols:
                old = plans[col]
                assert old is not None
                plans[col] = ColumnPlan(old.index, old.header, old.column, None, "ambiguous")
                issues.append(
                    Issue(
                        "htcds.ambiguous_column",
                        f'column "{old.header}" could be any of {", ".join(candidates)}; its values '
                        "are kept as extra data.",
                        _loc(file, sheet, header_row, old.column),
                        expected=", ".join(candidates),
                        fix="Rename the column to one HTCDS field name, or map it in a mapping file.",
                    )
                )

    # one column per field (option columns of one multi-select field are fine together)
    seen: dict[str, ColumnPlan] = {}
    has_whole = {p.field for p in plans if p is not None and p.field and p.how != "option"}
    final: list[ColumnPlan] = []
    for p in plans:
        assert p is not None
        if p.field and p.how == "option":
            if p.field in has_whole:
                p = ColumnPlan(p.index, p.header, p.column, None, "metadata")
            final.append(p)
            continue
        if p.field and p.field in seen:
            first = seen[p.field]
            issues.append(
                Issue(
                    "htcds.duplicate_column",
                    f'columns "{first.column}" and "{p.column}" both hold {p.field}; only the first '
                    "is read, the second is kept as extra data.",
                    _loc(file, sheet, header_row, p.column, p.field),
                    fix="Delete or rename one of the two columns.",
                )
            )
            p = ColumnPlan(p.index, p.header, p.column, None, "duplicate")
        elif p.field:
            seen[p.field] = p
            if cat[p.field].deprecated:
                issues.append(
                    Issue(
                        "htcds.deprecated_field",
                        f"{p.field} is DEPRECATED in HTCDS 2.0; its values are still read.",
                        _loc(file, sheet, header_row, p.column, p.field),
                        fix="Move to the replacement named in the standard "
                        "(Consent section, or the Assessment and Planning sections).",
                        severity="warning",
                    )
                )
        final.append(p)
    if not any(p.field for p in final):
        issues.append(
            Issue(
                "htcds.no_known_columns",
                "no column matches an HTCDS 2.0 field, so no record can be read.",
                Location(file=file, sheet=sheet, row=header_row),
                expected="HTCDS field names such as prs_Gender, vic_TypeOfExploitation, or their labels",
                fix="Check that the first non-empty row is the header row, pick the right sheet, or "
                "supply a mapping file.",
            )
        )
    return final, issues


# --- mapping files ------------------------------------------------------------------------


def load_mapping(
    source: str | Path | bytes, *, name: str | None = None, catalogue: FieldCatalogue | None = None
) -> ColumnMapping:
    """Read a mapping file (CSV or JSON) and check every target against the standard.

    CSV: a header ``source_column,htcds_field[,source_value,htcds_value]``. A row without
    ``source_value`` maps a column (an empty ``htcds_field`` ignores it on purpose); a row with
    ``source_value`` recodes that value of the column's field.

    JSON: ``{"columns": {"Sex": "prs_Gender", "Notes": null},
    "values": {"prs_Gender": {"F": "Feminine", "M": "Masculine"}}}``.

    Raises
    ------
    VinculoError
        ``htcds.bad_mapping`` listing every unknown field or value, with suggestions.
    """
    cat = catalogue or field_catalogue()
    if isinstance(source, bytes):
        data, display = source, name or "<mapping>"
    else:
        path = Path(source)
        display = name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise VinculoError(
                f"{display}: cannot read the mapping file ({exc.strerror or type(exc).__name__}).",
                code="htcds.bad_mapping",
                fields={"file": display},
                fix="Check the path given with --mapping.",
            ) from None
    text, encoding, _ = decode_text(data, display)
    columns: dict[str, str | None] = {}
    recodes: list[tuple[int, str, str, str]] = []  # (line, column-or-field, source value, target)
    if text.lstrip().startswith("{"):
        try:
            doc = parse_json(text, display)
        except VinculoError as exc:
            raise VinculoError(
                f"{exc.message} (mapping file)",
                code="htcds.bad_mapping",
                fields={"file": display},
                fix='Expected {"columns": {...}, "values": {...}}.',
            ) from None
        columns_doc = doc.get("columns", {}) if isinstance(doc, dict) else None
        values_doc = doc.get("values", {}) if isinstance(doc, dict) else None
        if (
            not isinstance(columns_doc, dict)
            or not isinstance(values_doc, dict)
            or not all(v is None or isinstance(v, str) for v in columns_doc.values())
            or not all(
                isinstance(t, dict) and all(isinstance(d, str | int | float | bool) for d in t.values())
                for t in values_doc.values()
            )
        ):
            raise VinculoError(
                f"{display}: the mapping JSON does not have the expected shape.",
                code="htcds.bad_mapping",
                fields={"file": display},
                fix='Expected {"columns": {"source column": "HTCDS field" or null}, '
                '"values": {"HTCDS field": {"source value": "HTCDS value"}}}.',
            )
        for k, v in columns_doc.items():
            columns[str(k)] = str(v) if v else None
        for fld, table in values_doc.items():
            for src, dst in table.items():
                recodes.append((0, str(fld), str(src), str(dst)))
    else:
        table = read_table(data, name=display, settings=ReaderSettings(encoding=encoding))
        rows = iter(table.rows)
        first = next(rows, None)
        header = [str(h).strip() if h is not None else "" for h in first[1]] if first else []
        need = {"source_column", "htcds_field"}
        if not need <= set(header):
            raise VinculoError(
                f"{display}: the mapping CSV header is {header!r}.",
                code="htcds.bad_mapping",
                fields={"file": display},
                fix="Use the header source_column,htcds_field,source_value,htcds_value.",
            )
        for line, cells in rows:
            row = {h: ("" if v is None else str(v)) for h, v in zip(header, cells, strict=False)}
            col = row.get("source_column", "").strip()
            fld = row.get("htcds_field", "").strip()
            src = row.get("source_value", "").strip()
            dst = row.get("htcds_value", "").strip()
            if src:
                recodes.append((line, col or fld, src, dst))
            elif col:
                columns[col] = fld if fld and fld != "-" else None
    problems: list[Issue] = []
    fixed: dict[str, str | None] = {}
    for col, fld in columns.items():
        if fld is None:
            fixed[col] = None
            continue
        name, _ = _resolve_name(fld)
        if name is None:
            close = difflib.get_close_matches(fld, sorted(_index().names), n=1, cutoff=0.6)
            problems.append(
                Issue(
                    "htcds.bad_mapping",
                    f'column "{col}" is mapped to {fld!r}, which is not an HTCDS 2.0 field.'
                    + (f" Did you mean {close[0]}?" if close else ""),
                    Location(file=display, column=col),
                )
            )
        fixed[col] = name
    values: dict[str, dict[str, str]] = {}
    for line, key, src, dst in recodes:
        fld_name = fixed.get(key) or _resolve_name(key)[0]
        where = Location(file=display, row=line or None, column=key)
        if fld_name is None:
            problems.append(
                Issue(
                    "htcds.bad_mapping",
                    f"value recode for {key!r}: not a mapped column or HTCDS field.",
                    where,
                )
            )
            continue
        spec = cat[fld_name]
        if spec.type in (FieldType.PICKLIST, FieldType.MULTI_PICKLIST) and dst:
            codes = {norm_key(v): v for v in spec.values}
            if norm_key(dst) not in codes:
                problems.append(
                    Issue(
                        "htcds.bad_mapping",
                        f"{src!r} is recoded to {dst!r}, which is not a value of {fld_name}.",
                        where,
                        expected=", ".join(spec.values),
                    )
                )
                continue
            dst = codes[norm_key(dst)]
        values.setdefault(fld_name, {})[src.strip().casefold()] = dst
    if problems:
        raise VinculoError(
            f"{display}: the mapping file has {len(problems)} problem(s): "
            + " ".join(i.message for i in problems[:5]),
            code="htcds.bad_mapping",
            issues=problems,
            fields={"file": display},
            fix="Use field names exactly as in the HTCDS 2.0 field list (vinculo htcds reference).",
        )
    return ColumnMapping(columns=fixed, values=values, source=display)
