"""Read a case-data file into typed HTCDS records with every problem found: ``read_submission``."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from vinculo import __version__
from vinculo.errors import Issue, Location, VinculoError
from vinculo.htcds._columns import ColumnMapping, ColumnPlan, is_label_row, looks_like_header, plan_columns
from vinculo.htcds._fields import STANDARD_VERSION, Entity, field_catalogue
from vinculo.htcds._validate import IssueLog, RowConverter, ValidationSettings, check_record
from vinculo.readers import ReaderSettings, Table, read_table

__all__ = [
    "ParsedRecord",
    "ParsedSubmission",
    "RecordSource",
    "SubmissionReader",
    "SubmissionSettings",
    "open_submission",
    "read_submission",
]

_HEADER_SEARCH_ROWS = 10
_CELL_REF = re.compile(r"^[A-Z]+(\d+)(?::[A-Z]+(\d+))?$")


@dataclass(frozen=True, slots=True)
class SubmissionSettings:
    """Settings for reading one submission.

    Attributes
    ----------
    reader : ReaderSettings
        File size and row limits, forced encoding, delimiter or sheet.
    validation : ValidationSettings
        Today's date for future-date checks, day/month order, issue cap.
    keep_records : bool
        Keep the typed records in the result (False: validate only, constant memory).
    id_column : str or None
        Column holding the source system's record id. By default the first present of
        ``source_record_id, record_id, case_id, id, _uuid, meta/instanceID, instanceID, KEY, _id``.
    record_id_key : bytes or None
        Key for the content hash used as ``source_record_id`` when a row has no id (BLAKE2b,
        keyed when given, so ids cannot be checked against guessed names).
    """

    reader: ReaderSettings = field(default_factory=ReaderSettings)
    validation: ValidationSettings = field(default_factory=ValidationSettings)
    keep_records: bool = True
    id_column: str | None = None
    record_id_key: bytes | None = None


@dataclass(frozen=True, slots=True)
class RecordSource:
    """What all records of one file share: file, sheet and the column of each field."""

    file: str
    sheet: str | None
    field_columns: Mapping[str, str]


@cache
def _entity_of() -> dict[str, Entity]:
    return {spec.name: spec.entity for spec in field_catalogue()}


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    """One source row as typed HTCDS values.

    ``values`` maps canonical field names to typed values: ``str`` for text, picklist codes
    and ISO codes; ``tuple[str, ...]`` for multi-selects; ``datetime.date``; ``bool``;
    ``int``/``float``. ``extra`` keeps the cells of columns that are not HTCDS fields
    (unknown, duplicate, metadata), by header. Treat ``extra`` as protected: it may hold
    anything.
    """

    source_record_id: str
    row: int
    values: Mapping[str, Any]
    extra: Mapping[str, Any] | None
    source: RecordSource

    def location(self, field: str | None = None) -> Location:
        """Where the record (or one of its fields) came from."""
        column = self.source.field_columns.get(field) if field else None
        return Location(self.source.file, self.source.sheet, self.row, column, field)

    def entity(self, entity: Entity | str) -> dict[str, Any]:
        """The fields of one HTCDS entity (e.g. ``"person"``), as a new plain dict."""
        ent = Entity(entity)
        return {k: v for k, v in self.values.items() if _entity_of()[k] is ent}

    def entities(self) -> tuple[Entity, ...]:
        """Entities with at least one value in this record, in the standard's order."""
        present = {_entity_of()[k] for k in self.values}
        return tuple(e for e in Entity if e in present)


