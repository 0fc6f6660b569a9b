"""Profiles as tables and charts: one :class:`Block` per chart, with its data table and downloads.

The same :class:`Table` feeds the page (text cells), the CSV/XLSX downloads (exact counts as
numbers, everything else as text such as ``<5``) and the JSON download (numbers or suppression
objects, as in the API). A suppressed cell is never turned into a number anywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from vinculo import charts
from vinculo.evidence import SUPPRESSED_TEXT, AreaProfile, Count, CountryProfile, Rate, Share
from vinculo.evidence._bounds import Tightened
from vinculo.web.core.templatetags.locale_format import number, percent
from vinculo.web.evidence.labels import area_name, data_label

Cell = str | int | float | Count | Rate | Share | None
#: Rows of a table shown on a page; longer tables (citizenships of a region) are complete in the downloads.
PAGE_ROWS = 250
Profile = CountryProfile | AreaProfile

SECTION_TITLES = {
    "victims_total": gettext_lazy("Detected victims"),
    "victims_by_sex": gettext_lazy("Detected victims by sex"),
    "victims_by_age": gettext_lazy("Detected victims by age"),
    "victims_by_sex_age": gettext_lazy("Detected victims by sex and age"),
    "victims_by_form": gettext_lazy("Detected victims by form of exploitation"),
    "victims_by_citizenship": gettext_lazy("Detected victims by citizenship"),
    "victims_by_repatriation": gettext_lazy("Detected victims by country of repatriation"),
    "prosecuted_total": gettext_lazy("Persons prosecuted"),
    "prosecuted_by_sex": gettext_lazy("Persons prosecuted by sex"),
    "convicted_total": gettext_lazy("Persons convicted"),
    "convicted_by_sex": gettext_lazy("Persons convicted by sex"),
    "convicted_by_form": gettext_lazy("Persons convicted by form of exploitation"),
    "convicted_by_citizenship": gettext_lazy("Persons convicted by citizenship"),
    "contact_total": gettext_lazy("Persons brought into formal contact"),
    "offences_total": gettext_lazy("Offences of trafficking in persons"),
}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    #: The header as shown on the page (category labels translated); downloads keep ``header``.
    labels: list[str] | None = None
    #: (row, column) -> the narrower range that the published totals imply for that cell.
    tightened: Mapping[tuple[int, int], Tightened] = field(default_factory=dict)

    def display_header(self) -> list[str]:
        return self.labels or self.header

    def display_rows(self) -> list[list[str]]:
        """Text cells of the rows shown on the page (at most :data:`PAGE_ROWS`; downloads hold all)."""
        return [
            [
                tightened_text(self.tightened[(r, i)]) if (r, i) in self.tightened else display(c)
                for i, c in enumerate(row)
            ]
            for r, row in enumerate(self.rows[:PAGE_ROWS])
        ]

    def display_cells(self) -> list[list[tuple[str, int | None]]]:
        """Like :meth:`display_rows`, each text with the number of its footnote (or None)."""
        numbers = {rc: n for n, (rc, _t) in enumerate(self._footnoted(), start=1)}
        return [
            [(text, numbers.get((r, i))) for i, text in enumerate(row)]
            for r, row in enumerate(self.display_rows())
        ]

    def footnotes(self) -> list[tuple[int, str]]:
        """Numbered sentences that say which published total and parts narrow each tightened cell."""
        out = []
        for n, ((r, i), t) in enumerate(self._footnoted(), start=1):
            where = f"{display(self.rows[r][0])}, {self.display_header()[i]}"
            out.append((n, derivation_text(where, t)))
        return out

    def _footnoted(self) -> list[tuple[tuple[int, int], Tightened]]:
        return sorted((rc, t) for rc, t in self.tightened.items() if rc[0] < PAGE_ROWS)

    @property
    def truncated(self) -> bool:
        return len(self.rows) > PAGE_ROWS

    def _tightened_columns(self) -> list[int]:
        return sorted({i for _r, i in self.tightened})

    def download_header(self) -> list[str]:
        """``header`` plus, after each column with a tightened cell, its low, high and derivation."""
        out: list[str] = []
        extra = set(self._tightened_columns())
        for i, h in enumerate(self.header):
            out.append(h)
            if i in extra:
                out += [f"{h}: low", f"{h}: high", f"{h}: derived_from"]
        return out

    def _extra_values(self, r: int, i: int, c: Cell) -> list[Any]:
        t = self.tightened.get((r, i))
        if t is not None:
            return [t.low, t.high, t.explain()]
        if isinstance(c, Count):
            return [c.low, c.high, ""]
        return ["", "", ""]

    def sheet_rows(self) -> list[list[Any]]:
        extra = set(self._tightened_columns())
        out = []
        for r, row in enumerate(self.rows):
            cells: list[Any] = []
            for i, c in enumerate(row):
                cells.append(sheet_value(c))
                if i in extra:
                    cells += self._extra_values(r, i, c)
            out.append(cells)
        return out

    def json_rows(self) -> list[dict[str, Any]]:
        header = self.download_header()
        return [dict(zip(header, row, strict=True)) for row in self._json_cells()]

    def _json_cells(self) -> list[list[Any]]:
        extra = set(self._tightened_columns())
        out = []
        for r, row in enumerate(self.rows):
            cells: list[Any] = []
            for i, c in enumerate(row):
                cells.append(json_value(c))
                if i in extra:
                    cells += self._extra_values(r, i, c)
            out.append(cells)
        return out


@dataclass(frozen=True)
class Block:
    """A chart (SVG, or empty for a table without chart) with its table."""

    table: Table
    description: str
    svg: str = ""


#: Widths each chart is drawn at. The page shows the one that fits its container (``.chart-w*`` in
#: vinculo.css) and stretches it to the full width, so a chart is never drawn smaller than its own size:
#: its 12 px text stays at least 12 px on a 390 px phone and at 1366 px alike.
CHART_WIDTHS = (340, 680, 960)


def responsive(draw: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    """The chart ``draw(*args, **kwargs)`` at each of :data:`CHART_WIDTHS`, each in its own box."""
    return "".join(
        f'<div class="chart-size chart-w{w}">{draw(*args, width=w, **kwargs)}</div>' for w in CHART_WIDTHS
    )


def count_text(c: Count) -> str:
    """A count as the page's language writes numbers: "1 269", "<5", "≥ 12 (12–20)", "2 cells <5"."""
    if c.is_exact:
        return number(c.low, 0)
    if c.cells == 1:
        return SUPPRESSED_TEXT
    if c.is_suppressed:
        return ngettext("%(n)s cell <5", "%(n)s cells <5", c.suppressed_cells) % {
            "n": number(c.suppressed_cells, 0)
        }
    low, high = number(c.low, 0), number(c.high, 0)
    return f"≥ {low} ({low}–{high})"


