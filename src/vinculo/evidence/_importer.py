"""Read the UNODC GLOTIP export (xlsx as published, or the same cells as CSV) into a dataset.

Parsing is kept apart from storing: :func:`read_glotip` returns an :class:`ImportResult`
holding an immutable :class:`GlotipDataset` and a report; nothing is written anywhere.
Every problem found is collected and reported once, as one :class:`VinculoError` whose
``issues`` name the file, sheet, row and column; nothing is imported partially.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vinculo.errors import Issue, Location, VinculoError, format_issues
from vinculo.evidence._areas import USER_ASSIGNED_CODES, Area, is_known_code
from vinculo.evidence._count import SUPPRESSED_MAX, SUPPRESSED_TEXT, Count
from vinculo.evidence._dataset import GlotipDataset, GlotipRecord, RecordKey

__all__ = ["COLUMNS", "ImportResult", "parse_glotip_rows", "read_glotip"]

COLUMNS: tuple[str, ...] = (
    "Iso3_code",
    "Country",
    "Region",
    "Subregion",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "txtVALUE",
    "Source",
)
_HEADER_SCAN_ROWS = 25
_MAX_ISSUES = 200
_DATE_RE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_FILE_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NO_CODE_NAMES = {name.casefold(): code for code, name in USER_ASSIGNED_CODES.items()}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import produced: the dataset plus a report for people.

    Attributes
    ----------
    dataset : GlotipDataset
    rows_read : int
        Data rows below the header.
    header_row : int
        1-based row number of the header (3 in the UNODC file: two banner rows above it).
    sheet : str or None
        Worksheet read (xlsx only).
    combined_rows : int
        Rows that repeated an earlier key and were added into it.
    unmapped : tuple of (str, int)
        Citizenship/repatriation texts no rule could map, with their row counts.
    category_kinds : dict
        Rows per kind of category (country, nationals, unknown, aggregate, invalid, ...).
    warnings : tuple of Issue
    """

    dataset: GlotipDataset
    rows_read: int
    header_row: int
    sheet: str | None
    combined_rows: int
    unmapped: tuple[tuple[str, int], ...]
    category_kinds: dict[str, int] = field(default_factory=dict)
    warnings: tuple[Issue, ...] = ()

    def counts_by_indicator(self) -> list[tuple[str, str, int]]:
        """(indicator, dimension, records) for every pair in the file."""
        c = Counter((r.indicator, r.dimension) for r in self.dataset.records)
        return [(i, d, n) for (i, d), n in sorted(c.items())]

    def summary(self) -> str:
        """Fixed-width report for the CLI."""
        ds = self.dataset
        c = [r.count for r in ds.records]
        lines = [
            f"GLOTIP import: {ds.source_name}" + (f" (sheet {self.sheet!r})" if self.sheet else ""),
            f"  export date        {ds.export_date.isoformat() if ds.export_date else 'unknown'}",
            f"  header row         {self.header_row}",
            f"  rows read          {self.rows_read:,}",
            f"  records            {len(ds.records):,} "
            f"({self.combined_rows:,} repeated rows added into them)",
            f'  suppressed cells   {sum(x.suppressed_cells for x in c):,} ("<5")',
            f"  countries          {len(ds.countries)}",
            f"  years              {ds.years[0] if ds.years else '-'}-{ds.years[-1] if ds.years else '-'}",
            f"  content checksum   sha256:{ds.checksum}",
            "",
            "  indicator / dimension                                        records",
        ]
        lines += [f"  {i + ' / ' + d:<60} {n:>8,}" for i, d, n in self.counts_by_indicator()]
        lines += ["", "  citizenship and repatriation categories, rows by kind:"]
        lines += [f"    {k:<12} {n:>7,}" for k, n in sorted(self.category_kinds.items())]
        if self.unmapped:
            lines += ["", f"  UNMAPPED categories ({len(self.unmapped)}), rows:"]
            lines += [f"    {n:>5}  {t!r}" for t, n in self.unmapped]
        else:
            lines += ["", "  every category text was mapped"]
        if self.warnings:
            lines += ["", "  warnings:"] + ["    " + str(w) for w in self.warnings]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        ds = self.dataset
        return {
            "source": ds.source_name,
            "export_date": ds.export_date.isoformat() if ds.export_date else None,
            "checksum": ds.checksum,
            "rows_read": self.rows_read,
            "records": len(ds.records),
            "combined_rows": self.combined_rows,
            "countries": len(ds.countries),
            "years": list(ds.years),
            "indicators": [
                {"indicator": i, "dimension": d, "records": n} for i, d, n in self.counts_by_indicator()
            ],
            "category_kinds": dict(sorted(self.category_kinds.items())),
            "unmapped": [{"text": t, "rows": n} for t, n in self.unmapped],
            "warnings": [w.to_dict() for w in self.warnings],
        }


