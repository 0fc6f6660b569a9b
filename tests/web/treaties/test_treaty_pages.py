"""Treaty status: seed data, world table, regions, State page, edits with versions, confirmation, API, access."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from vinculo.web.audit.models import AuditEntry
from vinculo.web.treaties.models import TreatyEntry, TreatyEntryVersion

from ..conftest import ROLES, World

CURATORS = {"admin", "other_reviewer"}


def test_the_seed_gives_every_member_state_two_unconfirmed_entries_with_sources(db: None) -> None:
    assert TreatyEntry.objects.count() == 2 * 193
    assert not TreatyEntry.objects.filter(confirmed_at__isnull=False).exists()
    assert TreatyEntryVersion.objects.filter(version=1).count() == 2 * 193
    year_only = TreatyEntry.objects.filter(action_precision="year")
    assert year_only.exists() and not year_only.exclude(source="kelley_simmons_2015").exists()
    assert not TreatyEntry.objects.exclude(source="none").filter(citation="").exists()


@pytest.mark.parametrize("who", ROLES)
def test_public_pages_answer_everyone_and_always_show_the_caveat(world: World, who: str) -> None:
    client = world.client_for(who)
    for url in [
        reverse("treaties:hub"),
        reverse("treaties:world"),
        reverse("treaties:regions"),
        reverse("treaties:state", args=["NGA"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "This list is incomplete." in response.content.decode()
    assert client.get(reverse("treaties:state", args=["TWN"])).status_code == 404  # not a Member State
    assert client.get("/api/treaties/NGA").status_code == 200
    history = client.get(reverse("treaties:history", args=["NGA", "untoc"]))
    assert history.status_code == (302 if who == "anonymous" else 200)
    assert client.get("/api/treaties/NGA/untoc/history").status_code == (404 if who == "anonymous" else 200)


@pytest.mark.parametrize("who", ROLES)
def test_only_curators_edit_and_only_administrators_confirm(world: World, who: str) -> None:
    client = world.client_for(who)
    edit = client.get(reverse("treaties:edit", args=["NGA", "untoc"]))
    expected = 302 if who == "anonymous" else (200 if who in CURATORS else 404)
    assert edit.status_code == expected
    entry = TreatyEntry.objects.get(country__iso3="NGA", instrument="untoc")
    patch = client.patch(
        "/api/treaties/NGA/untoc",
        data=json.dumps({"version": entry.version, "note": "x"}),
        content_type="application/json",
    )
    assert patch.status_code == (200 if who in CURATORS else 403)
    confirm = client.post(reverse("treaties:confirm", args=["NGA"]))
    confirmed = TreatyEntry.objects.filter(country__iso3="NGA", confirmed_at__isnull=False).count()
    assert confirmed == (2 if who == "admin" else 0)
    assert confirm.status_code in ((302,) if who in ("admin", "anonymous") else (404,))
    api_confirm = client.post("/api/treaties/NGA/confirm")
    assert api_confirm.status_code == (200 if who == "admin" else 403)


def test_world_table_lists_193_states_filters_sorts_and_downloads_csv(world: World) -> None:
    client = world.client_for("anonymous")
    page = client.get(reverse("treaties:world")).content.decode()
    assert page.count('<th scope="row">') == 193
    africa = client.get(reverse("treaties:world"), {"region": "Africa"}).content.decode()
    assert africa.count('<th scope="row">') == 54
    parties = client.get(
        reverse("treaties:world"), {"tip_protocol": "party", "sort": "-name"}
    ).content.decode()
    assert "badge-unconfirmed" in parties
    response = client.get(reverse("treaties:world"), {"format": "csv", "region": "Europe"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 43 and {r["region"] for r in rows} == {"Europe"}
    assert {r["confirmed_against_untc"] for r in rows} == {"no"}
    api = client.get("/api/treaties", {"region": "Africa"}).json()
    assert len(api) == 54 and all(len(s["entries"]) == 2 for s in api)
    names = [
        r["state"]
        for r in csv.DictReader(
            io.StringIO(
                client.get(reverse("treaties:world"), {"format": "csv", "sort": "-name"}).content.decode()
            )
        )
    ]
    assert names == sorted(names, reverse=True)


def test_regions_summary_counts_parties_per_region_with_a_chart_and_table(world: World) -> None:
    page = world.client_for("anonymous").get(reverse("treaties:regions")).content.decode()
    assert "<svg" in page and "Data behind" in page
    parties = TreatyEntry.objects.filter(country__un_member=True, instrument="untoc", status="party").count()
    assert f'<td class="num">{parties}</td>' in page


def test_an_edit_makes_a_new_version_clears_confirmation_and_is_audited(world: World) -> None:
    admin = world.client_for("admin")
    admin.post(reverse("treaties:confirm", args=["ARG"]))
    entry = TreatyEntry.objects.get(country__iso3="ARG", instrument="tip_protocol")
    assert entry.confirmed_at is not None
    response = admin.post(
        reverse("treaties:edit", args=["ARG", "tip_protocol"]),
        {
            "version": entry.version,
            "status": "party",
            "signature_date": "2000-12-12",
            "signature_precision": "day",
            "action_kind": "ratification",
            "action_date": "2002-11-19",
            "action_precision": "day",
            "source": "untc",
            "citation": "UNTC XVIII-12-a, consulted 2025-06-01",
            "note": "",
            "reason": "checked the UNTC",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.version == 3 and entry.confirmed_at is None and entry.action_precision == "day"
    assert list(entry.versions.order_by("version").values_list("reason", flat=True))[-1] == "checked the UNTC"
    audit = AuditEntry.objects.filter(
        object_type="treaties.treatyentry", action="update", object_id=str(entry.pk)
    ).first()
    assert audit is not None and "action_date" in audit.details["changed"]
    page = admin.get(reverse("treaties:state", args=["ARG"])).content.decode()
    assert "19 Nov 2002" in page and "Unconfirmed" in page  # dates as the language writes them


def test_the_second_of_two_concurrent_edits_is_refused_with_a_clear_message(world: World) -> None:
    entry = TreatyEntry.objects.get(country__iso3="KEN", instrument="untoc")
    first = world.client_for("admin")
    second = world.client_for("other_reviewer")
    body = {"version": entry.version, "note": "first"}
    assert (
        first.patch(
            "/api/treaties/KEN/untoc", data=json.dumps(body), content_type="application/json"
        ).status_code
        == 200
    )
    body["note"] = "second"
    response = second.patch("/api/treaties/KEN/untoc", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and "changed by someone else" in response.json()["error"]
    page = second.post(
        reverse("treaties:edit", args=["KEN", "untoc"]),
        {
            "version": entry.version,
            "status": entry.status,
            "action_precision": entry.action_precision,
            "signature_precision": "none",
            "source": entry.source,
            "citation": entry.citation,
            "note": "page",
        },
    )
    assert page.status_code == 409 and "changed by someone else" in page.content.decode()
    entry.refresh_from_db()
    assert entry.note == "first"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {
                "signature_date": "2003-01-01",
                "signature_precision": "day",
                "action_date": "2002-01-01",
                "action_precision": "day",
            },
            "action_date",
        ),
        ({"action_date": "1999-05-01", "action_precision": "day"}, "action_date"),
        ({"action_date": "2004-05-01", "action_precision": "none"}, "action_precision"),
        ({"source": "other", "citation": ""}, "citation"),
    ],
)
def test_inconsistent_entries_are_refused_with_the_field_named(
    world: World, body: dict[str, str], field: str
) -> None:
    entry = TreatyEntry.objects.get(country__iso3="FRA", instrument="untoc")
    response = world.client_for("admin").patch(
        "/api/treaties/FRA/untoc",
        data=json.dumps({"version": entry.version, **body}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert field in {e["location"].get("field") for e in response.json()["errors"]}
    entry.refresh_from_db()
    assert entry.version == 1


def test_free_text_is_escaped_on_every_page(world: World) -> None:
    entry = TreatyEntry.objects.get(country__iso3="PER", instrument="untoc")
    world.client_for("admin").patch(
        "/api/treaties/PER/untoc",
        data=json.dumps({"version": entry.version, "note": "<script>alert(1)</script>"}),
        content_type="application/json",
    )
    page = world.client_for("anonymous").get(reverse("treaties:state", args=["PER"])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_the_coordination_link_is_in_the_navigation(world: World) -> None:
    assert reverse("treaties:hub") in world.client_for("anonymous").get("/").content.decode()


def test_the_state_page_links_the_other_areas_that_are_installed(world: World) -> None:
    from django.apps import apps

    page = world.client_for("anonymous").get(reverse("treaties:state", args=["NGA"])).content.decode()
    if apps.is_installed("vinculo.web.evidence"):
        assert reverse("evidence:country", args=["NGA"]) in page
    if apps.is_installed("vinculo.web.programmes"):
        assert reverse("programmes:list") + "?country=NGA" in page
