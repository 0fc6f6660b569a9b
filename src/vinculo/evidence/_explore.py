"""One chosen series of an area, and a country's series beside its region's.

:func:`explore_options` lists what an area's figures hold (indicators, years, sex, age group,
form of exploitation), :func:`parse_selection` checks query parameters against it and
:func:`selected_series` gives the chosen series. :func:`compare_with_region` puts a country's
series beside its region's, per 100,000 population when every country involved has a
population figure and no sex or age is chosen, else as counts with the reason.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from vinculo.evidence._bounds import Tightened, table_bounds, tightened_cell
from vinculo.evidence._count import Count
from vinculo.evidence._dataset import GlotipDataset, GlotipRecord
from vinculo.evidence._flows import VICTIMS, citizenship_flows
from vinculo.evidence._indicators import IndicatorValue, Level, area_members, indicator_series
from vinculo.evidence._profiles import Rate

__all__ = [
    "ComparisonRow",
    "ExploreOptions",
    "ExploreSelection",
    "RegionComparison",
    "SelectionProblem",
    "compare_with_region",
    "explore_options",
    "flow_pairs",
    "map_options",
    "map_values",
    "parse_map_selection",
    "parse_selection",
    "selected_series",
    "selected_tightened",
]

TOTAL = "Total"
FORMS = "by form of exploitation"
#: The query parameters of a selection, in the order of the form.
PARAMETERS = ("indicator", "from", "to", "sex", "age", "form")


@dataclass(frozen=True, slots=True)
class ExploreOptions:
    """What may be chosen for an area; ``sexes``, ``ages`` and ``forms`` start with "Total" when present."""

    indicators: tuple[str, ...]
    years: tuple[int, ...]
    sexes: tuple[str, ...]
    ages: tuple[str, ...]
    forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExploreSelection:
    indicator: str = VICTIMS
    year_from: int | None = None
    year_to: int | None = None
    sex: str = TOTAL
    age: str = TOTAL
    form: str = TOTAL

    @property
    def years(self) -> range | None:
        if self.year_from is None and self.year_to is None:
            return None
        return range(self.year_from or 0, (self.year_to or 9999) + 1)

    def query(self) -> dict[str, str]:
        """The query parameters that give this selection back (defaults left out)."""
        out = {"indicator": self.indicator}
        if self.year_from is not None:
            out["from"] = str(self.year_from)
        if self.year_to is not None:
            out["to"] = str(self.year_to)
        for key, value in (("sex", self.sex), ("age", self.age), ("form", self.form)):
            if value != TOTAL:
                out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class SelectionProblem:
    """A query parameter that was not used: ``kind`` is "unknown" (not one of ``expected``) or "order"."""

    parameter: str
    value: str
    kind: Literal["unknown", "order"]
    expected: tuple[str, ...] = ()


def _records(dataset: GlotipDataset, members: tuple[str, ...], indicator: str | None) -> list[Any]:
    return [
        r
        for iso3 in members
        for r in dataset.records_of(iso3)
        if r.dimension in (TOTAL, FORMS) and (indicator is None or r.indicator == indicator)
    ]


def _with_total_first(values: set[str]) -> tuple[str, ...]:
    return ((TOTAL,) if TOTAL in values else ()) + tuple(sorted(values - {TOTAL}))


def explore_options(
    dataset: GlotipDataset, level: Level, area: str | None, indicator: str | None = None
) -> ExploreOptions:
    """Indicators the area's countries reported, and the years, sexes, ages and forms of ``indicator``."""
    members = area_members(dataset, level, area)
    every = _records(dataset, members, None)
    indicators = tuple(sorted({r.indicator for r in every}, key=lambda i: (i != VICTIMS, i)))
    chosen = indicator if indicator in indicators else (indicators[0] if indicators else None)
    recs = [r for r in every if r.indicator == chosen]
    return ExploreOptions(
        indicators=indicators,
        years=tuple(sorted({r.year for r in recs})),
        sexes=_with_total_first({r.sex for r in recs}),
        ages=_with_total_first({r.age for r in recs}),
        forms=_with_total_first({TOTAL} | {r.category for r in recs if r.dimension == FORMS}),
    )


