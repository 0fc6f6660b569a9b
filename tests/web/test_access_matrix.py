"""Every view and API route of the information exchange × every role × public, internal and restricted records.

The expected answers are written out from the rules in ``vinculo.web.accounts.access``: a record the
caller may not see answers 404 exactly like a record that does not exist.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from vinculo.web.accounts import access
from vinculo.web.exchange.models import Notice

from .conftest import ROLES, World

SEES = {
    "public": set(ROLES),
    "internal": set(ROLES) - {"anonymous"},
    "restricted": {"owner_manager", "owner_author", "owner_analyst", "partner_analyst"},
}
CHANGES = {"owner_manager", "owner_author"}
CREATES = {"owner_manager", "owner_author", "owner_analyst", "partner_analyst", "other_analyst"}
SENSITIVITIES = ["public", "internal", "restricted"]


def _page_body(content: bytes, object_id: str) -> str:
    """The page without its per-response CSRF token and without the requested id."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())
    return text.replace(object_id, "")


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("sensitivity", SENSITIVITIES)
def test_access_functions_follow_the_rules(world: World, who: str, sensitivity: str) -> None:
    user = world.users[who]
    from django.contrib.auth.models import AnonymousUser

    actor = user if user is not None else AnonymousUser()
    notice = world.notices[sensitivity]
    assert access.access_can_view(actor, notice) is (who in SEES[sensitivity])
    visible = access.access_visible(actor, Notice.objects.all())
    assert (notice in visible) is (who in SEES[sensitivity])
    assert access.access_can_change(actor, notice) is (who in CHANGES)
    assert access.access_can_create(actor) is (who in CREATES)


@pytest.mark.parametrize("who", ROLES)
def test_list_page_shows_exactly_the_visible_notices(world: World, who: str) -> None:
    response = world.client_for(who).get(reverse("exchange:list"))
    assert response.status_code == 200
    text = response.content.decode()
    for sensitivity in SENSITIVITIES:
        assert (f"{sensitivity} notice" in text) is (who in SEES[sensitivity])


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("sensitivity", SENSITIVITIES)
def test_detail_page_answers_404_when_the_caller_may_not_see(
    world: World, who: str, sensitivity: str
) -> None:
    notice = world.notices[sensitivity]
    response = world.client_for(who).get(reverse("exchange:detail", args=[notice.pk]))
    assert response.status_code == (200 if who in SEES[sensitivity] else 404)
    if response.status_code == 404:
        missing = world.client_for(who).get(reverse("exchange:detail", args=[999_999]))
        assert missing.status_code == 404
        assert _page_body(missing.content, "999999") == _page_body(response.content, str(notice.pk))


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("sensitivity", SENSITIVITIES)
def test_edit_page_is_only_for_those_who_may_change(world: World, who: str, sensitivity: str) -> None:
    notice = world.notices[sensitivity]
    response = world.client_for(who).get(reverse("exchange:edit", args=[notice.pk]))
    if who == "anonymous":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == (200 if who in CHANGES else 404)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("sensitivity", SENSITIVITIES)
def test_delete_is_only_for_those_who_may_change(world: World, who: str, sensitivity: str) -> None:
    notice = world.notices[sensitivity]
    response = world.client_for(who).post(reverse("exchange:delete", args=[notice.pk]))
    still_there = Notice.objects.filter(pk=notice.pk).exists()
    if who in CHANGES:
        assert response.status_code == 302
        assert not still_there
    else:
        assert response.status_code in (302, 404)  # anonymous is sent to sign in
        assert still_there


@pytest.mark.parametrize("who", ROLES)
def test_create_page_is_only_for_members_who_may_create(world: World, who: str) -> None:
    response = world.client_for(who).get(reverse("exchange:create"))
    if who == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if who in CREATES else 404)


@pytest.mark.parametrize("who", ROLES)
def test_api_list_returns_exactly_the_visible_notices(world: World, who: str) -> None:
    response = world.client_for(who).get("/api/notices")
    assert response.status_code == 200
    titles = {n["title"] for n in response.json()}
    assert titles == {f"{s} notice" for s in SENSITIVITIES if who in SEES[s]}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("sensitivity", SENSITIVITIES)
