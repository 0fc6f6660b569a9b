"""The appraisal shows aggregates only of enough organisations (issue 9, finding 10).

With fewer than ``VINCULO_APPRAISAL_MIN_ORGANISATIONS`` (3) responding organisations a cycle shows no
progress at all, in the dashboard page, its CSV tables, the API and the reports, but a note saying why;
a region with fewer is pooled with others so that it cannot be read from the totals either.
"""

from __future__ import annotations

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from vinculo.coordination import pool_small_groups
from vinculo.web.accounts.models import Organisation, OrganisationKind, Role, User
from vinculo.web.appraisal.models import ActionPoint, Cycle
from vinculo.web.core.models import Country
from vinculo.web.reports.render import render_html
from vinculo.web.reports.services import build_report

from ..conftest import World, make_org, make_user

YEAR = 2025


def answer(user: User, status: str = "achieved") -> None:
    from vinculo.web.appraisal import actions

    cycle = Cycle.objects.get(year=YEAR)
    q = actions.start_questionnaire(actor=user, cycle=cycle)
    actions.save_answers(
        actor=user,
        questionnaire_id=q.pk,
        expected_version=q.version,
        answers={
            p.code: {"status": status, "narrative": "PRIVATE-NARRATIVE"} for p in ActionPoint.objects.all()
        },
        submit=True,
    )


def state(name: str, iso3: str) -> User:
    org: Organisation = make_org(name, OrganisationKind.MEMBER_STATE)
    org.country = Country.objects.get(iso3=iso3)
    org.save()
    return make_user(f"analyst_{iso3.lower()}", org, Role.ANALYST)


def dashboard(world: World) -> tuple[str, dict]:  # type: ignore[type-arg]
    client = world.client_for("anonymous")
    page = client.get(reverse("appraisal:dashboard"), {"cycle": YEAR}).content.decode()
    body = client.get("/api/appraisal/dashboard", {"cycle": YEAR}).json()
    return page, body


@pytest.fixture
def cycle_open(world: World) -> World:
    Cycle.objects.filter(year=YEAR).update(is_open=True)
    return world


def test_one_or_two_organisations_answers_are_never_shown(cycle_open: World) -> None:
    world = cycle_open
    points = ActionPoint.objects.count()
    answer(state("Agency Nigeria", "NGA"))
    for expected_count in (1, 2):
        page, body = dashboard(world)
        assert body["submitted"] == expected_count and body["minimum_organisations"] == 3
        assert (
            "at least 3 organisations" in body["withheld"] and f"so far {expected_count}" in body["withheld"]
        )
        assert set(body["tables"]) == {"cycle"} and len(body["tables"]["cycle"]) == 1  # header only
        assert page.count("<svg") == 0 and 'id="appraisal-withheld"' in page
        csv_answer = world.client_for("anonymous").get(
            reverse("appraisal:dashboard"), {"cycle": YEAR, "format": "csv", "table": "pillar"}
        )
        assert csv_answer["Content-Type"].startswith("text/html")  # no table to download
        report = build_report("appraisal", YEAR, "en")
        assert report is not None and not report.section("by_pillar").has_data
        html = render_html(report)
        assert "at least 3 organisations" in html
        assert not any(".pillar." in k or ".region." in k or ".point." in k for k in report.values())
        assert not any(k.startswith(f"appraisal.cycles.{YEAR}.") for k in report.values())
        if expected_count == 1:
            answer(state("Agency Ghana", "GHA"), "in_progress")
    answer(state("Agency Kenya", "KEN"), "not_started")
    page, body = dashboard(world)
    assert body["withheld"] == "" and set(body["tables"]) == {"pillar", "region", "cycle"}
    assert page.count("<svg") == 3 and 'id="appraisal-withheld"' not in page
    _header, *rows = body["tables"]["pillar"]
    total = sum(int(cell) for row in rows for cell in row[1:])
    assert total == 3 * points
    assert "PRIVATE-NARRATIVE" not in page + json.dumps(body)


def test_a_region_with_too_few_organisations_is_pooled(cycle_open: World) -> None:
    world = cycle_open
    for name, iso3 in (
        ("A1", "NGA"),
        ("A2", "GHA"),
        ("A3", "KEN"),
        ("E1", "ITA"),
        ("E2", "FRA"),
        ("E3", "DEU"),
    ):
        answer(state(f"Agency {name}", iso3))
    answer(state("Agency Peru", "PER"), "in_progress")  # the only organisation in the Americas
    _page, body = dashboard(world)
    regions = [row[0] for row in body["tables"]["region"][1:]]
    assert "Americas" not in regions and "Other regions (pooled)" in regions
    # The pool took the smallest other region too, so the Americas cannot be read as total - the rest.
    assert regions == ["Europe", "Other regions (pooled)"]
    report = build_report("appraisal", YEAR, "en")
    assert report is not None
    table = next(b for b in report.section("by_region").blocks if hasattr(b, "rows"))
    assert [row[0] for row in table.rows] == ["Europe", "Other regions (pooled)"]  # type: ignore[attr-defined]


def test_the_minimum_is_a_setting(cycle_open: World) -> None:
    answer(state("Agency Nigeria", "NGA"))
    answer(state("Agency Italy", "ITA"))
    with override_settings(VINCULO_APPRAISAL_MIN_ORGANISATIONS=2):
        _page, body = dashboard(cycle_open)
        assert body["withheld"] == "" and body["minimum_organisations"] == 2
        # Each region has one organisation: both are pooled.
        assert [row[0] for row in body["tables"]["region"][1:]] == ["Other regions (pooled)"]
    with override_settings(VINCULO_APPRAISAL_MIN_ORGANISATIONS=1):  # one organisation is never enough
        _page, body = dashboard(cycle_open)
        assert body["minimum_organisations"] == 2


def test_the_sg_report_withholds_the_appraisal_of_too_few_organisations(cycle_open: World) -> None:
    answer(state("Agency Nigeria", "NGA"))
    report = build_report("sg", YEAR, "en")
    assert report is not None
    values = report.values()
    assert values[f"appraisal.{YEAR}.submitted"].value == 1
    assert not any(k.startswith(f"appraisal.{YEAR}.pillar.") for k in values)
    assert "at least 3 organisations" in render_html(report)


def test_pooling_leaves_no_small_group_and_no_small_difference() -> None:
    assert pool_small_groups({"a": {1, 2, 3}, "b": {4, 5, 6}}, 3, "pool") == {"a": "a", "b": "b"}
    assert pool_small_groups({"a": {1, 2, 3}, "b": {4}}, 3, "pool") == {"a": "pool", "b": "pool"}
    shown = pool_small_groups({"a": range(5), "b": range(4), "c": [1], "d": [1, 2], "e": []}, 3, "pool")
    assert shown == {"a": "a", "b": "b", "c": "pool", "d": "pool"}
    assert pool_small_groups({"a": [1]}, 3, "pool") == {"a": "pool"}
