"""Check values against HTCDS 2.0 and turn rows into typed records; collect every problem."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from vinculo.errors import Issue, Location
from vinculo.htcds._columns import ColumnMapping, ColumnPlan, plan_columns
from vinculo.htcds._convert import BadValue, Converter, DateSettings, _code_lookup, make_converter, norm_key
from vinculo.htcds._fields import FieldCatalogue, FieldSpec, field_catalogue
from vinculo.readers import Formula

__all__ = ["IssueLog", "RowConverter", "ValidationSettings", "validate_records"]

_FIELD_HOWS = frozenset({"name", "alias", "normalised", "label", "group_path", "mapping"})
_EXTRA_HOWS = frozenset({"unknown", "duplicate", "ambiguous", "metadata", "unnamed", "row_number", "id"})
_ROW_NUMBER_HOWS = frozenset({"unnamed", "row_number"})
_TRUTHY = frozenset({"1", "true", "yes", "y", "x"})
_RECODE_SPLIT = re.compile(r"[;|,\n]")


@dataclass(frozen=True, slots=True)
class ValidationSettings:
    """How values are checked.

    Attributes
    ----------
    today : datetime.date or None
        Dates after this day are flagged as future dates; ``None`` means the day of the call.
    date_order : {"DMY", "MDY"} or None
        How to read numeric dates like 03/04/2021: ``"DMY"`` day first, ``"MDY"`` month first.
        ``None`` (the default: no order chosen) reads each date in the only order that makes it
        a valid date, and reports a date valid in both orders (12/05/1988) as an
        ``htcds.ambiguous_date`` error naming both readings. ISO dates (YYYY-MM-DD) are never
        ambiguous.
    max_issues : int
        Issues kept in full; the rest are counted in ``issue_counts`` and summarised by one
        ``htcds.too_many_issues`` warning.
    echo_values : bool
        Whether issues quote the offending value (in ``value`` and in the message). Values of
        protected fields are never quoted. ``False`` for problem lists that are stored or shown
        to others: an invalid value may still identify a person (a name typed in the wrong column).
    """

    today: dt.date | None = None
    date_order: Literal["DMY", "MDY"] | None = None
    max_issues: int = 1000
    echo_values: bool = True


class IssueLog:
    """Collects issues up to a cap, counting all of them by code and severity."""

    def __init__(self, max_issues: int) -> None:
        self.issues: list[Issue] = []
        self.counts: Counter[str] = Counter()
        self.errors = 0
        self.warnings = 0
        self._max = max_issues

    def add(self, issue: Issue) -> None:
        self.counts[issue.code] += 1
        if issue.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.issues) < self._max:
            self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.add(issue)

    def finish(self) -> tuple[Issue, ...]:
        total = self.errors + self.warnings
        if total > len(self.issues):
            left = total - len(self.issues)
            summary = ", ".join(f"{code} x{n}" for code, n in self.counts.most_common(8))
            return (
                *self.issues,
                Issue(
                    "htcds.too_many_issues",
                    f"{left:,} more issue(s) not listed ({total:,} in all: {summary}).",
                    fix="Fix the listed problems first; they often repeat down a column.",
                    severity="warning",
                ),
            )
        return tuple(self.issues)


@dataclass(frozen=True, slots=True)
class _FieldColumn:
    index: int
    column: str
    spec: FieldSpec
    convert: Converter
    recodes: Mapping[str, str] | None


def _is_row_number(cell: Any) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int) or (isinstance(cell, float) and cell.is_integer()):
        return cell >= 0
    return isinstance(cell, str) and cell.strip().isdigit()


class RowConverter:
    """Converts rows of raw cells to typed records, using a column plan fixed once per file."""

    def __init__(
        self,
        plans: Sequence[ColumnPlan],
        *,
        file: str,
        sheet: str | None,
        settings: ValidationSettings,
        mapping: ColumnMapping | None,
        log: IssueLog,
        catalogue: FieldCatalogue | None = None,
    ) -> None:
        cat = catalogue or field_catalogue()
        today = settings.today or dt.date.today()
        dset = DateSettings(today=today, order=settings.date_order)
        recodes = mapping.values if mapping else {}
        self.file = file
        self.sheet = sheet
        self.log = log
        self.echo_values = settings.echo_values
        self.fields: list[_FieldColumn] = []
        self.options: list[tuple[int, str, str | None, str]] = []  # index, field, code, column
        self.extras: list[tuple[int, str]] = []
        self.unnamed_ints: dict[int, bool] = {}
        self.date_formats: dict[str, Counter[str]] = {}
        converters: dict[str, Converter] = {}
        for p in plans:
            if p.field and p.how in _FIELD_HOWS:
                spec = cat[p.field]
                conv = converters.setdefault(p.field, make_converter(spec, dset))
                self.fields.append(_FieldColumn(p.index, p.column, spec, conv, recodes.get(p.field)))
            elif p.field and p.how == "option":
                code = _code_lookup(cat[p.field]).get(norm_key(p.option or ""))
                self.options.append((p.index, p.field, code, p.column))
            elif p.how in _EXTRA_HOWS:
                self.extras.append((p.index, p.header or p.column))
                if p.how in _ROW_NUMBER_HOWS:
                    self.unnamed_ints[p.index] = True
        self._option_fields = {f for _, f, _, _ in self.options}
        self._option_bad_reported: set[str] = set()

    def _bad(self, exc: BadValue, row: int, fc: _FieldColumn, raw: Any) -> None:
        echo = self.echo_values and not fc.spec.protected
        value = str(raw)[:200] if echo else None
        message = exc.message if echo or not exc.shown else exc.message.replace(exc.shown, exc.hidden, 1)
        self.log.add(
            Issue(
                exc.code,
                f"{fc.spec.name}: {message}",
                Location(self.file, self.sheet, row, fc.column, fc.spec.name),
                value=value,
                expected=exc.expected,
                fix=" ".join(p for p in (f"Expected {exc.expected}." if exc.expected else "", exc.fix) if p),
            )
        )

    def convert(self, row: int, cells: Sequence[Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """Return (typed values by canonical field, extra cells by header) for one row."""
        values: dict[str, Any] = {}
        n = len(cells)
        for fc in self.fields:
            if fc.index >= n:
                continue
            raw = cells[fc.index]
            if raw is None:
                continue
            if isinstance(raw, str):
                if isinstance(raw, Formula):
                    self.log.add(
                        Issue(
                            "htcds.formula_cell",
                            f"{fc.spec.name}: the cell holds a formula; vinculo does not evaluate "
                            "formulas or trust their cached results, so the cell is not read.",
                            Location(self.file, self.sheet, row, fc.column, fc.spec.name),
                            value=str(raw)[:200] if self.echo_values and not fc.spec.protected else None,
                            expected="a plain value",
                            fix="Copy the column and Paste Special > Values, then upload again.",
                        )
                    )
                    continue
                raw = raw.strip()
                if not raw:
                    continue
            elif isinstance(raw, list) and not raw:
                continue
            if fc.recodes is not None:
                raw = self._recode(raw, fc)
            try:
                value, fmt = fc.convert(raw)
            except BadValue as exc:
                self._bad(exc, row, fc, raw)
                continue
            if fmt is not None:
                counter = self.date_formats.get(fc.spec.name)
                if counter is None:
                    counter = self.date_formats[fc.spec.name] = Counter()
                counter[fmt] += 1
            values[fc.spec.name] = value
        if self.options:
            self._collect_options(row, cells, values)
        extra: dict[str, Any] | None = None
        for index, header in self.extras:
            if index < n and cells[index] is not None and cells[index] != "":
                if extra is None:
                    extra = {}
                cell = cells[index]
                if index in self.unnamed_ints:
                    if _is_row_number(cell):
                        continue  # a spreadsheet row number, not data of the record
                    self.unnamed_ints[index] = False
                extra[header] = cell
        return values, extra or None

    def _recode(self, raw: Any, fc: _FieldColumn) -> Any:
        table = fc.recodes
        assert table is not None
        key = str(raw).strip().casefold()
        if key in table:
            return table[key]
        if fc.spec.multiple and isinstance(raw, str):
            parts = [p.strip() for p in _RECODE_SPLIT.split(raw) if p.strip()]
            if any(p.casefold() in table for p in parts):
                return " ; ".join(table.get(p.casefold(), p) for p in parts)
        return raw

    def _collect_options(self, row: int, cells: Sequence[Any], values: dict[str, Any]) -> None:
        chosen: dict[str, list[str]] = {}
        for index, fld, code, column in self.options:
            if index >= len(cells):
                continue
            cell = cells[index]
            if cell is None or str(cell).strip().casefold() not in _TRUTHY:
                continue
            if code is None:
                if column not in self._option_bad_reported:
                    self._option_bad_reported.add(column)
                    self.log.add(
                        Issue(
                            "htcds.invalid_value",
                            f'{fld}: column "{column}" names an option that is not an HTCDS value.',
                            Location(self.file, self.sheet, row, column, fld),
                            fix="Rename the column, or map it in a mapping file.",
                        )
                    )
                continue
            chosen.setdefault(fld, []).append(code)
        for fld, codes in chosen.items():
            values[fld] = tuple(dict.fromkeys(codes))

    def finish_extras(self, header_row: int) -> None:
        """Report unnamed or "#"-headed columns that hold values other than row numbers."""
        for index, header in self.extras:
            if index in self.unnamed_ints and not self.unnamed_ints[index] and header:
                self.log.add(
                    Issue(
                        "htcds.unnamed_column",
                        f'column "{header}" holds values that are not row numbers; they are kept as '
                        "extra data.",
                        Location(self.file, self.sheet, header_row, header),
                        fix="Give the column an HTCDS field name, or delete it.",
                        severity="warning",
                    )
                )


def check_record(
    values: Mapping[str, Any], loc: Location, log: IssueLog, *, echo_values: bool = True
) -> None:
    """Cross-field checks for one record (consistency between fields of the standard).

    With ``echo_values=False`` no message quotes a value.
    """
    types = values.get("vic_TypeOfExploitation")
    if types is not None:
        if "vic_ForcedLabourIndustry" in values and "ForcedLabour" not in types:
            log.add(
                Issue(
                    "htcds.inconsistent",
                    "vic_ForcedLabourIndustry is filled but vic_TypeOfExploitation does not include ForcedLabour.",
                    Location(loc.file, loc.sheet, loc.row, None, "vic_ForcedLabourIndustry"),
                    fix="Add ForcedLabour to vic_TypeOfExploitation or clear the industry.",
                    severity="warning",
                )
            )
        if "vic_TypeOfSexExploitation" in values and "SexualExploitation" not in types:
            log.add(
                Issue(
                    "htcds.inconsistent",
                    "vic_TypeOfSexExploitation is filled but vic_TypeOfExploitation does not include "
                    "SexualExploitation.",
                    Location(loc.file, loc.sheet, loc.row, None, "vic_TypeOfSexExploitation"),
                    fix="Add SexualExploitation to vic_TypeOfExploitation or clear the field.",
                    severity="warning",
                )
            )
    inc, out = values.get("cas_IncomingReferralDate"), values.get("cas_OutgoingReferralDate")
    if isinstance(inc, dt.date) and isinstance(out, dt.date) and out < inc:
        log.add(
            Issue(
                "htcds.inconsistent",
                f"cas_OutgoingReferralDate {out.isoformat()} is before cas_IncomingReferralDate {inc.isoformat()}."
                if echo_values
                else "cas_OutgoingReferralDate is before cas_IncomingReferralDate.",
                Location(loc.file, loc.sheet, loc.row, None, "cas_OutgoingReferralDate"),
                fix="Check both dates and their day/month order.",
                severity="warning",
            )
        )
    born = values.get("prs_Birthdate")
    if isinstance(born, dt.date) and isinstance(inc, dt.date) and born > inc:
        log.add(
            Issue(
                "htcds.inconsistent",
                "prs_Birthdate is after cas_IncomingReferralDate.",
                Location(loc.file, loc.sheet, loc.row, None, "prs_Birthdate"),
                fix="Check both dates and their day/month order.",
            )
        )


def validate_records(
    records: Iterable[Mapping[str, Any]],
    *,
    settings: ValidationSettings | None = None,
    source: str = "<records>",
    mapping: ColumnMapping | None = None,
) -> list[Issue]:
    """Check plain records (dicts of HTCDS field -> value) and return every problem at once.

    Keys may be canonical HTCDS names, the spellings of the standard's templates, labels or
    mapped names (see :func:`read_submission` for the rules). Record *n* (1-based) is
    reported as row *n*. Values of protected fields are never echoed (``Issue.value`` is None).

    Parameters
    ----------
    records : iterable of mapping
        The records, e.g. from an API payload or :func:`vinculo.htcds.synthetic.generate`.
    settings : ValidationSettings, optional
    source : str
        Name used as ``Location.file``.
    mapping : ColumnMapping, optional
        Key renames and value recodes.

    Returns
    -------
    list of Issue
        Errors and warnings, in the order found (capped at ``settings.max_issues`` plus one
        summary warning).

    Examples
    --------
    >>> from vinculo.htcds import validate_records
    >>> issues = validate_records([{"prs_Gender": "Feminine"}, {"prs_Gender": "F"}])
    >>> [(i.location.row, i.code) for i in issues]
    [(2, 'htcds.invalid_value')]
    """
    settings = settings or ValidationSettings()
    log = IssueLog(settings.max_issues)
    header: list[str] = []
    known: set[str] = set()
    conv: RowConverter | None = None
    seen: set[tuple[str, str | None]] = set()
    for n, record in enumerate(records, start=1):
        new_keys = [k for k in record if k not in known]
        if new_keys or conv is None:
            header.extend(new_keys)
            known.update(new_keys)
            plans, plan_issues = plan_columns(
                header, None, file=source, sheet=None, header_row=n, mapping=mapping
            )
            for issue in plan_issues:
                seen_key = (issue.code, issue.location.column)
                if seen_key in seen or (issue.code == "htcds.no_known_columns" and not header):
                    continue
                seen.add(seen_key)
                log.add(issue)
            conv = RowConverter(plans, file=source, sheet=None, settings=settings, mapping=mapping, log=log)
        values, _ = conv.convert(n, [record.get(k) for k in header])
        check_record(values, Location(file=source, row=n), log)
    return list(log.finish())