# ---------------------------------------------------------------------------------------------
def read_glotip(
    path: str | Path,
    *,
    sheet: str | None = None,
    export_date: dt.date | None = None,
    refuse_small_counts: bool = False,
) -> ImportResult:
    """Import a GLOTIP export: ``.xlsx`` as published by UNODC, or ``.csv`` / ``.csv.gz``.

    Parameters
    ----------
    path : str or Path
        The file. The header row is found wherever it is (banner rows above it are allowed
        and a ``dd/mm/yyyy`` date among them is taken as the export date).
    sheet : str, optional
        Worksheet to read; by default every sheet is searched for the header.
    export_date : datetime.date, optional
        Overrides the date found in the banner (or in a ``YYYY-MM-DD`` in the file name).
    refuse_small_counts : bool, default False
        Refuse exact counts from 1 to 4 (``evidence.small_count``): the Global Report publishes them
        only as ``"<5"``. Submissions of new figures set it; UNODC's own exports never hold them.

    Returns
    -------
    ImportResult

    Raises
    ------
    VinculoError
        ``evidence.file_not_found``, ``evidence.unsupported_format``, ``evidence.no_header``,
        ``evidence.missing_columns`` or ``evidence.invalid_export`` (with one Issue per bad cell).

    Examples
    --------
    >>> result = read_glotip("data_glotip.xlsx")  # doctest: +SKIP
    >>> result.dataset.get("NLD", "Detected trafficking victims", 2022)  # doctest: +SKIP
    """
    p = Path(path)
    if not p.is_file():
        raise VinculoError(
            f"{p}: no such file.",
            code="evidence.file_not_found",
            fields={"file": str(p)},
            fix="Check the path; download data_glotip.xlsx from the UNODC Data Portal.",
        )
    name = p.name
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        table, used_sheet = _read_xlsx(p, sheet)
    elif lower.endswith((".csv", ".csv.gz")):
        table, used_sheet = _read_csv(p), None
    else:
        raise VinculoError(
            f"{name}: cannot read this kind of file; expected .xlsx, .csv or .csv.gz.",
            code="evidence.unsupported_format",
            fields={"file": name},
            fix="Pass the data_glotip.xlsx export as downloaded, or a CSV of the same cells.",
        )
    if export_date is None:
        m = _FILE_DATE_RE.search(name)
        if m and table.banner_date is None:
            export_date = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    return parse_glotip_rows(
        table.rows,
        source_name=name,
        sheet=used_sheet,
        export_date=export_date or table.banner_date,
        header_row=table.header_row,
        refuse_small_counts=refuse_small_counts,
    )


