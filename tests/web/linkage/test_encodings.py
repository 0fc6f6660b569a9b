"""PPRL contributions: an encodings file is checked before it is stored (encrypted), and a file that is
not one is refused with a message naming it, storing nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vinculo.errors import Issue, Location, VinculoError
from vinculo.web.linkage import services
from vinculo.web.linkage.models import Exercise, Participant, ParticipantStatus

from .conftest import LinkageWorld


def _pprl_exercise(lw: LinkageWorld) -> Exercise:
    response = lw.client("owner_manager").post(
        "/api/linkage",
        {"title": "Encoded", "purpose": "p", "mode": "pprl", "invite": [lw.world.partner.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Exercise.objects.get(pk=response.json()["id"])


def _upload(lw: LinkageWorld, exercise: Exercise, data: bytes, name: str = "police.enc") -> object:
    return lw.client("owner_manager").post(
        f"/api/linkage/{exercise.pk}/contributions/encodings", {"file": SimpleUploadedFile(name, data)}
    )


class _Encoded:
    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n


def test_an_encodings_file_that_is_not_one_is_refused(
    lw: LinkageWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_encodings(data: bytes, *, name: str | None = None) -> _Encoded:
        if not data.startswith(b"VINCULO-ENC"):
            raise VinculoError(
                f"{name}: not an encodings file made by `vinculo encode`.",
                code="linkage.not_encodings",
                issues=[Issue("linkage.not_encodings", "not an encodings file", Location(file=name))],
                fix="Upload the .enc file that `vinculo encode` wrote.",
            )
        return _Encoded(2)

    monkeypatch.setattr(
        services, "_pprl", lambda: type("pprl", (), {"read_encodings": staticmethod(read_encodings)})
    )
    exercise = _pprl_exercise(lw)
    response = _upload(lw, exercise, b"record_id,prs_FirstName\nR1,Zenobia\n", "police.csv")
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert body["code"] == "linkage.not_encodings" and "police.csv" in body["error"]
    assert "Zenobia" not in response.content.decode()  # type: ignore[attr-defined]
    participant = Participant.objects.get(exercise=exercise, organisation=lw.world.owner)
    assert participant.encodings == "" and participant.status == ParticipantStatus.ACCEPTED
    # A real one is stored encrypted, never as sent.
    data = b"VINCULO-ENC secret bits"
    assert _upload(lw, exercise, data).status_code == 200  # type: ignore[attr-defined]
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.CONTRIBUTED and participant.n_records == 2
    assert participant.encodings and data.decode() not in participant.encodings
    # An empty file and cases offered to an encodings exercise are refused too.
    assert _upload(lw, exercise, b"").json()["code"] == "linkage.empty"  # type: ignore[attr-defined]
    response = lw.client("owner_manager").post(f"/api/linkage/{exercise.pk}/contributions/cases")
    assert response.status_code == 400 and response.json()["code"] == "linkage.wrong_contribution"


def test_bad_exercise_settings_are_refused_with_the_field(lw: LinkageWorld) -> None:
    client = lw.client("owner_manager")
    response = client.post(
        "/api/linkage",
        {"title": "t", "purpose": "p", "year_from": 2022, "year_to": 2020},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "linkage.bad_years"
    response = client.post(
        "/api/linkage",
        {"title": "t", "purpose": "p", "fields": ["prs_Nickname"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Exercise.objects.count() == 0


def test_a_pprl_exercise_runs_and_keeps_record_ids_encrypted(
    lw: LinkageWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vinculo.linkage.model import LinkResult, ScoredPair
    from vinculo.web.jobs import runner
    from vinculo.web.linkage.models import LinkedRecord

    ids = {b"A": ["POL-1", "POL-2"], b"B": ["NGO-7"]}

    class Encoded:
        def __init__(self, data: bytes) -> None:
            self.ids = ids[data[:1]]

        def __len__(self) -> int:
            return len(self.ids)

    def match_encodings(
        files: list[Encoded], *, threshold: float | None = None, progress: object = None
    ) -> LinkResult:
        assert [len(f) for f in files] == [2, 1]  # the lists in the order they joined
        pair = ScoredPair(("a", "POL-1"), ("b", "NGO-7"), 0.9, similarity=0.93)
        return LinkResult(
            sources=("a", "b"),
            clusters={("a", "POL-1"): 0, ("a", "POL-2"): 1, ("b", "NGO-7"): 0},
            pairs=(pair,),
            threshold=0.8,
            review_band=(0.7, 0.8),
            mode="pprl",
        )

    fake = type("pprl", (), {"read_encodings": staticmethod(lambda data, *, name=None: Encoded(data)),
                             "match_encodings": staticmethod(match_encodings)})  # fmt: skip
    monkeypatch.setattr(services, "_pprl", lambda: fake)
    exercise = _pprl_exercise(lw)
    lw.client("partner_manager").post(
        f"/api/linkage/{exercise.pk}/answer", {"accept": True}, content_type="application/json"
    )
    assert _upload(lw, exercise, b"A-file").status_code == 200  # type: ignore[attr-defined]
    response = lw.client("partner_manager").post(
        f"/api/linkage/{exercise.pk}/contributions/encodings",
        {"file": SimpleUploadedFile("ngo.enc", b"B-file")},
    )
    assert response.status_code == 200
    assert (
        lw.client("owner_manager")
        .post(f"/api/linkage/{exercise.pk}/run", content_type="application/json")
        .status_code
        == 202
    )
    assert runner.run_pending() == 1
    exercise.refresh_from_db()
    assert exercise.status == "done" and exercise.summary["n_clusters"] == 2
    stored = LinkedRecord.objects.filter(exercise=exercise)
    assert all(r.record_token and "POL" not in r.record_token and "NGO" not in r.record_token for r in stored)
    own = lw.client("owner_manager").get(f"/api/linkage/{exercise.pk}/records").json()
    assert sorted(r["reference"] for r in own) == ["POL-1", "POL-2"]
    assert "NGO-7" not in lw.client("owner_manager").get(f"/linkage/{exercise.pk}/records/").content.decode()
