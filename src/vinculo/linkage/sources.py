"""Read one agency's file into a :class:`~vinculo.linkage.model.Source`: :func:`read_source`.

CSV, XLSX, JSON and KoBo/ODK exports are opened by :func:`vinculo.readers.read_table`; columns
are matched to HTCDS fields as :mod:`vinculo.htcds` does (exact names, the templates' other
spellings, labels, ``group/field`` paths of KoBo/ODK, or a mapping file), but values are taken
as written: a partial or invalid birth date is kept for :func:`normalise_person`, never dropped
by validation. Problems that make the file unusable raise one
:class:`~vinculo.errors.VinculoError` that names the file, rows and columns, never a person's
values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from vinculo.errors import Issue, Location, VinculoError
from vinculo.htcds import ColumnMapping, is_label_row, load_mapping, looks_like_header, plan_columns
from vinculo.linkage.model import Person, Source
from vinculo.linkage.normalise import PERSON_FIELDS, STRATA_FIELDS, YEAR_COLUMNS, normalise_person
from vinculo.readers import Formula, ReaderSettings, Table, load_bytes, read_table

__all__ = ["LINKAGE_READER", "read_source"]

#: The readers' limits for linkage inputs: a national-scale list is larger than one upload.
LINKAGE_READER = ReaderSettings(max_bytes=2 * 1024**3, max_rows=10_000_000)

_HEADER_SEARCH_ROWS = 20
_MAX_LISTED = 10
#: Fields that can tell one person from another; a file needs at least one.
_IDENTIFYING = ("given", "family", "birth", "identity_number", "phone", "email")
_READ_FIELDS = frozenset(PERSON_FIELDS) | frozenset(STRATA_FIELDS)
# A UTF-8 multi-byte sequence (two to four bytes).
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _error(
    code: str, message: str, fix: str, file: str, issues: Sequence[Issue] = (), **fields: Any
) -> VinculoError:
    return VinculoError(message, code=code, issues=issues, fields={"file": file, **fields}, fix=fix)


def _check_mixed_encoding(data: bytes, file: str) -> None:
    """Refuse text that is partly UTF-8 and partly another encoding (read either way, one part
    would turn into wrong letters and no name in it would match)."""
    if data.startswith((b"PK", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return
    try:
        data.decode("utf-8")
        return
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    if _UTF8_SEQ.search(data) is None:
        return  # a whole file in one legacy encoding: the readers detect it
    line = data.count(b"\n", 0, bad_at) + 1
    raise _error(
        "linkage.mixed_encoding",
        f"{file}: the file mixes text encodings: it holds UTF-8 text, but line {line} is not UTF-8 "
        "(it was probably pasted from a file saved in another encoding).",
        "Open the file in a spreadsheet or text editor, fix that line's letters and save the whole "
        "file as CSV UTF-8.",
        file,
        [
            Issue(
                "linkage.mixed_encoding",
                "this line is not UTF-8 while the rest of the file is.",
                Location(file=file, row=line),
            )
        ],
        line=line,
    )


def _cell_text(cell: Any) -> str:
    if cell is None or isinstance(cell, Formula):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _find_header(
    rows: Iterator[tuple[int, tuple[Any, ...]]], id_column: str, mapping: ColumnMapping | None
) -> tuple[list[tuple[int, tuple[Any, ...]]], int]:
    """Buffer the first rows; return them and the position of the header row among them."""
    buffered: list[tuple[int, tuple[Any, ...]]] = []
    for row in rows:
        buffered.append(row)
        if len(buffered) >= _HEADER_SEARCH_ROWS:
            break
    want = id_column.strip().casefold()
    mapped = set(mapping.columns) if mapping else set()
    for k, (_, cells) in enumerate(buffered):
        if any(_cell_text(c).lstrip("\ufeff").casefold() == want for c in cells):
            return buffered, k
    for k, (_, cells) in enumerate(buffered):
        if looks_like_header(cells) or any(_cell_text(c) in mapped for c in cells):
            return buffered, k
    return buffered, 0


def read_source(
    data: str | Path | bytes,
    *,
    id_column: str,
    mapping: str | Path | ColumnMapping | None = None,
    name: str | None = None,
    file_name: str | None = None,
    settings: ReaderSettings | None = None,
) -> Source:
    """Read one agency's file of persons.

    Parameters
    ----------
    data : str, Path or bytes
        A path, or the bytes of an upload (CSV, XLSX, JSON, KoBo/ODK export).
    id_column : str
        The column holding the record id (matched ignoring case and surrounding spaces).
    mapping : str, Path or ColumnMapping, optional
        A mapping file as :func:`vinculo.htcds.load_mapping` reads it, for files whose columns
        are not HTCDS names, labels or the templates' spellings.
    name : str, optional
        The source name; by default the file's name without extension.
    file_name : str, optional
        The file name shown in messages (for bytes; default ``name`` or ``"<upload>"``).
    settings : ReaderSettings, optional
        Size and row limits (default :data:`LINKAGE_READER`: files of a national register, up to
        2 GiB and 10,000,000 rows; an upload to the platform has the platform's own, smaller limits).

    Raises
    ------
    VinculoError
        ``linkage.empty`` (no records), ``linkage.missing_id_column``, ``linkage.empty_id`` and
        ``linkage.duplicate_id`` (naming the rows), ``linkage.no_person_fields`` (no column that
        can tell persons apart, or all of them empty), ``linkage.mixed_encoding``, the readers'
        own ``readers.*`` codes and ``htcds.bad_mapping``.

    Examples
    --------
    >>> src = read_source(b"id,prs_FirstName,prs_Birthdate\\n7,Nguyễn,1990\\n", id_column="id",
    ...                   file_name="shelter.csv")
    >>> src.name, src.persons[0].given, src.persons[0].birth_year, sorted(src.fields_present)
    ('shelter', ('nguyen',), 1990, ['birth', 'given'])
    """
    if isinstance(data, bytes | bytearray | memoryview):
        file = file_name or name or "<upload>"
    else:
        file = file_name or Path(data).name
    source_name = name or Path(file).stem
    col_mapping: ColumnMapping | None
    if mapping is None or isinstance(mapping, ColumnMapping):
        col_mapping = mapping
    else:
        col_mapping = load_mapping(mapping)
    reader = settings or LINKAGE_READER
    raw, _ = load_bytes(data, file, reader)
    _check_mixed_encoding(raw, file)
    table = read_table(raw, name=file, settings=reader, prefer_sheet=looks_like_header)
    return _read(table, file, source_name, id_column, col_mapping)


def _read(table: Table, file: str, source_name: str, id_column: str, mapping: ColumnMapping | None) -> Source:
    buffered, pos = _find_header(iter(table.rows), id_column, mapping)
    if not buffered:
        raise _error(
            "linkage.empty", f"{file}: the file is empty.", "Check that you chose the right file.", file
        )
    header_row, header_cells = buffered[pos]
    header = [_cell_text(c).lstrip("\ufeff") for c in header_cells]
    rest = buffered[pos + 1 :]
    label: tuple[Any, ...] | None = None
    if rest and is_label_row(rest[0][1]):
        label = rest[0][1]
        rest = rest[1:]
    want = id_column.strip()
    id_header = next((h for h in header if h == want), None) or next(
        (h for h in header if h.casefold() == want.casefold()), None
    )
    if id_header is None:
        shown = ", ".join(f'"{h}"' for h in header[:20] if h) + (" ..." if len(header) > 20 else "")
        raise _error(
            "linkage.missing_id_column",
            f'{file}: no column "{want}" for the record id; the header (row {header_row}) has: {shown}.',
            "Pass the name of the column that holds each record's id (--id), as it is written in "
            "the header row.",
            file,
            [
                Issue(
                    "linkage.missing_id_column",
                    f'no column "{want}".',
                    Location(file=file, sheet=table.sheet, row=header_row),
                )
            ],
            column=want,
        )
    plans, _ = plan_columns(
        header,
        label,
        file=file,
        sheet=table.sheet,
        header_row=header_row,
        mapping=mapping,
        id_column=id_header,
    )
    id_index = next(p.index for p in plans if p.how == "id")
    fields = [p for p in plans if p.field in _READ_FIELDS and p.how not in ("option", "duplicate")]
    options = [p for p in plans if p.how == "option" and p.field in _READ_FIELDS]
    years = [
        (i, h.casefold())
        for i, h in enumerate(header)
        if h.casefold() in YEAR_COLUMNS and plans[i].field is None and i != id_index
    ]
    present_fields = {p.field for p in fields} | {p.field for p in options}
    if not _identifying_columns(present_fields):
        raise _error(
            "linkage.no_person_fields",
            f"{file}: no column holds a person field that can tell persons apart (names, birth date, "
            "identity number, phone or email).",
            "Name the columns with HTCDS field names (prs_FirstName, prs_SecondName, prs_Birthdate, "
            "...), or give a mapping file (--mapping).",
            file,
            [
                Issue(
                    "linkage.no_person_fields",
                    "no usable person field in the header.",
                    Location(file=file, sheet=table.sheet, row=header_row),
                )
            ],
        )
    recodes = {f: dict(v) for f, v in (mapping.values.items() if mapping else ())}
    persons: list[Person] = []
    seen: dict[str, int] = {}
    duplicates: list[Issue] = []
    repeats: list[tuple[int, int]] = []
    empty_ids: list[Issue] = []

    def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
        yield from rest
        yield from table.rows

    for row_no, cells in rows():
        n = len(cells)
        rid = _cell_text(cells[id_index]) if id_index < n else ""
        values: dict[str, Any] = {}
        for p in fields:
            if p.index < n:
                text = _cell_text(cells[p.index])
                if text:
                    assert p.field is not None
                    table_for = recodes.get(p.field)
                    values[p.field] = table_for.get(text.casefold(), text) if table_for else text
        for p in options:
            if p.index < n and _cell_text(cells[p.index]).casefold() in ("1", "true", "yes", "x"):
                assert p.field is not None and p.option is not None
                values[p.field] = f"{values.get(p.field, '')} {p.option}".strip()
        for i, key in years:
            if i < n and _cell_text(cells[i]):
                values[key] = _cell_text(cells[i])
        if not rid:
            if not values:
                continue  # a row with nothing we read: notes, totals
            empty_ids.append(
                Issue(
                    "linkage.empty_id",
                    "the record id is empty.",
                    Location(file=file, sheet=table.sheet, row=row_no, column=id_header),
                )
            )
            continue
        if rid in seen:
            duplicates.append(
                Issue(
                    "linkage.duplicate_id",
                    f"the record id of this row is already used in row {seen[rid]}.",
                    Location(file=file, sheet=table.sheet, row=row_no, column=id_header),
                )
            )
            repeats.append((row_no, seen[rid]))
            continue
        seen[rid] = row_no
        persons.append(normalise_person(values, source=source_name, record_id=rid, row=row_no))
    if empty_ids or duplicates:
        _raise_id_problems(file, id_header, empty_ids, duplicates, repeats)
    if not persons:
        raise _error(
            "linkage.empty",
            f"{file}: the file has a header row but no records.",
            "Check that you chose the right file and sheet.",
            file,
        )
    present = _fields_present(persons)
    if not _identifying_columns_from_present(present):
        raise _error(
            "linkage.no_person_fields",
            f"{file}: every person field that can tell persons apart is empty in all {len(persons)} records.",
            "Fill in names, birth dates, identity numbers, phones or emails, or check the column names.",
            file,
        )
    return Source(name=source_name, persons=tuple(persons), file=file, fields_present=frozenset(present))


def _raise_id_problems(
    file: str, column: str, empty: list[Issue], duplicates: list[Issue], repeats: list[tuple[int, int]]
) -> None:
    issues = [*empty, *duplicates]
    if duplicates:
        rows = ", ".join(f"row {row} repeats row {first}" for row, first in repeats[:_MAX_LISTED])
        more = f" and {len(duplicates) - _MAX_LISTED} more" if len(duplicates) > _MAX_LISTED else ""
        raise _error(
            "linkage.duplicate_id",
            f'{file}: {len(duplicates)} record id(s) in column "{column}" are used more than once '
            f"({rows}{more})" + (f"; {len(empty)} row(s) have no id." if empty else "."),
            "Give every record of the file its own id; if two rows are the same person, keep both "
            "with different ids (linkage merges them) or delete the repeated row.",
            file,
            issues,
            column=column,
        )
    rows = ", ".join(str(i.location.row) for i in empty[:_MAX_LISTED])
    more = f" and {len(empty) - _MAX_LISTED} more" if len(empty) > _MAX_LISTED else ""
    raise _error(
        "linkage.empty_id",
        f'{file}: {len(empty)} row(s) have no record id in column "{column}" (rows {rows}{more}).',
        "Give every record an id, or delete the rows that are not records.",
        file,
        issues,
        column=column,
    )


_FIELD_OF = {
    "prs_FirstName": "given",
    "prs_MiddleName": "given",
    "prs_SecondName": "family",
    "prs_Birthdate": "birth",
    "prs_IdentityNumber": "identity_number",
    "prs_MobilePhone": "phone",
    "prs_HomePhone": "phone",
    "prs_Email": "email",
}


def _identifying_columns(fields: set[str | None]) -> bool:
    return any(_FIELD_OF.get(f or "") in _IDENTIFYING for f in fields)


def _identifying_columns_from_present(present: set[str]) -> bool:
    return any(f in present for f in _IDENTIFYING)


_PRESENT_ATTRS = (
    "given", "family", "sex", "citizenship", "city", "postcode", "street", "state",
    "identity_number", "phone", "email",
)  # fmt: skip


def _fields_present(persons: Sequence[Person]) -> set[str]:
    present: set[str] = set()
    for p in persons:
        for attr in _PRESENT_ATTRS:
            if attr not in present and getattr(p, attr):
                present.add(attr)
        if "birth" not in present and (p.birth_year is not None or p.birth_text):
            present.add("birth")
    return present
