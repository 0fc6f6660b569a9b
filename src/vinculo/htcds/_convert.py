"""Turn one raw cell into a typed HTCDS value, or explain why it cannot be one."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from vinculo.htcds._fields import LOCATION_FIELDS, FieldSpec, FieldType, _norm_name

__all__ = ["BadValue", "Converter", "country_lookup", "make_converter", "norm_key", "suggest_code"]

DateOrder = Literal["DMY", "MDY"]
Converted = tuple[Any, str | None]  # (typed value, date format used or None)
Converter = Callable[[Any], Converted]

norm_key = _norm_name

_TRUE = frozenset({"true", "t", "yes", "y", "1", "x", "checked", "on", "si", "oui", "vrai"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "unchecked", "off", "non", "faux"})
_SEP = re.compile(r"[^\s,;|]+")
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})$")
_YMD_SLASH = re.compile(r"^(\d{4})([/.])(\d{1,2})\2(\d{1,2})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[ \-]([A-Za-z]{3,9})\.?[ \-,]+(\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class BadValue(Exception):
    """A value that does not fit its field; carries the issue parts."""

    def __init__(
        self,
        code: str,
        message: str,
        expected: str | None = None,
        fix: str | None = None,
        *,
        shown: str | None = None,
        hidden: str = "the value",
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.expected = expected
        self.fix = fix
        # The part of ``message`` that quotes the value, and what stands in for it when values
        # must not be echoed (``ValidationSettings.echo_values``).
        self.shown = shown
        self.hidden = hidden


def _as_text(raw: Any) -> str:
    if type(raw) is str:
        return raw.strip()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _expected_list(values: tuple[str, ...], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} values)" if len(values) > limit else "")


# --- code lists ---------------------------------------------------------------------------


def _code_lookup(spec: FieldSpec) -> dict[str, str]:
    table: dict[str, str] = {}
    clashes: set[str] = set()

    def put(key: str, value: str) -> None:
        k = norm_key(key)
        if not k:
            return
        if k in table and table[k] != value:
            clashes.add(k)
        table.setdefault(k, value)

    for value in spec.values:
        put(value, value)
    for value, label in zip(spec.values, spec.value_labels, strict=False):
        put(label, value)
    for value, label in spec.extra_labels.items():
        if value.strip() in spec.values:
            put(label, value.strip())
    for k in clashes:
        table.pop(k, None)
    for value in spec.values:  # a code always maps to itself
        table[norm_key(value)] = value
    return table


@cache
def country_lookup() -> dict[str, str]:
    """Normalised country code or name -> ISO 3166-1 alpha-2 (alpha-2, alpha-3, names, XLSForm labels)."""
    import pycountry

    from vinculo.htcds._fields import field_catalogue

    table: dict[str, str] = {}
    for c in pycountry.countries:
        a2 = str(c.alpha_2)
        for attr in ("name", "official_name", "common_name"):
            name = getattr(c, attr, None)
            if name:
                table.setdefault(norm_key(str(name)), a2)
    cit = field_catalogue()["prs_Citizenship"].extra_labels
    for code, label in cit.items():
        table.setdefault(norm_key(label), code.strip().upper())
    for c in pycountry.countries:  # codes win over any name that normalises the same way
        table[norm_key(str(c.alpha_2))] = str(c.alpha_2)
        table[norm_key(str(c.alpha_3))] = str(c.alpha_2)
    return table


@cache
def language_lookup() -> dict[str, str]:
    """Normalised ISO 639 code or English name -> ISO 639-2 three-letter code."""
    import pycountry

    table: dict[str, str] = {}
    for lang in pycountry.languages:
        a3 = str(lang.alpha_3)
        table.setdefault(norm_key(str(lang.name)), a3)
    for lang in pycountry.languages:
        a3 = str(lang.alpha_3)
        for attr in ("alpha_2", "bibliographic"):
            code = getattr(lang, attr, None)
            if code:
                table[norm_key(str(code))] = a3
        table[norm_key(a3)] = a3
    return table


def _greedy(text: str, lookup: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Split ``text`` into known values, longest match first; return (values, unknown parts)."""
    words = _SEP.findall(text)
    found: list[str] = []
    unknown: list[str] = []
    run: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            hit = lookup.get(norm_key("".join(words[i:j])))
            if hit is not None:
                if run:
                    unknown.append(" ".join(run))
                    run = []
                found.append(hit)
                i = j
                break
        else:
            run.append(words[i])
            i += 1
    if run:
        unknown.append(" ".join(run))
    return found, unknown


