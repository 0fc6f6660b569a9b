"""The appraisal report (src/vinculo/web/reports/appraisal_report.py): every number against the answers."""

from __future__ import annotations

from collections import defaultdict

from vinculo.coordination import region_of
from vinculo.web.appraisal.models import ActionPoint, Answer, Cycle, Questionnaire
from vinculo.web.reports.render import render_html
from vinculo.web.reports.services import build_report

from .conftest import SECRET, ReportWorld

STATUSES = ("not_started", "in_progress", "achieved", "not_applicable")


def refs(label: str, ids: object) -> set[str]:
    return {f"{label}#{pk}" for pk in ids}  # type: ignore[attr-defined]


def test_every_number_of_the_appraisal_report_matches_the_submitted_answers(
    report_world: ReportWorld,
) -> None:
    year = report_world.cycle.year
    report = build_report("appraisal", year, "en")
    assert report is not None
    submitted = list(Questionnaire.objects.filter(cycle__year=year, status="submitted"))
    answers = list(
        Answer.objects.filter(questionnaire__in=submitted)
        .exclude(status="")
        .select_related("action_point__pillar", "questionnaire__country")
    )
    expected: dict[str, tuple[int, set[str]]] = {
        f"appraisal.{year}.submitted": (
            len(submitted),
            refs("appraisal.Questionnaire", [q.pk for q in submitted]),
        ),
        f"appraisal.{year}.with_country": (
            sum(1 for q in submitted if q.country_id),
            refs("appraisal.Questionnaire", [q.pk for q in submitted if q.country_id]),
        ),
        f"appraisal.{year}.states": (
            len({q.country_id for q in submitted if q.country_id}),
            refs("core.Country", {q.country_id for q in submitted if q.country_id}),
        ),
    }
    points = list(ActionPoint.objects.all())
    provisional = [p.pk for p in points if p.provisional]
    expected["appraisal.points"] = (len(points), refs("appraisal.ActionPoint", [p.pk for p in points]))
    expected["appraisal.points_provisional"] = (len(provisional), refs("appraisal.ActionPoint", provisional))
    groups: dict[str, list[int]] = defaultdict(list)
    for a in answers:
        region = region_of(a.questionnaire.country.iso3 if a.questionnaire.country else "") or "none"
        groups[f"appraisal.{year}.pillar.{a.action_point.pillar.code}.{a.status}"].append(a.pk)
        groups[f"appraisal.{year}.region.{region}.{a.status}"].append(a.pk)
        groups[f"appraisal.{year}.point.{a.action_point.code}.{a.status}"].append(a.pk)
    for p in points:
        for s in STATUSES:
            groups[f"appraisal.{year}.pillar.{p.pillar.code}.{s}"] += []
            groups[f"appraisal.{year}.point.{p.code}.{s}"] += []
    for region_key in {k.split(".")[3] for k in groups if ".region." in k}:
        for s in STATUSES:
            groups[f"appraisal.{year}.region.{region_key}.{s}"] += []
    for c in Cycle.objects.all():
        mine = Questionnaire.objects.filter(cycle=c, status="submitted")
        if mine.count() < 3:
            continue  # cycles with fewer than 3 responding organisations are left out of the comparison
        expected[f"appraisal.{c.year}.submitted"] = (
            mine.count(),
            refs("appraisal.Questionnaire", mine.values_list("pk", flat=True)),
        )
        for s in STATUSES:
            ids = Answer.objects.filter(questionnaire__in=mine, status=s).values_list("pk", flat=True)
            groups[f"appraisal.cycles.{c.year}.{s}"] = list(ids)
    for key, ids in groups.items():
        expected[key] = (len(ids), refs("appraisal.Answer", ids))
    values = report.values()
    assert sorted(values) == sorted(expected), set(values) ^ set(expected)
    for key, (n, records) in expected.items():
        assert values[key].value == n and values[key].display == f"{n:,}", key
        assert set(values[key].source.records) == records, key


def test_no_narrative_or_organisation_reaches_the_appraisal_report(report_world: ReportWorld) -> None:
    report = build_report("appraisal", report_world.cycle.year, "en")
    assert report is not None
    html = render_html(report)
    assert SECRET not in html and "Rapporteur Office" not in html and "Owner Shelter" not in html


def test_a_cycle_without_submitted_questionnaires_says_so(report_world: ReportWorld) -> None:
    report = build_report("appraisal", 2017, "en")
    assert report is not None
    assert not report.section("by_pillar").has_data
    assert report.values()["appraisal.2017.submitted"].value == 0