def parse_selection(
    params: Mapping[str, str], dataset: GlotipDataset, level: Level, area: str | None
) -> tuple[ExploreSelection, ExploreOptions, tuple[SelectionProblem, ...]]:
    """The selection that ``params`` ask for; a value the area does not have is left at its default
    and reported as a :class:`SelectionProblem`, so a page can say what was wrong and still answer."""
    problems: list[SelectionProblem] = []
    first = explore_options(dataset, level, area)
    # Only what the address asks for can be wrong: a default the area lacks (an area with no figures
    # at all) is no problem of the reader's.
    asked = params.get("indicator", "")
    indicator = asked or (first.indicators[0] if first.indicators else VICTIMS)
    if asked and indicator not in first.indicators:
        problems.append(SelectionProblem("indicator", indicator, "unknown", first.indicators))
        indicator = first.indicators[0] if first.indicators else VICTIMS
    options = explore_options(dataset, level, area, indicator)
    years: dict[str, int | None] = {}
    for key in ("from", "to"):
        raw = params.get(key, "").strip()
        years[key] = None
        if raw:
            if raw.isdigit() and int(raw) in options.years:
                years[key] = int(raw)
            else:
                problems.append(SelectionProblem(key, raw, "unknown", tuple(map(str, options.years))))
    lo, hi = years["from"], years["to"]
    if lo is not None and hi is not None and lo > hi:
        problems.append(SelectionProblem("to", str(hi), "order", (str(lo),)))
        lo, hi = hi, lo
    chosen: dict[str, str] = {}
    for key, allowed in (("sex", options.sexes), ("age", options.ages), ("form", options.forms)):
        value = params.get(key, "") or TOTAL
        if value not in allowed:
            if params.get(key, ""):
                problems.append(SelectionProblem(key, value, "unknown", allowed))
            value = TOTAL
        chosen[key] = value
    selection = ExploreSelection(indicator, lo, hi, chosen["sex"], chosen["age"], chosen["form"])
    return selection, options, tuple(problems)


def selected_series(
    dataset: GlotipDataset, level: Level, area: str | None, selection: ExploreSelection
) -> tuple[IndicatorValue, ...]:
    """One value per year of the chosen indicator, sex, age and form, in the chosen years."""
    return indicator_series(
        dataset,
        selection.indicator,
        level=level,
        area=area,
        dimension=TOTAL if selection.form == TOTAL else FORMS,
        category=selection.form,
        sex=selection.sex,
        age=selection.age,
        years=selection.years,
    )


def selected_tightened(
    dataset: GlotipDataset, iso3: str, selection: ExploreSelection
) -> dict[int, Tightened]:
    """Year -> the narrower range that the country's published totals imply for the selected cell.

    Only years whose value is suppressed and narrowed appear (see :mod:`vinculo.evidence._bounds`).
    """
    cell = (TOTAL if selection.form == TOTAL else FORMS, selection.form, selection.sex, selection.age)
    out: dict[int, Tightened] = {}
    for v in selected_series(dataset, "country", iso3, selection):
        if v.count.is_exact:
            continue
        t = tightened_cell(table_bounds(dataset, iso3, selection.indicator, v.year), cell)
        if t is not None:
            out[v.year] = t
    return out


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    year: int
    country: Count | None
    region: Count | None
    #: Reporting countries of the region added up in ``region``.
    region_countries: int
    country_rate: Rate | None = None
    region_rate: Rate | None = None


@dataclass(frozen=True, slots=True)
class RegionComparison:
    """A country's chosen series beside its region's.

    ``per_100k`` is False when the comparison is in counts; ``reason`` then says why:
    ``"no_population"`` (no population table), ``"breakdown"`` (a sex or age group is chosen and the
    denominators are whole populations) or ``"missing"`` (``missing`` countries have no figure).
    """

    iso3: str
    region: str
    selection: ExploreSelection
    rows: tuple[ComparisonRow, ...]
    per_100k: bool
    reason: str | None
    missing: tuple[str, ...] = ()
    population_source: str = ""


def _rate(count: Count, members: tuple[str, ...], year: int, population: Any) -> Rate | None:
    pops = [population.get(m, year) for m in members]
    if not pops or any(p is None for p in pops):
        return None
    total = float(sum(pops))
    if total <= 0:
        return None
    return Rate(count.low / total * 1e5, count.high / total * 1e5, count, total, population.source)


def compare_with_region(
    dataset: GlotipDataset,
    iso3: str,
    selection: ExploreSelection = ExploreSelection(),
    *,
    population: Any = None,
) -> RegionComparison:
    """The selection for a reporting country and for its region (the countries that reported each year)."""
    area = dataset.countries[iso3] if iso3 in dataset.countries else dataset.area(iso3)
    mine = {v.year: v for v in selected_series(dataset, "country", iso3, selection)}
    theirs = {v.year: v for v in selected_series(dataset, "region", area.region, selection)}
    missing: set[str] = set()
    reason: str | None = None
    if population is None:
        reason = "no_population"
    elif selection.sex != TOTAL or selection.age != TOTAL:
        reason = "breakdown"
    else:
        for v in (*mine.values(), *theirs.values()):
            missing.update(m for m in v.countries if population.get(m, v.year) is None)
        if missing:
            reason = "missing"
    rows = []
    for year in sorted(set(mine) | set(theirs)):
        c, r = mine.get(year), theirs.get(year)
        row = ComparisonRow(
            year,
            None if c is None else c.count,
            None if r is None else r.count,
            0 if r is None else len(r.countries),
        )
        if reason is None:
            row = ComparisonRow(
                row.year,
                row.country,
                row.region,
                row.region_countries,
                None if c is None else _rate(c.count, c.countries, year, population),
                None if r is None else _rate(r.count, r.countries, year, population),
            )
        rows.append(row)
    return RegionComparison(
        iso3=iso3,
        region=area.region,
        selection=selection,
        rows=tuple(rows),
        per_100k=reason is None,
        reason=reason,
        missing=tuple(sorted(missing)),
        population_source="" if population is None else str(population.source),
    )