@dataclass(slots=True)
class _Table:
    rows: list[tuple[int, tuple[Any, ...]]]  # (1-based row number, cells) below the header
    header_row: int
    banner_date: dt.date | None


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _cell_text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _find_header(
    rows: Iterator[Sequence[Any]], where: str, sheet: str | None
) -> tuple[int, list[str], dt.date | None, list[Sequence[Any]]]:
    """Scan the first rows for the header; return (row number, header, banner date, rows seen)."""
    wanted = {c.casefold() for c in COLUMNS}
    best: tuple[int, int, list[str]] | None = None
    banner_date: dt.date | None = None
    seen: list[Sequence[Any]] = []
    for n, row in enumerate(rows, start=1):
        seen.append(row)
        cells = [_cell_text(v) for v in row]
        hits = sum(1 for c in cells if c.casefold() in wanted)
        if hits >= 3 and (best is None or hits > best[0]):
            best = (hits, n, cells)
            if hits == len(COLUMNS):
                break
        if best is None:
            for c in cells:
                if isinstance(c, str) and (m := _DATE_RE.match(c)):
                    banner_date = banner_date or _safe_date(int(m[3]), int(m[2]), int(m[1]))
                elif isinstance(row[0] if row else None, dt.datetime | dt.date):
                    v = row[0]
                    banner_date = banner_date or (v.date() if isinstance(v, dt.datetime) else v)
        if n >= _HEADER_SCAN_ROWS and best is not None:
            break
        if n >= _HEADER_SCAN_ROWS:
            break
    if best is None:
        raise VinculoError(
            f"{where}: no header row in the first {_HEADER_SCAN_ROWS} rows"
            + (f" of sheet {sheet!r}" if sheet else "")
            + f"; expected a row with the columns {', '.join(COLUMNS)}.",
            code="evidence.no_header",
            fields={"file": where, "sheet": sheet},
            fix="Pass the GLOTIP export as downloaded from the UNODC Data Portal (data_glotip.xlsx).",
        )
    _, header_row, header = best
    return header_row, header, banner_date, seen


def _check_columns(header: list[str], where: str, sheet: str | None, header_row: int) -> list[int]:
    """Positions of COLUMNS in the header, or an error naming every missing column."""
    found = {c.casefold(): i for i, c in enumerate(header) if c}
    issues: list[Issue] = []
    positions: list[int] = []
    extra = [c for c in header if c and c.casefold() not in {x.casefold() for x in COLUMNS}]
    for col in COLUMNS:
        i = found.get(col.casefold())
        if i is None:
            close = difflib.get_close_matches(col, extra, n=1, cutoff=0.5)
            hint = f' Found "{close[0]}" instead: was the column renamed?' if close else ""
            issues.append(
                Issue(
                    "evidence.missing_column",
                    f'column "{col}" is missing from the header.{hint}',
                    Location(file=where, sheet=sheet, row=header_row, column=col),
                    value=close[0] if close else None,
                    expected=col,
                    fix=f'Restore the column "{col}" (the export has: {", ".join(COLUMNS)}).',
                )
            )
        positions.append(-1 if i is None else i)
    if issues:
        raise VinculoError(
            f"{where}: the header in row {header_row} lacks {len(issues)} required column(s): "
            + ", ".join(i.expected or "" for i in issues)
            + ".",
            code="evidence.missing_columns",
            issues=issues,
            fields={"file": where, "sheet": sheet, "header_row": header_row},
            fix="Use the export as downloaded: the columns are " + ", ".join(COLUMNS) + ".",
        )
    return positions


