"""Small helpers shared by the report builders: sources, empty sections, charts drawn from tables.

Builders run in the report's language (``translation.override``): every number made here carries,
besides its canonical ``display``, the ``text`` that language writes (CLDR through Babel, the same
filters as the pages: ``vinculo.web.core.templatetags.locale_format``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from vinculo import charts
from vinculo.evidence import Count, Share
from vinculo.web.core.templatetags.locale_format import babel_locale, money
from vinculo.web.core.templatetags.locale_format import number as local_number
from vinculo.web.evidence.tables import display as local_display

from .document import Cell, Figure, Number, Paragraph, Source, Table, Value, count_value, paragraph

#: The reader of every report: reports are public documents, so they hold what anyone may see.
PUBLIC = AnonymousUser()


def refs(label: str, ids: Iterable[int]) -> tuple[str, ...]:
    """Record references such as ``("treaties.TreatyEntry#3", "treaties.TreatyEntry#7")``, sorted by id."""
    return tuple(f"{label}#{pk}" for pk in sorted(set(ids)))


def url(name: str, *args: Any, query: str = "") -> str:
    path = reverse(name, args=args)
    return f"{path}?{query}" if query else path


def counted(key: str, ids: Iterable[int], label: str, page: str, note: str = "") -> Value:
    """The number of records ``ids``, citing each of them."""
    found = tuple(sorted(set(ids)))
    return number(key, len(found), Source(page, refs(label, found), note))


def local_text(n: Number, currency: str = "") -> str:
    """``n`` as the active language writes it: an amount in ``currency``, or 2 / 1 / 0 decimals."""
    if currency:
        return money(n, currency)
    if isinstance(n, Decimal):
        return local_number(n, 2)
    if isinstance(n, float):
        return local_number(n, 1)
    return local_number(n, 0)


def number(key: str, n: Number, source: Source, *, currency: str = "") -> Value:
    """An exact number (an amount when ``currency`` is an ISO 4217 code) with its localised text."""
    return replace(count_value(key, n, source), text=local_text(n, currency))


def local_date(day: dt.date, width: str = "long") -> str:
    """A date as the active language writes it ("30 July 2024", "30 juillet 2024", "2024年7月30日")."""
    return format_date(day, format=width, locale=babel_locale())


def glotip_count(key: str, count: Count, source: Source) -> Value:
    """A GLOTIP count: exact numbers as numbers, "<5" cells never as a number (see ``Count.render``)."""
    return Value(
        key,
        count.render(),
        source,
        count.value,
        suppressed=count.is_suppressed,
        lower_bound=count.low if count.is_partial else None,
        text=local_display(count),
    )


def glotip_share(key: str, share: Share, source: Source) -> Value:
    return Value(key, share.render(), source, share.value, text=local_display(share))


def empty(text: str) -> Paragraph:
    """The sentence a section shows when its area has no data (sections never vanish)."""
    return paragraph(text, kind="empty")


def chart_number(cell: Cell) -> charts.ChartValue:
    """The chart value of a table cell: exact numbers, lower bounds of partly suppressed sums, "<5" hatched."""
    if not isinstance(cell, Value):
        return None
    if cell.value is not None:
        return float(cell.value)
    if cell.suppressed:
        return charts.SUPPRESSED
    return None if cell.lower_bound is None else float(cell.lower_bound)


def bar_figure(
    table: Table, *, title: str, description: str, column: int = 1, columns: Sequence[int] | None = None
) -> Figure:
    """A horizontal bar chart of one column of ``table`` (or grouped bars of several ``columns``)."""
    categories = [str(row[0].shown if isinstance(row[0], Value) else row[0]) for row in table.rows]
    if columns is None:
        values = [chart_number(row[column]) for row in table.rows]
        svg = charts.bar_chart(categories, values, title=title, description=description, horizontal=True)
    else:
        series = {table.header[c]: [chart_number(row[c]) for row in table.rows] for c in columns}
        svg = charts.stacked_bar_chart(
            categories, series, mode="grouped", title=title, description=description, horizontal=True
        )
    return Figure(f"{table.key}.chart", title, description, svg, table.key)


def stacked_figure(table: Table, *, title: str, description: str, columns: Sequence[int]) -> Figure:
    categories = [str(row[0]) for row in table.rows]
    series = {table.header[c]: [chart_number(row[c]) for row in table.rows] for c in columns}
    svg = charts.stacked_bar_chart(categories, series, title=title, description=description, horizontal=True)
    return Figure(f"{table.key}.chart", title, description, svg, table.key)


def caveat(template: str, values: dict[str, Cell] | None = None) -> Paragraph:
    return paragraph(template, values, kind="caveat")
