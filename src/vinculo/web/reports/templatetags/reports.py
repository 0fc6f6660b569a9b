"""Template filters of the reports: a cell is text or a number with its source."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..document import Value

register = template.Library()


@register.filter
def cell(item: Any) -> SafeString | str:
    """A number as ``<data>`` with its key, its machine value and its sources; text as (escaped) text."""
    if not isinstance(item, Value):
        return str(item)
    raw = "" if item.value is None else str(item.value)
    return format_html(
        '<data value="{}" data-key="{}" data-source="{}" data-records="{}" class="{}">{}</data>',
        raw,
        item.key,
        item.source.url,
        " ".join(item.source.records),
        "suppressed" if item.suppressed else "number",
        item.display,
    )


@register.filter
def is_value(item: Any) -> bool:
    return isinstance(item, Value)
