"""Events calendar: pages, iCalendar export (escaped, folded), versions, access and audit."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from vinculo.web.audit.models import AuditEntry
from vinculo.web.events.models import Event

from ..conftest import ROLES, World

CURATORS = {"admin", "other_reviewer"}


def make(world: World, **extra: object) -> dict:  # type: ignore[type-arg]
    body = {
        "kind": "world_day",
        "title": "World Day; against, trafficking",
        "starts_on": "2025-07-30",
        "ends_on": "2025-07-30",
        "yearly": True,
        "description": "Line one\nLine two " + "x" * 120,
    }
    body.update(extra)
    response = world.client_for("admin").post(
        "/api/events", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def test_the_calendar_is_valid_icalendar_with_escaped_text_and_folded_lines(world: World) -> None:
    event = make(world)
    for url in [reverse("events:calendar"), reverse("events:ics", args=[event["id"]])]:
        response = world.client_for("anonymous").get(url)
        assert response["Content-Type"].startswith("text/calendar")
        text = response.content.decode()
        assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        unfolded = text.replace("\r\n ", "")
        assert "SUMMARY:World Day\\; against\\, trafficking" in unfolded
        assert "DESCRIPTION:Line one\\nLine two" in unfolded and "RRULE:FREQ=YEARLY" in unfolded
        assert f"UID:{event['uid']}@testserver" in unfolded


def test_dates_in_the_wrong_order_are_refused(world: World) -> None:
    response = world.client_for("admin").post(
        "/api/events",
        data=json.dumps({"title": "x", "starts_on": "2025-02-02", "ends_on": "2025-02-01"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "coordination.dates_out_of_order"
    assert not Event.objects.exists()


def test_the_second_of_two_concurrent_edits_is_refused(world: World) -> None:
    event = make(world)
    admin, reviewer = world.client_for("admin"), world.client_for("other_reviewer")
    url = f"/api/events/{event['id']}"
    assert (
        admin.patch(
            url, data=json.dumps({"version": 1, "title": "A"}), content_type="application/json"
        ).status_code
        == 200
    )
    late = reviewer.patch(url, data=json.dumps({"version": 1, "title": "B"}), content_type="application/json")
    assert late.status_code == 409 and "changed by someone else" in late.json()["error"]
    assert Event.objects.get().title == "A"
    assert AuditEntry.objects.filter(object_type="events.event", action="update").count() == 1


def test_html_in_event_text_is_escaped(world: World) -> None:
    event = make(world, title="<script>x</script>")
    page = world.client_for("anonymous").get(reverse("events:detail", args=[event["id"]])).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("who", ROLES)
def test_events_are_public_and_kept_by_curators(world: World, who: str) -> None:
    event = make(world)
    client = world.client_for(who)
    for url in [
        reverse("events:list"),
        reverse("events:detail", args=[event["id"]]),
        "/api/events",
        f"/api/events/{event['id']}",
    ]:
        assert client.get(url).status_code == 200
    expected = 200 if who in CURATORS else (302 if who == "anonymous" else 404)
    assert client.get(reverse("events:create")).status_code == expected
    assert client.get(reverse("events:edit", args=[event["id"]])).status_code == expected
    post = client.post(
        "/api/events",
        data=json.dumps({"title": "n", "starts_on": "2025-01-01", "ends_on": "2025-01-01"}),
        content_type="application/json",
    )
    assert post.status_code == (201 if who in CURATORS else 403)
    client.post(reverse("events:delete", args=[event["id"]]))
    assert Event.objects.filter(pk=event["id"]).exists() is (who not in CURATORS)