def _exact(spec: FieldSpec, lookup: Mapping[str, str]) -> dict[str, str]:
    """Values exactly as the standard spells them (skips normalising in the common case)."""
    if spec.type in (FieldType.COUNTRY, FieldType.MULTI_COUNTRY):
        return {v: v for v in set(lookup.values())}
    if spec.type is FieldType.LANGUAGE:
        return {v: v for v in set(lookup.values())}
    return {v: v for v in spec.values}


def suggest_code(spec: FieldSpec, text: str, lookup: Mapping[str, str] | None = None) -> str | None:
    """The code a near-miss value most likely means ("Forced labor" -> "ForcedLabour"), or None.

    Compares the normalised value with every normalised code and label of the field
    (:func:`difflib.get_close_matches`, ratio at least 0.8). Never suggests for protected fields.
    """
    if spec.protected:
        return None
    table = lookup if lookup is not None else _code_lookup(spec)
    key = norm_key(text)
    if len(key) < 3:
        return None
    close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.8)
    return table[close[0]] if close else None


def _did_you_mean(spec: FieldSpec, code: str | None) -> str:
    if code is None:
        return ""
    labels = dict(zip(spec.values, spec.value_labels, strict=False))
    label = labels.get(code)
    return f" Did you mean {code}" + (f" ({label})?" if label and label != code else "?")


def _single_code(spec: FieldSpec, lookup: Mapping[str, str], what: str, expected: str) -> Converter:
    exact = _exact(spec, lookup)

    def convert(raw: Any) -> Converted:
        text = _as_text(raw)
        hit = exact.get(text)
        if hit is None:
            hit = lookup.get(norm_key(text))
        if hit is None:
            close = suggest_code(spec, text, lookup)
            raise BadValue(
                "htcds.invalid_value",
                f"{_show(spec, text)} is not {what}.{_did_you_mean(spec, close)}",
                expected,
                (f"Write {close}, or map" if close else "Fix the cell, or map")
                + " the value in a mapping file (source value -> HTCDS value).",
                shown=_show(spec, text),
            )
        return hit, None

    return convert


def _multi_code(spec: FieldSpec, lookup: Mapping[str, str], what: str, expected: str) -> Converter:
    exact = _exact(spec, lookup)

    def convert(raw: Any) -> Converted:
        if type(raw) is str:
            parts = raw.split()
            fast = [exact.get(p) for p in parts]
            if None not in fast:
                return tuple(dict.fromkeys(f for f in fast if f is not None)), None
        items = raw if isinstance(raw, list | tuple) else [raw]
        out: list[str] = []
        bad: list[str] = []
        for item in items:
            text = _as_text(item)
            hit = exact.get(text)
            if hit is None:
                hit = lookup.get(norm_key(text))
            if hit is not None:
                out.append(hit)
                continue
            tokens = _SEP.findall(text)
            hits = [lookup.get(norm_key(t)) for t in tokens]
            if tokens and all(h is not None for h in hits):
                out.extend(h for h in hits if h is not None)
                continue
            found, unknown = _greedy(text, lookup)
            out.extend(found)
            bad.extend(unknown)
        if bad:
            shown = "the value" if spec.protected else ", ".join(repr(b) for b in bad)
            close = [c for c in (suggest_code(spec, b, lookup) for b in bad) if c]
            hint = f" Did you mean {', '.join(dict.fromkeys(close))}?" if close else ""
            if len(close) == 1 and len(bad) == 1:
                hint = _did_you_mean(spec, close[0])
            raise BadValue(
                "htcds.invalid_value",
                f"{shown} {'is' if len(bad) == 1 else 'are'} not {what}.{hint}",
                expected,
                "Separate several values with spaces (XLSForm style), ';' or ','; fix or map the rest.",
                shown=shown,
                hidden="the value" if len(bad) == 1 else "some values",
            )
        return tuple(dict.fromkeys(out)), None

    return convert


