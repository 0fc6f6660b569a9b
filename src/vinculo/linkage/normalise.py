"""One record's person fields, normalised for comparison: :func:`normalise_person`.

Names go through :mod:`vinculo.linkage.names`; birth dates keep what is known (year only,
year and month, day/month order as written when both are 12 or less), treat default dates
(1 January 1900, 1 January of any year) as unknown parts and keep unreadable text in
``birth_text``; phone numbers become E.164 with ``phonenumbers`` (the region from the person's
citizenship or mailing country) or else their digits. Every function here is pure and cached per
distinct value, so a million records normalise in seconds. See ``docs/linkage/normalisation.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from anyascii import anyascii

from vinculo.linkage import names
from vinculo.linkage.model import Person

__all__ = [
    "PERSON_FIELDS",
    "STRATA_FIELDS",
    "normalise_birth",
    "normalise_person",
    "normalise_phone",
    "normalise_sex",
    "normalise_text",
]

#: HTCDS fields read for comparison, in the order of the issue.
PERSON_FIELDS = (
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_MailingCity",
    "prs_MailingPostalCode",
    "prs_MailingStreet",
    "prs_MailingState",
    "prs_IdentityNumber",
    "prs_MobilePhone",
    "prs_Email",
)
#: Fields read for strata and for the phone region only (never compared).
STRATA_FIELDS = (
    "prs_MailingCountry",
    "prs_HomePhone",
    "vic_TypeOfExploitation",
    "vic_AgeWhenTrafficked",
    "cas_IncomingReferralDate",
)
#: Columns outside HTCDS that give the year a person was identified (a stratum), lower case.
YEAR_COLUMNS = ("year_of_identification", "identification_year", "registration_year", "year")


def normalise_text(text: object) -> str:
    """NFKC, transliterate to Latin ASCII, case-fold, punctuation to spaces, collapse spaces."""
    if text is None:
        return ""
    return names.normalise_text(_as_text(text))


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(_as_text(v) for v in value)
    return str(value)


# --- dates ----------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _n, _words in enumerate(
    (
        "january jan enero ene janvier janv janeiro januar gennaio styczen yanvar",
        "february feb febrero febr fevrier fev fevereiro februar febbraio luty fevral",
        "march mar marzo mars marco marz",
        "april apr abril avril aprile kwiecien aprel",
        "may mayo mai maio maggio maj",
        "june jun junio juin junho juni giugno czerwiec iyun",
        "july jul julio juillet juil julho juli luglio lipiec iyul",
        "august aug agosto aout avgust sierpien",
        "september sep sept septiembre septembre setembro settembre wrzesien sentiabr sentyabr",
        "october oct octubre octobre outubro oktober ottobre pazdziernik oktiabr oktyabr",
        "november nov noviembre novembre novembro listopad noiabr noyabr",
        "december dec diciembre decembre dezembro dezember dicembre grudzien dekabr",
    ),
    start=1,
):
    for _w in _words.split():
        _MONTHS[_w] = _n

_TIME = re.compile(r"[t\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?.*$")
_NUM = re.compile(r"\d+")
_WORD = re.compile(r"[a-z]+")
_MIN_YEAR = 1900  # a birth year at or before it is a default (01/01/1900), not a person's


def _plausible_year(y: int) -> bool:
    return _MIN_YEAR < y <= dt.date.today().year


def _two_digit_year(yy: int) -> int:
    this = dt.date.today().year
    return 2000 + yy if 2000 + yy <= this else 1900 + yy


def _days_in(y: int, m: int) -> int:
    if m == 12:
        return 31
    return (dt.date(y, m + 1, 1) - dt.date(y, m, 1)).days


BirthParts = tuple[int | None, int | None, int | None, str]


def _checked(y: int | None, m: int | None, d: int | None, raw: str) -> BirthParts:
    """Apply the plausibility rules to parsed parts."""
    if y is None:
        return None, None, None, raw
    if y <= _MIN_YEAR:
        # 1900-01-01 and the like: a default, not a date; other years before 1901 are errors
        return (
            (None, None, None, "") if (m in (None, 0, 1) and d in (None, 0, 1)) else (None, None, None, raw)
        )
    if not _plausible_year(y):
        return None, None, None, raw
    if not m:  # 0 or missing: year only
        return y, None, None, ""
    if not 1 <= m <= 12:
        return y, None, None, raw
    if not d:
        return y, m, None, ""
    if not 1 <= d <= _days_in(y, m):
        return y, m, None, raw
    if dt.date(y, m, d) > dt.date.today():
        return None, None, None, raw
    if m == 1 and d == 1:  # 1 January: the usual default day of an unknown birthday
        return y, None, None, ""
    return y, m, d, ""


@lru_cache(maxsize=1 << 18)
def _parse_birth_text(raw: str) -> BirthParts:
    s = unicodedata.normalize("NFKC", raw).strip()
    if not s:
        return None, None, None, ""
    s = anyascii(s).casefold() if not s.isascii() else s.casefold()
    s = _TIME.sub("", s)
    nums = [(int(n), len(n)) for n in _NUM.findall(s)]
    month_word = next((_MONTHS[w] for w in _WORD.findall(s) if w in _MONTHS), None)
    if month_word is not None:
        years = [v for v, n in nums if n == 4]
        days = [v for v, n in nums if n <= 2]
        if len(years) == 1 and len(days) <= 1 and len(nums) == len(years) + len(days):
            return _checked(years[0], month_word, days[0] if days else None, raw)
        if not years and len(days) == 2:  # "12 apr 90"
            return _checked(_two_digit_year(days[1]), month_word, days[0], raw)
        return None, None, None, raw
    if _WORD.search(s):  # words that are not months: not a date
        return None, None, None, raw
    if len(nums) == 1:
        v, n = nums[0]
        if n == 4:
            return _checked(v, None, None, raw)
        if n == 8:  # 19900412 or 12041990
            text = str(v).zfill(8)
            if text[:2] in ("19", "20"):
                return _checked(int(text[:4]), int(text[4:6]), int(text[6:]), raw)
            return _checked(int(text[4:]), int(text[2:4]), int(text[:2]), raw)
        return None, None, None, raw
    if len(nums) == 2:
        (a, na), (b, nb) = nums
        if na == 4 and nb <= 2:
            return _checked(a, b, None, raw)
        if nb == 4 and na <= 2:
            return _checked(b, a, None, raw)
        return None, None, None, raw
    if len(nums) == 3:
        (a, na), (b, nb), (c, nc) = nums
        if na == 4 and nb <= 2 and nc <= 2:  # ISO order 1990-04-12
            return _checked(a, b, c, raw)
        if na <= 2 and nb <= 2 and nc in (2, 4):
            year = c if nc == 4 else _two_digit_year(c)
            if a > 12 >= b or (a <= 12 and b <= 12):  # day first (also when ambiguous)
                return _checked(year, b, a, raw)
            if b > 12 >= a:  # month first (US)
                return _checked(year, a, b, raw)
        return None, None, None, raw
    return None, None, None, raw


def _excel_serial(v: float) -> dt.date | None:
    if 1 <= v < 2958466:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(v))
    return None


def normalise_birth(value: object) -> BirthParts:
    """``(year, month, day, text)`` of a birth date; unknown parts are None and ``text`` keeps a
    value that could not be read (``""`` otherwise).

    Accepts ``datetime.date`` values, spreadsheet serial numbers, ISO and day-first or
    month-first dates (a day above 12 decides; day first when both parts are 12 or less), year
    only (``1990``), year and month (``1990-04``, ``04/1990``), month names in several languages
    and scripts. ``1900-01-01`` and dates before 1901 are unknown; 1 January of a plausible
    year keeps the year only; future dates are invalid.

    >>> normalise_birth("1990-04"), normalise_birth("13/04/1990"), normalise_birth("01/01/1900")
    ((1990, 4, None, ''), (1990, 4, 13, ''), (None, None, None, ''))
    """
    if type(value) is str:
        return _parse_birth_text(value)
    if value is None:
        return None, None, None, ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, bool):
        return None, None, None, str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return None, None, None, str(value)
        iv = int(value)
        if 1000 <= iv <= 9999:
            return _checked(iv, None, None, str(iv))
        if 10000000 <= iv <= 99999999:
            return _parse_birth_text(str(iv))
        day = _excel_serial(float(iv))
        if day is not None:
            return _checked(day.year, day.month, day.day, str(iv))
        return None, None, None, str(value)
    return _parse_birth_text(_as_text(value))


# --- phones ---------------------------------------------------------------------------------

_PHONE_KEEP = re.compile(r"[^\d+]")
_EXT = re.compile(r"(?:ext|x|#|доб)\.?\s*\d+\s*$", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)
def normalise_phone(value: str, region: str = "") -> str:
    """E.164 (``+380501234567``) when the number parses (international form, or national form
    with ``region`` an ISO 3166 alpha-2 code), else its digits; ``""`` when there are none.

    >>> normalise_phone("050 123 45 67", "UA"), normalise_phone("00380 50 123 4567")
    ('+380501234567', '+380501234567')
    """
    s = unicodedata.normalize("NFKC", value).strip()
    if not s:
        return ""
    s = _EXT.sub("", s).replace("(0)", "")
    if not s.isascii():
        s = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in s)
    kept = _PHONE_KEEP.sub("", s)
    plus = kept.startswith("+")
    digits = kept.replace("+", "")
    if not digits:
        return ""
    if not plus and digits.startswith("00") and len(digits) > 8:
        plus, digits = True, digits[2:]
    if not plus and not region:
        return digits
    fast = _fast_plan(region) if not plus else ("", "")
    if fast is not None:
        cc, prefix = fast
        if not plus:
            if prefix and digits.startswith(prefix):
                digits = cc + digits[len(prefix) :]
            elif not (digits.startswith(cc) and len(digits) >= len(cc) + 8):
                digits = cc + digits  # else written with its country code but no "+"
        return "+" + digits if 8 <= len(digits) <= 15 else kept.replace("+", "")
    import phonenumbers

    try:
        num = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(num):
        return digits
    return str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))


@cache
def _fast_plan(region: str) -> tuple[str, str] | None:
    """(country calling code, national prefix) of a region whose national numbers need only the
    prefix dropped; None where ``phonenumbers`` must parse (carrier codes, other transforms)."""
    from phonenumbers import PhoneMetadata

    md = PhoneMetadata.metadata_for_region(region.upper())
    if md is None or md.country_code is None:
        return None
    prefix = md.national_prefix or ""
    if (md.national_prefix_for_parsing or "") != prefix or md.national_prefix_transform_rule:
        return None
    return str(md.country_code), prefix


# --- codes ----------------------------------------------------------------------------------


def _key(value: str) -> str:
    return normalise_text(value).replace(" ", "")


@cache
def _sex_table() -> dict[str, str]:
    table = {
        "feminine": "f",
        "masculine": "m",
        "transgenderfeminine": "f",
        "transgendermasculine": "m",
        "nonconforming": "x",
        "nonspecifiedunknown": "",
        "notspecifiedunknown": "",
    }
    text = (resources.files("vinculo.linkage") / "data" / "sex.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        code, _, words = line.partition(":")
        for w in words.split(","):
            if _key(w):
                table.setdefault(_key(w), code.strip())
    return table


@lru_cache(maxsize=1024)
def normalise_sex(value: str) -> str:
    """``"f"``, ``"m"``, ``"x"`` or ``""`` from an HTCDS ``prs_Gender`` code or label, or a common
    word in several languages (F, female, femme, женский, أنثى ...)."""
    return _sex_table().get(_key(value), "")


@lru_cache(maxsize=4096)
def _country(value: str) -> str:
    """ISO 3166-1 alpha-2 of the first country in ``value`` (a code, a name or a list), or ``""``."""
    from vinculo.htcds._convert import country_lookup, norm_key

    s = value.strip()
    if not s:
        return ""
    table = country_lookup()
    hit = table.get(norm_key(s))
    if hit:
        return hit
    for part in re.split(r"[,;|/\s]+", s):
        hit = table.get(norm_key(part))
        if hit:
            return hit
    return ""


@lru_cache(maxsize=1024)
def _exploitation(value: str) -> str:
    """HTCDS code(s) of a form of exploitation: one code, or several sorted and joined by "+"."""
    from vinculo.htcds._convert import _greedy

    found, _ = _greedy(value, _exploitation_lookup())
    return "+".join(sorted(set(found)))


@cache
def _exploitation_lookup() -> dict[str, str]:
    from vinculo.htcds._convert import _code_lookup
    from vinculo.htcds._fields import field_catalogue

    return _code_lookup(field_catalogue()["vic_TypeOfExploitation"])


_ID_KEEP = re.compile(r"[^A-Z0-9]")
_POSTCODE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def _identity(value: str) -> str:
    s = unicodedata.normalize("NFKC", value)
    if not s.isascii():
        s = anyascii(s)
    return _ID_KEEP.sub("", s.upper())


def _year_of(value: object) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if 1900 < value < 2200 else None  # also False for inf and nan
    return _year_in(_as_text(value))


_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@lru_cache(maxsize=1 << 14)
def _year_in(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(0)) if m else None


def _age(value: object) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if 0 <= value <= 120 else None
    m = re.fullmatch(r"\s*(\d{1,3})(?:\.0+)?\s*", _as_text(value))
    if m and int(m.group(1)) <= 120:
        return int(m.group(1))
    return None


# --- the person -----------------------------------------------------------------------------


def _get(values: Mapping[str, Any], key: str) -> str:
    v = values.get(key)
    if v is None:
        return ""
    return v if type(v) is str else _as_text(v)


@lru_cache(maxsize=1 << 18)
def _name_parts(text: str, family: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tokens = names.name_tokens(text, family)
    return tokens, tuple(names.canonical_token(t) for t in tokens)


@lru_cache(maxsize=1 << 16)
def _place(text: str) -> str:
    return names.normalise_text(text)


def normalise_person(values: Mapping[str, Any], *, source: str, record_id: str, row: int = 0) -> Person:
    """A :class:`Person` from HTCDS-named values (``prs_FirstName`` ...), raw text or typed.

    Typed values are those :class:`vinculo.htcds.ParsedRecord` holds (``datetime.date`` birth
    dates, ISO country codes, tuples for multi-select fields, code-list values). Absent or empty
    fields give ``""`` / ``None``; no value ever raises.

    Examples
    --------
    >>> p = normalise_person({"prs_FirstName": "Олександр", "prs_SecondName": "Шевченко",
    ...                       "prs_Birthdate": "1990-04", "prs_Gender": "Masculine"},
    ...                      source="police", record_id="17")
    >>> p.given, p.family, p.birth_year, p.birth_month, p.sex
    (('oleksandr',), ('shevchenko',), 1990, 4, 'm')
    """
    first = _get(values, "prs_FirstName")
    middle = _get(values, "prs_MiddleName")
    given, given_canonical = _name_parts(f"{first} {middle}" if middle else first, False)
    family, family_canonical = _name_parts(_get(values, "prs_SecondName"), True)
    year, month, day, birth_text = normalise_birth(values.get("prs_Birthdate"))
    sex = normalise_sex(_get(values, "prs_Gender"))
    citizenship = _country(_get(values, "prs_Citizenship"))
    region = citizenship or _country(_get(values, "prs_MailingCountry"))
    phone_raw = _get(values, "prs_MobilePhone") or _get(values, "prs_HomePhone")
    phone = normalise_phone(phone_raw, region) if phone_raw else ""
    strata: dict[str, str] = {}
    if sex:
        strata["sex"] = sex
    ident_year = (
        _year_of(values.get("cas_IncomingReferralDate")) if values.get("cas_IncomingReferralDate") else None
    )
    if ident_year is None:
        for col in YEAR_COLUMNS:
            if values.get(col):
                ident_year = _year_of(values[col])
                if ident_year is not None:
                    break
    if ident_year is not None:
        strata["year"] = str(ident_year)
    age = (
        _age(values.get("vic_AgeWhenTrafficked"))
        if values.get("vic_AgeWhenTrafficked") not in (None, "")
        else None
    )
    if age is None and year is not None and ident_year is not None and ident_year >= year:
        age = ident_year - year
    if age is not None:
        strata["age_group"] = "0-17" if age < 18 else "18+"
    exploitation = _get(values, "vic_TypeOfExploitation")
    if exploitation:
        code = _exploitation(exploitation)
        if code:
            strata["exploitation"] = code
    email = _get(values, "prs_Email")
    if email:
        email = unicodedata.normalize("NFKC", email).strip().lower().removeprefix("mailto:")
    return Person(
        source=source,
        record_id=record_id,
        row=row,
        given=given,
        family=family,
        given_canonical=given_canonical,
        family_canonical=family_canonical,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        birth_text=birth_text,
        sex=sex,
        citizenship=citizenship,
        city=_place(_get(values, "prs_MailingCity")),
        postcode=_place(_get(values, "prs_MailingPostalCode")).replace(" ", ""),
        street=_place(_get(values, "prs_MailingStreet")),
        state=_place(_get(values, "prs_MailingState")),
        identity_number=_identity(ident) if (ident := _get(values, "prs_IdentityNumber")) else "",
        phone=phone,
        email=email,
        strata=strata,
    )
