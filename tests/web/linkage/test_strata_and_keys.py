"""Stratified estimates from an exercise, and key rotation of the linkage area's encrypted columns."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from vinculo.protect import KeyRing, generate_key
from vinculo.web.estimates.models import Estimate
from vinculo.web.linkage import services
from vinculo.web.linkage.models import Exercise, LinkedRecord, Participant

from .conftest import LinkageWorld, _import
from .test_flow import open_and_contribute, run


def test_the_summary_has_histories_by_stratum_that_add_up(lw: LinkageWorld) -> None:
    exercise = run(lw, open_and_contribute(lw))
    s = exercise.summary
    # The files have the sex, the birth date and the referral date (so the year of identification
    # and the age then), not the form of exploitation: only the strata with values are offered.
    assert set(s["strata"]) == {"sex", "age_group", "year"}
    sources = s["sources"]
    for key, rows in s["strata"].items():
        total: dict[tuple[int, ...], int] = {}
        for row in rows:
            pattern = tuple(row[x] for x in sources)
            total[pattern] = total.get(pattern, 0) + row["count"]
        assert total == {tuple(r[x] for x in sources): r["count"] for r in s["histories"]}, key
    by_sex = {(r["sex"], r[sources[0]], r[sources[1]]): r["count"] for r in s["strata"]["sex"]}
    # Zenobia (F) on both lists and the shelter's other Zenobia (F); Casimir (M) at the shelter;
    # Ignatius and Ottoline (M) with the police.
    assert by_sex == {("f", 1, 1): 1, ("f", 1, 0): 1, ("m", 1, 0): 1, ("m", 0, 1): 2}
    records = LinkedRecord.objects.filter(exercise=exercise)
    assert all(set(r.strata) <= set(services.STRATA_KEYS) and r.strata for r in records)
    page = lw.client("owner_manager").get(f"/linkage/{exercise.pk}/").content.decode()
    assert 'name="stratum"' in page and 'value="sex"' in page and 'value="exploitation"' not in page


def test_an_estimate_opens_stratified_and_a_stratum_without_values_is_refused(lw: LinkageWorld) -> None:
    # The police also know Casimir (a man, identified in 2022): every stratum then has a person on
    # both lists, so each stratum's hidden number can be estimated.
    casimir = ["P4", "Casimir", "Thistlewood", "2005-01-01", "Masculine", "PL", "2022-06-01", "TRUE"]
    _import(lw.partner_manager, [casimir], "police-more.csv")
    exercise = run(lw, open_and_contribute(lw))
    sources = exercise.summary["sources"]
    owner = lw.client("owner_manager")
    response = owner.post(f"/linkage/{exercise.pk}/estimate/", {"stratum": "sex"})
    estimate = Estimate.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/estimates/{estimate.pk}/"
    assert estimate.stratum_column == "sex" and estimate.lists == sources
    table = list(csv.DictReader(io.StringIO(estimate.source_csv)))
    assert {(r["sex"], int(r[sources[0]]), int(r[sources[1]])): int(r["count"]) for r in table} == {
        ("f", 1, 1): 1,
        ("f", 1, 0): 1,
        ("m", 1, 1): 1,
        ("m", 0, 1): 2,
    }
    # No value of the form of exploitation in this exercise: refused, naming what is available.
    response = owner.post(f"/linkage/{exercise.pk}/estimate/", {"stratum": "exploitation"}, follow=True)
    text = response.content.decode()
    assert "exploitation" in text and "available: sex, age_group, year" in text
    assert Estimate.objects.count() == 1
    # The API takes the stratum too (a query parameter), and refuses one it does not know.
    response = owner.post(f"/api/linkage/{exercise.pk}/estimate?stratum=year")
    assert response.status_code == 202, response.content
    assert Estimate.objects.get(pk=response.json()["estimate"]).stratum_column == "year"
    response = owner.post(f"/api/linkage/{exercise.pk}/estimate?stratum=nationality")
    assert response.status_code == 422 and Estimate.objects.count() == 2
    # Without a body: one estimate of the whole population, as before.
    response = owner.post(f"/api/linkage/{exercise.pk}/estimate")
    assert response.status_code == 202
    assert Estimate.objects.get(pk=response.json()["estimate"]).stratum_column == ""


def test_a_stratum_where_no_person_is_on_two_lists_is_refused_before_any_estimate(lw: LinkageWorld) -> None:
    exercise = run(lw, open_and_contribute(lw))
    # In the fixture's files no man is on both lists (Casimir at the shelter, two others with the police).
    response = lw.client("owner_manager").post(f"/api/linkage/{exercise.pk}/estimate?stratum=sex")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "linkage.stratum_not_identifiable"
    assert "'m'" in body["error"] and "'f'" not in body["error"] and Estimate.objects.count() == 0


def test_rotate_keys_reencrypts_encodings_files_and_linked_record_ids(
    lw: LinkageWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.conf import settings as django_settings

    from vinculo.web.cases.protection import keyring
    from vinculo.web.cases.services import unseal_bytes

    class Encoded:
        def __len__(self) -> int:
            return 1

    fake = type("pprl", (), {"read_encodings": staticmethod(lambda data, *, name=None: Encoded())})
    monkeypatch.setattr(services, "_pprl", lambda: fake)
    owner = lw.client("owner_manager")
    response = owner.post(
        "/api/linkage",
        json.dumps({"title": "Encoded", "purpose": "p", "mode": "pprl"}),
        content_type="application/json",
    )
    exercise = Exercise.objects.get(pk=response.json()["id"])
    data = b"VINCULO-ENC pretend bits"
    response = owner.post(
        f"/api/linkage/{exercise.pk}/contributions/encodings", {"file": SimpleUploadedFile("a.enc", data)}
    )
    assert response.status_code == 200, response.content
    participant = Participant.objects.get(exercise=exercise, organisation=lw.world.owner)
    record = LinkedRecord.objects.create(
        exercise=exercise, participant=participant, cluster_id=0, record_token=keyring().encrypt("POL-1")
    )
    new_key = generate_key()
    with override_settings(VINCULO_ENCRYPTION_KEYS=[new_key, *django_settings.VINCULO_ENCRYPTION_KEYS]):
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)
        assert "1 encodings files, 1 linked record ids" in out.getvalue()
        only_new = KeyRing([new_key])
        participant.refresh_from_db()
        record.refresh_from_db()
        assert unseal_bytes(participant.encodings, only_new) == data
        assert only_new.decrypt(record.record_token) == "POL-1"
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)  # again: nothing left to do
        already = re.search(r"\((\d+) value\(s\) were already under it\)", out.getvalue())
        assert already is not None and int(already.group(1)) >= 2  # the file and the record id