def _show(spec: FieldSpec, text: str) -> str:
    return "the value" if spec.protected else repr(text)


# --- other types ----------------------------------------------------------------------------


def _text(spec: FieldSpec) -> Converter:
    limit = 100_000 if spec.type is FieldType.LONG_TEXT else 10_000
    pattern = re.compile(spec.pattern) if spec.pattern else None
    phone = spec.name.endswith("Phone")

    def convert(raw: Any) -> Converted:
        text = _as_text(raw)
        if len(text) > limit:
            raise BadValue(
                "htcds.too_long",
                f"the text has {len(text):,} characters; at most {limit:,} are accepted.",
                f"at most {limit:,} characters",
                "Shorten the text or move attachments out of the sheet.",
            )
        if pattern is not None:
            check = re.sub(r"[\s\-().]", "", text) if phone else text
            if not pattern.match(check):
                what = "an E.164 telephone number" if phone else "an e-mail address"
                raise BadValue(
                    "htcds.bad_format",
                    f"{_show(spec, text)} is not {what}.",
                    f"a value matching {spec.pattern}",
                    "Write phone numbers as +<country code><number>, e.g. +41225551234."
                    if phone
                    else "Write one address like name@example.org.",
                    shown=_show(spec, text),
                )
            if phone:
                text = check
        return text, None

    return convert


def _boolean(spec: FieldSpec) -> Converter:
    def convert(raw: Any) -> Converted:
        if isinstance(raw, bool):
            return raw, None
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw), None
        key = _as_text(raw).casefold()
        if key in _TRUE:
            return True, None
        if key in _FALSE:
            return False, None
        raise BadValue(
            "htcds.invalid_value",
            f"{_show(spec, _as_text(raw))} is not a yes/no value.",
            "TRUE or FALSE (also yes/no, 1/0)",
            "Use TRUE or FALSE.",
            shown=_show(spec, _as_text(raw)),
        )

    return convert


def _number(spec: FieldSpec) -> Converter:
    lo, hi, integer = spec.minimum, spec.maximum, spec.integer

    def convert(raw: Any) -> Converted:
        if isinstance(raw, bool):
            raise BadValue("htcds.invalid_number", "a yes/no value is not a number.", "a number", None)
        if isinstance(raw, int | float):
            num: float = raw
        else:
            text = _as_text(raw)
            try:
                num = float(text)
            except ValueError:
                raise BadValue(
                    "htcds.invalid_number",
                    f"{_show(spec, text)} is not a number.",
                    "an integer" if integer else "a number with '.' as decimal point",
                    "Write digits only, e.g. 3 or 12.5.",
                    shown=_show(spec, text),
                ) from None
        if not math.isfinite(num):
            raise BadValue("htcds.invalid_number", "the number is not finite.", "a finite number", None)
        if integer and not float(num).is_integer():
            raise BadValue(
                "htcds.invalid_number",
                f"{_show(spec, _as_text(raw))} is not a whole number.",
                "an integer",
                "Round to a whole number.",
                shown=_show(spec, _as_text(raw)),
            )
        if (lo is not None and num < lo) or (hi is not None and num > hi):
            raise BadValue(
                "htcds.out_of_range",
                f"{_show(spec, _as_text(raw))} is outside the allowed range {lo:g} to {hi:g}.",
                f"{lo:g} to {hi:g}",
                "Check the value and its unit.",
                shown=_show(spec, _as_text(raw)),
            )
        return (int(num) if integer else num), None

    return convert


@dataclass(frozen=True, slots=True)
class DateSettings:
    today: dt.date
    order: DateOrder | None = "DMY"


class AmbiguousDate(ValueError):
    """A numeric date that is a valid date read day first and month first, and no order was chosen."""

    def __init__(self, day_first: dt.date, month_first: dt.date) -> None:
        super().__init__("ambiguous")
        self.day_first = day_first
        self.month_first = month_first