def _read_xlsx(p: Path, sheet: str | None) -> tuple[_Table, str]:
    import zipfile

    import openpyxl

    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise VinculoError(
            f"{p.name}: cannot open as an Excel workbook ({exc}).",
            code="evidence.unreadable",
            fields={"file": p.name},
            fix="Check that the file is the .xlsx export and is not damaged.",
        ) from exc
    try:
        names = list(wb.sheetnames)
        if sheet is not None and sheet not in names:
            raise VinculoError(
                f"{p.name}: there is no sheet {sheet!r}; the workbook has {', '.join(map(repr, names))}.",
                code="evidence.no_such_sheet",
                fields={"file": p.name, "sheet": sheet, "sheets": names},
                fix="Pass one of the sheet names listed, or omit the sheet to search every sheet.",
            )
        errors: list[VinculoError] = []
        for name in [sheet] if sheet else names:
            ws = wb[name]
            ws.reset_dimensions()  # the export's <dimension> says A1
            it = ws.iter_rows(values_only=True)
            try:
                header_row, header, banner_date, _ = _find_header(it, p.name, name)
            except VinculoError as exc:
                errors.append(exc)
                continue
            positions = _check_columns(header, p.name, name, header_row)
            rows = [
                (n, _pick(row, positions)) for n, row in enumerate(it, start=header_row + 1) if _nonblank(row)
            ]
            return _Table(rows, header_row, banner_date), name
        raise VinculoError(
            f"{p.name}: none of the sheets ({', '.join(map(repr, names))}) has the GLOTIP header "
            f"in its first {_HEADER_SCAN_ROWS} rows.",
            code="evidence.no_header",
            fields={"file": p.name, "sheets": names},
            fix="Pass the export as downloaded (columns " + ", ".join(COLUMNS) + ").",
        )
    finally:
        wb.close()


def _nonblank(row: Sequence[Any]) -> bool:
    return any(v is not None and str(v).strip() != "" for v in row)


#: The largest export accepted once decompressed (the 2025 export is about 8 MB).
MAX_UNCOMPRESSED_BYTES = 200_000_000


def _pick(row: Sequence[Any], positions: list[int]) -> tuple[Any, ...]:
    n = len(row)
    return tuple(row[i] if i < n else None for i in positions)


