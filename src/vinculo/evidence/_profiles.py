"""Country, regional and global profiles as data (rendered by ``_render``).

A profile is a plain, immutable object: sections of year -> part -> :class:`Count`, rates per
100,000 population (from :mod:`vinculo.population`), a list of what is suppressed, and the
source citation with the export date. Nothing here formats HTML; see ``to_json``/``render_*``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from vinculo.evidence._bounds import Tightened, section_cell, table_bounds, tightened_cell
from vinculo.evidence._count import Count
from vinculo.evidence._dataset import CITATION, GlotipDataset
from vinculo.evidence._flows import (
    VICTIMS,
    FlowShares,
    citizenship_flows,
    flow_shares,
    main_flows,
    origin_countries,
)
from vinculo.evidence._indicators import Level, area_members, indicator_breakdown, indicator_series

__all__ = [
    "PROFILE_SECTIONS",
    "AreaProfile",
    "CountryProfile",
    "Rate",
    "build_area_profile",
    "build_country_profile",
]

PROSECUTED = "Persons prosecuted"
CONVICTED = "Persons convicted"
CONTACT = "Persons brought into formal contact"
OFFENCES = "Offences of trafficking in persons"

#: key -> (indicator, dimension, breakdown, title). Totals have breakdown "total".
PROFILE_SECTIONS: dict[str, tuple[str, str, str, str]] = {
    "victims_total": (VICTIMS, "Total", "total", "Detected victims"),
    "victims_by_sex": (VICTIMS, "Total", "sex", "Detected victims by sex"),
    "victims_by_age": (VICTIMS, "Total", "age", "Detected victims by age"),
    "victims_by_sex_age": (VICTIMS, "Total", "sex_age", "Detected victims by sex and age"),
    "victims_by_form": (
        VICTIMS,
        "by form of exploitation",
        "category",
        "Detected victims by form of exploitation",
    ),
    "victims_by_citizenship": (VICTIMS, "by citizenship", "origin", "Detected victims by citizenship"),
    "victims_by_repatriation": (
        VICTIMS,
        "by country of repatriation",
        "origin",
        "Detected victims by country of repatriation",
    ),
    "prosecuted_total": (PROSECUTED, "Total", "total", "Persons prosecuted"),
    "prosecuted_by_sex": (PROSECUTED, "Total", "sex", "Persons prosecuted by sex"),
    "convicted_total": (CONVICTED, "Total", "total", "Persons convicted"),
    "convicted_by_sex": (CONVICTED, "Total", "sex", "Persons convicted by sex"),
    "convicted_by_form": (
        CONVICTED,
        "by form of exploitation",
        "category",
        "Persons convicted by form of exploitation",
    ),
    "convicted_by_citizenship": (CONVICTED, "by citizenship", "origin", "Persons convicted by citizenship"),
    "contact_total": (CONTACT, "Total", "total", "Persons brought into formal contact"),
    "offences_total": (OFFENCES, "Total", "total", "Offences of trafficking in persons"),
}

_RATE_SECTIONS = ("victims_total", "prosecuted_total", "convicted_total")


@dataclass(frozen=True, slots=True)
class Rate:
    """A count per 100,000 population. ``low``/``high`` differ when the count has suppressed cells.

    ``population`` is the denominator in persons (for an area: the countries that reported).
    """

    low: float
    high: float
    count: Count
    population: float
    source: str

    def to_json(self) -> float | dict[str, Any]:
        if self.count.is_exact:
            return round(self.low, 4)
        if self.count.is_suppressed:
            return {"suppressed": True}
        return {"lower_bound": round(self.low, 4), "low": round(self.low, 4), "high": round(self.high, 4)}

    def render(self) -> str:
        if self.count.is_exact:
            return f"{self.low:.2f}"
        if self.count.is_suppressed:
            return "suppressed"
        return f"≥ {self.low:.2f} ({self.low:.2f}–{self.high:.2f})"


@dataclass(frozen=True, slots=True)
class _Base:
    level: str
    code: str
    name: str
    region: str
    subregion: str
    export_date: dt.date | None
    source_name: str
    checksum: str
    years: tuple[int, ...]
    sections: Mapping[str, Mapping[int, Mapping[str, Count]]]
    rates: Mapping[str, Mapping[int, Rate]]
    countries_reporting: Mapping[str, Mapping[int, tuple[str, ...]]]
    notes: tuple[str, ...] = ()
    flow_shares: Mapping[int, FlowShares] = field(default_factory=dict)
    main_origins: tuple[tuple[str, Count], ...] = ()
    main_destinations: tuple[tuple[str, Count], ...] = ()
    #: False for a State that does not report to UNODC but appears as the citizenship of victims
    #: detected elsewhere: such a profile has no sections, only where its citizens were detected.
    reporting: bool = True
    #: section -> year -> part -> the narrower range that the country's published totals imply
    #: for a suppressed cell (see vinculo.evidence._bounds); countries only.
    tightened: Mapping[str, Mapping[int, Mapping[str, Tightened]]] = field(default_factory=dict)

    def tightened_value(self, section: str, year: int, part: str) -> Tightened | None:
        """The tightened range of one value of a section, or None when it is not narrowed."""
        return self.tightened.get(section, {}).get(year, {}).get(part)

    @property
    def citation(self) -> str:
        date = self.export_date.isoformat() if self.export_date else "unknown date"
        return f"{CITATION} (export of {date})"

    def total(self, section: str, year: int) -> Count | None:
        """The headline count of a ``*_total`` section in a year (None if not reported)."""
        return self.sections.get(section, {}).get(year, {}).get("Total")

    def suppressed(self) -> list[dict[str, Any]]:
        """Every value in the profile that is, or includes, a suppressed cell."""
        out = []
        for key, by_year in self.sections.items():
            for year, parts in by_year.items():
                for part, c in parts.items():
                    if not c.is_exact:
                        item: dict[str, Any] = {
                            "section": key,
                            "year": year,
                            "part": part,
                            "suppressed_cells": c.suppressed_cells,
                            "display": c.render(),
                        }
                        t = self.tightened_value(key, year, part)
                        if t is not None:
                            item["tightened"] = t.to_json()
                        out.append(item)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict: per year, every section; values are numbers or suppression objects."""
        years: dict[str, Any] = {}
        for year in self.years:
            entry: dict[str, Any] = {}
            for key, by_year in self.sections.items():
                parts = by_year.get(year)
                if not parts:
                    continue
                if PROFILE_SECTIONS[key][2] == "total":
                    entry[key] = parts["Total"].to_json()
                else:
                    entry[key] = {p: c.to_json() for p, c in parts.items()}
            for key, rates in self.rates.items():
                if year in rates:
                    entry[f"{key}_per_100k"] = rates[year].to_json()
            if year in self.flow_shares:
                entry["flow_shares"] = self.flow_shares[year].to_dict()["shares"]
            reporting = {k: list(v[year]) for k, v in self.countries_reporting.items() if year in v}
            if self.level != "country" and reporting:
                entry["countries_reporting"] = {k: len(v) for k, v in reporting.items()}
            if entry:
                years[str(year)] = entry
        sup = self.suppressed()
        n_values = sum(len(p) for by_year in self.sections.values() for p in by_year.values())
        return {
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "reporting": self.reporting,
            "region": self.region,
            "subregion": self.subregion,
            "source": {
                "citation": CITATION,
                "export_date": self.export_date.isoformat() if self.export_date else None,
                "file": self.source_name,
                "checksum": self.checksum,
                "text": self.citation,
            },
            "population_source": _population_source(self.rates),
            "years": years,
            "main_origins": [{"origin": o, "count": c.to_json()} for o, c in self.main_origins],
            "main_destinations": [
                {"destination": o, "count": c.to_json()} for o, c in self.main_destinations
            ],
            "suppressed": {"values": len(sup), "of": n_values, "items": sup},
            "tightened": [
                {"section": key, "year": year, "part": part, **t.to_json()}
                for key, by_year in self.tightened.items()
                for year, parts in sorted(by_year.items())
                for part, t in parts.items()
            ],
            "notes": list(self.notes),
        }


