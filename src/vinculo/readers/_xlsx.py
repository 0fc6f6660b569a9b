"""XLSX reader (openpyxl, read-only mode, formulas kept as text and flagged)."""

from __future__ import annotations

import codecs
import io
import itertools
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from vinculo.errors import VinculoError
from vinculo.readers._base import Formula, ReaderSettings, Row, Table, checksum, too_many_rows

__all__ = ["OLE_SIGNATURE", "ZIP_SIGNATURE", "read_xlsx_bytes"]

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"

_VALUE_MARKERS = (b"<v>", b"<v ", b":v>", b":v ", b"<is>", b":is>", b"<f>", b"<f ", b":f>", b":f ")
_ROW_MARKERS = (b"<row ", b":row ")
_ROW_ATTR = re.compile(rb'\sr="(\d+)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)"')

HeaderPredicate = Callable[[Sequence[Any]], bool]


def _looks_like(data: bytes) -> str:
    """What a non-workbook file seems to be, without quoting any of its content (it may be protected)."""
    head = data[:512]
    if not head:
        return "it is empty"
    if head.lstrip().startswith((b"{", b"[")):
        return "it looks like JSON"
    if b"\x00" in head:
        return "it holds binary data of another kind"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a cut character is no error
    except UnicodeDecodeError:
        return "it holds binary data of another kind"
    return "it looks like text (CSV?)"


def _error(display: str, code: str, message: str, fix: str) -> VinculoError:
    return VinculoError(f"{display}: {message}", code=code, fields={"file": display}, fix=fix)