def parse_date(raw: Any, order: DateOrder | None = "DMY") -> tuple[dt.date, str]:
    """Parse one date; return it and a description of the format found.

    Accepted: spreadsheet date cells, ISO 8601 dates and date-times, YYYY/MM/DD, YYYYMMDD,
    DD/MM/YYYY (or MM/DD/YYYY when ``order="MDY"``) with ``/``, ``.`` or ``-``, "12 March
    2021", "March 12, 2021", and Excel serial day numbers held in numeric cells.

    With ``order=None`` (no order chosen) a numeric date is read in the only order that gives a
    valid date; when both orders do and give different days (12/05/1988) :class:`AmbiguousDate`
    (a ``ValueError``) is raised, naming both readings.
    """
    if isinstance(raw, dt.datetime):
        return raw.date(), "spreadsheet date"
    if isinstance(raw, dt.date):
        return raw, "spreadsheet date"
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 2_958_466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw)), "Excel serial day number"
        raise ValueError("number out of range")
    text = str(raw).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return dt.date.fromisoformat(text), "YYYY-MM-DD"
    if _ISO_DATETIME.match(text):
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date(), "ISO 8601 date-time"
    if len(text) == 8 and text.isdigit():
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])), "YYYYMMDD"
    m = _YMD_SLASH.match(text)
    if m:
        return dt.date(int(m[1]), int(m[3]), int(m[4])), f"YYYY{m[2]}MM{m[2]}DD"
    m = _NUMERIC_DATE.match(text)
    if m:
        a, sep, b, year = int(m[1]), m[2], int(m[3]), m[4]
        if len(year) == 2:
            raise ValueError("two-digit year")
        if order is None:
            return _either_order(int(year), a, b, sep)
        day, month = (a, b) if order == "DMY" else (b, a)
        fmt = f"DD{sep}MM{sep}YYYY" if order == "DMY" else f"MM{sep}DD{sep}YYYY"
        try:
            return dt.date(int(year), month, day), fmt
        except ValueError:
            other = "MDY" if order == "DMY" else "DMY"
            dt.date(int(year), *((a, b) if order == "DMY" else (b, a)))  # raises if neither order fits
            raise ValueError(f"order:{other}") from None
    m = _DAY_MONTH_NAME.match(text)
    if m and m[2].casefold() in _MONTHS:
        return dt.date(int(m[3]), _MONTHS[m[2].casefold()], int(m[1])), "D Month YYYY"
    m = _MONTH_NAME_DAY.match(text)
    if m and m[1].casefold() in _MONTHS:
        return dt.date(int(m[3]), _MONTHS[m[1].casefold()], int(m[2])), "Month D, YYYY"
    raise ValueError("unrecognised")


def _either_order(year: int, a: int, b: int, sep: str) -> tuple[dt.date, str]:
    readings: list[tuple[dt.date, str]] = []
    for (day, month), fmt in (((a, b), f"DD{sep}MM{sep}YYYY"), ((b, a), f"MM{sep}DD{sep}YYYY")):
        try:
            readings.append((dt.date(year, month, day), fmt))
        except ValueError:
            continue
    if not readings:
        raise ValueError("unrecognised")
    if len(readings) == 2 and readings[0][0] != readings[1][0]:
        raise AmbiguousDate(readings[0][0], readings[1][0])
    return readings[0]


_DATE_FORMATS = "YYYY-MM-DD (preferred), DD/MM/YYYY, YYYY/MM/DD, 12 March 2021, or a date cell"


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def _long_date(value: dt.date) -> str:
    return f"{value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"


def _ambiguous(spec: FieldSpec, raw: Any, exc: AmbiguousDate) -> BadValue:
    text = _as_text(raw)
    if spec.protected:
        what = "the date"
        readings = "day first or month first (both are valid dates)"
    else:
        # Two readings of a date of a non-protected field: named even when values are not echoed,
        # since the field is stored in the clear and a date cannot be a misplaced name.
        what = repr(text)
        readings = (
            f"as {_long_date(exc.day_first)} (day first) or as {_long_date(exc.month_first)} (month first)"
        )
    return BadValue(
        "htcds.ambiguous_date",
        f"{what} can be read {readings}, so it was not read.",
        "YYYY-MM-DD, or a chosen date order for the file",
        "Write the date as YYYY-MM-DD (e.g. "
        + ("1988-05-12" if spec.protected else exc.day_first.isoformat())
        + "), or choose the file's date order (day first or month first) and check it again.",
    )