def tightened_text(t: Tightened) -> str:
    """A suppressed count with the range its table implies: "<5 (derived: exactly 0)"."""
    if t.is_exact:
        return _("%(published)s (derived: exactly %(value)s)") % {
            "published": count_text(t.count),
            "value": number(t.low, 0),
        }
    return _("%(published)s (derived: %(low)s to %(high)s)") % {
        "published": count_text(t.count),
        "low": number(t.low, 0),
        "high": number(t.high, 0),
    }


def derivation_text(where: str, t: Tightened) -> str:
    """Which published total and parts give a tightened range, in the page's language."""
    equations = "; ".join(
        f"{data_label(eq[0][0])} {count_text(eq[0][1])} = "
        + " + ".join(f"{data_label(label)} {count_text(c)}" for label, c in eq[1:])
        for eq in t.equations
    )
    if t.is_exact:
        value = _("exactly %(value)s") % {"value": number(t.low, 0)}
    else:
        value = _("%(low)s to %(high)s") % {"low": number(t.low, 0), "high": number(t.high, 0)}
    return _(
        "%(where)s: %(value)s, because the published total and its parts must add up: %(equations)s."
    ) % {"where": where, "value": value, "equations": equations}


def display(c: Cell) -> str:
    """The text of a table cell on the page, in the page's language (downloads keep plain numbers)."""
    if c is None:
        return "–"
    if isinstance(c, Count):
        return count_text(c)
    if isinstance(c, Share):
        if c.is_exact:
            return percent(c.low)
        return f"{percent(c.low)}–{percent(c.high)}"
    if isinstance(c, Rate):
        if c.count.is_suppressed:
            return _("suppressed")
        if c.count.is_exact:
            return number(c.low, 2)
        low, high = number(c.low, 2), number(c.high, 2)
        return f"≥ {low} ({low}–{high})"
    if isinstance(c, float):
        return number(c, 0)
    if isinstance(c, int):
        # Years and small counts stay as they are ("2021", not "2,021").
        return number(c, 0) if c >= 10000 else str(c)
    return str(c)


