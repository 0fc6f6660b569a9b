"""The world map of the evidence pages: detected victims in each country's latest year with figures.

The map is drawn by :func:`vinculo.charts.choropleth_map`; this module chooses the values (the same
figures as the country list), the countries in view (a region's or subregion's, others drawn light),
the links and the legend, and gives the same data as a table, shown under the map and downloadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vinculo import charts
from vinculo.evidence import known_areas, origin_countries
from vinculo.web.core.templatetags.locale_format import number

from .labels import data_label
from .services import LoadedRelease
from .tables import Table, chart_value
from .views_support import country_rows, names_of

#: Key of the map's table in download URLs.
MAP_KEY = "map"
LEVELS = ("world", "region", "subregion")


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


def _in_view(level: str, code: str) -> set[str] | None:
    """ISO3 codes of the area the map is about (None for the world)."""
    if level == "world":
        return None
    field = "region" if level == "region" else "subregion"
    return {a.iso3 for a in known_areas().values() if getattr(a, field) == code}


def victims_map(loaded: LoadedRelease, level: str, code: str, release_query: str) -> VictimsMap:
    """The map for a page (``level`` world, region or subregion; ``code`` the area's name), cached per
    release, language and area."""
    key = ("web", "map", get_language() or "en", level, code, release_query)
    cached = loaded.dataset.cache.get(key)
    if cached is None:
        cached = _build(loaded, level, code, release_query)
        loaded.dataset.cache[key] = cached
    return cached


def _build(loaded: LoadedRelease, level: str, code: str, release_query: str) -> VictimsMap:
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
    values: dict[str, charts.ChartValue] = {r["iso3"]: chart_value(r["count"]) for r in rows_in_view}
    nums = [float(v) for v in values.values() if isinstance(v, int | float)]
    classes = charts.map_classes(nums)
    area = _("the world") if level == "world" else data_label(code)
    title = _("Detected victims in each country's latest year with figures")
    description = _(
        "Map of %(area)s: each reporting country is coloured by the number of victims it detected in "
        "the latest year it reported; countries without figures are hatched. The table below the map "
        "gives every value."
    ) % {"area": area}
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
        rows.append(
            {
                "iso3": r["iso3"],
                "name": r["name"],
                "url": links.get(r["iso3"], ""),
                "year": r["year"],
                "victims": r["victims"] or "–",
                "drawn": r["iso3"] in drawn,
            }
        )
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
    table = Table(
        MAP_KEY,
        title,
        header,
        [
            [r["name"], r["iso3"], r["year"], r["count"], _("yes") if r["iso3"] in drawn else not_drawn]
            for r in rows_in_view
        ],
        labels,
    )
    return VictimsMap(svg, title, description, legend, rows, table, level, code)
