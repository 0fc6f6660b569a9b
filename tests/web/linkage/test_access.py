"""Who sees what of an exercise: another organisation, an administrator and an anonymous visitor see
nothing of it; nobody outside a record's organisation reads its identifiers, by any route."""

from __future__ import annotations

import pytest

from vinculo.web.linkage.models import Exercise, LinkPair

from .conftest import NAMES, LinkageWorld
from .test_flow import open_and_contribute, run


def _urls(exercise: Exercise) -> list[str]:
    pk = exercise.pk
    return [
        f"/linkage/{pk}/",
        f"/linkage/{pk}/status.json",
        f"/linkage/{pk}/records/",
        f"/linkage/{pk}/review/",
        f"/linkage/{pk}/contribute/",
        f"/api/linkage/{pk}",
        f"/api/linkage/{pk}/records",
        f"/api/linkage/{pk}/pairs",
    ]


@pytest.mark.parametrize("who", ["anonymous", "admin", "other_analyst", "other_manager", "other_reviewer"])
def test_outsiders_see_nothing_of_an_exercise(lw: LinkageWorld, who: str) -> None:
    exercise = run(lw, open_and_contribute(lw))
    client = lw.client(who)
    for url in _urls(exercise):
        response = client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)
        assert not [n for n in NAMES if n in response.content.decode()]
    listed = client.get("/api/linkage")
    assert listed.status_code == 200 and listed.json() == []
    assert "Shelter and police" not in client.get("/linkage/").content.decode()
    for url in (
        f"/linkage/{exercise.pk}/run/",
        f"/linkage/{exercise.pk}/estimate/",
        f"/linkage/{exercise.pk}/invite/",
    ):
        assert client.post(url).status_code in (302, 404)
    pair = LinkPair.objects.first()
    assert pair is not None
    response = client.post(
        f"/api/linkage/{exercise.pk}/pairs/{pair.pk}", {"decision": "match"}, content_type="application/json"
    )
    assert response.status_code in (401, 403, 404)
    pair.refresh_from_db()
    assert pair.decision == ""


@pytest.mark.parametrize("who", ["partner_manager", "partner_analyst", "owner_analyst", "owner_manager"])
def test_participants_never_read_another_organisations_identifiers(lw: LinkageWorld, who: str) -> None:
    from .conftest import OWNER_ROWS, PARTNER_ROWS

    exercise = run(lw, open_and_contribute(lw))
    own_rows = OWNER_ROWS if who.startswith("owner") else PARTNER_ROWS
    others = {v for row in (PARTNER_ROWS if who.startswith("owner") else OWNER_ROWS) for v in row[1:4]}
    others -= {v for row in own_rows for v in row[1:4]}  # names both organisations hold
    client = lw.client(who)
    for url in _urls(exercise):
        text = client.get(url).content.decode()
        assert not [n for n in others if n in text], url
    # Only the owning organisation's data manager reads its own identifiers (in clerical review).
    review = client.get(f"/linkage/{exercise.pk}/review/").content.decode()
    assert ("Zenobia" in review) == (who == "owner_manager")


def test_a_participant_cannot_run_or_invite(lw: LinkageWorld) -> None:
    exercise = open_and_contribute(lw)
    partner = lw.client("partner_manager")
    assert partner.post(f"/api/linkage/{exercise.pk}/run", content_type="application/json").status_code == 403
    response = partner.post(
        f"/api/linkage/{exercise.pk}/invitations",
        {"organisations": [lw.world.other.pk]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert exercise.participants.count() == 2


def test_a_declined_invitation_hides_the_exercise(lw: LinkageWorld) -> None:
    exercise = open_and_contribute(lw)
    lw.client("owner_manager").post(
        f"/api/linkage/{exercise.pk}/invitations",
        {"organisations": [lw.world.other.pk]},
        content_type="application/json",
    )
    other = lw.client("other_manager")
    assert other.get(f"/api/linkage/{exercise.pk}").status_code == 200
    response = other.post(
        f"/api/linkage/{exercise.pk}/answer", {"accept": False}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert other.get(f"/api/linkage/{exercise.pk}").status_code == 404