def flow_pairs(
    dataset: GlotipDataset,
    *,
    origin: str | None = None,
    destination: str | None = None,
    region: str | None = None,
    years: range | list[int] | None = None,
    indicator: str = VICTIMS,
    include_domestic: bool = False,
) -> tuple[tuple[str, str, Count], ...]:
    """(origin, country of detection, count) added up over ``years``, for origins that are one country.

    ``origin`` / ``destination`` keep the flows out of / into one ISO3 code; ``region`` keeps flows
    whose origin or destination is in that region. Victims detected in their own country of
    citizenship are left out unless ``include_domestic``. Sorted by count (lower bound), largest first.
    """
    flows = citizenship_flows(
        dataset,
        indicator=indicator,
        years=years,
        origins=None if origin is None else [origin],
        destinations=None if destination is None else [destination],
    )
    acc: dict[tuple[str, str], Count] = {}
    for f in flows:
        if f.origin_kind != "country" or (f.origin == f.destination and not include_domestic):
            continue
        if region is not None:
            if dataset.area(f.origin).region != region and dataset.area(f.destination).region != region:
                continue
        key = (f.origin, f.destination)
        acc[key] = acc[key] + f.count if key in acc else f.count
    ranked = sorted(acc.items(), key=lambda kv: (-kv[1].low, -kv[1].high, kv[0]))
    return tuple((o, d, c) for (o, d), c in ranked)


def _country_totals(dataset: GlotipDataset, members: Collection[str]) -> list[GlotipRecord]:
    """The records of ``members`` that are a whole country's total (no breakdown by form, sex or age)."""
    return [
        r
        for iso3 in sorted(members)
        for r in dataset.records_of(iso3)
        if (r.dimension, r.category, r.sex, r.age) == (TOTAL, TOTAL, TOTAL, TOTAL)
    ]


def map_options(dataset: GlotipDataset, members: Collection[str]) -> dict[str, tuple[int, ...]]:
    """What a map of ``members`` (ISO3 codes) can show: each indicator that one of them reported as a
    country total, with the years that have such a total; detected victims come first."""
    years: dict[str, set[int]] = {}
    for r in _country_totals(dataset, members):
        years.setdefault(r.indicator, set()).add(r.year)
    order = sorted(years, key=lambda i: (i != VICTIMS, i))
    return {i: tuple(sorted(years[i])) for i in order}


def map_values(
    dataset: GlotipDataset, members: Collection[str], indicator: str, year: int | None
) -> dict[str, GlotipRecord]:
    """Each member's country total of ``indicator`` in ``year``, or in its latest year with one when
    ``year`` is None; members without one are left out."""
    out: dict[str, GlotipRecord] = {}
    for r in _country_totals(dataset, members):
        if r.indicator != indicator or (year is not None and r.year != year):
            continue
        if r.iso3 not in out or r.year > out[r.iso3].year:
            out[r.iso3] = r
    return out


def parse_map_selection(
    params: Mapping[str, str], options: Mapping[str, tuple[int, ...]]
) -> tuple[str, int | None, tuple[SelectionProblem, ...]]:
    """The indicator and year (None: each country's latest) that ``params["indicator"]`` and
    ``params["year"]`` ask for among ``options`` (see :func:`map_options`). A value that is not offered
    falls back to the default (detected victims, latest year) and is reported as a problem."""
    problems: list[SelectionProblem] = []
    indicators = tuple(options)
    default = indicators[0] if indicators else VICTIMS
    asked = params.get("indicator", "").strip()
    indicator = asked or default
    if indicator not in options:
        # only what the address asks for can be wrong (an area without figures has no default to offer)
        if asked:
            problems.append(SelectionProblem("indicator", indicator, "unknown", indicators))
        indicator = default
    raw = params.get("year", "").strip()
    year: int | None = None
    years = options.get(indicator, ())
    if raw and raw != "latest":
        if raw.isdigit() and int(raw) in years:
            year = int(raw)
        else:
            problems.append(SelectionProblem("year", raw, "unknown", tuple(map(str, years))))
    return indicator, year, tuple(problems)
