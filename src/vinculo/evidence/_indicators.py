"""Indicators by country, subregion, region and world, and the catalogue of what the file holds.

Aggregates add up the countries that reported a cell; a country that did not report is left
out (never counted as 0) and every aggregate says which countries it holds. Sums keep the
suppression of their cells (see :class:`~vinculo.evidence.Count`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from vinculo.errors import VinculoError
from vinculo.evidence._count import Count
from vinculo.evidence._dataset import GlotipDataset, GlotipRecord

__all__ = [
    "LEVELS",
    "IndicatorSpec",
    "IndicatorValue",
    "Level",
    "area_members",
    "indicator_breakdown",
    "indicator_series",
    "list_indicators",
]

Level = Literal["country", "subregion", "region", "world"]
LEVELS: tuple[str, ...] = ("country", "subregion", "region", "world")
WORLD = "World"


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One (indicator, dimension) pair as found in the file, with the values its columns take."""

    indicator: str
    dimension: str
    categories: tuple[str, ...]
    sexes: tuple[str, ...]
    ages: tuple[str, ...]
    years: tuple[int, ...]
    records: int
    countries: int


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """A count for an area and year, with the reporting countries it adds up."""

    level: str
    area: str
    year: int
    indicator: str
    dimension: str
    category: str
    sex: str
    age: str
    count: Count
    countries: tuple[str, ...]


def list_indicators(dataset: GlotipDataset) -> tuple[IndicatorSpec, ...]:
    """Discover the indicators and breakdowns in the data (nothing is hard-coded)."""
    groups: dict[tuple[str, str], list[GlotipRecord]] = defaultdict(list)
    for r in dataset.records:
        groups[(r.indicator, r.dimension)].append(r)
    out = []
    for (ind, dim), recs in sorted(groups.items()):
        out.append(
            IndicatorSpec(
                ind,
                dim,
                tuple(sorted({r.category for r in recs})),
                tuple(sorted({r.sex for r in recs})),
                tuple(sorted({r.age for r in recs})),
                tuple(sorted({r.year for r in recs})),
                sum(r.count.cells for r in recs),
                len({r.iso3 for r in recs}),
            )
        )
    return tuple(out)


def area_members(dataset: GlotipDataset, level: str, area: str | None) -> tuple[str, ...]:
    """Reporting countries of an area: ``("country", "NLD")``, ``("subregion", "Western Europe")``,
    ``("region", "Europe")`` or ``("world", None)``. Raises ``evidence.unknown_area``."""
    countries = dataset.countries
    if level == "world":
        return tuple(countries)
    if level == "country":
        if area is not None and area in countries:
            return (area,)
        members: tuple[str, ...] = ()
    elif level == "subregion":
        members = tuple(c for c, a in countries.items() if a.subregion == area)
    elif level == "region":
        members = tuple(c for c, a in countries.items() if a.region == area)
    else:
        raise VinculoError(
            f"Unknown level {level!r}.",
            code="evidence.unknown_level",
            fix=f"Use one of {', '.join(LEVELS)}.",
        )
    if not members:
        known = sorted(
            {countries[c].region for c in countries}
            if level == "region"
            else {countries[c].subregion for c in countries}
            if level == "subregion"
            else set(countries)
        )
        raise VinculoError(
            f"No reporting {level} {area!r} in this export.",
            code="evidence.unknown_area",
            fields={"level": level, "area": area},
            fix=f"Use one of: {', '.join(known)}.",
        )
    return members


def indicator_series(
    dataset: GlotipDataset,
    indicator: str,
    *,
    level: Level = "country",
    area: str | None = None,
    dimension: str = "Total",
    category: str = "Total",
    sex: str = "Total",
    age: str = "Total",
    years: Iterable[int] | None = None,
) -> tuple[IndicatorValue, ...]:
    """One value per year for an area: the sum over its reporting countries.

    Parameters
    ----------
    indicator : str
        As in the file, e.g. ``"Detected trafficking victims"``; see :func:`list_indicators`.
    level, area : str
        ``("country", "NLD")``, ``("subregion", "Western Europe")``, ``("region", "Europe")``,
        ``("world", None)``.
    dimension, category, sex, age : str
        The breakdown cell; ``"Total"`` for each gives the headline total.

    Returns
    -------
    tuple of IndicatorValue
        Sorted by year; years in which no member reported are absent.

    Examples
    --------
    >>> series = indicator_series(ds, "Persons convicted", level="region", area="Europe")  # doctest: +SKIP
    >>> series[-1].count.render(), len(series[-1].countries)  # doctest: +SKIP
    """
    members = area_members(dataset, level, area)
    wanted = None if years is None else set(years)
    per_year: dict[int, list[tuple[str, Count]]] = defaultdict(list)
    for iso3 in members:
        for r in dataset.records_of(iso3):
            if (
                r.indicator == indicator
                and r.dimension == dimension
                and r.category == category
                and r.sex == sex
                and r.age == age
                and (wanted is None or r.year in wanted)
            ):
                per_year[r.year].append((iso3, r.count))
    label = WORLD if level == "world" else str(area)
    out = []
    for year in sorted(per_year):
        items = per_year[year]
        total = Count.zero()
        for _, c in items:
            total = total + c
        out.append(
            IndicatorValue(
                level,
                label,
                year,
                indicator,
                dimension,
                category,
                sex,
                age,
                total,
                tuple(sorted(i for i, _ in items)),
            )
        )
    return tuple(out)


def indicator_breakdown(
    dataset: GlotipDataset,
    indicator: str,
    by: Literal["sex", "age", "sex_age", "category"],
    *,
    level: Level = "country",
    area: str | None = None,
    dimension: str = "Total",
    sex: str = "Total",
    age: str = "Total",
) -> dict[int, dict[str, Count]]:
    """Year -> part -> count for one breakdown of an indicator in an area.

    ``by="sex"`` gives Female/Male/Other/Unknown at age ``age``; ``by="age"`` gives the age
    groups at sex ``sex``; ``by="sex_age"`` gives ``"Female, 0 to 17 years"`` etc.;
    ``by="category"`` gives the categories of ``dimension`` (forms of exploitation, or raw
    citizenship texts for a single country) at sex ``sex`` and age ``age``. Parts labelled
    ``Total`` are left out. Only parts that some member reported appear.
    """
    members = area_members(dataset, level, area)
    out: dict[int, dict[str, Count]] = defaultdict(dict)
    for iso3 in members:
        for r in dataset.records_of(iso3):
            if r.indicator != indicator or r.dimension != dimension:
                continue
            if by == "category":
                if r.category == "Total" or r.sex != sex or r.age != age:
                    continue
                part = r.category
            else:
                if dimension == "Total" and r.category != "Total":
                    continue
                if by == "sex":
                    if r.sex == "Total" or r.age != age:
                        continue
                    part = r.sex
                elif by == "age":
                    if r.age == "Total" or r.sex != sex:
                        continue
                    part = r.age
                else:
                    if r.sex == "Total" or r.age == "Total":
                        continue
                    part = f"{r.sex}, {r.age}"
            cur = out[r.year].get(part)
            out[r.year][part] = r.count if cur is None else cur + r.count
    return {y: dict(sorted(v.items())) for y, v in sorted(out.items())}
