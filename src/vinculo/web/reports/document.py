"""The report as plain data: sections of paragraphs, tables and figures, every number with its source.

Nothing here imports Django. Builders (``sg.py``, ``appraisal_report.py``) read the platform and
return a :class:`Report`; ``render.py`` turns it into HTML or PDF. Every number of a report is a
:class:`Value` with a stable ``key`` (the same in every language) and a :class:`Source` naming the
platform records it was computed from (``"treaties.TreatyEntry#12"``) and the public page that shows
them (``"/coordination/treaties/"``), so a reader, and the tests, can check each figure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = [
    "Block",
    "Cell",
    "Figure",
    "Heading",
    "Paragraph",
    "Report",
    "Section",
    "Source",
    "Table",
    "Value",
    "count_value",
    "paragraph",
]

Number = int | float | Decimal


@dataclass(frozen=True, slots=True)
class Source:
    """Where a number comes from: platform records (``app.Model#id``), the page showing them, a note."""

    url: str = ""
    records: tuple[str, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "records": list(self.records), "note": self.note}


@dataclass(frozen=True, slots=True)
class Value:
    """One number of the report.

    ``value`` is the exact number, or None when it is not known exactly (a count that includes
    "<5" cells, or a cell shown as "<5" by small-cell protection); ``display`` is the canonical text,
    identical in every language so that the data never change with the language (keys, checks, tests).
    ``text`` is the same number as the report's language writes it ("1 269", "1 200,50 $US", "86,7 %");
    it is what a reader sees, and ``display`` when empty. ``suppressed`` marks a value made only of
    "<5" cells; ``lower_bound`` is set for a sum that includes some.
    """

    key: str
    display: str
    source: Source
    value: Number | None = None
    suppressed: bool = False
    lower_bound: Number | None = None
    text: str = ""

    @property
    def shown(self) -> str:
        """What a reader sees: the localised ``text``, else the canonical ``display``."""
        return self.text or self.display

    def to_dict(self) -> dict[str, Any]:
        raw: Any = self.value
        if isinstance(raw, Decimal):
            raw = str(raw)
        return {
            "key": self.key,
            "display": self.display,
            "text": self.shown,
            "value": raw,
            "suppressed": self.suppressed,
            "lower_bound": self.lower_bound,
            "source": self.source.to_dict(),
        }


Cell = str | Value


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Text with numbers in it. ``kind`` is "text", "caveat" (a warning about the data) or "empty"."""

    parts: tuple[Cell, ...]
    kind: str = "text"

    @property
    def block(self) -> str:
        return "paragraph"

    def to_dict(self) -> dict[str, Any]:
        return {"block": "paragraph", "kind": self.kind, "parts": [_cell_dict(p) for p in self.parts]}


@dataclass(frozen=True, slots=True)
class Heading:
    """A sub-heading inside a section."""

    text: str

    @property
    def block(self) -> str:
        return "heading"

    def to_dict(self) -> dict[str, Any]:
        return {"block": "heading", "text": self.text}


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a caption. The first cell of each row is its header; ``footer`` rows are totals."""

    key: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    source: Source
    footer: tuple[tuple[Cell, ...], ...] = ()

    @property
    def block(self) -> str:
        return "table"

    def to_dict(self) -> dict[str, Any]:
        return {
            "block": "table",
            "key": self.key,
            "caption": self.caption,
            "header": list(self.header),
            "rows": [[_cell_dict(c) for c in row] for row in self.rows],
            "footer": [[_cell_dict(c) for c in row] for row in self.footer],
            "source": self.source.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Figure:
    """An SVG chart (with ``<title>`` and ``<desc>``) drawn from the table ``table_key`` of the section."""

    key: str
    title: str
    description: str
    svg: str
    table_key: str

    @property
    def block(self) -> str:
        return "figure"

    def to_dict(self) -> dict[str, Any]:
        # The SVG is drawn from the table's numbers; it is left out of the checksum data.
        return {"block": "figure", "key": self.key, "title": self.title, "table": self.table_key}


Block = Paragraph | Heading | Table | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered section about one area of the platform; ``reference`` cites the resolution (§)."""

    key: str
    title: str
    reference: str
    blocks: tuple[Block, ...]

    @property
    def has_data(self) -> bool:
        return any(not isinstance(b, Paragraph) or b.kind != "empty" for b in self.blocks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "reference": self.reference,
            "blocks": [b.to_dict() for b in self.blocks],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """A whole report: ``kind`` ("sg" or "appraisal") and ``year`` (the year or appraisal cycle)."""

    kind: str
    year: int
    title: str
    subtitle: str
    language: str
    generated_on: dt.date
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = field(default=())

    def values(self) -> dict[str, Value]:
        """Every number of the report by key (a key appearing twice must show the same number)."""
        found: dict[str, Value] = {}
        for value in self.iter_values():
            previous = found.get(value.key)
            if previous is not None and previous.display != value.display:
                raise ValueError(
                    f"Report value {value.key!r} shown as {previous.display!r} and {value.display!r}."
                )
            found[value.key] = value
        return found

    def iter_values(self) -> Iterator[Value]:
        for section in self.sections:
            for block in section.blocks:
                cells: Iterable[Cell] = ()
                if isinstance(block, Paragraph):
                    cells = block.parts
                elif isinstance(block, Table):
                    cells = [c for row in (*block.rows, *block.footer) for c in row]
                for cell in cells:
                    if isinstance(cell, Value):
                        yield cell

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe content of the report (without the generation date)."""
        return {
            "kind": self.kind,
            "year": self.year,
            "title": self.title,
            "subtitle": self.subtitle,
            "language": self.language,
            "notes": list(self.notes),
            "sections": [s.to_dict() for s in self.sections],
        }

    def checksum(self) -> str:
        """SHA-256 of the content: changes when any number, source or text of the report changes."""
        text = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cell_dict(cell: Cell) -> Any:
    return cell.to_dict() if isinstance(cell, Value) else cell


def count_value(key: str, n: Number, source: Source) -> Value:
    """An exact number, shown with thousands separators ("1,269"; decimals kept for money)."""
    if isinstance(n, Decimal):
        return Value(key, f"{n:,.2f}", source, n)
    if isinstance(n, float):
        return Value(key, f"{n:,.1f}", source, n)
    return Value(key, f"{n:,}", source, n)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def paragraph(template: str, values: dict[str, Cell] | None = None, *, kind: str = "text") -> Paragraph:
    """A paragraph from a (translated) template with ``%(name)s`` placeholders filled by values.

    Examples
    --------
    >>> p = paragraph("%(n)s States.", {"n": count_value("k", 3, Source())})
    >>> [getattr(x, "display", x) for x in p.parts]
    ['3', ' States.']
    """
    values = values or {}
    parts: list[Cell] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            parts.append(template[position : match.start()])
        parts.append(values[match.group(1)])
        position = match.end()
    if position < len(template):
        parts.append(template[position:])
    return Paragraph(tuple(parts), kind)