def sheet_value(c: Cell) -> Any:
    """Value for CSV/XLSX: exact counts and rates as numbers, anything suppressed as text."""
    if c is None:
        return ""
    if isinstance(c, Count):
        return c.low if c.is_exact else c.render()
    if isinstance(c, Rate):
        if c.count.is_exact:
            return round(c.low, 4)
        return "suppressed" if c.count.is_suppressed else c.render()
    if isinstance(c, Share):
        return round(float(c.low), 6) if c.is_exact else c.render()
    return c


def json_value(c: Cell) -> Any:
    if isinstance(c, Count | Rate | Share):
        return c.to_json()
    return c


def chart_value(c: Count | None) -> charts.ChartValue:
    """What a chart draws: exact values, the lower bound of a partly suppressed sum, or a hatched bar."""
    if c is None:
        return None
    if c.is_suppressed:
        return charts.SUPPRESSED
    return c.low


_PARTIAL_NOTE = gettext_lazy(
    "Suppressed cells (<5) are hatched and never drawn as numbers; a bar that adds up exact and "
    "suppressed cells shows its lower bound."
)


def _parts_by_year(section: Mapping[int, Mapping[str, Count]]) -> tuple[list[int], list[str]]:
    years = sorted(section)
    parts: list[str] = []
    for y in years:
        for p in section[y]:
            if p not in parts:
                parts.append(p)
    return years, parts


def _year_part_block(profile: Profile, key: str, *, stacked: bool = True) -> Block | None:
    section = profile.sections.get(key) or {}
    if not section:
        return None
    years, parts = _parts_by_year(section)
    title = str(SECTION_TITLES[key])
    rows: list[list[Cell]] = [[y, *(section[y].get(p) for p in parts)] for y in years]
    tightened = {
        (r, i): t
        for r, y in enumerate(years)
        for i, p in enumerate(parts, start=1)
        if (t := profile.tightened_value(key, y, p)) is not None
    }
    table = Table(
        key, title, [_("Year"), *parts], rows, [_("Year"), *(data_label(p) for p in parts)], tightened
    )
    description = _("%(title)s in %(name)s, by year.") % {"title": title, "name": area_name(profile)}
    svg = responsive(
        charts.stacked_bar_chart,
        [str(y) for y in years],
        {data_label(p): [chart_value(section[y].get(p)) for y in years] for p in parts},
        title=title,
        description=f"{description} {_PARTIAL_NOTE}",
        mode="stacked" if stacked else "grouped",
        missing=_("not reported"),
    )
    return Block(table, description, svg)


