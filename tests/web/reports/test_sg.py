"""The SG report (src/vinculo/web/reports/sg.py and its sections): every number against the platform data.

The expected numbers are computed here with ORM queries and from the raw GLOTIP rows of the fixture,
never with the report's own code. A number the report shows but this test does not expect fails it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from vinculo.coordination import region_of
from vinculo.web.appraisal.models import Answer
from vinculo.web.cases.models import CaseRecord
from vinculo.web.core.models import Country
from vinculo.web.estimates.models import Estimate
from vinculo.web.events.models import Event
from vinculo.web.network.models import Mechanism, Meeting, PracticeNote
from vinculo.web.programmes.models import Evaluation, Programme
from vinculo.web.reports.document import Paragraph, Report
from vinculo.web.reports.services import build_report
from vinculo.web.treaties.models import TreatyEntry
from vinculo.web.trustfund.models import LedgerEntry

from .conftest import GLOTIP_ROWS, VICTIMS, YEAR, ReportWorld

Expected = dict[str, tuple[str, set[str] | None]]


def refs(label: str, ids: Any) -> set[str]:
    return {f"{label}#{pk}" for pk in ids}


def shown(n: int) -> str:
    return f"{n:,}"


def money(d: Decimal) -> str:
    return f"{d:,.2f}"


def glotip_sum(texts: list[str]) -> str:
    """The display of a sum of published cells: exact, "<5", or lower bound and range."""
    exact = sum(int(t.replace(",", "")) for t in texts if t != "<5")
    hidden = sum(1 for t in texts if t == "<5")
    if not hidden:
        return shown(exact)
    if hidden == len(texts) == 1:
        return "<5"
    return f"≥ {exact:,} ({exact:,}–{exact + 4 * hidden:,})"


def expected_treaties() -> Expected:
    out: Expected = {}
    states = list(Country.objects.filter(un_member=True))
    entries = list(TreatyEntry.objects.filter(country__un_member=True).select_related("country"))
    by_country: dict[int, list[TreatyEntry]] = defaultdict(list)
    for e in entries:
        by_country[e.country_id].append(e)
    label = "treaties.TreatyEntry"
    groups: dict[str, list[Country]] = defaultdict(list)
    for c in states:
        groups[region_of(c.iso3) or "none"].append(c)
    groups_total = {"total": states}
    for prefix, table in (("treaties.region.", groups), ("treaties.", groups_total)):
        for name, countries in table.items():
            key = f"{prefix}{name}"
            ids = {c.pk for c in countries}
            mine = [e for e in entries if e.country_id in ids]
            out[f"{key}.states"] = (shown(len(countries)), set())
            for instrument in ("untoc", "tip_protocol"):
                parties = [e.pk for e in mine if e.instrument == instrument and e.status == "party"]
                out[f"{key}.{instrument}"] = (shown(len(parties)), refs(label, parties))
            confirmed = [
                e.pk
                for c in countries
                if by_country[c.pk] and all(e.confirmed_at for e in by_country[c.pk])
                for e in by_country[c.pk]
            ]
            out[f"{key}.confirmed"] = (shown(len(confirmed)), refs(label, confirmed))
    out["treaties.entries"] = (shown(len(entries)), refs(label, [e.pk for e in entries]))
    confirmed_entries = [e.pk for e in entries if e.confirmed_at]
    out["treaties.entries_confirmed"] = (shown(len(confirmed_entries)), refs(label, confirmed_entries))
    year_only = [
        e.pk for e in entries if e.status == "party" and e.action_date and e.action_precision == "year"
    ]
    out["treaties.year_only"] = (shown(len(year_only)), refs(label, year_only))
    for source in {e.source for e in entries}:
        ids = [e.pk for e in entries if e.source == source]
        out[f"treaties.source.{source}"] = (shown(len(ids)), refs(label, ids))
    for instrument in ("untoc", "tip_protocol"):
        ids = [
            e.pk
            for e in entries
            if e.instrument == instrument
            and e.status == "party"
            and e.action_date
            and e.action_date.year == YEAR
        ]
        out[f"treaties.new_parties.{instrument}"] = (shown(len(ids)), refs(label, ids))
    return out


def expected_evidence(rw: ReportWorld) -> Expected:
    release = {f"evidence.GlotipRelease#{rw.release.pk}"}
    totals: dict[int, list[str]] = defaultdict(list)
    regions: dict[str, list[str]] = defaultdict(list)
    forms: dict[str, list[str]] = defaultdict(list)
    flows: dict[str, int] = defaultdict(int)
    region_of_row = {r[0]: r[2] for r in GLOTIP_ROWS}
    ref = max(int(r[9]) for r in GLOTIP_ROWS if int(r[9]) <= YEAR)
    for iso3, _n, region, _s, indicator, dimension, category, _sex, _age, year, _u, text, _src in GLOTIP_ROWS:
        if indicator != VICTIMS:
            continue
        if dimension == "Total":
            totals[int(year)].append(text)
            if int(year) == ref:
                regions[region].append(text)
        elif dimension == "by form of exploitation" and int(year) == ref:
            forms[category].append(text)
        elif dimension == "by citizenship" and int(year) == ref:
            origin = {"Nationals": iso3, "Nigerians": "NGA", "Germans": "DEU"}.get(category)
            if origin is None:
                kind = "unclassified"
            elif origin == iso3:
                kind = "domestic"
            elif region_of(origin) == region_of_row[iso3]:
                kind = "intra_regional"
            else:
                kind = "trans_regional"
            flows[kind] += int(text)
    out: Expected = {}
    for year, texts in totals.items():
        out[f"evidence.victims.{year}"] = (glotip_sum(texts), release)
        out[f"evidence.reporting.{year}"] = (shown(len(texts)), release)
    for region, texts in regions.items():
        out[f"evidence.region.{region}"] = (glotip_sum(texts), release)
    for form, texts in forms.items():
        out[f"evidence.form.{form}"] = (glotip_sum(texts), release)
    classified = flows["domestic"] + flows["intra_regional"] + flows["trans_regional"]
    for kind in ("domestic", "intra_regional", "trans_regional"):
        out[f"evidence.flows.{kind}"] = (f"{100 * flows[kind] / classified:.1f}%", release)
    out["evidence.flows.unclassified"] = (shown(flows["unclassified"]), release)
    return out


def expected_estimates() -> Expected:
    out: Expected = {}
    for e in Estimate.objects.filter(sensitivity="public", year=YEAR, result__isnull=False):
        r = e.result
        source = {f"estimates.Estimate#{e.pk}"}
        out[f"estimates.{e.pk}.observed"] = (shown(r["n_observed"]), source)
        out[f"estimates.{e.pk}.estimate"] = (f"{r['estimate']:,.1f}", source)
        out[f"estimates.{e.pk}.lower"] = (f"{r['interval']['lower']:,.1f}", source)
        out[f"estimates.{e.pk}.upper"] = (f"{r['interval']['upper']:,.1f}", source)
    return out


def expected_cases() -> Expected:
    public = CaseRecord.objects.filter(sensitivity="public", consent_to_share=True, year=YEAR)

    def protect(n: int) -> str:
        return "<5" if 0 < n < 5 else shown(n)

    out: Expected = {"cases.total": (protect(public.count()), set())}
    counts = {
        code: public.filter(country=code).count() for code in set(public.values_list("country", flat=True))
    }
    displays = {code: protect(n) for code, n in counts.items()}
    # Complementary suppression: with exactly one "<5", the smallest other non-zero cell is withheld.
    small = [code for code, text in displays.items() if text == "<5"]
    if len(small) == 1:
        others = [code for code, n in counts.items() if code not in small and n > 0]
        if others:
            displays[min(others, key=lambda c: (counts[c], c))] = "x"
    for code, text in displays.items():
        out[f"cases.country.{code}"] = (text, set())
    return out


def expected_programmes() -> Expected:
    label = "programmes.Programme"
    published = list(Programme.objects.filter(status="published").prefetch_related("countries"))
    out: Expected = {"programmes.published": (shown(len(published)), refs(label, [p.pk for p in published]))}
    active = [
        p.pk
        for p in published
        if p.start_date
        and p.start_date <= dt.date(YEAR, 12, 31)
        and (p.end_date is None or p.end_date >= dt.date(YEAR, 1, 1))
    ]
    out["programmes.active"] = (shown(len(active)), refs(label, active))
    for code in ("prevention", "protection", "prosecution", "partnership"):
        ids = [p.pk for p in published if code in p.pillars]
        out[f"programmes.pillar.{code}"] = (shown(len(ids)), refs(label, ids))
    regions: dict[str, set[int]] = defaultdict(set)
    for p in published:
        for c in p.countries.all():
            regions[region_of(c.iso3)].add(p.pk)
    for region, ids_set in regions.items():
        out[f"programmes.region.{region}"] = (shown(len(ids_set)), refs(label, ids_set))
    for code in ("strong", "moderate", "limited", "not_assessed"):
        ids = [p.pk for p in published if p.evidence_rating == code]
        out[f"programmes.rating.{code}"] = (shown(len(ids)), refs(label, ids))
    evaluations = Evaluation.objects.filter(programme__status="published")
    elabel = "programmes.Evaluation"
    out["programmes.evaluations"] = (
        shown(evaluations.count()),
        refs(elabel, evaluations.values_list("pk", flat=True)),
    )
    in_year = evaluations.filter(date__year=YEAR).values_list("pk", flat=True)
    out["programmes.evaluations_in_year"] = (shown(len(in_year)), refs(elabel, in_year))
    for design in ("experimental", "quasi_experimental", "pre_post", "qualitative", "monitoring"):
        ids = evaluations.filter(design=design).values_list("pk", flat=True)
        out[f"programmes.design.{design}"] = (shown(len(ids)), refs(elabel, ids))
    return out


def expected_network() -> Expected:
    label = "network.Mechanism"
    mechanisms = list(Mechanism.objects.select_related("country"))
    out: Expected = {"network.mechanisms": (shown(len(mechanisms)), refs(label, [m.pk for m in mechanisms]))}
    for kind in ("rapporteur", "equivalent"):
        ids = [m.pk for m in mechanisms if m.kind == kind]
        out[f"network.kind.{kind}"] = (shown(len(ids)), refs(label, ids))
    for region in {region_of(m.country.iso3) for m in mechanisms}:
        ids = [m.pk for m in mechanisms if region_of(m.country.iso3) == region]
        out[f"network.region.{region}"] = (shown(len(ids)), refs(label, ids))
    meetings = Meeting.objects.filter(starts_on__year=YEAR).values_list("pk", flat=True)
    out["network.meetings"] = (shown(len(meetings)), refs("network.Meeting", meetings))
    notes = PracticeNote.objects.filter(created_at__year=YEAR).values_list("pk", flat=True)
    out["network.notes"] = (shown(len(notes)), refs("network.PracticeNote", notes))
    return out


def expected_appraisal(rw: ReportWorld) -> Expected:
    cycle = rw.cycle  # the latest cycle up to YEAR
    from vinculo.web.appraisal.models import Questionnaire

    submitted = Questionnaire.objects.filter(cycle=cycle, status="submitted").values_list("pk", flat=True)
    out: Expected = {
        f"appraisal.{cycle.year}.submitted": (
            shown(len(submitted)),
            refs("appraisal.Questionnaire", submitted),
        )
    }
    answers = Answer.objects.filter(questionnaire__in=submitted).exclude(status="")
    for pillar in ("prevent", "protect", "prosecute", "partner"):
        for status in ("not_started", "in_progress", "achieved", "not_applicable"):
            ids = answers.filter(action_point__pillar__code=pillar, status=status).values_list(
                "pk", flat=True
            )
            out[f"appraisal.{cycle.year}.pillar.{pillar}.{status}"] = (
                shown(len(ids)),
                refs("appraisal.Answer", ids),
            )
    return out


def expected_trustfund() -> Expected:
    label = "trustfund.LedgerEntry"
    out: Expected = {}
    in_year = LedgerEntry.objects.filter(booked_on__year=YEAR)
    for donor, currency in set(in_year.filter(kind="contribution").values_list("donor", "currency")):
        rows = in_year.filter(kind="contribution", donor=donor, currency=currency)
        total = rows.aggregate(s=Sum("amount"))["s"]
        out[f"trustfund.contribution.{donor}.{currency}"] = (
            money(total),
            refs(label, rows.values_list("pk", flat=True)),
        )
    upto = LedgerEntry.objects.filter(booked_on__lte=dt.date(YEAR, 12, 31))
    for currency in set(upto.values_list("currency", flat=True)):
        for kind, name in (("contribution", "contributed_in_year"), ("disbursement", "disbursed_in_year")):
            rows = in_year.filter(currency=currency, kind=kind)
            total = rows.aggregate(s=Sum("amount"))["s"] or Decimal(0)
            out[f"trustfund.{currency}.{name}"] = (
                money(total),
                refs(label, rows.values_list("pk", flat=True)),
            )
        mine = upto.filter(currency=currency)
        balance = (mine.filter(kind="contribution").aggregate(s=Sum("amount"))["s"] or Decimal(0)) - (
            mine.filter(kind="disbursement").aggregate(s=Sum("amount"))["s"] or Decimal(0)
        )
        out[f"trustfund.{currency}.balance_end_of_year"] = (
            money(balance),
            refs(label, mine.values_list("pk", flat=True)),
        )
    return out


def expected_events() -> Expected:
    ids = [
        e.pk
        for e in Event.objects.all()
        if e.starts_on.year == YEAR or (e.yearly and e.starts_on.year < YEAR)
    ]
    return {"events.count": (shown(len(ids)), refs("events.Event", ids))}


def check(report: Report, expected: Expected) -> None:
    values = report.values()
    assert sorted(values) == sorted(expected), set(values) ^ set(expected)
    for key, (display, records) in expected.items():
        assert values[key].display == display, key
        if records is not None:
            assert set(values[key].source.records) == records, key
        assert values[key].source.url.startswith("/"), key


def test_every_number_of_the_sg_report_matches_the_platform_data(report_world: ReportWorld) -> None:
    report = build_report("sg", YEAR, "en")
    assert report is not None
    expected: Expected = {
        **expected_treaties(),
        **expected_evidence(report_world),
        **expected_estimates(),
        **expected_cases(),
        **expected_programmes(),
        **expected_network(),
        **expected_appraisal(report_world),
        **expected_trustfund(),
        **expected_events(),
    }
    check(report, expected)
    # The fixture's known values, as a cross-check of the queries above.
    values = report.values()
    assert values["trustfund.USD.balance_end_of_year"].value == Decimal("1200.50")
    assert values["cases.total"].display == "8" and values["cases.country.IT"].display == "<5"
    assert values["programmes.published"].value == 1 and values["events.count"].value == 2


def test_a_suppressed_cell_is_never_shown_as_a_number(report_world: ReportWorld) -> None:
    report = build_report("sg", YEAR, "en")
    assert report is not None
    organ = report.values()["evidence.form.Organ removal"]
    assert organ.display == "<5" and organ.value is None and organ.suppressed
    partial = report.values()[f"evidence.victims.{2023}"]
    assert partial.value is None and partial.lower_bound == 1310 and not partial.suppressed
    italy = report.values()["cases.country.IT"]
    assert italy.value is None and italy.suppressed


def test_sections_without_data_say_so_rather_than_vanish(db: None) -> None:
    # Another test module may have stored the real Global Report export for the whole session; remove it
    # inside this test's transaction (rolled back afterwards) so that the evidence area has no data.
    from vinculo.web.evidence import services as evidence_services
    from vinculo.web.evidence.models import GlotipFigure, GlotipRelease

    GlotipFigure.objects.all().delete()
    GlotipRelease.objects.all().delete()
    evidence_services.clear_cache()
    report = build_report("sg", 2022, "en")
    assert report is not None
    keys = [s.key for s in report.sections]
    assert keys == [
        "about", "treaties", "evidence", "estimates", "cases", "programmes", "network", "appraisal", "trustfund", "events",
    ]  # fmt: skip
    for key in ("evidence", "estimates", "cases", "programmes", "trustfund", "events"):
        blocks = report.section(key).blocks
        assert any(isinstance(b, Paragraph) and b.kind == "empty" for b in blocks), key
        assert not report.section(key).has_data
    assert report.section("treaties").has_data  # the seeded treaty entries


def test_the_checksum_changes_with_the_data_and_not_with_the_day(report_world: ReportWorld) -> None:
    first = build_report("sg", YEAR, "en")
    again = build_report("sg", YEAR, "en")
    assert first is not None and again is not None
    assert first.checksum() == again.checksum()
    from vinculo.web.trustfund import actions

    actions.record_contribution(
        actor=report_world.admin,
        received_on=dt.date(YEAR, 9, 1),
        amount="5",
        currency="USD",
        donor_name="Late donor",
    )
    later = build_report("sg", YEAR, "en")
    assert later is not None and later.checksum() != first.checksum()
    assert later.values()["trustfund.contribution.Late donor.USD"].display == "5.00"
