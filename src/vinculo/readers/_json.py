"""JSON reader: a list of objects, an object wrapping one (``results``/``records``/``data``), or JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from vinculo.errors import VinculoError
from vinculo.readers._base import ReaderSettings, Row, Table, checksum, too_many_rows
from vinculo.readers._text import decode_text

__all__ = ["parse_json", "read_json_bytes"]

_WRAPPERS = ("results", "records", "data", "submissions", "value")


def _flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in obj.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, path + "/"))
        else:
            out[path] = value
    return out


def _depth_error(display: str, limit: int) -> VinculoError:
    return VinculoError(
        f"{display}: the JSON is nested more than {limit} levels deep.",
        code="readers.too_deep",
        fields={"file": display, "limit": limit},
        fix="Give a flat list of records (objects of field names to values); nested groups of a "
        f"KoBo/ODK export are fine up to {limit} levels.",
    )


def _check_depth(doc: Any, display: str, limit: int) -> None:
    """Raise ``readers.too_deep`` when lists/objects nest deeper than ``limit`` (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise _depth_error(display, limit)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, dict | list))


def _loads(text: str, display: str, limit: int) -> Any:
    try:
        doc = json.loads(text)
    except RecursionError:
        raise _depth_error(display, limit) from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer of more than 4,300 digits
        raise VinculoError(
            f"{display}: the JSON holds a number with too many digits.",
            code="readers.malformed_json",
            fields={"file": display},
            fix="Numbers in a data file have at most a few dozen digits; check the file.",
        ) from None
    _check_depth(doc, display, limit)
    return doc


def parse_json(text: str, display: str, max_depth: int = 32) -> Any:
    """Parse JSON text with the readers' limits: ``readers.malformed_json`` (with line and column) or
    ``readers.too_deep`` instead of a JSONDecodeError, RecursionError or ValueError."""
    try:
        return _loads(text, display, max_depth)
    except json.JSONDecodeError as exc:
        raise VinculoError(
            f"{display}, line {exc.lineno}, column {exc.colno}: the JSON is malformed ({exc.msg}).",
            code="readers.malformed_json",
            fields={"file": display, "line": exc.lineno},
            fix="Check the file with a JSON validator.",
        ) from None


def _records(text: str, display: str, max_depth: int) -> list[Any]:
    try:
        doc = _loads(text, display, max_depth)
    except json.JSONDecodeError as first:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(lines) > 1:
            try:
                return [_loads(ln, display, max_depth) for ln in lines]
            except json.JSONDecodeError:
                pass
        raise VinculoError(
            f"{display}, line {first.lineno}, column {first.colno}: the JSON is malformed ({first.msg}).",
            code="readers.malformed_json",
            fields={"file": display, "line": first.lineno},
            fix="Check the file with a JSON validator; vinculo reads a list of objects or JSON Lines.",
        ) from None
    if isinstance(doc, dict):
        for key in _WRAPPERS:
            if isinstance(doc.get(key), list):
                return list(doc[key])
        return [doc]
    if isinstance(doc, list):
        return doc
    raise VinculoError(
        f"{display}: the JSON holds a {type(doc).__name__}, not records.",
        code="readers.malformed_json",
        fields={"file": display},
        fix='Give a list of objects, e.g. [{"prs_Gender": "Feminine"}, ...].',
    )


def read_json_bytes(data: bytes, display: str, settings: ReaderSettings) -> Table:
    """Build a :class:`Table` over JSON ``data``. Row 0 is the header of keys; record *n* is row *n*."""
    text, encoding, how = decode_text(data, display, settings.encoding)
    records = _records(text, display, settings.max_depth)
    flat: list[dict[str, Any] | None] = []
    keys: dict[str, None] = {}
    bad: list[int] = []
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            bad.append(i)
            flat.append(None)
            continue
        f = _flatten(rec)
        keys.update(dict.fromkeys(f))
        flat.append(f)
    if bad:
        raise VinculoError(
            f"{display}: record(s) {', '.join(map(str, bad[:10]))} are not JSON objects.",
            code="readers.malformed_json",
            fields={"file": display, "records": bad[:100]},
            fix="Each record must be an object of field names to values.",
        )
    header = tuple(keys)
    table = Table(
        name=display,
        format="json",
        checksum=checksum(data),
        rows=iter(()),
        encoding=encoding,
        encoding_detail=how,
    )
    table.rows = _rows(header, flat, display, settings, table.counters)
    return table


def _rows(
    header: tuple[str, ...],
    flat: list[dict[str, Any] | None],
    display: str,
    settings: ReaderSettings,
    counters: dict[str, int],
) -> Iterator[Row]:
    yield 0, header
    empty = 0
    n = 0
    try:
        for i, rec in enumerate(flat, start=1):
            assert rec is not None
            cells = tuple(rec.get(k) for k in header)
            if not any(c not in (None, "", []) for c in cells):
                empty += 1
                continue
            n += 1
            if n > settings.max_rows:
                raise too_many_rows(display, settings.max_rows, i)
            yield i, cells
    finally:
        counters["empty_rows_skipped"] = empty
