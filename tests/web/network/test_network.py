"""Network of national rapporteurs: contacts for members only, meetings, PDF documents, notes, access, audit."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vinculo.web.accounts import access
from vinculo.web.accounts.models import OrganisationKind, Role
from vinculo.web.audit.models import AuditEntry
from vinculo.web.core.models import Country
from vinculo.web.network import actions
from vinculo.web.network.models import Mechanism, Meeting, MeetingDocument

from ..conftest import ROLES, World, make_org, make_user

MEMBERS = {"admin", "rapporteur"}
ALL = [*ROLES, "rapporteur"]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def net(world: World) -> World:
    office = make_org("Rapporteur Office", OrganisationKind.RAPPORTEUR)
    world.users["rapporteur"] = make_user("rapporteur", office, Role.ANALYST)
    admin = world.users["admin"]
    assert admin is not None
    actions.create_mechanism(
        actor=admin,
        fields={
            "country": Country.objects.get(iso3="NLD"),
            "organisation": office,
            "kind": "rapporteur",
            "mandate": "Monitors <i>policy</i>",
            "independence": "independent",
            "contact_email": "secret@example.org",
        },
    )
    actions.create_meeting(
        actor=admin,
        fields={
            "title": "Annual meeting",
            "starts_on": __import__("datetime").date(2025, 3, 1),
            "ends_on": __import__("datetime").date(2025, 3, 2),
            "minutes": "minutes text",
        },
        participants=[office],
    )
    return world


@pytest.mark.parametrize("who", ALL)
def test_network_membership_is_for_rapporteur_organisations_and_administrators(net: World, who: str) -> None:
    user = net.users[who]
    assert access.access_is_network_member(user if user is not None else AnonymousUser()) is (who in MEMBERS)


@pytest.mark.parametrize("who", ALL)
def test_contact_details_are_shown_only_to_network_members_and_each_view_is_audited(
    net: World, who: str
) -> None:
    mechanism = Mechanism.objects.get()
    client = net.client_for(who)
    page = client.get(reverse("network:detail", args=[mechanism.pk]))
    assert page.status_code == 200
    assert ("secret@example.org" in page.content.decode()) is (who in MEMBERS)
    assert "&lt;i&gt;policy&lt;/i&gt;" in page.content.decode()
    api = client.get(f"/api/network/{mechanism.pk}").json()
    assert (api["contact"] is not None) is (who in MEMBERS)
    listing = client.get("/api/network").json()
    assert (listing[0]["contact"] is not None) is (who in MEMBERS)
    assert "secret@example.org" not in client.get(reverse("network:list")).content.decode()
    views = AuditEntry.objects.filter(action="view", object_type="network.mechanism")
    assert views.exists() is (who in MEMBERS)
    assert all("secret" not in json.dumps(v.details) for v in views)


@pytest.mark.parametrize("who", ALL)
def test_meetings_and_documents_are_for_network_members(net: World, who: str) -> None:
    meeting = Meeting.objects.get()
    admin = net.users["admin"]
    assert admin is not None
    document = actions.add_document(actor=admin, meeting=meeting, title="Agenda", name="agenda.pdf", data=PDF)
    client = net.client_for(who)
    member = who in MEMBERS
    for url in [
        reverse("network:meetings"),
        reverse("network:meeting", args=[meeting.pk]),
        reverse("network:meeting_create"),
        reverse("network:document_upload", args=[meeting.pk]),
    ]:
        assert client.get(url).status_code == (200 if member else (302 if who == "anonymous" else 404)), url
    download = client.get(reverse("network:document", args=[document.pk]))
    assert download.status_code == (200 if member else (302 if who == "anonymous" else 404))
    if member:
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert client.get("/api/network/meetings").status_code == (200 if member else 404)
    for url in [reverse("network:list"), reverse("network:notes"), "/api/network/notes"]:
        assert client.get(url).status_code == 200
    note = client.post(
        "/api/network/notes",
        data=json.dumps({"title": "t", "text": "x", "countries": ["NLD"]}),
        content_type="application/json",
    )
    assert note.status_code == (201 if who == "rapporteur" else 403)
    note_page = client.get(reverse("network:note_create")).status_code
    assert note_page == (
        200 if who == "rapporteur" else (302 if who == "anonymous" else 404)
    )  # an author needs an organisation
    assert client.get(reverse("network:create")).status_code == (
        200 if who == "admin" else (302 if who == "anonymous" else 404)
    )


def test_an_upload_that_is_not_a_pdf_is_refused_whatever_its_name(net: World) -> None:
    meeting = Meeting.objects.get()
    client = net.client_for("rapporteur")
    url = reverse("network:document_upload", args=[meeting.pk])
    bad = client.post(
        url,
        {
            "title": "x",
            "file": SimpleUploadedFile("x.pdf", b"<html><script>1</script>", content_type="application/pdf"),
        },
    )
    assert bad.status_code == 400 and "not a PDF" in bad.content.decode()
    good = client.post(
        url, {"title": "Minutes", "file": SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")}
    )
    assert good.status_code == 302
    doc = MeetingDocument.objects.get()
    assert doc.size == len(PDF)
    assert AuditEntry.objects.filter(action="create", object_type="network.meetingdocument").count() == 1


def test_meeting_dates_in_the_wrong_order_and_unknown_countries_are_refused(net: World) -> None:
    client = net.client_for("rapporteur")
    response = client.post(
        reverse("network:meeting_create"), {"title": "x", "starts_on": "2025-05-02", "ends_on": "2025-05-01"}
    )
    assert response.status_code == 400 and "before starts_on" in response.content.decode()
    assert Meeting.objects.count() == 1
    note = client.post(
        "/api/network/notes",
        data=json.dumps({"title": "t", "text": "x", "countries": ["ZZZ"]}),
        content_type="application/json",
    )
    assert (
        note.status_code == 400
        and note.json()["error"].startswith("countries[0]:")
        and "ZZZ" not in note.json()["error"]
    )


def test_the_second_of_two_concurrent_mechanism_edits_is_refused(net: World) -> None:
    mechanism = Mechanism.objects.get()
    admin = net.users["admin"]
    assert admin is not None
    actions.update_mechanism(
        actor=admin, mechanism_id=mechanism.pk, expected_version=1, fields={"mandate": "A"}
    )
    from vinculo.web.treaties.actions import StaleVersionError

    with pytest.raises(StaleVersionError, match="changed by someone else"):
        actions.update_mechanism(
            actor=admin, mechanism_id=mechanism.pk, expected_version=1, fields={"mandate": "B"}
        )
    mechanism.refresh_from_db()
    assert mechanism.mandate == "A"


def test_the_state_page_links_its_national_rapporteur(net: World) -> None:
    page = net.client_for("anonymous").get(reverse("treaties:state", args=["NLD"])).content.decode()
    assert reverse("network:detail", args=[Mechanism.objects.get().pk]) in page
