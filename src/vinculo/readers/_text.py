"""Text files: encoding detection and the CSV reader."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator

from charset_normalizer import from_bytes

from vinculo.errors import VinculoError
from vinculo.readers._base import ReaderSettings, Row, Table, checksum, too_many_rows

__all__ = ["decode_text", "read_csv_bytes"]

# Single-byte code pages for Latin script. On short samples charset-normalizer often names
# one of these for text that is really Latin-1 / Windows-1252 (the most common non-UTF-8
# encoding of spreadsheets exported on Windows); we then read the text as cp1252.
_LATIN_FAMILY = frozenset(
    {
        "cp1250", "cp1252", "cp1254", "cp1257", "cp775", "cp850", "cp437", "cp858", "cp852",
        "latin_1", "iso8859_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9",
        "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
        "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish", "hp_roman8",
    }
)  # fmt: skip


def decode_text(data: bytes, display: str, forced: str | None = None) -> tuple[str, str, str]:
    """Decode ``data``; return (text, encoding, how it was found).

    Order: a forced encoding; a byte-order mark (UTF-8, UTF-16, UTF-32); strict UTF-8;
    otherwise charset-normalizer's guess (Latin-script single-byte guesses are read as
    cp1252, a superset of Latin-1 for printable text).
    """
    if forced:
        try:
            return data.decode(forced), codecs.lookup(forced).name, "given by the caller"
        except (LookupError, UnicodeDecodeError) as exc:
            raise VinculoError(
                f"{display}: cannot decode the file as {forced} ({exc}).",
                code="readers.bad_encoding",
                fields={"file": display, "encoding": forced},
                fix="Pass the file's real encoding, or save it as UTF-8.",
            ) from None
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, "byte-order mark"
            except UnicodeDecodeError as exc:
                raise _bad(display, f"it starts with a {enc} byte-order mark but {exc.reason}") from None
    try:
        return data.decode("utf-8"), "utf-8", "valid UTF-8"
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data[: 1024 * 1024]).best()
    if guess is None or guess.encoding is None:
        raise _bad(display, "it is not text in any common encoding (binary data?)")
    enc = str(guess.encoding)
    how = "charset-normalizer"
    if enc in _LATIN_FAMILY:
        try:
            return data.decode("cp1252"), "cp1252", f"charset-normalizer ({enc}, Latin script)"
        except UnicodeDecodeError:
            try:
                return data.decode("latin-1"), "latin-1", f"charset-normalizer ({enc}, Latin script)"
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
                pass
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise _bad(display, f"the detected encoding {enc} does not decode it ({exc})") from None
    if "\x00" in text:
        raise _bad(display, f"it decodes as {enc} only with NUL characters (binary data?)")
    return text, enc, how


def _bad(display: str, why: str) -> VinculoError:
    return VinculoError(
        f"{display}: cannot read the text: {why}.",
        code="readers.bad_encoding",
        fields={"file": display},
        fix="Save the file as CSV UTF-8 (Excel: File > Save As > CSV UTF-8), or pass the encoding.",
    )


def _sniff_delimiter(text: str) -> str:
    first = text[: text.find("\n")] if "\n" in text[:65536] else text[:65536]
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_bytes(data: bytes, display: str, settings: ReaderSettings) -> Table:
    """Build a :class:`Table` over CSV ``data`` (already size-checked)."""
    text, encoding, how = decode_text(data, display, settings.encoding)
    if "\x00" in text:
        raise _bad(display, "it contains NUL characters (binary data, or a wrong encoding)")
    delimiter = settings.delimiter or _sniff_delimiter(text)
    table = Table(
        name=display,
        format="csv",
        checksum=checksum(data),
        rows=iter(()),
        encoding=encoding,
        encoding_detail=how,
        delimiter=delimiter,
    )
    table.rows = _rows(text, delimiter, display, settings, table.counters)
    return table


def _rows(
    text: str, delimiter: str, display: str, settings: ReaderSettings, counters: dict[str, int]
) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row_no = 0
    data_rows = 0
    empty = 0
    limit = settings.max_rows
    pending: Row | None = None  # held back until we know it is not the last record
    pending_line = 1
    try:
        while True:
            start_line = reader.line_num + 1  # physical line where this record starts
            cells = next(reader, None)
            if cells is None:
                break
            row_no += 1
            if not cells or not any(c.strip() for c in cells):
                empty += 1
                continue
            data_rows += 1
            if data_rows > limit + 1:  # +1: the header row
                raise too_many_rows(display, limit, row_no)
            if pending is not None:
                yield pending
            pending, pending_line = (row_no, tuple(cells)), start_line
        if pending is not None:
            if _ends_inside_quotes(text, pending_line, delimiter):
                raise _unclosed_quote(display, pending[0], pending_line)
            yield pending
    except csv.Error as exc:
        raise VinculoError(
            f"{display}, row {row_no + 1}: the CSV is malformed ({exc}).",
            code="readers.malformed_csv",
            fields={"file": display, "row": row_no + 1},
            fix="Check quoting on that row (an unclosed quote swallows the rest of the file).",
        ) from None
    finally:
        counters["empty_rows_skipped"] = empty


def _ends_inside_quotes(text: str, start_line: int, delimiter: str) -> bool:
    """Whether the last record, starting at physical line ``start_line``, runs to the end of the text
    inside a quoted field (an opening quote that is never closed)."""
    tail = itertools.islice(io.StringIO(text, newline=""), start_line - 1, None)
    try:
        next(csv.reader(tail, delimiter=delimiter, strict=True), None)
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _unclosed_quote(display: str, row: int, line: int) -> VinculoError:
    where = f"row {row}" + (f" (line {line})" if line != row else "")
    return VinculoError(
        f"{display}, {where}: a quoted cell opens here and is never closed, so the rest of the file "
        "would be read as one cell.",
        code="readers.unclosed_quote",
        fields={"file": display, "row": row, "line": line},
        fix='Close the quote on that row, or double a quote that belongs to the text ("").',
    )