def _population_source(rates: Mapping[str, Mapping[int, Rate]]) -> str | None:
    for by_year in rates.values():
        for r in by_year.values():
            return r.source
    return None


@dataclass(frozen=True, slots=True)
class CountryProfile(_Base):
    """Profile of one reporting country (``level == "country"``, ``code`` = ISO3)."""


@dataclass(frozen=True, slots=True)
class AreaProfile(_Base):
    """Profile of a subregion, region or the world: sums over the countries that reported."""


_NOTES = (
    'Counts below 5 are published as "<5"; a sum that includes them is shown as a lower bound '
    'with its range, e.g. "≥ 12 (12–20)".',
    "Breakdowns need not add up to the total: countries report breakdowns for part of their victims, "
    "and a victim may be counted under more than one form of exploitation.",
    "A missing year or category means it was not reported, not that it was zero.",
    'Where a country\'s published totals narrow a "<5" cell, the narrower range is given with the '
    'total and parts it follows from, e.g. "<5 (exactly 0)"; only totals that add up in the data are used.',
)


def _sections_for(
    dataset: GlotipDataset, level: Level, area: str | None
) -> tuple[dict[str, dict[int, dict[str, Count]]], dict[str, dict[int, tuple[str, ...]]]]:
    sections: dict[str, dict[int, dict[str, Count]]] = {}
    reporting: dict[str, dict[int, tuple[str, ...]]] = {}
    members = area_members(dataset, level, area)
    for key, (ind, dim, by, _title) in PROFILE_SECTIONS.items():
        if by == "total":
            series = indicator_series(dataset, ind, level=level, area=area, dimension=dim)
            sections[key] = {v.year: {"Total": v.count} for v in series}
            reporting[key] = {v.year: v.countries for v in series}
        elif by == "origin":
            by_year: dict[int, dict[str, Count]] = {}
            for f in citizenship_flows(dataset, indicator=ind, dimension=dim, destinations=members):
                label = f.origin if f.origin_kind == "country" else f"({f.origin})"
                parts = by_year.setdefault(f.year, {})
                parts[label] = parts[label] + f.count if label in parts else f.count
            sections[key] = {y: dict(sorted(p.items())) for y, p in sorted(by_year.items())}
        else:
            sections[key] = indicator_breakdown(dataset, ind, by, level=level, area=area, dimension=dim)  # type: ignore[arg-type]
    return sections, reporting