@dataclass(frozen=True)
class ParsedSubmission:
    """Result of reading one file: typed records, counts, every issue, and how it was read."""

    file: str
    format: str
    checksum: str
    sheet: str | None
    sheets: tuple[str, ...]
    encoding: str | None
    encoding_detail: str | None
    delimiter: str | None
    header_row: int | None
    label_row: int | None
    columns: tuple[ColumnPlan, ...]
    mapping: ColumnMapping | None
    records: tuple[ParsedRecord, ...]
    n_records: int
    counts_by_entity: Mapping[str, int]
    issues: tuple[Issue, ...]
    issue_counts: Mapping[str, int]
    n_errors: int
    n_warnings: int
    date_formats: Mapping[str, Mapping[str, int]]
    empty_rows_skipped: int
    standard_version: str = STANDARD_VERSION
    vinculo_version: str = __version__

    @property
    def ok(self) -> bool:
        """True when no issue is an error (warnings allowed)."""
        return self.n_errors == 0

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")

    def records_for(self, entity: Entity | str) -> Iterator[dict[str, Any]]:
        """Plain dicts for one entity: ``{"source_record_id", "location", "values"}``."""
        ent = Entity(entity)
        for rec in self.records:
            values = rec.entity(ent)
            if values:
                yield {"source_record_id": rec.source_record_id, "location": rec.location(), "values": values}

    def summary(self) -> str:
        """A fixed-width report of the reading."""
        lines = [
            f"HTCDS {self.standard_version} submission: {self.file}",
            f"  format      {self.format}" + (f", sheet {self.sheet!r}" if self.sheet else ""),
        ]
        if self.encoding:
            lines.append(f"  encoding    {self.encoding} ({self.encoding_detail})")
        lines.append(f"  records     {self.n_records:,}  (empty rows skipped: {self.empty_rows_skipped:,})")
        for ent, n in self.counts_by_entity.items():
            lines.append(f"    {ent:<18}{n:>10,}")
        mapped = sum(1 for c in self.columns if c.field)
        lines.append(f"  columns     {len(self.columns)} ({mapped} HTCDS fields)")
        for fld, fmts in self.date_formats.items():
            lines.append(f"  dates       {fld}: " + ", ".join(f"{f} x{n}" for f, n in fmts.items()))
        lines.append(f"  errors      {self.n_errors:,}")
        lines.append(f"  warnings    {self.n_warnings:,}")
        lines.append(f"  valid       {'yes' if self.ok else 'no'}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe description (no record values)."""
        return {
            "ok": self.ok,
            "file": self.file,
            "format": self.format,
            "checksum": self.checksum,
            "sheet": self.sheet,
            "sheets": list(self.sheets),
            "encoding": self.encoding,
            "encoding_detail": self.encoding_detail,
            "delimiter": self.delimiter,
            "header_row": self.header_row,
            "label_row": self.label_row,
            "columns": [c.to_dict() for c in self.columns],
            "mapping": self.mapping.to_dict() if self.mapping else None,
            "n_records": self.n_records,
            "counts_by_entity": dict(self.counts_by_entity),
            "n_errors": self.n_errors,
            "n_warnings": self.n_warnings,
            "issue_counts": dict(self.issue_counts),
            "issues": [i.to_dict() for i in self.issues],
            "date_formats": {k: dict(v) for k, v in self.date_formats.items()},
            "empty_rows_skipped": self.empty_rows_skipped,
            "standard_version": self.standard_version,
            "vinculo_version": self.vinculo_version,
        }


class SubmissionReader:
    """Streams typed records from a :class:`~vinculo.readers.Table`; build with :func:`open_submission`.

    Iterate once over the reader to get :class:`ParsedRecord` objects as they are read, then
    call :meth:`result` for counts and issues. Problems that make the file unusable raise
    :class:`~vinculo.errors.VinculoError` (while opening, or while iterating for damage found
    late, e.g. a too-many-rows limit); problems in the data become issues.
    """

    def __init__(
        self,
        table: Table,
        *,
        mapping: ColumnMapping | None,
        settings: SubmissionSettings,
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.settings = settings
        self.log = IssueLog(settings.validation.max_issues)
        self.log.extend(table.issues)
        self.n_records = 0
        self.counts: Counter[str] = Counter()
        self.empty_extra_rows = 0
        self.header_row: int | None = None
        self.label_row: int | None = None
        self._rows = table.rows
        self._pending: list[tuple[int, tuple[Any, ...]]] = []
        self._started = False
        self._finished = False
        self.columns: tuple[ColumnPlan, ...] = ()
        self._read_header()

    # -- header ---------------------------------------------------------------------------

    def _read_header(self) -> None:
        t = self.table
        buffered: list[tuple[int, tuple[Any, ...]]] = []
        for row in self._rows:
            buffered.append(row)
            if len(buffered) >= _HEADER_SEARCH_ROWS:
                break
        if not buffered:
            self.log.add(
                Issue(
                    "htcds.empty_file",
                    "the file has no rows with values.",
                    Location(t.name, t.sheet),
                    fix="Check that you uploaded the right file" + (" and sheet." if t.sheet else "."),
                )
            )
            return
        mapped = set(self.mapping.columns) if self.mapping else set()
        pos = 0
        for k, (_, cells) in enumerate(buffered):
            if looks_like_header(cells) or any(isinstance(c, str) and c.strip() in mapped for c in cells):
                pos = k
                break
        if pos:
            self.log.add(
                Issue(
                    "htcds.rows_above_header",
                    f"{pos} row(s) above the header row {buffered[pos][0]} were skipped.",
                    Location(t.name, t.sheet, buffered[0][0]),
                    fix="Delete title rows so that the header is the first row.",
                    severity="warning",
                )
            )
        header_row, header = buffered[pos]
        rest = buffered[pos + 1 :]
        label: tuple[Any, ...] | None = None
        if rest and is_label_row(rest[0][1]):
            self.label_row, label = rest[0]
            rest = rest[1:]
        self.header_row = header_row
        self._pending = rest
        self._check_merged(header_row)
        plans, issues = plan_columns(
            header,
            label,
            file=t.name,
            sheet=t.sheet,
            header_row=header_row,
            mapping=self.mapping,
            id_column=self.settings.id_column,
        )
        self.log.extend(issues)
        self.columns = tuple(plans)
        if self.settings.id_column and not any(p.how == "id" for p in plans):
            self.log.add(
                Issue(
                    "htcds.id_column_missing",
                    f"the id column {self.settings.id_column!r} is not in the header; record ids "
                    "are content hashes instead.",
                    Location(t.name, t.sheet, header_row),
                    fix="Check the column name passed as id_column.",
                    severity="warning",
                )
            )

    def _check_merged(self, header_row: int) -> None:
        t = self.table
        last = self.label_row or header_row
        for ref in t.merged_ranges:
            m = _CELL_REF.match(ref)
            if not m:
                continue
            top = int(m.group(1))
            bottom = int(m.group(2) or top)
            if top <= last and bottom >= header_row:
                self.log.add(
                    Issue(
                        "htcds.merged_header",
                        f"header cells {ref} are merged; only the first cell of a merged range keeps "
                        "its text, so the other columns have no field name.",
                        Location(t.name, t.sheet, top, ref.split(":")[0]),
                        expected="one header cell per column",
                        fix="Select the header row, choose Unmerge Cells, and give every column its own "
                        "HTCDS field name.",
                    )
                )

    # -- rows -----------------------------------------------------------------------------

    def __iter__(self) -> Iterator[ParsedRecord]:
        if self._started:
            raise RuntimeError("a SubmissionReader can be iterated only once")
        self._started = True
        return self._iter()

    def _iter(self) -> Iterator[ParsedRecord]:
        t = self.table
        if self.header_row is None:
            self._finished = True
            return
        conv = RowConverter(
            self.columns,
            file=t.name,
            sheet=t.sheet,
            settings=self.settings.validation,
            mapping=self.mapping,
            log=self.log,
        )
        self._conv = conv
        source = RecordSource(
            file=t.name,
            sheet=t.sheet,
            field_columns={p.field: p.column for p in self.columns if p.field and p.how != "option"},
        )
        id_index = next((p.index for p in self.columns if p.how == "id"), None)
        headers = [p.header or p.column for p in self.columns]
        unnamed = {p.index for p in self.columns if p.how in ("unnamed", "row_number")}
        key = self.settings.record_id_key
        echo_values = self.settings.validation.echo_values
        seen_ids: dict[str, int] = {}
        log = self.log
        counts = self.counts
        entity_of = _entity_of()

        def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
            yield from self._pending
            self._pending = []
            yield from self._rows

        for row_no, cells in rows():
            values, extra = conv.convert(row_no, cells)
            if not values and not self._has_field_cells(cells):
                if extra is None or all(
                    i in unnamed and conv.unnamed_ints.get(i, False)
                    for i, c in enumerate(cells)
                    if c is not None and c != ""
                ):
                    self.empty_extra_rows += 1
                    continue
                log.add(
                    Issue(
                        "htcds.no_htcds_values",
                        "the row has values only in columns that are not HTCDS fields; no record "
                        "was made from it.",
                        Location(t.name, t.sheet, row_no),
                        fix="Map those columns to HTCDS fields, or delete the row.",
                        severity="warning",
                    )
                )
                continue
            rid = self._record_id(cells, id_index, headers, key)
            if rid in seen_ids:
                first = seen_ids[rid]
                by_id = rid.startswith("id:")
                log.add(
                    Issue(
                        "htcds.duplicate_record_id" if by_id else "htcds.duplicate_row",
                        (f"the record id in this row was already used in row {first}." if by_id else
                         f"the row repeats row {first} exactly."),
                        Location(t.name, t.sheet, row_no, headers[id_index] if by_id and id_index is not None else None),
                        fix="Give every record its own id." if by_id else "Delete the repeated row.",
                        severity="error" if by_id else "warning",
                    )
                )  # fmt: skip
            else:
                seen_ids[rid] = row_no
            check_record(values, Location(t.name, t.sheet, row_no), log, echo_values=echo_values)
            self.n_records += 1
            for ent in {entity_of[k] for k in values}:
                counts[ent.value] += 1
            yield ParsedRecord(rid, row_no, values, extra, source)
        conv.finish_extras(self.header_row)
        self._finished = True

    def _has_field_cells(self, cells: tuple[Any, ...]) -> bool:
        n = len(cells)
        for p in self.columns:
            if p.field and p.index < n:
                c = cells[p.index]
                if c is not None and not (isinstance(c, str) and not c.strip()):
                    return True
        return False

    @staticmethod
    def _record_id(
        cells: tuple[Any, ...], id_index: int | None, headers: list[str], key: bytes | None
    ) -> str:
        if id_index is not None and id_index < len(cells):
            v = cells[id_index]
            if v is not None and str(v).strip():
                if isinstance(v, float) and v.is_integer():
                    v = int(v)
                return f"id:{str(v).strip()}"
        parts = sorted(
            f"{headers[i] if i < len(headers) else i}\x1e{str(c).strip()}"
            for i, c in enumerate(cells)
            if c is not None and str(c).strip()
        )
        digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16, key=(key or b"")[:64])
        return "row:" + digest.hexdigest()

    def result(self, records: tuple[ParsedRecord, ...] = ()) -> ParsedSubmission:
        """Counts, issues and how the file was read; call after iterating."""
        if not self._finished:
            for _ in self._iter() if not self._started else ():
                pass
            if not self._finished:
                raise RuntimeError("iterate over the reader before asking for its result")
        t = self.table
        conv = getattr(self, "_conv", None)
        order = [e.value for e in Entity]
        counts = {k: self.counts[k] for k in order if self.counts.get(k)}
        issues = self.log.finish()
        return ParsedSubmission(
            file=t.name,
            format=t.format,
            checksum=t.checksum,
            sheet=t.sheet,
            sheets=t.sheets,
            encoding=t.encoding,
            encoding_detail=t.encoding_detail,
            delimiter=t.delimiter,
            header_row=self.header_row,
            label_row=self.label_row,
            columns=self.columns,
            mapping=self.mapping,
            records=records,
            n_records=self.n_records,
            counts_by_entity=counts,
            issues=issues,
            issue_counts=dict(self.log.counts),
            n_errors=self.log.errors,
            n_warnings=self.log.warnings,
            date_formats={k: dict(v) for k, v in (conv.date_formats.items() if conv else ())},
            empty_rows_skipped=t.empty_rows_skipped + self.empty_extra_rows,
        )


def open_submission(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    mapping: ColumnMapping | None = None,
    settings: SubmissionSettings | None = None,
) -> SubmissionReader:
    """Open a CSV, XLSX, JSON or KoBo/ODK export and plan its columns; stream with ``for``.

    Raises
    ------
    VinculoError
        When the file is unusable (too large, bad encoding, encrypted or truncated XLSX,
        missing sheet, malformed CSV or JSON).
    """
    settings = settings or SubmissionSettings()
    mapped = set(mapping.columns) if mapping else set()

    def prefer(row: Any) -> bool:
        return looks_like_header(row) or any(isinstance(c, str) and c.strip() in mapped for c in row)

    table = read_table(source, name=name, settings=settings.reader, prefer_sheet=prefer)
    return SubmissionReader(table, mapping=mapping, settings=settings)


def read_submission(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    mapping: ColumnMapping | None = None,
    settings: SubmissionSettings | None = None,
) -> ParsedSubmission:
    """Read a case-data file into typed HTCDS records and report every problem at once.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the bytes of an upload (then pass ``name`` for messages and format
        detection by extension).
    name : str, optional
        File name used in messages.
    mapping : ColumnMapping, optional
        Column renames and value recodes (:func:`load_mapping`).
    settings : SubmissionSettings, optional

    Returns
    -------
    ParsedSubmission
        Records (unless ``settings.keep_records`` is False), counts per entity, issues,
        encoding, sheet and the column plan.

    Raises
    ------
    VinculoError
        When the file cannot be used at all; problems in the data are issues instead.

    Examples
    --------
    >>> from vinculo.htcds import read_submission
    >>> sub = read_submission(b"prs_Gender,vic_TypeOfExploitation\\nFeminine,ForcedLabour\\n", name="a.csv")
    >>> sub.ok, sub.n_records, sub.records[0].values["vic_TypeOfExploitation"]
    (True, 1, ('ForcedLabour',))
    """
    settings = settings or SubmissionSettings()
    reader = open_submission(source, name=name, mapping=mapping, settings=settings)
    if settings.keep_records:
        records = tuple(reader)
    else:
        records = ()
        for _ in reader:
            pass
    return reader.result(records)


def require_valid(sub: ParsedSubmission) -> ParsedSubmission:
    """Return ``sub`` if it has no errors, else raise one VinculoError carrying every issue."""
    if sub.ok:
        return sub
    raise VinculoError(
        f"{sub.file}: {sub.n_errors:,} error(s) in the submission.",
        code="htcds.invalid_submission",
        issues=sub.issues,
        fields={"file": sub.file, "errors": sub.n_errors},
        fix="Fix the listed cells and upload the file again.",
    )
