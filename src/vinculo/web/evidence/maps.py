"""The world map of the evidence pages: one indicator (detected victims unless the reader chooses
another) in one year, or in each country's latest year with figures.

The map is drawn by :func:`vinculo.charts.choropleth_map`; this module chooses the values (the same
figures as the country list), the countries in view (a region's or subregion's, others drawn light),
the links and the legend, and gives the same data as a table, shown under the map and downloadable.
The indicator and year come from the query parameters ``map_indicator`` and ``map_year`` (a GET form
under the map's heading); a value the area does not have falls back to the default with a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vinculo import charts
from vinculo.evidence import known_areas, map_options, map_values, origin_countries, parse_map_selection
from vinculo.web.core.templatetags.locale_format import number

from .explore import problem_text
from .labels import data_label
from .services import LoadedRelease
from .tables import Table, chart_value, count_text
from .views_support import VICTIMS, country_rows, names_of

#: Key of the map's table in download URLs.
MAP_KEY = "map"
LEVELS = ("world", "region", "subregion")
#: Query parameters of the map's form (the page's other forms use "indicator" and "year" already).
PARAMETERS = {"map_indicator": "indicator", "map_year": "year"}


@dataclass(frozen=True)
class LegendItem:
    color: str
    text: str
    hatched: bool = False


@dataclass(frozen=True)
class VictimsMap:
    svg: str
    title: str
    description: str
    legend: list[LegendItem]
    #: One dict per country in view: iso3, name, url, year, victims (text), drawn (bool).
    rows: list[dict[str, Any]]
    table: Table
    level: str
    code: str
    indicator: str = ""
    #: None: each country's latest year with figures.
    year: int | None = None
    #: (value, label) pairs of the form's selects: "indicator" and "year" (which starts with "latest").
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: What was wrong with the map's query parameters (each value fell back to the default).
    problems: list[str] = field(default_factory=list)
    #: The query parameters that give this map back (defaults left out), for the downloads and other forms.
    query: dict[str, str] = field(default_factory=dict)

    @property
    def indicator_label(self) -> str:
        return data_label(self.indicator)

    @property
    def year_value(self) -> str:
        return "latest" if self.year is None else str(self.year)


def map_context(world_map: VictimsMap, release_query: str, others: Mapping[str, str]) -> dict[str, Any]:
    """What a page's template needs beside the map: the hidden fields of the map's form (the release and
    ``others``, the page's other choices, so that choosing a map keeps them) and the query of its downloads."""
    release = {"release": release_query.removeprefix("?release=")} if release_query else {}
    download = urlencode({**release, **world_map.query})
    return {
        "map_hidden": {**release, **{k: v for k, v in others.items() if k not in PARAMETERS and v}},
        "map_download_query": f"?{download}" if download else "",
    }


def _in_view(level: str, code: str) -> set[str] | None:
    """ISO3 codes of the area the map is about (None for the world)."""
    if level == "world":
        return None
    field = "region" if level == "region" else "subregion"
    return {a.iso3 for a in known_areas().values() if getattr(a, field) == code}


def victims_map(
    loaded: LoadedRelease, level: str, code: str, release_query: str, params: Mapping[str, str] | None = None
) -> VictimsMap:
    """The map for a page (``level`` world, region or subregion; ``code`` the area's name) with the
    indicator and year of ``params`` (``map_indicator``, ``map_year``), cached per release, language,
    area and choice."""
    ds = loaded.dataset
    view = _in_view(level, code)
    members = set(ds.countries) if view is None else set(ds.countries) & view
    options = ds.cache.get(("web", "map-options", level, code))
    if options is None:
        options = map_options(ds, members)
        ds.cache[("web", "map-options", level, code)] = options
    asked = {short: str((params or {}).get(name, ""))[:100] for name, short in PARAMETERS.items()}
    indicator, year, problems = parse_map_selection(asked, options)
    key = ("web", "map", get_language() or "en", level, code, release_query, indicator, str(year))
    cached = ds.cache.get(key)
    if cached is None:
        cached = _build(loaded, level, code, release_query, indicator, year, options)
        ds.cache[key] = cached
    if not problems:
        return cached
    area = _("the world") if level == "world" else data_label(code)
    return replace(cached, problems=[problem_text(p, area) for p in problems])


def _build(
    loaded: LoadedRelease,
    level: str,
    code: str,
    release_query: str,
    indicator: str,
    year: int | None,
    options: Mapping[str, tuple[int, ...]],
) -> VictimsMap:
    ds = loaded.dataset
    view = _in_view(level, code)
    names = names_of(loaded)
    with_page = set(ds.countries) | origin_countries(ds)
    links = {
        iso3: reverse("evidence:country", args=[iso3]) + release_query
        for iso3 in with_page
        if view is None or iso3 in view
    }
    shapes, _size = charts.world_shapes()
    drawn = {s.iso3 for s in shapes}
    rows_in_view = [r for r in country_rows(loaded) if view is None or r["iso3"] in view]
    chosen = map_values(ds, {r["iso3"] for r in rows_in_view}, indicator, year)
    values: dict[str, charts.ChartValue] = {
        r["iso3"]: chart_value(chosen[r["iso3"]].count if r["iso3"] in chosen else None) for r in rows_in_view
    }
    nums = [float(v) for v in values.values() if isinstance(v, int | float)]
    classes = charts.map_classes(nums)
    area = _("the world") if level == "world" else data_label(code)
    what = data_label(indicator)
    if year is None:
        title = _("%(indicator)s in each country's latest year with figures") % {"indicator": what}
        description = _(
            "Map of %(area)s: each reporting country is coloured by its figure (%(indicator)s) in the "
            "latest year it reported; countries without figures are hatched. The table below the map "
            "gives every value."
        ) % {"area": area, "indicator": what}
    else:
        title = _("%(indicator)s in %(year)s") % {"indicator": what, "year": year}
        description = _(
            "Map of %(area)s: each reporting country is coloured by its figure (%(indicator)s) in "
            "%(year)s; countries without a figure for that year are hatched. The table below the map "
            "gives every value."
        ) % {"area": area, "indicator": what, "year": year}
    svg = charts.choropleth_map(
        values,
        title=title,
        description=description,
        names=names,
        links=links,
        focus=sorted(view) if view is not None else None,
        classes=classes,
        missing=_("no figures reported"),
    )
    legend = [
        LegendItem(
            c.color, number(c.low, 0) if c.low == c.high else f"{number(c.low, 0)}–{number(c.high, 0)}"
        )
        for c in classes
    ]
    legend.append(LegendItem(charts.MAP_NO_DATA, _("No figures reported, or fewer than 5"), hatched=True))
    if view is not None:
        legend.append(LegendItem(charts.MAP_OTHER, _("Outside %(area)s") % {"area": area}))
    not_drawn = _("too small to draw at this scale")
    rows = []
    for r in rows_in_view:
        rec = chosen.get(r["iso3"])
        rows.append(
            {
                "iso3": r["iso3"],
                "name": r["name"],
                "url": links.get(r["iso3"], ""),
                "year": rec.year if rec else None,
                "victims": count_text(rec.count) if rec else "–",
                "drawn": r["iso3"] in drawn,
            }
        )
    if indicator == VICTIMS and year is None:
        header = [
            "Country",
            "Code",
            "Latest year with detected victims",
            "Detected victims that year",
            "On the map",
        ]
        labels = [
            _("Country"),
            _("Code"),
            _("Latest year with detected victims"),
            _("Detected victims that year"),
            _("On the map"),
        ]
    else:
        header = ["Country", "Code", "Year", indicator, "On the map"]
        labels = [_("Country"), _("Code"), _("Year"), what, _("On the map")]
    table = Table(
        MAP_KEY,
        title,
        header,
        [
            [
                r["name"],
                r["iso3"],
                chosen[r["iso3"]].year if r["iso3"] in chosen else None,
                chosen[r["iso3"]].count if r["iso3"] in chosen else None,
                _("yes") if r["iso3"] in drawn else not_drawn,
            ]
            for r in rows_in_view
        ],
        labels,
    )
    choices = {
        "indicator": [(i, data_label(i)) for i in options],
        "year": [("latest", _("Latest year with figures"))]
        + [(str(y), str(y)) for y in options.get(indicator, ())],
    }
    query = {}
    if indicator != (next(iter(options), VICTIMS)):
        query["map_indicator"] = indicator
    if year is not None:
        query["map_year"] = str(year)
    return VictimsMap(
        svg, title, description, legend, rows, table, level, code, indicator, year, choices, [], query
    )