def _tightened(
    dataset: GlotipDataset, iso3: str, sections: Mapping[str, Mapping[int, Mapping[str, Count]]]
) -> dict[str, dict[int, dict[str, Tightened]]]:
    """Every suppressed value of a country's sections that its published totals narrow."""
    out: dict[str, dict[int, dict[str, Tightened]]] = {}
    for key, by_year in sections.items():
        ind, dim, by, _title = PROFILE_SECTIONS[key]
        for year, parts in by_year.items():
            for part, c in parts.items():
                cell = None if c.is_exact else section_cell(by, dim, part)
                if cell is None:
                    continue
                t = tightened_cell(table_bounds(dataset, iso3, ind, year), cell)
                if t is not None:
                    out.setdefault(key, {}).setdefault(year, {})[part] = t
    return out


def _rates(
    sections: Mapping[str, Mapping[int, Mapping[str, Count]]],
    reporting: Mapping[str, Mapping[int, tuple[str, ...]]],
    population: Any,
) -> tuple[dict[str, dict[int, Rate]], list[str]]:
    rates: dict[str, dict[int, Rate]] = {}
    missing: set[str] = set()
    if population is None:
        return rates, []
    from vinculo.population import rate_per_100k

    for key in _RATE_SECTIONS:
        out: dict[int, Rate] = {}
        for year, parts in sections.get(key, {}).items():
            c = parts["Total"]
            members = reporting[key][year]
            pops = [population.get(m, year) for m in members]
            if any(p is None for p in pops):
                missing.update(m for m, p in zip(members, pops, strict=True) if p is None)
                continue
            pop = float(sum(pops))
            if len(members) == 1:
                lo = rate_per_100k(c.low, members[0], year, table=population)
                hi = rate_per_100k(c.high, members[0], year, table=population)
                out[year] = Rate(lo.value, hi.value, c, lo.population, lo.source)
            else:
                src = population.source
                out[year] = Rate(c.low / pop * 1e5, c.high / pop * 1e5, c, pop, src)
        rates[key] = out
    notes = []
    if missing:
        notes.append(
            "No population figure for " + ", ".join(sorted(missing)) + ": rates that need it are left out."
        )
    return rates, notes