def _totals_block(
    profile: Profile, key: str, title: str, sections: Sequence[str], *, line: bool
) -> Block | None:
    present = [s for s in sections if profile.sections.get(s)]
    if not present:
        return None
    years = sorted({y for s in present for y in profile.sections[s]})
    names = [str(SECTION_TITLES[s]) for s in present]
    rows: list[list[Cell]] = [[y, *(profile.total(s, y) for s in present)] for y in years]
    table = Table(key, title, [_("Year"), *names], rows)
    description = _("%(title)s in %(name)s, by year.") % {"title": title, "name": area_name(profile)}
    series = {
        n: [chart_value(profile.total(s, y)) for y in years] for n, s in zip(names, present, strict=True)
    }
    if line:
        svg = responsive(
            charts.line_chart,
            years,
            series,
            title=title,
            description=f"{description} {_PARTIAL_NOTE}",
            missing=_("not reported"),
        )
    else:
        svg = responsive(
            charts.stacked_bar_chart,
            [str(y) for y in years],
            series,
            title=title,
            description=f"{description} {_PARTIAL_NOTE}",
            mode="grouped",
            missing=_("not reported"),
        )
    return Block(table, description, svg)


def _origin_rows(profile: Profile, key: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for year, parts in sorted((profile.sections.get(key) or {}).items()):
        for origin, count in parts.items():
            rows.append([year, origin, count])
    return rows


def _origins_block(profile: Profile, key: str, names: Mapping[str, str]) -> Block | None:
    rows = _origin_rows(profile, key)
    if not rows:
        return None
    title = str(SECTION_TITLES[key])
    table = Table(key, title, [_("Year"), _("Citizenship"), _("Count")], rows)
    totals: dict[str, Count] = defaultdict(Count.zero)
    for _year, origin, count in rows:
        assert isinstance(origin, str) and isinstance(count, Count)
        totals[origin] = totals[origin] + count
    top = sorted(totals.items(), key=lambda kv: (-kv[1].low, -kv[1].high, kv[0]))[:10]
    labels = [names.get(o, o) for o, _c in top]
    description = _("%(title)s in %(name)s: the ten largest citizenships over all years.") % {
        "title": title,
        "name": area_name(profile),
    }
    svg = responsive(
        charts.bar_chart,
        labels,
        [chart_value(c) for _o, c in top],
        title=title,
        description=f"{description} {_PARTIAL_NOTE}",
        horizontal=True,
    )
    return Block(table, description, svg)


def _main_flows_block(profile: Profile, key: str, names: Mapping[str, str], *, into: bool) -> Block | None:
    flows = profile.main_origins if into else profile.main_destinations
    if not flows:
        return None
    if into:
        title = _("Main origins of detected victims (all years)")
        header = [_("Citizenship"), _("Name"), _("Detected victims")]
    else:
        title = _("Main countries where citizens were detected abroad (all years)")
        header = [_("Country of detection"), _("Name"), _("Detected victims")]
    rows: list[list[Cell]] = [[code, names.get(code, code), c] for code, c in flows]
    table = Table(key, title, header, rows)
    description = _(
        "%(title)s, %(name)s. Victims detected in their own country of citizenship are left out."
    ) % {
        "title": title,
        "name": area_name(profile),
    }
    svg = responsive(
        charts.bar_chart,
        [names.get(code, code) for code, _c in flows],
        [chart_value(c) for _code, c in flows],
        title=title,
        description=f"{description} {_PARTIAL_NOTE}",
        horizontal=True,
    )
    return Block(table, description, svg)


def _rates_block(profile: Profile) -> Block | None:
    present = [k for k, v in profile.rates.items() if v]
    if not present:
        return None
    years = sorted({y for k in present for y in profile.rates[k]})
    title = _("Rates per 100,000 population")
    header = [_("Year")]
    for k in present:
        header += [str(SECTION_TITLES[k]), _("%(what)s per 100,000") % {"what": SECTION_TITLES[k]}]
    header.append(_("Population used"))
    rows: list[list[Cell]] = []
    for y in years:
        row: list[Cell] = [y]
        pop: float | None = None
        for k in present:
            r = profile.rates[k].get(y)
            row += [None if r is None else r.count, r]
            if r is not None:
                pop = r.population
        row.append(pop)
        rows.append(row)
    table = Table("rates", title, header, rows)
    source = next((r.source for k in present for r in profile.rates[k].values()), "")
    description = _("Counts per 100,000 population in %(name)s. Population: %(source)s.") % {
        "name": area_name(profile),
        "source": source,
    }
    series = {}
    for k in present:
        values: list[charts.ChartValue] = []
        for y in years:
            r = profile.rates[k].get(y)
            values.append(None if r is None else (charts.SUPPRESSED if r.count.is_suppressed else r.low))
        series[str(SECTION_TITLES[k])] = values
    svg = responsive(
        charts.line_chart,
        years,
        series,
        title=title,
        description=description,
        value_format=lambda v: f"{v:.2f}",
        missing=_("not reported"),
    )
    return Block(table, description, svg)


def _flow_shares_block(profile: Profile) -> Block | None:
    if not profile.flow_shares:
        return None
    title = _("Where detected victims come from: shares of flows")
    header = [
        _("Year"),
        _("Domestic"),
        _("Intra-regional (incl. same subregion)"),
        _("Intra-subregional"),
        _("Trans-regional"),
        _("Victims with a known citizenship"),
        _("Countries reporting"),
    ]
    rows: list[list[Cell]] = []
    for y, fs in sorted(profile.flow_shares.items()):
        rows.append(
            [
                y,
                fs.domestic,
                fs.intra_regional,
                fs.intra_subregional,
                fs.trans_regional,
                fs.classified,
                len(fs.countries),
            ]
        )
    table = Table("flow_shares", title, header, rows)
    description = _(
        "Shares of detected victims by where they come from, among victims whose citizenship is one "
        "country; a share is a range when suppressed cells are involved. Chart: lower bounds."
    )
    years = sorted(profile.flow_shares)

    def pct(s: Share | None) -> charts.ChartValue:
        return None if s is None else round(float(s.low) * 100, 1)

    svg = responsive(
        charts.stacked_bar_chart,
        [str(y) for y in years],
        {
            _("Domestic"): [pct(profile.flow_shares[y].domestic) for y in years],
            _("Intra-regional"): [pct(profile.flow_shares[y].intra_regional) for y in years],
            _("Trans-regional"): [pct(profile.flow_shares[y].trans_regional) for y in years],
        },
        title=title,
        description=description,
        mode="grouped",
        unit="%",
    )
    return Block(table, description, svg)


def profile_blocks(profile: Profile, names: Mapping[str, str]) -> list[tuple[str, str, list[Block]]]:
    """The page's sections in reading order: (anchor, heading, blocks)."""
    out: list[tuple[str, str, list[Block]]] = []

    def add(anchor: str, heading: str, *blocks: Block | None) -> None:
        kept = [b for b in blocks if b is not None]
        if kept:
            out.append((anchor, heading, kept))

    add(
        "trend",
        _("Trend of detected victims"),
        _totals_block(profile, "trend", _("Detected victims per year"), ["victims_total"], line=True),
    )
    add(
        "sex-age",
        _("Sex and age of detected victims"),
        _year_part_block(profile, "victims_by_sex"),
        _year_part_block(profile, "victims_by_age"),
        _year_part_block(profile, "victims_by_sex_age", stacked=False),
    )
    add("forms", _("Forms of exploitation"), _year_part_block(profile, "victims_by_form", stacked=False))
    add(
        "origins",
        _("Origins of detected victims"),
        _main_flows_block(profile, "main_origins", names, into=True),
        _origins_block(profile, "victims_by_citizenship", names),
    )
    add(
        "flows",
        _("Flows"),
        _flow_shares_block(profile),
        _main_flows_block(profile, "main_destinations", names, into=False),
    )
    add(
        "justice",
        _("Prosecutions and convictions"),
        _totals_block(
            profile,
            "justice",
            _("Persons prosecuted and convicted"),
            ["prosecuted_total", "convicted_total", "contact_total", "offences_total"],
            line=False,
        ),
        _year_part_block(profile, "convicted_by_sex", stacked=False),
        _year_part_block(profile, "convicted_by_form", stacked=False),
    )
    add(
        "offenders",
        _("Citizenship of convicted offenders"),
        _origins_block(profile, "convicted_by_citizenship", names),
    )
    add("rates", _("Rates per 100,000 population"), _rates_block(profile))
    return out
