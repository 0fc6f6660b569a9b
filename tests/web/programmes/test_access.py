"""Every page and API route of the programmes area × every role × every status of a programme.

Published programmes are public; the others are visible to the owning organisation's members and to
reviewers (and administrators, who review too). Only the owner's data managers and the author change
a draft or returned programme. A programme the caller may not see answers 404 like a missing one.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from vinculo.web.accounts import access
from vinculo.web.programmes.models import Programme

from ..conftest import ROLES, World

STATUSES = ["draft", "submitted", "in_review", "published", "returned"]
CURATION = {"admin", "owner_manager", "owner_author", "owner_analyst", "other_reviewer"}
SEES = {s: (set(ROLES) if s == "published" else CURATION) for s in STATUSES}
CHANGES = {s: ({"owner_manager", "owner_author"} if s in ("draft", "returned") else set()) for s in STATUSES}
CREATES = {"owner_manager", "owner_author", "owner_analyst", "partner_analyst", "other_analyst"}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("status", STATUSES)
def test_access_functions_follow_the_curation_rules(
    world: World, programmes: dict[str, Programme], who: str, status: str
) -> None:
    user = world.users[who] or AnonymousUser()
    programme = programmes[status]
    assert access.access_can_view_curated(user, programme) is (who in SEES[status])
    assert (programme in access.access_curated_visible(user, Programme.objects.all())) is (
        who in SEES[status]
    )
    assert access.access_can_change_curated(user, programme) is (who in CHANGES[status])
    assert access.access_can_read_curation(user, programme) is (who in CURATION)


@pytest.mark.parametrize("who", ROLES)
def test_list_page_and_api_show_exactly_the_visible_programmes(
    world: World, programmes: dict[str, Programme], who: str
) -> None:
    client = world.client_for(who)
    text = client.get("/programmes/").content.decode()
    found = {p["title"] for p in client.get("/api/programmes?per_page=100").json()["results"]}
    for status in STATUSES:
        assert (f"{status} programme" in text) is (who in SEES[status])
        assert (f"{status} programme" in found) is (who in SEES[status])


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("status", STATUSES)
def test_detail_answers_404_exactly_like_a_missing_programme(
    world: World, programmes: dict[str, Programme], who: str, status: str
) -> None:
    client = world.client_for(who)
    pk = programmes[status].pk
    page, api = client.get(f"/programmes/{pk}/"), client.get(f"/api/programmes/{pk}")
    expected = 200 if who in SEES[status] else 404
    assert (page.status_code, api.status_code) == (expected, expected)
    if expected == 404:
        assert api.json() == client.get("/api/programmes/999999").json()
        assert client.get("/programmes/999999/").status_code == 404
    history = client.get(f"/programmes/{pk}/history/")
    assert history.status_code == (200 if who in CURATION else 404)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("status", STATUSES)
def test_edit_page_and_api_patch_are_for_those_who_may_change(
    world: World, programmes: dict[str, Programme], who: str, status: str
) -> None:
    programme = programmes[status]
    client = world.client_for(who)
    page = client.get(f"/programmes/{programme.pk}/edit/")
    if who == "anonymous":
        assert page.status_code == 302
    else:
        assert page.status_code == (200 if who in CHANGES[status] else 404)
    patch = client.patch(
        f"/api/programmes/{programme.pk}",
        data=json.dumps({"version": programme.version, "title": "changed"}),
        content_type="application/json",
    )
    expected = 200 if who in CHANGES[status] else (403 if who in SEES[status] else 404)
    assert patch.status_code == expected, patch.content
    programme.refresh_from_db()
    assert (programme.title == "changed") is (who in CHANGES[status])


@pytest.mark.parametrize("who", ROLES)
def test_creating_is_for_members_who_may_create(world: World, who: str) -> None:
    client = world.client_for(who)
    page = client.get("/programmes/new/")
    assert page.status_code == (302 if who == "anonymous" else 200 if who in CREATES else 404)
    response = client.post(
        "/api/programmes",
        data=json.dumps({"title": "new one", "pillars": ["prevention"], "countries": ["FRA"]}),
        content_type="application/json",
    )
    assert response.status_code == (201 if who in CREATES else 403), response.content
    assert Programme.objects.filter(title="new one").exists() is (who in CREATES)
    if who in CREATES:
        user = world.users[who]
        assert user is not None
        created = Programme.objects.get(title="new one")
        assert (created.owner_id, created.status, created.version) == (user.organisation_id, "draft", 1)


@pytest.mark.parametrize("who", ROLES)
def test_review_queue_is_for_reviewers(world: World, programmes: dict[str, Programme], who: str) -> None:
    response = world.client_for(who).get("/programmes/review/")
    assert response.status_code == (200 if who in {"admin", "other_reviewer"} else 404)
    if response.status_code == 200:
        text = response.content.decode()
        assert (
            "submitted programme" in text and "in_review programme" in text and "draft programme" not in text
        )