def build_country_profile(dataset: GlotipDataset, iso3: str, *, population: Any = None) -> CountryProfile:
    """Build the profile of one country.

    A reporting country gets every section. A State that does not report but appears as the
    citizenship of victims detected elsewhere gets a profile with ``reporting=False`` and only
    the countries where its citizens were detected (``main_destinations``, all years).

    Parameters
    ----------
    dataset : GlotipDataset
    iso3 : str
        A reporting country of the export (``dataset.countries``) or a country of origin in its
        flows, case-insensitive.
    population : vinculo.population.PopulationTable, optional
        Denominators for per-100,000 rates; without it the profile has no rates.

    Returns
    -------
    CountryProfile

    Examples
    --------
    >>> p = build_country_profile(load_glotip(), "NLD", population=load_population())  # doctest: +SKIP
    >>> p.total("victims_total", 2022).render()  # doctest: +SKIP
    """
    code = iso3.strip().upper()
    if code not in dataset.countries and code in origin_countries(dataset):
        return _origin_only_profile(dataset, code)
    area_members(dataset, "country", code)
    a = dataset.countries[code]
    sections, reporting = _sections_for(dataset, "country", code)
    rates, notes = _rates(sections, reporting, population)
    years = tuple(sorted({y for s in sections.values() for y in s}))
    return CountryProfile(
        level="country",
        code=code,
        name=a.name,
        region=a.region,
        subregion=a.subregion,
        export_date=dataset.export_date,
        source_name=dataset.source_name,
        checksum=dataset.checksum,
        years=years,
        sections=sections,
        rates=rates,
        countries_reporting=reporting,
        notes=(*_NOTES, *notes),
        main_origins=main_flows(dataset, level="country", area=code, direction="into", limit=10),
        main_destinations=main_flows(dataset, level="country", area=code, direction="out_of", limit=10),
        tightened=_tightened(dataset, code, sections),
    )


def _origin_only_profile(dataset: GlotipDataset, code: str) -> CountryProfile:
    """A State known only as the citizenship of victims detected in reporting countries."""
    a = dataset.area(code)
    flows = citizenship_flows(dataset, origins=[code])
    years = tuple(sorted({f.year for f in flows}))
    note = (
        f"{a.name} does not report detections to UNODC in this export: the figures are victims "
        f"with its citizenship detected in the countries that report, not victims detected in {a.name}."
    )
    return CountryProfile(
        level="country",
        code=code,
        name=a.name,
        region=a.region,
        subregion=a.subregion,
        export_date=dataset.export_date,
        source_name=dataset.source_name,
        checksum=dataset.checksum,
        years=years,
        sections={},
        rates={},
        countries_reporting={},
        notes=(note, *_NOTES),
        main_destinations=main_flows(dataset, level="country", area=code, direction="out_of", limit=20),
        reporting=False,
    )


def build_area_profile(
    dataset: GlotipDataset,
    level: Literal["subregion", "region", "world"],
    area: str | None = None,
    *,
    population: Any = None,
) -> AreaProfile:
    """Regional or global overview: sums over reporting countries, flow shares, main flows.

    Rates divide by the population of the countries that reported that count in that year.
    """
    sections, reporting = _sections_for(dataset, level, area)
    rates, notes = _rates(sections, reporting, population)
    years = tuple(sorted({y for s in sections.values() for y in s}))
    shares = {}
    for y in years:
        fs = flow_shares(dataset, y, level=level, area=area)
        if fs.classified.cells:
            shares[y] = fs
    members = area_members(dataset, level, area)
    any_member = dataset.countries[members[0]]
    region = any_member.region if level in ("region", "subregion") else ""
    subregion = any_member.subregion if level == "subregion" else ""
    name = "World" if level == "world" else str(area)
    return AreaProfile(
        level=level,
        code=name,
        name=name,
        region=region,
        subregion=subregion,
        export_date=dataset.export_date,
        source_name=dataset.source_name,
        checksum=dataset.checksum,
        years=years,
        sections=sections,
        rates=rates,
        countries_reporting=reporting,
        notes=(*_NOTES, "Area totals add up the countries that reported; see countries_reporting.", *notes),
        flow_shares=shares,
        main_origins=main_flows(dataset, level=level, area=area, direction="into", limit=10),
        main_destinations=()
        if level == "world"
        else main_flows(dataset, level=level, area=area, direction="out_of", limit=10),
    )
