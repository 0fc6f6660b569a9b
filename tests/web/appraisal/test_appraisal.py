"""Appraisal: questionnaire draft then submit, versions, access, audit, dashboard with charts and tables."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from vinculo.web.accounts.models import Role
from vinculo.web.appraisal.models import ActionPoint, Cycle, Questionnaire
from vinculo.web.audit.models import AuditEntry

from ..conftest import ROLES, World, make_org, make_user

FILLERS = {"owner_manager", "owner_author", "owner_analyst"}


def start(world: World, who: str = "owner_manager") -> dict:  # type: ignore[type-arg]
    response = world.client_for(who).post("/api/appraisal/cycles/2025/questionnaires")
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def all_answers(status: str = "in_progress") -> dict[str, dict[str, object]]:
    return {
        p.code: {"status": status, "narrative": "n", "evidence_links": []} for p in ActionPoint.objects.all()
    }


def put(world: World, who: str, q: dict, **body: object):  # type: ignore[no-untyped-def,type-arg]
    return world.client_for(who).put(
        f"/api/appraisal/questionnaires/{q['id']}", data=json.dumps(body), content_type="application/json"
    )


def test_the_plan_and_cycles_are_seeded_with_provisional_points(db: None) -> None:
    assert list(Cycle.objects.order_by("year").values_list("year", flat=True)) == [2013, 2017, 2021, 2025]
    assert ActionPoint.objects.filter(provisional=True).count() == ActionPoint.objects.count() > 0


def test_a_questionnaire_is_saved_as_draft_then_submitted_and_audited(world: World) -> None:
    q = start(world)
    assert q["status"] == "draft" and len(q["answers"]) == ActionPoint.objects.count()
    code = next(iter(q["answers"]))
    draft = put(
        world,
        "owner_manager",
        q,
        version=q["version"],
        answers={
            code: {
                "status": "achieved",
                "narrative": "<b>ok</b>",
                "evidence_links": ["https://example.org/report"],
            }
        },
    )
    assert draft.status_code == 200 and draft.json()["status"] == "draft"
    incomplete = put(world, "owner_manager", q, version=draft.json()["version"], answers={}, submit=True)
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "coordination.invalid_answers"
    done = put(world, "owner_manager", q, version=draft.json()["version"], answers=all_answers(), submit=True)
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    again = put(world, "owner_manager", q, version=done.json()["version"], answers={})
    assert again.status_code == 400 and again.json()["code"] == "coordination.already_submitted"
    assert AuditEntry.objects.filter(object_type="appraisal.questionnaire", action="update").count() == 2
    page = (
        world.client_for("other_reviewer")
        .get(reverse("appraisal:questionnaire", args=[q["id"]]))
        .content.decode()
    )
    assert "&lt;b&gt;ok&lt;/b&gt;" not in page or "<b>ok</b>" not in page
    assert AuditEntry.objects.filter(
        object_type="appraisal.questionnaire", action="view", actor_username="other_reviewer"
    ).exists()


def test_the_second_of_two_concurrent_saves_is_refused(world: World) -> None:
    q = start(world)
    code = next(iter(q["answers"]))
    first = put(world, "owner_manager", q, version=q["version"], answers={code: {"status": "achieved"}})
    second = put(world, "owner_author", q, version=q["version"], answers={code: {"status": "not_started"}})
    assert first.status_code == 200 and second.status_code == 409
    assert "changed by someone else" in second.json()["error"]
    page = world.client_for("owner_author").post(
        reverse("appraisal:questionnaire", args=[q["id"]]),
        {"version": q["version"], f"status-{code}": "not_started"},
    )
    assert page.status_code == 409 and "changed by someone else" in page.content.decode()


def test_bad_links_and_statuses_are_refused(world: World) -> None:
    q = start(world)
    code = next(iter(q["answers"]))
    bad = put(
        world,
        "owner_manager",
        q,
        version=q["version"],
        answers={code: {"status": "achieved", "evidence_links": ["javascript:alert(1)"]}},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "coordination.invalid_answers"
    assert (
        put(world, "owner_manager", q, version=q["version"], answers={code: {"status": "done"}}).status_code
        == 422
    )


@pytest.mark.parametrize("who", ROLES)
def test_questionnaires_follow_the_access_rules(world: World, who: str) -> None:
    q = start(world)
    client = world.client_for(who)
    own = who in FILLERS
    assert client.get(f"/api/appraisal/questionnaires/{q['id']}").status_code == (200 if own else 404)
    assert client.get(reverse("appraisal:questionnaire", args=[q["id"]])).status_code == (
        200 if own else (302 if who == "anonymous" else 404)
    )
    put(world, "owner_manager", q, version=q["version"], answers=all_answers(), submit=True)
    sees_submitted = own or who in ("admin", "other_reviewer")
    assert client.get(f"/api/appraisal/questionnaires/{q['id']}").status_code == (
        200 if sees_submitted else 404
    )
    for url in [
        reverse("appraisal:dashboard"),
        reverse("appraisal:plan"),
        "/api/appraisal/pillars",
        "/api/appraisal/dashboard",
    ]:
        assert client.get(url).status_code == 200
    assert client.get(reverse("appraisal:questionnaires")).status_code == (302 if who == "anonymous" else 200)
    can_start = who in FILLERS | {"partner_analyst", "other_analyst"}
    response = client.post("/api/appraisal/cycles/2025/questionnaires")
    assert response.status_code == (201 if can_start else 403)
    point = ActionPoint.objects.first()
    assert point is not None
    patch = client.patch(
        f"/api/appraisal/action-points/{point.code}",
        data=json.dumps({"version": point.version, "text": "Corrected", "provisional": False}),
        content_type="application/json",
    )
    assert patch.status_code == (200 if who == "admin" else 403)
    assert client.get(reverse("appraisal:point_edit", args=[point.pk])).status_code == (
        200 if who == "admin" else (302 if who == "anonymous" else 404)
    )


def test_the_dashboard_counts_submitted_answers_by_pillar_region_and_cycle(world: World) -> None:
    from vinculo.web.core.models import Country

    # Three organisations in Africa (the region comes from the ISO3 code of each one's country).
    for org, iso3 in ((world.owner, "NGA"), (world.partner, "GHA"), (world.other, "KEN")):
        org.country = Country.objects.get(iso3=iso3)
        org.save()
    for who in ("owner_manager", "partner_analyst", "other_analyst"):
        world.users[who].refresh_from_db()  # type: ignore[union-attr]
        q = start(world, who)
        put(world, who, q, version=q["version"], answers=all_answers("achieved"), submit=True)
    drafter = make_user("draft_analyst", make_org("Draft Agency"), Role.ANALYST)
    world.users["draft_analyst"] = drafter
    start(world, "draft_analyst")  # a draft never counts
    page = world.client_for("anonymous").get(reverse("appraisal:dashboard"), {"cycle": 2025}).content.decode()
    assert page.count("<svg") == 3 and "Africa" in page
    body = world.client_for("anonymous").get("/api/appraisal/dashboard", {"cycle": 2025}).json()
    achieved_column = body["tables"]["pillar"][0].index("Achieved")
    assert (
        sum(int(row[achieved_column]) for row in body["tables"]["pillar"][1:])
        == 3 * ActionPoint.objects.count()
    )
    assert body["submitted"] == 3 and body["withheld"] == ""
    csv_text = (
        world.client_for("anonymous")
        .get(reverse("appraisal:dashboard"), {"cycle": 2025, "format": "csv", "table": "region"})
        .content.decode()
    )
    assert "Africa" in csv_text
    assert Questionnaire.objects.count() == 4


def test_answers_are_refused_once_the_cycle_is_closed(world: World) -> None:
    q = start(world)
    Cycle.objects.filter(year=2025).update(is_open=False)
    closed = put(world, "owner_manager", q, version=q["version"], answers=all_answers(), submit=True)
    assert closed.status_code == 400 and closed.json()["code"] == "coordination.cycle_closed"
    assert not Questionnaire.objects.get(pk=q["id"]).submitted
