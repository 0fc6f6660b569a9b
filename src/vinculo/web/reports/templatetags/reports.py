"""Template filters of the reports: a cell is text or a number with its source; sources as addresses."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..blocks import local_date
from ..document import Value
from ..render import absolute

register = template.Library()


@register.filter
def cell(item: Any) -> SafeString | str:
    """A number as ``<data>`` with its key, machine value and sources, showing the localised text."""
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
        item.shown,
    )


@register.filter
def is_value(item: Any) -> bool:
    return isinstance(item, Value)


@register.filter
def absolute_url(url: Any, base: Any = "") -> str:
    """A page of the site ("/evidence/world/") as an absolute address on ``base`` (the site's address)."""
    return absolute(str(url or ""), str(base or "") or None)


@register.filter
def long_date(day: Any) -> str:
    """A date as the active language writes it in full."""
    return local_date(day) if day else ""