def _date(spec: FieldSpec, settings: DateSettings) -> Converter:
    today = settings.today
    order = settings.order
    earliest = dt.date(1900, 1, 1)

    def convert(raw: Any) -> Converted:
        try:
            value, fmt = parse_date(raw, order)
        except AmbiguousDate as exc:
            raise _ambiguous(spec, raw, exc) from None
        except ValueError as exc:
            reason = str(exc)
            if reason.startswith("order:"):
                other = reason.split(":", 1)[1]
                raise BadValue(
                    "htcds.date_order",
                    f"{_show(spec, _as_text(raw))} is not a valid date read as {order} but is as {other}.",
                    f"dates in {order} order",
                    f"Write dates as YYYY-MM-DD, or read the file with date_order={other!r}.",
                    shown=_show(spec, _as_text(raw)),
                ) from None
            what = "a date with a four-digit year" if reason == "two-digit year" else "a date"
            raise BadValue(
                "htcds.invalid_date",
                f"{_show(spec, _as_text(raw))} is not {what}.",
                _DATE_FORMATS,
                "Write dates as YYYY-MM-DD, e.g. 2021-03-12.",
                shown=_show(spec, _as_text(raw)),
            ) from None
        if value > today and not spec.allow_future:
            raise BadValue(
                "htcds.future_date",
                f"the date {'' if spec.protected else value.isoformat() + ' '}is in the future "
                f"(after {today.isoformat()}).",
                f"a date on or before {today.isoformat()}",
                "Check the year and the day/month order.",
                shown=f"{value.isoformat()} ",
                hidden="",
            )
        if value < earliest:
            raise BadValue(
                "htcds.implausible_date",
                f"the date {'' if spec.protected else value.isoformat() + ' '}is before 1900.",
                "a date from 1900 on",
                "Check the year.",
                shown=f"{value.isoformat()} ",
                hidden="",
            )
        return value, fmt

    return convert


_CODE_LIKE = re.compile(r"^[A-Za-z]{2,3}$")


def _location(spec: FieldSpec) -> Converter:
    """A place (free text, protected): a country code or name becomes ISO alpha-2; a bad code is refused."""
    text_convert = _text(spec)
    countries = country_lookup()

    def convert(raw: Any) -> Converted:
        text, _ = text_convert(raw)
        hit = countries.get(norm_key(text))
        if hit is not None:
            return hit, None
        if _CODE_LIKE.match(text) and text.isupper():
            raise BadValue(
                "htcds.invalid_country",
                "the value looks like a country code but is not an ISO 3166-1 country code.",
                "an ISO 3166-1 alpha-2 or alpha-3 code such as FR or FRA, a country name, or a place name",
                "Write the country's ISO code (for example FR for France) or its name.",
            )
        return text, None

    return convert


def make_converter(spec: FieldSpec, settings: DateSettings) -> Converter:
    """Build the converter for one field (done once per column, not per cell)."""
    t = spec.type
    if t is FieldType.PICKLIST:
        return _single_code(spec, _code_lookup(spec), "an HTCDS value", _expected_list(spec.values))
    if t is FieldType.MULTI_PICKLIST:
        return _multi_code(spec, _code_lookup(spec), "an HTCDS value", _expected_list(spec.values))
    if t is FieldType.COUNTRY:
        return _single_code(
            spec,
            country_lookup(),
            "an ISO 3166 country",
            "an ISO 3166-1 alpha-2 code such as PH, or a country name",
        )
    if t is FieldType.MULTI_COUNTRY:
        return _multi_code(
            spec,
            country_lookup(),
            "an ISO 3166 country",
            "ISO 3166-1 alpha-2 codes such as PH TH, or country names",
        )
    if t is FieldType.LANGUAGE:
        return _single_code(
            spec, language_lookup(), "an ISO 639 language", "an ISO 639-2 code such as eng, or a name"
        )
    if t is FieldType.BOOLEAN:
        return _boolean(spec)
    if t is FieldType.NUMBER:
        return _number(spec)
    if t is FieldType.DATE:
        return _date(spec, settings)
    if spec.name in LOCATION_FIELDS:
        return _location(spec)
    return _text(spec)