def test_api_detail_answers_the_same_404_for_hidden_and_missing(
    world: World, who: str, sensitivity: str
) -> None:
    notice = world.notices[sensitivity]
    client = world.client_for(who)
    response = client.get(f"/api/notices/{notice.pk}")
    if who in SEES[sensitivity]:
        assert response.status_code == 200
        assert response.json()["title"] == f"{sensitivity} notice"
    else:
        assert response.status_code == 404
        assert response.json() == client.get("/api/notices/999999").json()


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("sensitivity", SENSITIVITIES)
def test_api_patch_and_delete_follow_the_rules(world: World, who: str, sensitivity: str) -> None:
    notice = world.notices[sensitivity]
    client = world.client_for(who)
    patch = client.patch(
        f"/api/notices/{notice.pk}", data=json.dumps({"title": "changed"}), content_type="application/json"
    )
    expected = 200 if who in CHANGES else (403 if who in SEES[sensitivity] else 404)
    assert patch.status_code == expected, patch.content
    notice.refresh_from_db()
    assert (notice.title == "changed") is (who in CHANGES)
    delete = client.delete(f"/api/notices/{notice.pk}")
    assert delete.status_code == (204 if who in CHANGES else expected)
    assert Notice.objects.filter(pk=notice.pk).exists() is (who not in CHANGES)


@pytest.mark.parametrize("who", ROLES)
def test_api_create_is_only_for_members_who_may_create(world: World, who: str) -> None:
    payload = {"title": "new", "body": "text", "sensitivity": "restricted"}
    response = world.client_for(who).post(
        "/api/notices", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == (201 if who in CREATES else 403)
    assert Notice.objects.filter(title="new").exists() is (who in CREATES)
    if who in CREATES:
        user = world.users[who]
        assert user is not None
        assert Notice.objects.get(title="new").owner_id == user.organisation_id


@pytest.mark.parametrize("who", ROLES)
def test_audit_pages_and_api_are_for_administrators_only(world: World, who: str) -> None:
    client = world.client_for(who)
    page = client.get(reverse("audit:list"))
    export = client.get(reverse("audit:export"))
    api = client.get("/api/audit")
    if who == "admin":
        assert (page.status_code, export.status_code, api.status_code) == (200, 200, 200)
    else:
        assert page.status_code == export.status_code == api.status_code == 404


@pytest.mark.parametrize("who", ROLES)
def test_people_pages_are_for_administrators_only(world: World, who: str) -> None:
    client = world.client_for(who)
    target = world.users["other_analyst"]
    assert target is not None
    pages = [client.get(reverse("accounts:people")), client.get(reverse("accounts:person", args=[target.pk]))]
    for response in pages:
        if who == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if who == "admin" else 404)


@pytest.mark.parametrize("who", ROLES)
def test_public_pages_answer_everyone(world: World, who: str) -> None:
    client = world.client_for(who)
    for url in [
        "/",
        reverse("accounts:organisations"),
        reverse("accounts:organisation", args=[world.owner.pk]),
    ]:
        assert client.get(url).status_code == 200
    assert client.get("/api/organisations").status_code == 200
    assert client.get("/api/countries").status_code == 200
    me = client.get("/api/me")
    assert me.status_code == (404 if who == "anonymous" else 200)


def test_members_of_a_deactivated_organisation_lose_their_rights(world: World) -> None:
    world.owner.is_active = False
    world.owner.save(update_fields=["is_active"])
    client = world.client_for("owner_manager")
    notice = world.notices["restricted"]
    assert client.get(reverse("exchange:detail", args=[notice.pk])).status_code == 404
    assert client.get(f"/api/notices/{notice.pk}").status_code == 404
    response = client.post(
        "/api/notices", data=json.dumps({"title": "t", "body": "b"}), content_type="application/json"
    )
    assert response.status_code == 403
    world.partner.is_active = False
    world.partner.save(update_fields=["is_active"])
    assert world.client_for("partner_analyst").get(f"/api/notices/{notice.pk}").status_code == 404
