"""Numbers, amounts and dates formatted for the page's language, from CLDR (through Babel).

Django's own number formatting knows a thousands separator per language but not CLDR's
currency patterns (``2 385 000,00 $US`` in French, ``US$2,385,000.00`` in Chinese), so every
figure a person reads goes through these two filters::

    {% load locale_format %}
    {{ grant.amount|money:grant.currency }}   {{ result.estimate|number:0 }}

Dates and moments go through ``local_date`` and ``local_datetime`` (``8 Dec 2026``, ``8 déc. 2026``,
``2026年12月8日``; English pages follow British usage, as the UN's English does). Machine-readable
dates (``<meta>``, ``datetime=`` attributes, downloads) stay ISO 8601.

An empty value renders as an empty string; a value that is not a number is shown as it is.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent
from django import template
from django.utils import timezone
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


def _date_locale() -> Locale:
    """Dates in English follow British usage (day month year), as the UN's English does."""
    locale = babel_locale()
    return Locale.parse("en_GB") if locale.language == "en" and not locale.territory else locale


@register.filter
def local_date(value: Any) -> str:
    """A date (or the day of a moment) as the language writes it: ``8 Dec 2026``, ``8 déc. 2026``."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if not isinstance(value, datetime.date):
        return str(value)
    return format_date(value, "medium", locale=_date_locale())


@register.filter
def local_datetime(value: Any, seconds: Any = "") -> str:
    """A moment as the language writes it, to the minute (``"seconds"``: to the second), in the
    platform's time zone: ``8 Dec 2026 14:05``."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        return local_date(value)
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = _date_locale()
    skeleton = "Hms" if seconds == "seconds" else "Hm"
    return f"{format_date(moment.date(), 'medium', locale=locale)} {format_skeleton(skeleton, moment, locale=locale)}"


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
