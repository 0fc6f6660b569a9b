"""The interactive views of the evidence pages, rendered on the server from query parameters.

* the explorer: one series chosen with a GET form (indicator, years, sex, age group, form);
* a country beside its region (per 100,000 population where possible);
* the origin -> destination diagram with a country picker for either end.

Each view is a :class:`View`: a chart, its data table and the download links for the same selection.
The page works without script; ``evidence/explore.js`` only submits a form when a choice changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _

from vinculo import charts
from vinculo.evidence import (
    ExploreOptions,
    ExploreSelection,
    RegionComparison,
    SelectionProblem,
    compare_with_region,
    flow_pairs,
    parse_selection,
    selected_series,
    selected_tightened,
)
from vinculo.web.core.templatetags.locale_format import number

from .labels import data_label
from .services import LoadedRelease
from .tables import Block, Cell, Table, chart_value, responsive

_PARAM_NAMES = {
    "indicator": gettext_lazy("indicator"),
    "from": gettext_lazy("first year"),
    "to": gettext_lazy("last year"),
    "sex": gettext_lazy("sex"),
    "age": gettext_lazy("age group"),
    "form": gettext_lazy("form of exploitation"),
    "origin": gettext_lazy("country of origin"),
    "destination": gettext_lazy("country of detection"),
    "year": gettext_lazy("year"),
}
_NOTE = gettext_lazy(
    "Suppressed cells (<5) are never drawn as numbers; a value that adds up exact and suppressed cells "
    "shows its lower bound."
)


@dataclass(frozen=True)
class View:
    block: Block
    #: format -> address of the download of this view's table, for the same selection.
    downloads: dict[str, str]
    empty: bool = False


@dataclass(frozen=True)
class Explorer:
    selection: ExploreSelection
    options: ExploreOptions
    #: (value, label) pairs for each select of the form.
    choices: dict[str, list[tuple[str, str]]]
    problems: list[str]
    view: View
    comparison: View | None = None
    hidden: dict[str, str] = field(default_factory=dict)


def problem_text(p: SelectionProblem, area: str) -> str:
    """What was wrong with one query parameter, and what to choose instead."""
    name = str(_PARAM_NAMES.get(p.parameter, p.parameter))
    if p.kind == "order":
        return _("The last year (%(to)s) is before the first year (%(first)s): the two were swapped.") % {
            "to": p.value,
            "first": ", ".join(p.expected),
        }
    shown = [data_label(v) for v in p.expected[:12]]
    more = "…" if len(p.expected) > 12 else ""
    return _(
        "“%(value)s” is not a %(name)s reported for %(area)s, so it was left out. Choose one of: %(expected)s."
    ) % {"value": p.value[:60], "name": name, "area": area, "expected": ", ".join(shown) + more}


def _downloads(url_name: str, args: list[str], query: Mapping[str, str]) -> dict[str, str]:
    qs = urlencode(query)
    return {
        fmt: reverse(url_name, args=[*args, fmt]) + (f"?{qs}" if qs else "")
        for fmt in ("csv", "xlsx", "json")
    }


def _with_release(query: dict[str, str], release_query: str) -> dict[str, str]:
    if release_query:
        query = {**query, "release": release_query.removeprefix("?release=")}
    return query


def selection_label(sel: ExploreSelection) -> str:
    parts = [data_label(sel.indicator)]
    for value in (sel.form, sel.sex, sel.age):
        if value != "Total":
            parts.append(data_label(value))
    return ", ".join(parts)


def explore_table(loaded: LoadedRelease, level: str, code: str | None, sel: ExploreSelection) -> Table:
    series = selected_series(loaded.dataset, level, code, sel)  # type: ignore[arg-type]
    header = [_("Year"), selection_label(sel)]
    rows: list[list[Cell]] = [[v.year, v.count] for v in series]
    tightened = {}
    if level != "country":
        header.append(_("Countries reporting"))
        for row, v in zip(rows, series, strict=True):
            row.append(len(v.countries))
    elif code is not None:
        found = selected_tightened(loaded.dataset, code, sel)
        tightened = {(r, 1): found[v.year] for r, v in enumerate(series) if v.year in found}
    return Table("explore", selection_label(sel), header, rows, tightened=tightened)


def build_explorer(
    loaded: LoadedRelease,
    level: str,
    code: str | None,
    area: str,
    params: QueryDict | Mapping[str, str],
    release_query: str,
    *,
    country: bool = False,
) -> Explorer:
    """The explorer of one area for the query parameters ``params`` (invalid values are reported, not fatal)."""
    flat = {k: str(params.get(k, "")) for k in ("indicator", "from", "to", "sex", "age", "form")}
    sel, options, problems = parse_selection(flat, loaded.dataset, level, code)  # type: ignore[arg-type]
    table = explore_table(loaded, level, code, sel)
    years = [int(str(r[0])) for r in table.rows]
    label = selection_label(sel)
    description = _("%(what)s in %(area)s, by year (the selection above).") % {"what": label, "area": area}
    svg = (
        responsive(
            charts.line_chart,
            years,
            {label: [chart_value(r[1]) for r in table.rows]},  # type: ignore[arg-type]
            title=label,
            description=f"{description} {_NOTE}",
            missing=_("not reported"),
        )
        if years
        else ""
    )
    query = _with_release(sel.query(), release_query)
    path_code = code or "World"
    view = View(
        Block(table, description, svg),
        _downloads("evidence:explore_download", [level, path_code], query),
        empty=not years,
    )
    choices = {
        "indicator": [(i, data_label(i)) for i in options.indicators],
        "years": [(str(y), str(y)) for y in options.years],
        "sex": [(s, data_label(s)) for s in options.sexes],
        "age": [(a, data_label(a)) for a in options.ages],
        "form": [(f, _("All forms") if f == "Total" else data_label(f)) for f in options.forms],
    }
    comparison = None
    if country and code is not None:
        comparison = comparison_view(loaded, code, area, sel, release_query)
    return Explorer(
        sel,
        options,
        choices,
        [problem_text(p, area) for p in problems],
        view,
        comparison,
        hidden={"release": release_query.removeprefix("?release=")} if release_query else {},
    )


_REASONS = {
    "no_population": gettext_lazy("There are no population figures, so the comparison is in counts."),
    "breakdown": gettext_lazy(
        "A sex or age group is chosen and the population figures are for whole populations, so the "
        "comparison is in counts."
    ),
    "missing": gettext_lazy(
        "Some countries of the region have no population figure (%(codes)s), so the comparison is in counts."
    ),
}


def comparison_table(cmp: RegionComparison, area: str) -> Table:
    region = data_label(cmp.region)
    header = [_("Year"), area, region]
    if cmp.per_100k:
        header = [
            _("Year"),
            area,
            _("%(what)s per 100,000") % {"what": area},
            region,
            _("%(what)s per 100,000") % {"what": region},
        ]
    header.append(_("Countries of the region reporting"))
    rows: list[list[Cell]] = []
    for r in cmp.rows:
        if cmp.per_100k:
            rows.append([r.year, r.country, r.country_rate, r.region, r.region_rate, r.region_countries])
        else:
            rows.append([r.year, r.country, r.region, r.region_countries])
    title = _("%(area)s compared with %(region)s") % {"area": area, "region": region}
    return Table("compare", title, header, rows)


def comparison_view(
    loaded: LoadedRelease, iso3: str, area: str, sel: ExploreSelection, release_query: str
) -> View:
    cmp = compare_with_region(loaded.dataset, iso3, sel, population=loaded.population)
    table = comparison_table(cmp, area)
    region = data_label(cmp.region)
    what = selection_label(sel)
    if cmp.per_100k:
        description = _(
            "%(what)s per 100,000 population: %(area)s and %(region)s (the countries of the region that "
            "reported each year). Population: %(source)s."
        ) % {"what": what, "area": area, "region": region, "source": cmp.population_source}
    else:
        reason = str(_REASONS[cmp.reason or "no_population"])
        if cmp.reason == "missing":
            reason = reason % {"codes": ", ".join(cmp.missing[:10]) + ("…" if len(cmp.missing) > 10 else "")}
        description = _("%(what)s: %(area)s and %(region)s, in counts. %(reason)s") % {
            "what": what,
            "area": area,
            "region": region,
            "reason": reason,
        }
    years = [r.year for r in cmp.rows]
    svg = ""
    if years:
        if cmp.per_100k:
            series: dict[str, list[charts.ChartValue]] = {
                area: [_rate_value(r.country_rate) for r in cmp.rows],
                region: [_rate_value(r.region_rate) for r in cmp.rows],
            }
            svg = responsive(
                charts.line_chart,
                years,
                series,
                title=table.title,
                description=f"{description} {_NOTE}",
                value_format=lambda v: number(v, 2),
                missing=_("not reported"),
            )
        else:
            svg = responsive(
                charts.line_chart,
                years,
                {
                    area: [chart_value(r.country) for r in cmp.rows],
                    region: [chart_value(r.region) for r in cmp.rows],
                },
                title=table.title,
                description=f"{description} {_NOTE}",
                missing=_("not reported"),
            )
    query = _with_release(sel.query(), release_query)
    return View(
        Block(table, description, svg), _downloads("evidence:compare_download", [iso3], query), not years
    )


def _rate_value(r: Any) -> charts.ChartValue:
    if r is None:
        return None
    return charts.SUPPRESSED if r.count.is_suppressed else float(r.low)


# -- origin -> destination ----------------------------------------------------------------------
@dataclass(frozen=True)
class FlowChoice:
    origin: str | None
    destination: str | None
    region: str | None
    year: int | None
    problems: list[str]

    def query(self) -> dict[str, str]:
        out = {}
        for key in ("origin", "destination", "region"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.year is not None:
            out["year"] = str(self.year)
        return out


def flow_choice(
    params: QueryDict | Mapping[str, str],
    *,
    origins: Mapping[str, str],
    destinations: Mapping[str, str],
    regions: list[str],
    years: tuple[int, ...],
) -> FlowChoice:
    """The origin, destination, region and year asked for; a value that is not in the data is named."""
    problems: list[str] = []
    picked: dict[str, str | None] = {}
    for key, allowed in (("origin", origins), ("destination", destinations)):
        raw = str(params.get(key, "")).strip().upper()
        picked[key] = None
        if raw:
            if raw in allowed:
                picked[key] = raw
            else:
                problems.append(
                    _(
                        "“%(value)s” is not a %(name)s in this release, so it was left out. Use an ISO 3166 "
                        "alpha-3 code from the list, for example NGA."
                    )
                    % {"value": raw[:20], "name": _PARAM_NAMES[key]}
                )
    region = str(params.get("region", "")) or None
    if region is not None and region not in regions:
        problems.append(
            _("“%(value)s” is not a region of this release, so it was left out. Choose one of: %(expected)s.")
            % {"value": region[:60], "expected": ", ".join(data_label(r) for r in regions)}
        )
        region = None
    raw = str(params.get("year", "")).strip()
    year = None
    if raw:
        if raw.isdigit() and int(raw) in years:
            year = int(raw)
        else:
            problems.append(
                _(
                    "“%(value)s” is not a year of this release, so all years are shown. Choose %(first)s–%(last)s."
                )
                % {"value": raw[:20], "first": years[0], "last": years[-1]}
            )
    return FlowChoice(picked["origin"], picked["destination"], region, year, problems)


def sankey_view(
    loaded: LoadedRelease,
    choice: FlowChoice,
    names: Mapping[str, str],
    release_query: str,
    *,
    key: str = "sankey",
    title: str | None = None,
) -> View:
    """The origin -> destination diagram of a choice, with its table and downloads."""
    ds = loaded.dataset
    pairs = flow_pairs(
        ds,
        origin=choice.origin,
        destination=choice.destination,
        region=choice.region,
        years=None if choice.year is None else [choice.year],
    )
    when = str(choice.year) if choice.year is not None else f"{ds.years[0]}–{ds.years[-1]}"
    if title is None:
        title = _(
            "Flows of detected victims from country of citizenship to country of detection (%(when)s)"
        ) % {"when": when}
    header = [_("Origin"), _("Origin name"), _("Country of detection"), _("Name"), _("Detected victims")]
    rows: list[list[Cell]] = [[o, names.get(o, o), d, names.get(d, d), c] for o, d, c in pairs]
    table = Table(key, title, header, rows)
    description = _(
        "%(title)s. The %(top)s largest origins and countries of detection have their own bar, the others are "
        "added up; each band's width is proportional to the number of victims. Victims detected in their own "
        "country are left out."
    ) % {"title": title, "top": 8}
    links = [
        charts.FlowLink(
            o, d, charts.SUPPRESSED if c.is_suppressed else float(c.low), lower_bound=not c.is_exact
        )
        for o, d, c in pairs
    ]
    svg = responsive(
        charts.sankey_chart,
        links,
        title=title,
        description=f"{description} {_NOTE}",
        source_labels=names,
        target_labels=names,
        when=when,
        other_source=_("Other origins"),
        other_target=_("Other countries"),
        rtl=get_language_bidi(),
        no_data=_("No flows for this selection"),
        value_format=lambda v: number(v, 0),
    )
    query = _with_release(choice.query(), release_query)
    downloads = _downloads("evidence:sankey_download", [], query)
    return View(Block(table, description, svg), downloads, empty=not pairs)
