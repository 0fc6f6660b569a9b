"""Every case page and API route × every role × public/internal/restricted × with and without consent.

Expected answers are written from the rules: outside the owning organisation a case is seen as a row
only when it is public or shared with the viewer's organisation (internal cases of others appear
only in counts), and a case without consent to share never leaves its owning organisation.
Identifiers (the file's own record id included) are for the owning organisation's data managers
only. Submissions are for the owning organisation's data managers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from vinculo.web.accounts import access
from vinculo.web.audit.models import AuditEntry
from vinculo.web.cases.models import CaseRecord, Submission

from ..conftest import ROLES, World
from .conftest import HEADER, by_source_id, csv_bytes, submit, submit_and_import

# Who sees each case as a row. The fixture shares the internal and the restricted cases with the partner.
SEES = {
    "public": set(ROLES),
    "internal": {"owner_manager", "owner_author", "owner_analyst", "partner_analyst"},
    "restricted": {"owner_manager", "owner_author", "owner_analyst", "partner_analyst"},
}
# Who counts each case in aggregates.
COUNTS = {
    "public": set(ROLES),
    "internal": set(ROLES) - {"anonymous"},
    "restricted": {"owner_manager", "owner_author", "owner_analyst", "partner_analyst"},
}
OWNER_MEMBERS = {"owner_manager", "owner_author", "owner_analyst"}
IDENTIFIERS = {"owner_manager"}
SUBMITS = {"owner_manager"}
CASES = [(s, c) for s in ("public", "internal", "restricted") for c in (True, False)]


def sees(who: str, sensitivity: str, consent: bool) -> bool:
    return who in SEES[sensitivity] if consent else who in OWNER_MEMBERS


def counts(who: str, sensitivity: str, consent: bool) -> bool:
    return who in COUNTS[sensitivity] if consent else who in OWNER_MEMBERS


@dataclass
class CaseWorld:
    world: World
    records: dict[tuple[str, bool], CaseRecord]
    submission: Submission


def _name(sensitivity: str, consent: bool) -> str:
    return f"Name{sensitivity.capitalize()}{'Yes' if consent else 'No'}"


@pytest.fixture
def cases(world: World) -> CaseWorld:
    last = None
    for sensitivity in ("public", "internal", "restricted"):
        rows = [
            [f"{sensitivity}-{c}", _name(sensitivity, c), "Doe", "Feminine", "UA", "PL", "Exploitation",
             "2021-03-04", "24", "ForcedLabour", "DebtBondage", "TRUE" if c else "FALSE"]
            for c in (True, False)
        ]  # fmt: skip
        last = submit_and_import(
            world,
            csv_bytes(rows),
            sensitivity=sensitivity,
            shared_with=[world.partner] if sensitivity != "public" else [],
        )
    records = {(s, c): by_source_id(f"id:{s}-{c}") for s, c in CASES}
    assert last is not None
    return CaseWorld(world, records, last)


def _actor(world: World, who: str):  # type: ignore[no-untyped-def]
    return world.users[who] or AnonymousUser()


@pytest.mark.parametrize("who", ROLES)
def test_access_functions_follow_the_rules(cases: CaseWorld, who: str) -> None:
    actor = _actor(cases.world, who)
    visible = set(access.access_visible_cases(actor, CaseRecord.objects.all()))
    counted = set(access.access_counted_cases(actor, CaseRecord.objects.all()))
    for (sensitivity, consent), record in cases.records.items():
        expected = sees(who, sensitivity, consent)
        assert access.access_can_view_case(actor, record) is expected, (sensitivity, consent)
        assert (record in visible) is expected, (sensitivity, consent)
        assert (record in counted) is counts(who, sensitivity, consent), (sensitivity, consent)
        assert access.access_can_see_identifiers(actor, record) is (who in IDENTIFIERS)
    assert access.access_can_submit_cases(actor) is (who in SUBMITS)
    assert access.access_can_manage_case_submission(actor, cases.submission) is (who in SUBMITS)


def test_only_active_organisations_data_managers_submit(world: World) -> None:
    user = world.users["owner_manager"]
    assert user is not None and access.access_can_submit_cases(user)
    world.owner.is_active = False
    world.owner.save()
    user.refresh_from_db()
    assert not access.access_can_submit_cases(user)


def test_exact_counts_only_over_the_users_own_organisation(world: World) -> None:
    user = world.users["owner_analyst"]
    assert access.access_sees_exact_counts(user, [world.owner.pk])
    assert not access.access_sees_exact_counts(user, [world.owner.pk, world.partner.pk])
    assert not access.access_sees_exact_counts(AnonymousUser(), [])
    assert not access.access_sees_exact_counts(world.users["admin"], [world.owner.pk])


@pytest.mark.parametrize("who", ROLES)
def test_list_page_and_api_list_show_exactly_the_visible_cases(cases: CaseWorld, who: str) -> None:
    client = cases.world.client_for(who)
    page = client.get(reverse("cases:list")).content.decode()
    api = client.get("/api/cases")
    assert api.status_code == 200
    ids = {c["id"] for c in api.json()["cases"]}
    for (sensitivity, consent), record in cases.records.items():
        expected = sees(who, sensitivity, consent)
        assert (f'href="{reverse("cases:detail", args=[record.pk])}"' in page) is expected
        assert (record.pk in ids) is expected
        # The file's own record id is an identifier: shown to the owner's data managers only.
        assert (f"{sensitivity}-{consent}" in page) is (expected and who in IDENTIFIERS)
    for case in api.json()["cases"]:
        assert case["identifiers"] is None
        assert (case["source_record_id"] is not None) is (who in IDENTIFIERS)


def _body(content: bytes, object_id: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())
    return text.replace(object_id, "")


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(("sensitivity", "consent"), CASES)
def test_detail_history_and_api_answer_404_when_the_caller_may_not_see(
    cases: CaseWorld, who: str, sensitivity: str, consent: bool
) -> None:
    record = cases.records[(sensitivity, consent)]
    client = cases.world.client_for(who)
    expected = sees(who, sensitivity, consent)
    name = _name(sensitivity, consent)
    for url in (reverse("cases:detail", args=[record.pk]), reverse("cases:history", args=[record.pk])):
        response = client.get(url)
        assert response.status_code == (200 if expected else 404)
        assert (name in response.content.decode()) is (expected and who in IDENTIFIERS)
        if not expected:
            missing_url = url.replace(f"/{record.pk}/", "/999999/")
            missing = client.get(missing_url)
            assert _body(missing.content, missing_url) == _body(response.content, url)
    for url in (f"/api/cases/{record.pk}", f"/api/cases/{record.pk}/history"):
        response = client.get(url)
        assert response.status_code == (200 if expected else 404)
        if expected:
            data = response.json()
            first = data if isinstance(data, dict) else data[0]
            if who in IDENTIFIERS:
                assert first["identifiers"]["prs_FirstName"] == name
            else:
                assert first["identifiers"] is None
            assert name not in response.content.decode() or who in IDENTIFIERS
        else:
            assert response.json() == client.get(url.replace(f"/{record.pk}", "/999999")).json()


@pytest.mark.parametrize("who", ROLES)
def test_exports_hold_the_visible_cases_and_identifiers_only_for_the_owners_data_managers(
    cases: CaseWorld, who: str
) -> None:
    client = cases.world.client_for(who)
    for url in (reverse("cases:export") + "?format=csv", "/api/cases/export?format=csv"):
        response = client.get(url)
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {int(r["case"]) for r in rows} == {
            r.pk for (s, c), r in cases.records.items() if sees(who, s, c)
        }
        for row in rows:
            assert (row["source_record_id"] != "") is (who in IDENTIFIERS)
        assert ("prs_FirstName" in (rows[0] if rows else {})) is (who in SUBMITS and bool(rows))
        for row in rows:
            if who in IDENTIFIERS:
                assert row["prs_FirstName"].startswith("Name")
            assert row.get("prs_Birthdate", "") == ""
    assert AuditEntry.objects.filter(action="export", object_type="cases.caserecord").count() == 2


@pytest.mark.parametrize("who", ROLES)
def test_submission_pages_and_routes_are_for_the_owners_data_managers(cases: CaseWorld, who: str) -> None:
    client = cases.world.client_for(who)
    submission = cases.submission
    urls = [
        reverse("cases:submissions"),
        reverse("cases:submit"),
        reverse("cases:submission", args=[submission.pk]),
        reverse("cases:submission_status", args=[submission.pk]),
        reverse("cases:problems", args=[submission.pk]),
    ]
    for url in urls:
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if who in SUBMITS else 404), url
    api = client.get(f"/api/cases/submissions/{submission.pk}")
    assert api.status_code == (200 if who in SUBMITS else 404)
    payload = {"file_name": "x.csv", "content_base64": "cmVjb3JkX2lkLHByc19HZW5kZXIKWDEsRmVtaW5pbmUK"}
    created = client.post("/api/cases/submissions", data=json.dumps(payload), content_type="application/json")
    assert created.status_code == (201 if who in SUBMITS else 403)
    upload = client.post(
        reverse("cases:submit"),
        {"file": io.BytesIO(csv_bytes([["Q1"] + [""] * (len(HEADER) - 1)])), "sensitivity": "restricted"},
    )
    assert upload.status_code == (302 if who in SUBMITS | {"anonymous"} else 404)
    for name in ("confirm", "cancel"):
        before = Submission.objects.get(pk=submission.pk).status
        response = client.post(reverse(f"cases:{name}", args=[submission.pk]))
        assert response.status_code in ((302,) if who in SUBMITS | {"anonymous"} else (404,))
        if who not in SUBMITS:
            assert Submission.objects.get(pk=submission.pk).status == before


@pytest.mark.parametrize("who", ["other_analyst", "partner_analyst", "admin"])
def test_another_organisations_submission_is_invisible_even_to_its_data_manager_peers(
    cases: CaseWorld, who: str
) -> None:
    user = cases.world.users[who]
    assert not access.access_can_manage_case_submission(user, cases.submission)


def test_another_organisations_data_manager_cannot_reach_the_submission(world: World) -> None:
    from .conftest import manager

    submission = submit(world)
    from vinculo.web.accounts.models import Role

    from ..conftest import make_user

    stranger = make_user("other_manager", world.other, Role.DATA_MANAGER)
    assert manager(world).organisation_id != stranger.organisation_id
    assert not access.access_can_manage_case_submission(stranger, submission)
    from django.test import Client

    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("cases:submission", args=[submission.pk])).status_code == 404
    assert client.post(reverse("cases:confirm", args=[submission.pk])).status_code == 404
    assert client.get(f"/api/cases/submissions/{submission.pk}").status_code == 404
