"""Map the free-text citizenship and repatriation categories to ISO 3166 codes.

Countries report citizenship as they like: names in several languages, demonyms ("Nigerians"),
abbreviations ("RDC"), "Nationals" (the reporting country's own citizens), and text damaged by a
lost encoding ("Ciudadanos de su pa\ufffds"). A value is resolved in this order:

1. the override table ``data/citizenship_overrides.csv`` (maintained by hand; each line says why),
2. the country names in the export itself (UN names such as "Bolivia (Plurinational State of)"),
3. pycountry (ISO 3166-1 names, official names, common names, alpha-3 codes).

Matching ignores case, accents, repeated spaces and the kind of apostrophe. Anything else is
*unmapped* and reported with its count; it is never guessed.
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import pycountry

from vinculo.errors import Issue, Location, VinculoError
from vinculo.evidence._areas import known_areas

__all__ = [
    "MATCH_KINDS",
    "CitizenshipMapper",
    "CitizenshipMatch",
    "MatchKind",
    "load_overrides",
    "normalize_text",
]

MatchKind = Literal[
    "country", "nationals", "foreign", "stateless", "unknown", "aggregate", "invalid", "unmapped"
]
MATCH_KINDS: tuple[str, ...] = (
    "country",
    "nationals",
    "foreign",
    "stateless",
    "unknown",
    "aggregate",
    "invalid",
)
OVERRIDES_FILE = "citizenship_overrides.csv"


def normalize_text(text: str) -> str:
    """Key used for matching: casefolded, accents removed, one space, plain apostrophes."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(s.casefold().split())


@dataclass(frozen=True, slots=True)
class CitizenshipMatch:
    """What one category text means.

    ``kind`` is one of ``country`` (``iso3`` set), ``nationals`` (the reporting country's own
    citizens; resolved per record), ``foreign`` (foreigners, not further specified),
    ``stateless``, ``unknown`` (not stated), ``aggregate`` (a region or group of countries),
    ``invalid`` (not a
    citizenship at all: a number, a questionnaire cell code) or ``unmapped``.
    """

    text: str
    kind: MatchKind
    iso3: str | None = None
    via: str = ""

    def resolve(self, reporting_iso3: str) -> str | None:
        """The ISO3 code this category stands for in a record of ``reporting_iso3``."""
        if self.kind == "country":
            return self.iso3
        if self.kind == "nationals":
            return reporting_iso3
        return None


@dataclass(frozen=True, slots=True)
class _Override:
    text: str
    kind: MatchKind
    iso3: str | None
    comment: str


@functools.cache
def load_overrides() -> tuple[_Override, ...]:
    """The packaged override table, validated (a broken table raises ``evidence.bad_overrides``)."""
    ref = resources.files("vinculo.evidence").joinpath("data", OVERRIDES_FILE)
    with ref.open("r", encoding="utf-8") as fh:
        return _parse_overrides(list(csv.DictReader(fh)), OVERRIDES_FILE)


def _parse_overrides(rows: Iterable[Mapping[str, str]], origin: str) -> tuple[_Override, ...]:
    areas = known_areas()
    issues: list[Issue] = []
    out: list[_Override] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        text = row.get("text") or ""
        kind = (row.get("kind") or "").strip()
        iso3 = (row.get("iso3") or "").strip().upper() or None
        comment = (row.get("comment") or "").strip()
        loc = Location(file=origin, row=line)
        if kind not in MATCH_KINDS:
            issues.append(
                Issue("evidence.bad_overrides", f"unknown kind {kind!r}.", loc, kind, ", ".join(MATCH_KINDS))
            )
            continue
        if (kind == "country") != (iso3 is not None):
            issues.append(
                Issue(
                    "evidence.bad_overrides",
                    f"kind {kind!r} {'needs' if kind == 'country' else 'takes no'} iso3.",
                    loc,
                )
            )
            continue
        if iso3 is not None and iso3 not in areas:
            issues.append(Issue("evidence.bad_overrides", f"iso3 {iso3!r} is not a known code.", loc, iso3))
            continue
        if not comment:
            issues.append(Issue("evidence.bad_overrides", "every override needs a comment saying why.", loc))
        key = normalize_text(text)
        if key in seen:
            issues.append(
                Issue(
                    "evidence.bad_overrides",
                    f"{text!r} duplicates line {seen[key]} (after normalization).",
                    loc,
                )
            )
            continue
        seen[key] = line
        out.append(_Override(text, kind, iso3, comment))  # type: ignore[arg-type]
    if issues:
        raise VinculoError(
            f"The citizenship override table {origin} has {len(issues)} problem(s).",
            code="evidence.bad_overrides",
            issues=issues,
            fix="Fix the listed lines: columns text,kind,iso3,comment.",
        )
    return tuple(out)


class CitizenshipMapper:
    """Resolve category texts; build one with :meth:`default` (overrides + pycountry).

    Parameters
    ----------
    country_names : mapping of str to str, optional
        Extra ``name -> ISO3`` pairs, normally the Country column of the export.
    """

    def __init__(self, country_names: Mapping[str, str] | None = None) -> None:
        self._overrides: dict[str, _Override] = {normalize_text(o.text): o for o in load_overrides()}
        self._names: dict[str, str] = dict(_pycountry_index())
        for name, code in (country_names or {}).items():
            self._names[normalize_text(name)] = code

    def match(self, text: str) -> CitizenshipMatch:
        """What ``text`` means (see :class:`CitizenshipMatch`); never raises."""
        key = normalize_text(text)
        if not key:
            return CitizenshipMatch(text, "unknown", None, "empty")
        ov = self._overrides.get(key)
        if ov is not None:
            return CitizenshipMatch(text, ov.kind, ov.iso3, "override")
        code = self._names.get(key)
        if code is not None:
            return CitizenshipMatch(text, "country", code, "name")
        if key.startswith("the "):
            code = self._names.get(key[4:])
            if code is not None:
                return CitizenshipMatch(text, "country", code, "name")
        return CitizenshipMatch(text, "unmapped", None, "")


@functools.cache
def _pycountry_index() -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for c in pycountry.countries:
        code = c.alpha_3
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                out.setdefault(normalize_text(value), code)
        out.setdefault(normalize_text(code), code)
    for code, area in known_areas().items():
        out.setdefault(normalize_text(area.name), code)
    return tuple(sorted(out.items()))
