"""A trusted-mode exercise end to end through the pages: open, invite, accept, contribute, run, result,
clerical review, and the capture histories handed to an estimate."""

from __future__ import annotations

import csv
import io

from vinculo.web.audit.models import AuditEntry
from vinculo.web.cases.models import CaseRecord
from vinculo.web.estimates.models import Estimate
from vinculo.web.jobs import runner
from vinculo.web.linkage.models import Exercise, ExerciseStatus, LinkedRecord, LinkPair, Participant

from .conftest import NAMES, LinkageWorld


def open_and_contribute(lw: LinkageWorld, threshold: str = "0.7") -> Exercise:
    owner = lw.client("owner_manager")
    response = owner.post(
        "/linkage/new/",
        {
            "title": "Shelter and police 2021-2022",
            "purpose": "Victims known to both, for the national estimate.",
            "mode": "trusted",
            "person_fields": ["prs_FirstName", "prs_SecondName", "prs_Birthdate"],
            "year_from": "2021",
            "year_to": "2022",
            "threshold": threshold,
            "invite": [str(lw.world.partner.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    exercise = Exercise.objects.get()
    assert response["Location"] == f"/linkage/{exercise.pk}/"
    partner = lw.client("partner_manager")
    assert partner.post(f"/linkage/{exercise.pk}/answer/", {"answer": "accept"}).status_code == 302
    for client in (owner, partner):
        assert client.get(f"/linkage/{exercise.pk}/contribute/").status_code == 200
        assert client.post(f"/linkage/{exercise.pk}/contribute/").status_code == 302
    return exercise


def run(lw: LinkageWorld, exercise: Exercise) -> Exercise:
    response = lw.client("owner_manager").post(f"/linkage/{exercise.pk}/run/")
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.RUNNING
    assert runner.run_pending() == 1
    exercise.refresh_from_db()
    assert exercise.job is not None and exercise.job.status == "done", exercise.job and exercise.job.error
    return exercise


def test_an_exercise_runs_end_to_end_and_opens_an_estimate(lw: LinkageWorld) -> None:
    exercise = open_and_contribute(lw)
    owner_part, partner_part = Participant.objects.filter(exercise=exercise).order_by("pk")
    # The shelter's case without consent to share is left out and counted; the police's are all in.
    assert (owner_part.n_records, owner_part.n_left_out) == (3, 1)
    assert (partner_part.n_records, partner_part.n_left_out) == (3, 0)
    no_consent = CaseRecord.objects.get(owner=lw.world.owner, consent_to_share=False)
    assert no_consent.pk not in owner_part.case_ids

    exercise = run(lw, exercise)
    s = exercise.summary
    a, b = owner_part.source_name, partner_part.source_name
    assert s["sources"] == [a, b]
    assert s["sizes"] == {a: 3, b: 3} and s["n_records"] == 6
    # Zenobia (same birth date) on both lists; the rest alone. The uncaught Ottoline of the police is
    # a singleton: the shelter's Ottoline has no consent, so she is never matched by identity.
    assert s["n_clusters"] == 5
    assert {(r[a], r[b]): r["count"] for r in s["histories"]} == {(1, 0): 2, (0, 1): 2, (1, 1): 1}
    assert LinkedRecord.objects.filter(exercise=exercise, case=no_consent).count() == 0
    # Threshold sensitivity: the looser threshold joins the uncertain Zenobia of another birth year.
    by_label = {item["label"]: item for item in s["sensitivity"]}
    assert by_label["stricter"]["threshold"] > 0.7 > by_label["looser"]["threshold"]
    assert (
        by_label["stricter"]["n_clusters"],
        by_label["chosen"]["n_clusters"],
        by_label["looser"]["n_clusters"],
    ) == (5, 5, 4)
    assert s["n_uncertain"] == 2 and s["n_uncertain_within"] == 1

    page = lw.client("owner_manager").get(f"/linkage/{exercise.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'role="img"' in text and "Overlap of the lists" in text and "<circle" in text
    assert "Open an estimate with these capture histories" in text
    assert not [n for n in NAMES if n in text]

    # Each organisation sees its own records' clusters, and how many other lists share them.
    records = lw.client("partner_manager").get(f"/api/linkage/{exercise.pk}/records").json()
    partner_cases = set(CaseRecord.objects.filter(owner=lw.world.partner).values_list("pk", flat=True))
    assert {r["case"] for r in records} == partner_cases
    assert sorted(r["n_other_sources"] for r in records) == [0, 0, 1]

    # Clerical review: the shelter's two Zenobias are its own pair; the pair across organisations is
    # listed to nobody.
    review = lw.client("owner_manager").get(f"/linkage/{exercise.pk}/review/")
    assert review.status_code == 200 and "Zenobia" in review.content.decode()
    assert (
        "Zenobia" not in lw.client("partner_manager").get(f"/linkage/{exercise.pk}/review/").content.decode()
    )
    assert lw.client("partner_manager").get(f"/api/linkage/{exercise.pk}/pairs").json() == []
    [pair] = lw.client("owner_manager").get(f"/api/linkage/{exercise.pk}/pairs").json()
    across = LinkPair.objects.exclude(pk=pair["id"]).get(probability__lt=0.7)
    assert (
        lw.client("partner_manager")
        .post(f"/linkage/{exercise.pk}/review/{across.pk}/", {"decision": "match"})
        .status_code
        == 404
    )
    response = lw.client("owner_manager").post(
        f"/linkage/{exercise.pk}/review/{pair['id']}/", {"decision": "match"}
    )
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.summary["n_clusters"] == 4 and exercise.summary["n_reviewed"] == 1
    assert {(r[a], r[b]): r["count"] for r in exercise.summary["histories"]} == {
        (1, 0): 1,
        (0, 1): 2,
        (1, 1): 1,
    }

    # The histories open an estimate, owned by the coordinating organisation.
    response = lw.client("owner_manager").post(f"/linkage/{exercise.pk}/estimate/")
    estimate = Estimate.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/estimates/{estimate.pk}/"
    assert estimate.owner == lw.world.owner and estimate.lists == [a, b] and estimate.n_observed == 4
    table = list(csv.DictReader(io.StringIO(estimate.source_csv)))
    assert {(int(r[a]), int(r[b])): int(r["count"]) for r in table} == {(1, 0): 1, (0, 1): 2, (1, 1): 1}
    assert runner.run_pending() == 1
    estimate.refresh_from_db()
    assert estimate.result is not None and estimate.result["n_observed"] == 4


def test_every_step_is_audited_without_identifiers(lw: LinkageWorld) -> None:
    exercise = run(lw, open_and_contribute(lw))
    lw.client("owner_manager").get(f"/linkage/{exercise.pk}/")
    lw.client("owner_manager").get(f"/linkage/{exercise.pk}/review/")
    entries = AuditEntry.objects.filter(object_type="linkage.exercise", object_id=str(exercise.pk))
    actions = [e.action for e in entries.order_by("pk")]
    assert actions[0] == "create"
    assert actions.count("update") >= 5  # accepted, two contributions, run started, run stored
    details = [e.details for e in entries]
    assert any("decrypted_for_linkage" in d for d in details)
    assert any("review_pairs" in d for d in details)
    assert any(d.get("left_out_no_consent") == 1 for d in details)
    for entry in entries:
        flat = repr(entry.details) + entry.object_repr
        assert not [n for n in NAMES if n in flat]
        assert "Shelter and police" not in entry.object_repr  # a restricted record is named by number


def test_run_needs_two_contributions(lw: LinkageWorld) -> None:
    response = lw.client("owner_manager").post(
        "/linkage/new/",
        {"title": "Alone", "purpose": "p", "mode": "trusted", "person_fields": ["prs_FirstName"]},
    )
    exercise = Exercise.objects.get()
    assert response.status_code == 302
    lw.client("owner_manager").post(f"/linkage/{exercise.pk}/contribute/")
    response = lw.client("owner_manager").post(
        f"/api/linkage/{exercise.pk}/run", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "linkage.too_few_sources"
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.OPEN and exercise.job is None


def test_a_non_match_keeps_two_records_apart_even_through_a_third(lw: LinkageWorld) -> None:
    exercise = run(lw, open_and_contribute(lw))
    looser = {i["label"]: i["n_clusters"] for i in exercise.summary["sensitivity"]}["looser"]
    assert looser == 4  # the shelter's two Zenobias joined through the police's at the looser threshold
    [pair] = lw.client("owner_manager").get(f"/api/linkage/{exercise.pk}/pairs").json()
    response = lw.client("owner_manager").post(
        f"/api/linkage/{exercise.pk}/pairs/{pair['id']}",
        {"decision": "non_match"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["decision"] == "non_match"
    exercise.refresh_from_db()
    by_label = {i["label"]: i["n_clusters"] for i in exercise.summary["sensitivity"]}
    assert by_label == {"stricter": 5, "chosen": 5, "looser": 5}