def _read_csv(p: Path) -> _Table:
    raw = p.read_bytes()
    if p.name.lower().endswith(".gz"):
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            raw = inflater.decompress(raw, MAX_UNCOMPRESSED_BYTES + 1)
        except zlib.error as exc:
            raise VinculoError(
                f"{p.name}: not a valid gzip file ({exc}).",
                code="evidence.unreadable",
                fields={"file": p.name},
                fix="Decompress and check the file, or pass the .xlsx export.",
            ) from exc
    if len(raw) > MAX_UNCOMPRESSED_BYTES:
        raise VinculoError(
            f"{p.name}: the data are larger than {MAX_UNCOMPRESSED_BYTES // 1_000_000} MB once decompressed; "
            "the full UNODC export is about 8 MB.",
            code="evidence.too_large",
            fields={"file": p.name},
            fix="Check that this is a Global Report data export; split very large files by year.",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VinculoError(
            f"{p.name}: the file is not UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 4]!r}).",
            code="evidence.bad_encoding",
            fields={"file": p.name, "offset": exc.start},
            fix="Save the CSV as UTF-8, or import the .xlsx export instead.",
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_row, header, banner_date, _ = _find_header(reader, p.name, None)
        positions = _check_columns(header, p.name, None, header_row)
        rows = [
            (n, _pick(row, positions)) for n, row in enumerate(reader, start=header_row + 1) if _nonblank(row)
        ]
    except csv.Error as exc:
        raise VinculoError(
            f"{p.name}, line {reader.line_num}: not a readable CSV file ({exc}).",
            code="evidence.unreadable",
            fields={"file": p.name, "line": reader.line_num},
            fix="Save the sheet as CSV (UTF-8) again, or import the .xlsx export instead.",
        ) from exc
    return _Table(rows, header_row, banner_date)


# ---------------------------------------------------------------------------------------------
def parse_glotip_rows(
    rows: Iterable[tuple[int, Sequence[Any]]],
    *,
    source_name: str = "<rows>",
    sheet: str | None = None,
    export_date: dt.date | None = None,
    header_row: int = 1,
    refuse_small_counts: bool = False,
) -> ImportResult:
    """Validate and combine rows already cut to :data:`COLUMNS` order into an :class:`ImportResult`.

    ``rows`` yields ``(row_number, cells)``; cells may be text (CSV) or typed (xlsx).
    All problems are collected; if there is any, one ``evidence.invalid_export`` error is
    raised carrying them all (at most 200 listed) and no dataset is returned. With
    ``refuse_small_counts``, an exact count from 1 to 4 is such a problem (see :func:`read_glotip`).
    """
    issues: list[Issue] = []
    n_issues = 0
    warnings: list[Issue] = []
    parts: dict[RecordKey, list[Count]] = defaultdict(list)
    areas: dict[str, tuple[str, str, str, int]] = {}
    uncoded: dict[str, int] = {}
    rows_read = 0

    def bad(row: int, column: str, value: Any, message: str, expected: str, fix: str, code: str) -> None:
        nonlocal n_issues
        n_issues += 1
        if len(issues) < _MAX_ISSUES:
            issues.append(
                Issue(
                    code,
                    message,
                    Location(file=source_name, sheet=sheet, row=row, column=column),
                    value=None if value is None else str(value),
                    expected=expected,
                    fix=fix,
                )
            )

    for n, cells in rows:
        rows_read += 1
        (
            iso3,
            country,
            region,
            subregion,
            indicator,
            dimension,
            category,
            sex,
            age,
            year,
            unit,
            value,
            _src,
        ) = cells
        code = _cell_text(iso3).upper()
        cname = _cell_text(country)
        if not code:
            assigned = _NO_CODE_NAMES.get(cname.casefold())
            if assigned is None:
                bad(
                    n,
                    "Iso3_code",
                    iso3,
                    f'the country code is empty (Country "{cname}").',
                    "an ISO 3166-1 alpha-3 code",
                    "Fill in the ISO3 code of the country.",
                    "evidence.missing_code",
                )
                continue
            code = assigned
            uncoded[cname] = uncoded.get(cname, 0) + 1
        elif not is_known_code(code):
            bad(
                n,
                "Iso3_code",
                iso3,
                f'"{code}" is not an ISO 3166-1 alpha-3 country code.',
                "an ISO 3166-1 alpha-3 code such as NLD",
                "Correct the code.",
                "evidence.unknown_code",
            )
            continue
        reg, sub = _cell_text(region), _cell_text(subregion)
        prev = areas.get(code)
        if prev is None:
            areas[code] = (cname, reg, sub, n)
        elif prev[:3] != (cname, reg, sub):
            bad(
                n,
                "Country",
                f"{cname} / {reg} / {sub}",
                f'{code} is "{cname}" in {reg} / {sub} here but "{prev[0]}" in {prev[1]} / {prev[2]} '
                f"in row {prev[3]}.",
                "one name, region and subregion per code",
                "Make the rows of this code agree.",
                "evidence.inconsistent_country",
            )
        ind, dim = _cell_text(indicator), _cell_text(dimension)
        for col, v in (
            ("Indicator", ind),
            ("Dimension", dim),
            ("Sex", _cell_text(sex)),
            ("Age", _cell_text(age)),
        ):
            if not v:
                bad(
                    n,
                    col,
                    v,
                    f'"{col}" is empty.',
                    "a value as in the export",
                    "Fill in the cell.",
                    "evidence.empty_cell",
                )
        yr = _parse_year(year)
        if yr is None:
            bad(
                n,
                "Year",
                year,
                f"{year!r} is not a year.",
                "a whole year such as 2022",
                "Correct the year.",
                "evidence.bad_year",
            )
        u = _cell_text(unit)
        if u != "Counts":
            bad(
                n,
                "Unit of measurement",
                unit,
                f'unit "{u}" is not supported.',
                '"Counts"',
                "Only counts can be imported; remove rates or other units.",
                "evidence.bad_unit",
            )
        count = _parse_value(value)
        if count is None:
            bad(
                n,
                "txtVALUE",
                value,
                f"{value!r} is not a count.",
                'a whole number (thousands may carry commas, "1,269") or "<5"',
                'Correct the number; do not replace "<5" by a number.',
                "evidence.bad_number",
            )
        elif refuse_small_counts and count.is_exact and 1 <= (count.value or 0) <= SUPPRESSED_MAX:
            bad(
                n,
                "txtVALUE",
                value,
                f'"{_cell_text(value)}" is an exact count from 1 to {SUPPRESSED_MAX}; the Global Report publishes '
                f'such counts only as "{SUPPRESSED_TEXT}" (small-cell protection).',
                f'"{SUPPRESSED_TEXT}", 0, or a count of {SUPPRESSED_MAX + 1} or more',
                f'Write "{SUPPRESSED_TEXT}" in this cell instead of the exact count.',
                "evidence.small_count",
            )
            continue
        if count is None or yr is None or not ind or not dim:
            continue
        cat = _cell_text(category)
        parts[(code, ind, dim, cat, _cell_text(sex), _cell_text(age), yr)].append(count)

    if rows_read == 0:
        raise VinculoError(
            f"{source_name}: the header is there but no data rows follow it.",
            code="evidence.empty_export",
            fields={"file": source_name},
            fix="Pass the full export.",
        )
    if n_issues:
        more = n_issues - len(issues)
        head = format_issues(issues[:5])
        raise VinculoError(
            f"{source_name}: {n_issues} problem(s) in {rows_read:,} rows; nothing was imported."
            + (f" (first {len(issues)} listed)" if more else "")
            + "\n"
            + head,
            code="evidence.invalid_export",
            issues=issues,
            fields={"file": source_name, "sheet": sheet, "problems": n_issues},
            fix="Fix the cells listed and import again.",
        )
    records: list[GlotipRecord] = []
    combined = 0
    combined_keys = 0
    for key, counts in parts.items():
        total = counts[0]
        for c in counts[1:]:
            total = total + c
        if len(counts) > 1:
            combined += len(counts) - 1
            combined_keys += 1
        records.append(GlotipRecord(*key, count=total))
    if combined:
        warnings.append(
            Issue(
                "evidence.rows_combined",
                f"{combined} rows repeated the key (country, indicator, dimension, category, sex, age, year) "
                f"of an earlier row; the {combined_keys} keys concerned hold the sum of their rows "
                "(sub-forms of 'Other forms of exploitation', and sex rows that are age parts).",
                Location(file=source_name, sheet=sheet),
                severity="warning",
            )
        )
    for cname, k in sorted(uncoded.items()):
        warnings.append(
            Issue(
                "evidence.assigned_code",
                f'{k} rows of "{cname}" have an empty Iso3_code; they use the user-assigned code '
                f"{_NO_CODE_NAMES[cname.casefold()]}.",
                Location(file=source_name, sheet=sheet, column="Iso3_code"),
                severity="warning",
            )
        )
    countries = [Area(code, v[0], v[1], v[2]) for code, v in areas.items()]
    dataset = GlotipDataset(
        records, countries, export_date=export_date, source_name=source_name, warnings=warnings
    )
    kinds: Counter[str] = Counter()
    unmapped: Counter[str] = Counter()
    for r in dataset.records:
        if r.dimension in ("by citizenship", "by country of repatriation"):
            m = dataset.match_category(r.category)
            kinds[m.kind] += r.count.cells
            if m.kind == "unmapped":
                unmapped[r.category] += r.count.cells
    return ImportResult(
        dataset=dataset,
        rows_read=rows_read,
        header_row=header_row,
        sheet=sheet,
        combined_rows=combined,
        unmapped=tuple(sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0]))),
        category_kinds=dict(kinds),
        warnings=tuple(warnings),
    )


def _parse_year(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        y = v
    elif isinstance(v, float) and v.is_integer():
        y = int(v)
    else:
        s = _cell_text(v)
        if not (len(s) == 4 and s.isdigit()):
            return None
        y = int(s)
    return y if 1900 <= y <= 2100 else None


def _parse_value(v: Any) -> Count | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return Count.exact(v) if v >= 0 else None
    if isinstance(v, float):
        return Count.exact(int(v)) if v.is_integer() and v >= 0 else None
    try:
        return Count.parse(str(v))
    except ValueError:
        return None
