"""One exercise end to end with the real trusted linker (splink on DuckDB), not the tests' stand-in.

Two organisations import synthetic case files with the truth known (:mod:`vinculo.linkage.synthetic`),
contribute them, run the exercise as the background job does, and the clusters the platform stores
are compared with the truth; then the capture histories open an estimate that runs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest

from vinculo.linkage.evaluate import pairwise
from vinculo.linkage.synthetic import generate
from vinculo.web.cases import actions as case_actions
from vinculo.web.cases.models import CaseRecord
from vinculo.web.estimates.models import Estimate
from vinculo.web.jobs import runner
from vinculo.web.linkage import services
from vinculo.web.linkage.models import Exercise, LinkedRecord

from ..cases.conftest import by_source_id
from .conftest import LinkageWorld


@pytest.fixture
def linker() -> Callable[..., Any]:
    """Overrides the stand-in of conftest.py: the exercise runs the real ``trusted.link``."""
    return services._link()


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*rows[0], "con_Consent"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "con_Consent": "TRUE"})
    return out.getvalue().encode("utf-8")


def test_an_exercise_with_the_real_linker_finds_the_shared_victims(lw: LinkageWorld) -> None:
    data = generate(150, seed=7, agencies=("shelter", "police"))
    for user, agency in ((lw.owner_manager, "shelter"), (lw.partner_manager, "police")):
        # The synthetic agencies write dates day first (31.12.1990, 31/12/1990) or as ISO dates; their
        # data managers say so on upload, as the import asks for dates that read two ways.
        submission = case_actions.create_submission(
            actor=user, data=_csv(data.sources[agency]), file_name=f"{agency}.csv", date_order="DMY"
        )
        # Rows the platform refuses (an impossible date, say) stay out; the rest are imported.
        case_actions.confirm_submission(actor=user, submission=submission, valid_only=True)
    person_of_case: dict[int, str] = {}
    for (agency, record_id), person in data.truth.items():
        try:
            case = by_source_id(f"id:{record_id}")
        except CaseRecord.DoesNotExist:  # a row refused at import
            continue
        person_of_case[case.pk] = person
    assert len(person_of_case) > 0.75 * len(data.truth)

    owner = lw.client("owner_manager")
    response = owner.post(
        "/api/linkage",
        {"title": "Shelter and police", "purpose": "The national estimate.", "invite": [lw.world.partner.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    exercise = Exercise.objects.get(pk=response.json()["id"])
    partner = lw.client("partner_manager")
    partner.post(f"/api/linkage/{exercise.pk}/answer", {"accept": True}, content_type="application/json")
    for client in (owner, partner):
        assert client.post(f"/api/linkage/{exercise.pk}/contributions/cases").status_code == 200
    assert owner.post(f"/api/linkage/{exercise.pk}/run").status_code == 202
    assert runner.run_pending() == 1
    exercise.refresh_from_db()
    assert exercise.status == "done", exercise.job and exercise.job.error

    stored = LinkedRecord.objects.filter(exercise=exercise).select_related("participant")
    # The fixture's own seven cases (six with consent to share) are in the exercise too.
    fixture_cases = {r.case_id for r in stored if r.case_id not in person_of_case}
    assert len(fixture_cases) == 6 and len(stored) == len(person_of_case) + 6
    found = {("x", str(r.case_id)): r.cluster_id for r in stored if r.case_id in person_of_case}
    truth = {("x", str(pk)): person for pk, person in person_of_case.items()}
    quality = pairwise(found, truth)
    assert quality.precision > 0.8 and quality.recall > 0.8, quality
    s = exercise.summary
    persons = len(set(truth.values()))
    assert abs(len(set(found.values())) - persons) <= 0.1 * persons
    assert sum(r["count"] for r in s["histories"]) == s["n_clusters"]
    assert {"sex", "year"} <= set(s["strata"])

    response = owner.post(f"/api/linkage/{exercise.pk}/estimate")
    assert response.status_code == 202, response.content
    assert runner.run_pending() == 1
    estimate = Estimate.objects.get(pk=response.json()["estimate"])
    assert estimate.job is not None and estimate.job.status == "done", estimate.job and estimate.job.error
    assert estimate.result is not None and estimate.result["n_observed"] == s["n_clusters"]
    assert estimate.result["estimate"] >= s["n_clusters"]
