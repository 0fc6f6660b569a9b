"""Numbers and amounts formatted for the page's language, from CLDR (through Babel).

Django's own number formatting knows a thousands separator per language but not CLDR's
currency patterns (``2 385 000,00 $US`` in French, ``US$2,385,000.00`` in Chinese), so every
figure a person reads goes through these two filters::

    {% load locale_format %}
    {{ grant.amount|money:grant.currency }}   {{ result.estimate|number:0 }}

An empty value renders as an empty string; a value that is not a number is shown as it is.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, format_percent
from django import template
from django.utils.translation import get_language

register = template.Library()


def babel_locale(language: str | None = None) -> Locale:
    """The CLDR locale of a Django language code (``zh-hans`` -> ``zh_Hans``); English if unknown."""
    code = (language or get_language() or "en").replace("-", "_")
    head, _sep, tail = code.partition("_")
    parts = [head.lower()] + ([tail.title() if len(tail) == 4 else tail.upper()] if tail else [])
    try:
        return Locale.parse("_".join(parts))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    """A number with the language's grouping and decimal signs; ``decimals`` fixes the digits."""
    d = _decimal(value)
    if d is None:
        return "" if value is None else str(value)
    if decimals is None or decimals == "":
        return format_decimal(d, locale=babel_locale())
    places = int(decimals)
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
    return format_decimal(round(d, places), format=pattern, locale=babel_locale())


@register.filter
def money(value: Any, currency: Any = "") -> str:
    """An amount in a currency as the language writes it (symbol, its place, the currency's digits)."""
    d = _decimal(value)
    if d is None:
        return "" if value is None else str(value)
    code = str(currency or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        return number(d, 2)
    return format_currency(d, code, locale=babel_locale())


def chart_number(value: float) -> str:
    """:func:`vinculo.charts.default_format`'s rules in the active language (grouping, decimal sign)."""
    if not math.isfinite(value):
        return str(value)
    locale = babel_locale()
    magnitude = abs(value)
    if float(value).is_integer() or magnitude >= 100:
        return format_decimal(round(value), format="#,##0", locale=locale)
    if magnitude >= 1:
        return format_decimal(round(value, 1), format="#,##0.#", locale=locale)
    return format_decimal(float(f"{value:.2g}"), format="0.##########", locale=locale)


def percent(value: Any, digits: int = 1) -> str:
    """A share (0.25) as the language writes a percentage, with up to ``digits`` decimals."""
    d = _decimal(value)
    if d is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(d, format=pattern, locale=babel_locale())
