"""Review workflow, versions, optimistic locking, bad input refused whole, and audit entries."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from vinculo.registry import ProgrammeError, WorkflowError
from vinculo.web.audit.models import AuditEntry
from vinculo.web.programmes import actions
from vinculo.web.programmes.models import Programme, ProgrammeVersion

from ..conftest import World
from .conftest import fields, make_programme


def form_data(programme: Programme | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Safe shelters for survivors",
        "original_language": "en",
        "problem_statement": "Survivors lack safe accommodation.",
        "countries": ["NGA"],
        "start_date": "2020-01-01",
        "end_date": "2022-12-31",
        "budget_amount": "1000",
        "budget_currency": "USD",
        "pillars": ["protection"],
        "evidence_rating": "not_assessed",
        "ind-TOTAL_FORMS": "1",
        "ind-INITIAL_FORMS": "0",
        "ind-0-name": "Survivors assisted",
        "ind-0-baseline": "10",
        "ind-0-target": "100",
        "ev-TOTAL_FORMS": "0",
        "ev-INITIAL_FORMS": "0",
    }
    if programme is not None:
        data["version"] = str(programme.version)
    data.update(overrides)
    return data


def test_the_review_workflow_publishes_and_returns_with_comments_the_submitter_sees(world: World) -> None:
    programme = make_programme(world, title="Workflow programme")
    author = world.client_for("owner_author")
    reviewer = world.client_for("other_reviewer")
    anonymous = world.client_for("anonymous")
    assert (
        author.post(f"/programmes/{programme.pk}/step/", {"step": "submit", "version": 1}).status_code == 302
    )
    programme.refresh_from_db()
    assert programme.status == "submitted"
    assert anonymous.get(f"/programmes/{programme.pk}/").status_code == 404
    response = reviewer.post(
        f"/programmes/{programme.pk}/step/",
        {"step": "return", "version": 2, "comment": "Add <b>indicators</b>."},
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.status == "returned"
    page = author.get(f"/programmes/{programme.pk}/").content.decode()
    assert "Add &lt;b&gt;indicators&lt;/b&gt;." in page
    api = world.client_for("owner_author").post(
        f"/api/programmes/{programme.pk}/steps",
        data=json.dumps({"step": "submit"}),
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["status"] == "submitted"
    api = world.client_for("other_reviewer").post(
        f"/api/programmes/{programme.pk}/steps",
        data=json.dumps({"step": "publish"}),
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["status"] == "published"
    assert anonymous.get(f"/programmes/{programme.pk}/").status_code == 200
    assert "Add &lt;b&gt;indicators" not in anonymous.get(f"/programmes/{programme.pk}/").content.decode()
    steps = [
        e.details.get("transition")
        for e in AuditEntry.objects.filter(object_type="programmes.programme", object_id=str(programme.pk))
        .exclude(action="view")
        .order_by("id")
    ]
    assert steps == [None, "submit", "return", "submit", "publish"]


def test_owners_cannot_publish_and_returning_needs_a_comment(world: World) -> None:
    programme = make_programme(world, status="submitted")
    response = world.client_for("owner_manager").post(
        f"/api/programmes/{programme.pk}/steps",
        data=json.dumps({"step": "publish"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "Steps open to you: none" in response.json()["error"]
    response = world.client_for("other_reviewer").post(
        f"/api/programmes/{programme.pk}/steps",
        data=json.dumps({"step": "return"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "registry.comment_required"
    programme.refresh_from_db()
    assert (programme.status, programme.version) == ("submitted", 2)
    reviewer = world.users["other_reviewer"]
    assert reviewer is not None
    with pytest.raises(WorkflowError):
        actions.transition_programme(actor=reviewer, programme=programme, name="submit")


def test_every_change_keeps_the_previous_version_as_viewable_history(world: World) -> None:
    programme = make_programme(world, title="First title")
    client = world.client_for("owner_author")
    response = client.post(f"/programmes/{programme.pk}/edit/", form_data(programme, title="Second title"))
    assert response.status_code == 302, response.content.decode()
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Second title", 2)
    old = ProgrammeVersion.objects.get(programme=programme, number=1)
    assert old.snapshot["title"] == "First title" and old.snapshot["countries"] == ["NGA"]
    assert programme.indicators.get().name == "Survivors assisted"
    history = client.get(f"/programmes/{programme.pk}/history/").content.decode()
    assert f"/programmes/{programme.pk}/history/1/" in history
    version = client.get(f"/programmes/{programme.pk}/history/1/").content.decode()
    assert "First title" in version
    entry = AuditEntry.objects.filter(action="update", object_id=str(programme.pk)).get()
    assert "title" in entry.details["changed"] and entry.details["version"] == 2


def test_the_second_of_two_concurrent_edits_is_refused_with_a_clear_message(world: World) -> None:
    programme = make_programme(world, title="Original")
    first, second = world.client_for("owner_author"), world.client_for("owner_manager")
    assert (
        first.post(f"/programmes/{programme.pk}/edit/", form_data(programme, title="First edit")).status_code
        == 302
    )
    response = second.post(f"/programmes/{programme.pk}/edit/", form_data(programme, title="Second edit"))
    assert response.status_code == 409
    text = response.content.decode()
    assert "changed by someone else" in text and "version 1" in text and "version 2" in text
    assert "Your changes were not saved" in text
    assert 'value="Second edit"' in text  # the user's input is kept to re-apply
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("First edit", 2)
    api = second.patch(
        f"/api/programmes/{programme.pk}",
        data=json.dumps({"version": 1, "title": "API edit"}),
        content_type="application/json",
    )
    assert api.status_code == 409
    assert api.json()["code"] == "conflict" and "now at version 2" in api.json()["error"]
    assert ProgrammeVersion.objects.filter(programme=programme).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"budget_currency": "XYZ"}, "budget_currency", "not an ISO 4217 currency code"),
        ({"budget_amount": "-10"}, "budget_amount", "negative"),
        (
            {"start_date": "2023-01-01", "end_date": "2022-01-01"},
            "end_date",
            "ends (2022-01-01) before it starts",
        ),
        (
            {"evidence_rating": "strong", "evidence_rationale": "trust us"},
            "evidence_rating",
            "stronger than the recorded evaluations support",
        ),
    ],
)
def test_bad_input_on_the_page_is_refused_whole_with_a_message_at_the_field(
    world: World, overrides: dict[str, str], field: str, message: str
) -> None:
    programme = make_programme(world, title="Untouched")
    client = world.client_for("owner_author")
    response = client.post(
        f"/programmes/{programme.pk}/edit/", form_data(programme, title="Changed", **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Untouched", 1)
    assert programme.indicators.count() == 0
    assert not ProgrammeVersion.objects.filter(programme=programme).exists()


@pytest.mark.parametrize(
    ("payload", "code", "message"),
    [
        (
            {"budget_amount": "12", "budget_currency": "EURO"},
            "registry.unknown_currency",
            "this value is not an ISO 4217",
        ),
        ({"budget_amount": "-1", "budget_currency": "EUR"}, "registry.negative_budget", "negative"),
        ({"start_date": "2024-02-01", "end_date": "2024-01-01"}, "registry.period_order", "before it starts"),
        ({"countries": ["NGA", "ATLANTIS"]}, "programmes.unknown_country", "this value is not a known"),
        ({"pillars": ["punishment"]}, "registry.unknown_code", "this value is not a known code"),
    ],
)
def test_bad_input_through_the_api_is_refused_whole(
    world: World, payload: dict[str, Any], code: str, message: str
) -> None:
    body = {"title": "API programme", "pillars": ["prevention"], **payload}
    response = world.client_for("owner_author").post(
        "/api/programmes", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False and data["code"] == code and message in data["error"]
    assert data["errors"][0]["code"] == code
    assert "value" not in data["errors"][0]
    for submitted in ("EURO", "ATLANTIS", "punishment"):  # API errors never echo a submitted value
        assert submitted not in response.content.decode()
    assert not Programme.objects.filter(title="API programme").exists()


def test_the_database_refuses_a_negative_budget_or_a_reversed_period_written_directly(world: World) -> None:
    from django.db import IntegrityError, transaction

    programme = make_programme(world)
    for change in ({"budget_amount": -1}, {"start_date": date(2030, 1, 1)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Programme.objects.filter(pk=programme.pk).update(**change)


def test_actions_raise_one_error_with_every_problem(world: World) -> None:
    author = world.users["owner_author"]
    assert author is not None
    with pytest.raises(ProgrammeError) as info:
        actions.create_programme(
            actor=author, fields=fields(budget_currency="XXX1", end_date=date(2019, 1, 1)), countries=["ZZZ"]
        )
    assert {i.code for i in info.value.issues} == {
        "registry.unknown_currency",
        "registry.period_order",
        "programmes.unknown_country",
    }
    assert Programme.objects.count() == 0