def _open_zip(data: bytes, display: str, settings: ReaderSettings) -> zipfile.ZipFile:
    if data.startswith(OLE_SIGNATURE):
        raise _error(
            display,
            "readers.encrypted_xlsx",
            "the file is an OLE compound document, not a plain XLSX: it is either a "
            "password-protected (encrypted) workbook or an old Excel 97-2003 .xls file.",
            "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
            "Password, clear it) and save as .xlsx; vinculo never asks for workbook passwords.",
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise _error(
            display,
            "readers.not_xlsx",
            f"the file does not start like an XLSX workbook (a ZIP archive); {_looks_like(data)}.",
            "Save the workbook from Excel or LibreOffice as .xlsx, or export it as CSV.",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError, NotImplementedError):
        raise _error(
            display,
            "readers.truncated_xlsx",
            f"the XLSX archive is truncated or damaged ({len(data):,} bytes; the ZIP "
            "directory at its end is missing or unreadable).",
            "Upload the file again (the upload may have been cut off), or re-save it in Excel.",
        ) from None
    total = sum(i.file_size for i in infos)
    if total > settings.max_uncompressed_bytes:
        raise _error(
            display,
            "readers.file_too_large",
            f"the XLSX expands to {total:,} bytes; the limit is {settings.max_uncompressed_bytes:,}.",
            "Split the workbook, or raise ReaderSettings.max_uncompressed_bytes.",
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise _error(
            display,
            "readers.not_xlsx",
            "the ZIP archive has no xl/workbook.xml, so it is not an Excel workbook "
            "(an .ods, .docx or other ZIP file?).",
            "Save the data as .xlsx or CSV.",
        )
    return archive


def _scan_sheet(archive: zipfile.ZipFile, path: str) -> tuple[int | None, tuple[str, ...], bool]:
    """Return (last row holding a value, merged ranges, whether every row had an r attribute).

    Reads the sheet XML in chunks without building elements, so a sheet with a million
    trailing empty rows costs one decompression pass instead of a million parsed rows.
    """
    last_value_row: int | None = None
    last_row_seen: int | None = None
    merges: list[str] = []
    rows_numbered = True
    tail = b""
    with archive.open(path) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            buf = tail + chunk
            if b"mergeCell" in buf:
                merges.extend(m.group(1).decode("ascii").upper() for m in _MERGE.finditer(buf))
            vpos = max(buf.rfind(m) for m in _VALUE_MARKERS)
            if vpos >= 0:
                rpos = max(buf.rfind(m, 0, vpos) for m in _ROW_MARKERS)
                if rpos >= 0:
                    found = _ROW_ATTR.search(buf, rpos, buf.find(b">", rpos) + 1 or len(buf))
                    if found is None:
                        rows_numbered = False
                    else:
                        last_value_row = int(found.group(1))
                else:
                    last_value_row = last_row_seen
            rpos = max(buf.rfind(m) for m in _ROW_MARKERS)
            if rpos >= 0:
                end = buf.find(b">", rpos)
                if end >= 0:
                    found = _ROW_ATTR.search(buf, rpos, end + 1)
                    if found is None:
                        rows_numbered = False
                    else:
                        last_row_seen = int(found.group(1))
            tail = buf[-256:]
    return last_value_row, tuple(dict.fromkeys(merges)), rows_numbered


def read_xlsx_bytes(
    data: bytes,
    display: str,
    settings: ReaderSettings,
    prefer: HeaderPredicate | None = None,
) -> Table:
    """Build a :class:`Table` over one sheet of XLSX ``data``.

    Formula cells come back as :class:`Formula` (their text, never a cached result).
    """
    archive = _open_zip(data, display, settings)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types on damaged input
        raise _error(
            display,
            "readers.unreadable_xlsx",
            f"the workbook cannot be opened ({type(exc).__name__}: {str(exc)[:200]}).",
            "Re-save the file in Excel or LibreOffice as .xlsx, or export the sheet as CSV.",
        ) from None
    sheets = tuple(wb.sheetnames)
    if settings.sheet is not None:
        if settings.sheet not in sheets:
            wb.close()
            raise VinculoError(
                f"{display}: there is no sheet {settings.sheet!r}; the workbook has "
                f"{len(sheets)} sheet(s): {', '.join(repr(s) for s in sheets)}.",
                code="readers.sheet_not_found",
                fields={"file": display, "sheet": settings.sheet, "sheets": list(sheets)},
                fix="Pass one of those names with --sheet.",
            )
        title = settings.sheet
    else:
        title = _choose_sheet(wb, sheets, prefer)
    ws = wb[title]
    path = getattr(ws, "_worksheet_path", None)
    last_row: int | None = None
    merges: tuple[str, ...] = ()
    if isinstance(path, str):
        try:
            last_row, merges, numbered = _scan_sheet(archive, path.lstrip("/"))
        except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise _error(
                display,
                "readers.truncated_xlsx",
                f"sheet {title!r} cannot be decompressed: the archive is truncated or damaged.",
                "Upload the file again, or re-save it in Excel.",
            ) from None
        if not numbered:
            last_row = None
    else:  # pragma: no cover - depends on openpyxl internals
        numbered = False
    table = Table(
        name=display,
        format="xlsx",
        checksum=checksum(data),
        rows=iter(()),
        sheet=title,
        sheets=sheets,
        merged_ranges=merges,
    )
    if numbered and last_row is None:
        wb.close()  # no cell holds a value
    else:
        table.rows = _rows(wb, ws, last_row, display, title, settings, table.counters)
    return table


def _choose_sheet(wb: Any, sheets: tuple[str, ...], prefer: HeaderPredicate | None) -> str:
    if prefer is not None:
        for name in sheets:
            try:
                ws = wb[name]
                ws.reset_dimensions()
                for row in ws.iter_rows(max_row=5, values_only=True):
                    if any(v is not None and str(v).strip() for v in row):
                        if prefer(row):
                            return name
                        break
            except Exception:  # noqa: S112 - a sheet we cannot peek at is simply not preferred
                continue
    return sheets[0]


def _quiet_rows(it: Iterator[Any], batch: int = 512) -> Iterator[Any]:
    """Pull rows in batches with openpyxl's UserWarnings (unsupported extensions) silenced."""
    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = list(itertools.islice(it, batch))
        if not rows:
            return
        yield from rows


def _rows(
    wb: Any,
    ws: Any,
    last_row: int | None,
    display: str,
    title: str,
    settings: ReaderSettings,
    counters: dict[str, int],
) -> Iterator[Row]:
    limit = settings.max_rows
    data_rows = 0
    empty = 0
    row_no = 0
    try:
        ws.reset_dimensions()
        for cells in _quiet_rows(ws.iter_rows(min_row=1, max_row=last_row)):
            row_no += 1
            values: list[Any] = []
            nonempty = False
            for cell in cells:
                v = cell.value
                if v is None:
                    values.append(None)
                    continue
                if cell.data_type == "f":
                    v = Formula(v if isinstance(v, str) else getattr(v, "text", str(v)))
                elif isinstance(v, str) and not v.strip():
                    values.append(None)
                    continue
                nonempty = True
                values.append(v)
            if not nonempty:
                empty += 1
                continue
            data_rows += 1
            if data_rows > limit + 1:
                raise too_many_rows(display, limit, row_no)
            yield row_no, tuple(values)
    except VinculoError:
        raise
    except Exception as exc:
        raise _error(
            display,
            "readers.unreadable_xlsx",
            f"sheet {title!r}, near row {row_no + 1}: the sheet XML is damaged "
            f"({type(exc).__name__}: {str(exc)[:200]}).",
            "Re-save the file in Excel or LibreOffice as .xlsx, or export the sheet as CSV.",
        ) from None
    finally:
        counters["empty_rows_skipped"] = empty
        wb.close()
