"""Report sections on the evidence: Global Report figures, estimates, case counts, programmes.

Only what the public may see goes in: the current GLOTIP release (suppressed cells never shown as
numbers), public estimates, case counts over public records with consent (small cells shown as
"<5"), and published programmes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from vinculo.coordination import region_of
from vinculo.web.accounts import access
from vinculo.web.cases.queries import SMALL_CELL, CaseFilter, count_summary, shown
from vinculo.web.estimates.models import Estimate
from vinculo.web.evidence.labels import data_label
from vinculo.web.evidence.services import current_release, loaded_release
from vinculo.web.programmes.models import Evaluation as ProgrammeEvaluation
from vinculo.web.programmes.models import EvaluationDesign, EvidenceRating, Programme
from vinculo.web.programmes.models import Pillar as ProgrammePillar

from .blocks import PUBLIC, bar_figure, caveat, counted, empty, glotip_count, glotip_share, number, refs, url
from .document import Block, Cell, Section, Source, Table, Value, paragraph

YEARS_SHOWN = 5


# -- Global Report on Trafficking in Persons ----------------------------------------------------------------
def evidence_section(year: int) -> Section:
    title = _("Global Report on Trafficking in Persons: detected victims")
    release = current_release()
    if release is None:
        return Section(
            "evidence", title, "", (empty(_("No Global Report data is loaded on the platform yet.")),)
        )
    loaded = loaded_release(release)
    world = loaded.area_profile("world", None)
    record = (f"evidence.GlotipRelease#{release.pk}",)
    note = f"{world.citation}, release {release.version}"
    world_page = url("evidence:world")

    def src(page: str = world_page) -> Source:
        return Source(page, record, note)

    totals = world.sections.get("victims_total", {})
    years = sorted(y for y in totals if y <= year)
    if not years:
        return Section(
            "evidence",
            title,
            "",
            (empty(_("The Global Report data hold no figure for this year or before.")),),
        )
    ref = years[-1]
    blocks: list[Block] = [
        paragraph(
            _(
                "Figures from the Global Report data release %(version)s (%(citation)s). The latest year "
                "with data up to %(year)s is %(ref)s; figures are published with a lag of about two years."
            ),
            {"version": str(release.version), "citation": world.citation, "year": str(year), "ref": str(ref)},
        ),
        caveat(
            _(
                "Counts below 5 are published as “<5” and are never shown as numbers; a sum that "
                "includes them is shown as a lower bound with its range. A missing figure means it was not "
                "reported, not that it was zero. Area totals add up the countries that reported."
            )
        ),
    ]
    reporting = world.countries_reporting.get("victims_total", {})
    series = Table(
        "evidence.victims",
        _("Detected victims worldwide, by year"),
        (_("Year"), _("Detected victims"), _("Countries reporting")),
        tuple(
            (
                str(y),
                glotip_count(f"evidence.victims.{y}", totals[y]["Total"], src()),
                number(f"evidence.reporting.{y}", len(reporting.get(y, ())), src()),
            )
            for y in years[-YEARS_SHOWN:]
        ),
        src(),
    )
    blocks.append(series)
    regions = sorted({a.region for a in loaded.dataset.countries.values() if a.region})
    region_rows: list[tuple[Cell, ...]] = []
    for region in regions:
        count = loaded.area_profile("region", region).total("victims_total", ref)
        page = url("evidence:region", region)
        region_rows.append(
            (
                data_label(region),
                glotip_count(f"evidence.region.{region}", count, src(page)) if count is not None else "—",
            )
        )
    by_region = Table(
        "evidence.regions",
        _("Detected victims by region in %(year)s") % {"year": ref},
        (_("Region"), _("Detected victims")),
        tuple(region_rows),
        src(),
    )
    blocks += [
        by_region,
        bar_figure(
            by_region,
            title=_("Detected victims by region in %(year)s") % {"year": ref},
            description=_(
                "Detected victims in the countries of each region that reported, Global Report data."
            ),
        ),
    ]
    forms = world.sections.get("victims_by_form", {}).get(ref, {})
    if forms:
        form_table = Table(
            "evidence.forms",
            _("Detected victims by form of exploitation in %(year)s") % {"year": ref},
            (_("Form of exploitation"), _("Detected victims")),
            tuple((name, glotip_count(f"evidence.form.{name}", c, src())) for name, c in forms.items()),
            src(),
        )
        blocks += [
            form_table,
            bar_figure(
                form_table,
                title=_("Detected victims by form of exploitation in %(year)s") % {"year": ref},
                description=_(
                    "Victims by form of exploitation in the countries that reported; a victim may be "
                    "counted under more than one form. Hatched bars are “<5” cells."
                ),
            ),
        ]
    else:
        blocks.append(empty(_("No country reported victims by form of exploitation for that year.")))
    shares = world.flow_shares.get(ref)
    if shares is not None:
        flows_page = url("evidence:flows", query=f"year={ref}")
        rows: list[tuple[Cell, ...]] = []
        for key, label in (
            ("domestic", _("Detected in their own country (domestic)")),
            ("intra_regional", _("From another country of the same region")),
            ("trans_regional", _("From another region")),
        ):
            share = getattr(shares, key)
            rows.append(
                (label, glotip_share(f"evidence.flows.{key}", share, src(flows_page)) if share else "—")
            )
        blocks.append(
            Table(
                "evidence.flows",
                _("Shares of detected victims by where they came from, %(year)s") % {"year": ref},
                (_("Flow"), _("Share of victims with a known citizenship")),
                tuple(rows),
                src(flows_page),
                footer=(
                    (
                        _("Victims whose citizenship is not one country (not in the shares)"),
                        glotip_count("evidence.flows.unclassified", shares.unclassified, src(flows_page)),
                    ),
                ),
            )
        )
    else:
        blocks.append(empty(_("No country reported victims by citizenship for that year.")))
    return Section("evidence", title, "", tuple(blocks))


# -- estimates of hidden victims (§25) -------------------------------------------------------------------
def _result_number(result: dict[str, Any], *path: str) -> float | None:
    value: Any = result
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return float(value) if isinstance(value, int | float) else None


def estimates_section(year: int) -> Section:
    title = _("Estimates of hidden victims")
    queryset = access.access_visible(
        PUBLIC, Estimate.objects.filter(year=year, result__isnull=False).select_related("country")
    ).order_by("country__name", "title", "pk")
    estimates = [e for e in queryset.defer("source_csv") if isinstance(e.result, dict)]
    if not estimates:
        return Section(
            "estimates",
            title,
            "§25",
            (empty(_("No public estimate of hidden victims is recorded for this year.")),),
        )
    rows = []
    for e in estimates:
        assert isinstance(e.result, dict)
        source = Source(url("estimates:detail", e.pk), refs("estimates.Estimate", [e.pk]))
        cells: list[Cell] = [e.title, str(e.country) if e.country else "—"]
        cells.append(
            number(f"estimates.{e.pk}.observed", int(e.result.get("n_observed") or e.n_observed), source)
        )
        for name, path in (
            ("estimate", ("estimate",)),
            ("lower", ("interval", "lower")),
            ("upper", ("interval", "upper")),
        ):
            found = _result_number(e.result, *path)
            cells.append(number(f"estimates.{e.pk}.{name}", found, source) if found is not None else "—")
        rows.append(tuple(cells))
    blocks: list[Block] = [
        paragraph(
            _(
                "Public Multiple Systems Estimation results for %(year)s: the number of victims estimated "
                "from the overlaps between agencies' lists, including those no agency detected (SDG indicator 16.2.2)."
            ),
            {"year": str(year)},
        ),
        Table(
            "estimates.list",
            _("Estimates of the total number of victims"),
            (
                _("Estimate"),
                _("Country"),
                _("Observed"),
                _("Estimated total"),
                _("Lower bound"),
                _("Upper bound"),
            ),
            tuple(rows),
            Source(url("estimates:list"), refs("estimates.Estimate", [e.pk for e in estimates])),
        ),
    ]
    return Section("estimates", title, "§25", tuple(blocks))


# -- case data (§13) ---------------------------------------------------------------------------------------
def _protected(key: str, value: Any, source: Source) -> Value:
    if isinstance(value, int):
        return number(key, value, source)
    return Value(key, shown(value), source, None, suppressed=True)


def cases_section(year: int) -> Section:
    title = _("Case data on the Human Trafficking Case Data Standard")
    summary = count_summary(PUBLIC, CaseFilter({"year": str(year)}), ["country"])
    page = url("cases:counts", query=f"year={year}")
    source = Source(
        page, (), _("Counts of public case records with consent to share; small cells shown as <5")
    )
    total = summary["total"]
    if total == 0:
        return Section("cases", title, "§13", (empty(_("No public case record is dated in this year.")),))
    rows = tuple(
        (name or _("Not recorded"), _protected(f"cases.country.{code or 'none'}", n, source))
        for code, name, n in summary["dimensions"]["country"]
    )
    blocks: list[Block] = [
        paragraph(
            _("Public case records with consent to share, dated in %(year)s: %(n)s."),
            {"year": str(year), "n": _protected("cases.total", total, source)},
        ),
        caveat(
            _(
                "Only aggregate counts are shown, never a case. Counts below %(cell)s are shown as "
                "“<%(cell)s” (small-cell protection)."
            ).replace("%(cell)s", str(SMALL_CELL))
        ),
        Table(
            "cases.countries",
            _("Case records by country of exploitation"),
            (_("Country"), _("Cases")),
            rows,
            source,
        ),
    ]
    return Section("cases", title, "§13", tuple(blocks))


# -- programmes and evaluations (§19) ----------------------------------------------------------------------
def _active(p: Programme, year: int) -> bool:
    if p.start_date is None:
        return False
    return p.start_date <= dt.date(year, 12, 31) and (p.end_date is None or p.end_date >= dt.date(year, 1, 1))


def programmes_section(year: int) -> Section:
    title = _("Programmes and evaluations")
    published = list(
        access.access_curated_visible(PUBLIC, Programme.objects.all())
        .prefetch_related("countries")
        .order_by("pk")
    )
    label = "programmes.Programme"
    page = url("programmes:list")
    if not published:
        return Section("programmes", title, "§19", (empty(_("No programme has been published yet.")),))
    blocks: list[Block] = [
        paragraph(
            _("Published programmes in the database: %(n)s, of which %(active)s were running in %(year)s."),
            {
                "n": counted("programmes.published", [p.pk for p in published], label, page),
                "active": counted(
                    "programmes.active", [p.pk for p in published if _active(p, year)], label, page
                ),
                "year": str(year),
            },
        )
    ]
    pillars = Table(
        "programmes.pillars",
        _("Published programmes by pillar"),
        (_("Pillar"), _("Programmes")),
        tuple(
            (
                str(name),
                counted(
                    f"programmes.pillar.{code}",
                    [p.pk for p in published if code in (p.pillars or [])],
                    label,
                    url("programmes:list", query=f"pillar={code}"),
                ),
            )
            for code, name in ProgrammePillar.choices
        ),
        Source(page, refs(label, [p.pk for p in published])),
    )
    by_region: dict[str, set[int]] = defaultdict(set)
    for p in published:
        for c in p.countries.all():
            by_region[region_of(c.iso3) or "none"].add(p.pk)
    regions = Table(
        "programmes.regions",
        _("Published programmes by region (a programme counts in each region where it works)"),
        (_("Region"), _("Programmes")),
        tuple(
            (
                _("No region") if region == "none" else data_label(region),
                counted(
                    f"programmes.region.{region}",
                    ids,
                    label,
                    url("programmes:list", query=f"region={region}"),
                ),
            )
            for region, ids in sorted(by_region.items())
        ),
        Source(page),
    )
    ratings = Table(
        "programmes.ratings",
        _("Published programmes by strength of evidence"),
        (_("Evidence rating"), _("Programmes")),
        tuple(
            (
                str(name),
                counted(
                    f"programmes.rating.{code}",
                    [p.pk for p in published if p.evidence_rating == code],
                    label,
                    url("programmes:list", query=f"rating={code}"),
                ),
            )
            for code, name in EvidenceRating.choices
        ),
        Source(page),
    )
    blocks += [
        pillars,
        bar_figure(
            pillars,
            title=_("Published programmes by pillar"),
            description=_("Number of published programmes under each pillar of the Global Plan of Action."),
        ),
        regions,
        ratings,
    ]
    evaluations = list(
        ProgrammeEvaluation.objects.filter(programme__in=[p.pk for p in published]).values_list(
            "pk", "design", "date"
        )
    )
    elabel = "programmes.Evaluation"
    blocks.append(
        paragraph(
            _("Evaluations of published programmes: %(n)s, of which %(in_year)s are dated in %(year)s."),
            {
                "n": counted("programmes.evaluations", [pk for pk, _d, _t in evaluations], elabel, page),
                "in_year": counted(
                    "programmes.evaluations_in_year",
                    [pk for pk, _d, when in evaluations if when is not None and when.year == year],
                    elabel,
                    page,
                ),
                "year": str(year),
            },
        )
    )
    if evaluations:
        blocks.append(
            Table(
                "programmes.designs",
                _("Evaluations by design"),
                (_("Design"), _("Evaluations")),
                tuple(
                    (
                        str(name),
                        counted(
                            f"programmes.design.{code}",
                            [pk for pk, design, _w in evaluations if design == code],
                            elabel,
                            page,
                        ),
                    )
                    for code, name in EvaluationDesign.choices
                ),
                Source(page, refs(elabel, [pk for pk, _d, _w in evaluations])),
            )
        )
    return Section("programmes", title, "§19", tuple(blocks))
