"""How one agency writes one person, for :mod:`vinculo.linkage.synthetic` (names, dates, phones).

Every function draws from the ``rng`` it is given, in a fixed order, so a seed gives one set.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vinculo.linkage import _synthetic_pools as P
from vinculo.linkage._synthetic_text import (
    ru_patronymic,
    strip_diacritics,
    transliterate_cyrillic,
    uk_patronymic,
)

__all__ = [
    "AR_LATIN",
    "POOLS",
    "Draft",
    "Profile",
    "fmt_date",
    "format_phone",
    "render_birth",
    "render_names",
    "shift_years",
    "typo_digit",
]


@dataclass(frozen=True)
class Profile:
    """How one agency records a person: fields kept, scripts, habits and error rates."""

    prefix: str
    weight: float
    fields: Mapping[str, float]
    native: Mapping[str, float]  # "cyr", "ar", "vi" (diacritics kept), "ru_form" (Ukrainian in Russian)
    scheme: str
    date_format: str
    dates: Mapping[str, float]  # kinds of birth-date corruption
    document: str  # "passport" or "national"
    nickname: float
    typo: float
    swap: float
    upper: float
    dup: float
    exploitation_bias: Mapping[str, float] = field(default_factory=dict)
    female_bias: float = 1.0  # reach among women (a shelter sees more)


@dataclass
class Draft:
    key: str
    culture: str
    country: str
    female: bool
    given: str  # native form (Cyrillic, Arabic script, Vietnamese, Latin)
    given2: str  # a second given name (Spanish, Nigerian middle name) or ""
    father: str  # father's given name (patronymics, Arabic chains) or ""
    family: str
    family2: str  # maternal surname (Spanish) or ""
    birth: dt.date | None
    city: int
    street: str
    postcode: str
    phones: tuple[str, ...]
    email: str
    passport: str
    national_id: str
    year: int
    exploitation: str
    family_id: str = ""


POOLS: dict[str, dict[str, Any]] = {
    "ru": {"m": P.RU_MALE, "f": P.RU_FEMALE, "family": P.RU_FAMILY, "nick": P.RU_NICK},
    "uk": {"m": P.UK_MALE, "f": P.UK_FEMALE, "family": P.UK_FAMILY, "nick": P.UK_NICK},
    "ar": {"m": P.AR_MALE, "f": P.AR_FEMALE, "family": P.AR_FAMILY, "nick": {}},
    "vi": {"m": P.VI_MALE, "f": P.VI_FEMALE, "family": P.VI_FAMILY, "nick": {}},
    "es": {"m": P.ES_MALE, "f": P.ES_FEMALE, "family": P.ES_FAMILY, "nick": P.ES_NICK},
    "ng": {"m": P.NG_MALE, "f": P.NG_FEMALE, "family": P.NG_FAMILY, "nick": P.NG_NICK},
    "ro": {"m": P.RO_MALE, "f": P.RO_FEMALE, "family": P.RO_FAMILY, "nick": P.RO_NICK},
}
AR_LATIN = {native: latin.split() for native, latin in (*P.AR_MALE, *P.AR_FEMALE, *P.AR_FAMILY)}


def render_names(
    p: Draft, prof: Profile, native: Mapping[str, bool], scheme: str, rng: random.Random
) -> tuple[str, str, str]:
    """First, middle and family name fields as this agency writes this person."""
    nick = POOLS[p.culture]["nick"]
    if p.culture in ("ru", "uk"):
        given, culture = p.given, p.culture
        if culture == "uk" and native["ru_form"] and given in P.UK_TO_RU:
            given, culture = P.UK_TO_RU[given], "ru"
        father = P.UK_TO_RU.get(p.father, p.father) if culture != p.culture else p.father
        if rng.random() < prof.nickname and given in POOLS[culture]["nick"]:
            given = rng.choice(POOLS[culture]["nick"][given])
        patronymic = (ru_patronymic if culture == "ru" else uk_patronymic)(father, p.female)
        parts = [given, patronymic, p.family]
        if not native["cyr"]:
            uk = culture == "uk"
            parts = [transliterate_cyrillic(x, scheme, ukrainian=uk) for x in parts]
        return parts[0], parts[1], parts[2]
    if p.culture == "ar":
        return _arabic(p, native["ar"], rng)
    if p.culture == "vi":
        parts = [p.given, p.given2, p.family]
        if not native["vi"]:
            parts = [strip_diacritics(x) for x in parts]
        g, m, fam = parts
        order = rng.random()
        if order < 0.65:
            return g, m, fam
        if order < 0.85:
            return fam, m, g  # written in Vietnamese order into first/last
        if order < 0.94:
            return f"{m} {g}", "", fam
        return f"{fam} {m} {g}", "", ""
    given = p.given
    if rng.random() < prof.nickname and given in nick:
        given = rng.choice(nick[given])
    if p.culture == "es":
        if p.given2 and rng.random() < 0.6:
            given = f"{given} {p.given2}"
        r = rng.random()
        family = (
            f"{p.family} {p.family2}"
            if r < 0.5
            else p.family
            if r < 0.8
            else f"{p.family}-{p.family2}"
            if r < 0.9
            else f"{p.family} {p.family2[0]}."
            if r < 0.95
            else p.family2
        )
        if rng.random() < 0.4:
            given, family = strip_diacritics(given), strip_diacritics(family)
        return given, "", family
    if p.culture == "ro" and rng.random() < 0.4:
        return strip_diacritics(given), "", strip_diacritics(p.family)
    return given, p.given2 if p.culture == "ng" else "", p.family


def _arabic(p: Draft, native: bool, rng: random.Random) -> tuple[str, str, str]:

    def latin(name: str) -> str:
        variants = AR_LATIN[name]
        v = variants[min(int(rng.expovariate(1.0)), len(variants) - 1)]
        return v.replace("-", rng.choice(("-", " ", "", "-"))) if "-" in v else v

    given, father, family = (
        (p.given, p.father, p.family) if native else (latin(p.given), latin(p.father), latin(p.family))
    )
    link = (
        ("بنت" if p.female else "بن")
        if native
        else rng.choice(("bint",) if p.female else ("bin", "ibn", "ben"))
    )
    r = rng.random()
    if r < 0.5:
        return given, father, family
    if r < 0.65:
        return given, f"{link} {father}", family
    if r < 0.73:
        return given, "", father  # the father's name taken for the family name
    if r < 0.8:
        return f"{given} {father}", "", family
    return given, "", family


def render_birth(p: Draft, prof: Profile, rng: random.Random) -> str:
    """The birth date as this agency writes it (with its kinds of error and its format)."""
    d = p.birth
    if d is None:
        r = rng.random()
        if r < 0.35:
            return fmt_date(dt.date(1900, 1, 1), prof.date_format)
        if r < 0.7:
            return fmt_date(dt.date(p.year - rng.randint(18, 40), 1, 1), prof.date_format)
        return ""
    kinds = prof.dates
    r = rng.random()
    acc = 0.0
    kind = "exact"
    for name, share in kinds.items():
        acc += share
        if r < acc:
            kind = name
            break
    if kind == "default":
        return fmt_date(dt.date(1900, 1, 1), prof.date_format)
    if kind == "jan1":
        return fmt_date(dt.date(d.year, 1, 1), prof.date_format)
    if kind == "year":
        return str(d.year)
    if kind == "swap" and d.day <= 12 and d.day != d.month:
        return fmt_date(dt.date(d.year, d.day, d.month), prof.date_format)
    if kind == "digit":
        which = rng.random()
        if which < 0.5:
            return fmt_date(shift_years(d, rng.choice((-1, 1)), rng), prof.date_format)
        day = min(28, max(1, d.day + rng.choice((-10, -1, 1, 10))))
        return fmt_date(d.replace(day=day), prof.date_format)
    if kind == "age":
        return fmt_date(dt.date(d.year + rng.choice((-1, 0, 1)), 1, 1), prof.date_format)
    return fmt_date(d, prof.date_format)


def shift_years(d: dt.date, years: int, rng: random.Random) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def typo_digit(number: str, rng: random.Random) -> str:
    digits = [i for i, c in enumerate(number) if c.isdigit()]
    if not digits:
        return number
    i = rng.choice(digits)
    return number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1 :]


def fmt_date(d: dt.date, fmt: str) -> str:
    if fmt == "dmy_dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if fmt == "dmy_slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return d.isoformat()


def format_phone(number: str, country: str, rng: random.Random) -> str:
    cc, trunk, _prefixes, _digits = P.PHONE_PLAN[country]
    r = rng.random()
    if r < 0.3:
        return f"+{cc}{number}"
    if r < 0.45:
        return f"+{cc} {number[:3]} {number[3:6]} {number[6:]}"
    if r < 0.55:
        return f"00{cc}{number}"
    if r < 0.8:
        return f"{trunk}{number}"
    if r < 0.9:
        return f"{trunk}{number[:2]} {number[2:5]}-{number[5:7]}-{number[7:]}"
    return f"{cc}{number}"
