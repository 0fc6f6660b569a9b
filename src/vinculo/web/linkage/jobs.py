"""The background job that links an exercise's contributions and stores the clusters as rows.

Trusted mode decrypts the contributed cases here, in the worker, and nowhere else; the persons are
handed to ``vinculo.linkage.trusted.link`` and dropped. PPRL mode decrypts the stored encodings files
(which hold no identifier) and hands them to ``vinculo.linkage.pprl.match_encodings``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from vinculo.errors import VinculoError
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.jobs.models import Job
from vinculo.web.jobs.runner import Progress

from . import services
from .models import Exercise, ExerciseStatus, LinkedRecord, LinkPair, Mode, Participant, ParticipantStatus


def _link(exercise: Exercise, participants: list[Participant], progress: Progress) -> tuple[Any, int]:
    def report(stage: str, fraction: float) -> None:
        progress(min(99, int(fraction * 100)), 100)

    if exercise.mode == Mode.TRUSTED:
        sources, left_out = services.sources_from_cases(exercise, participants)
        audit(
            AuditAction.VIEW,
            actor=exercise.job.created_by if exercise.job else None,
            obj=exercise,
            details={
                "decrypted_for_linkage": {
                    p.source_name: len(s) for p, s in zip(participants, sources, strict=True)
                }
            },
        )
        if sum(1 for s in sources if len(s)) < 2:
            raise VinculoError(
                "Fewer than two organisations still have cases with consent to share in this exercise.",
                code="linkage.too_few_sources",
                fix="Ask the organisations to contribute again.",
            )
        link = services._link()
        return link(sources, threshold=exercise.threshold, progress=report), left_out
    from vinculo.web.cases.protection import keyring
    from vinculo.web.cases.services import unseal_bytes

    pprl = services._pprl()
    ring = keyring()
    files = [
        pprl.read_encodings(unseal_bytes(p.encodings, ring), name=f"{p.source_name}.enc")
        for p in participants
    ]
    return pprl.match_encodings(files, threshold=exercise.threshold, progress=report), 0


def run_linkage(job: Job, progress: Progress) -> None:
    exercise = Exercise.objects.select_related("job").get(job=job)
    participants = list(exercise.participants.filter(status=ParticipantStatus.CONTRIBUTED).order_by("pk"))
    try:
        result, _left_out = _link(exercise, participants, progress)
        _store(exercise, participants, result)
    except BaseException:
        Exercise.objects.filter(pk=exercise.pk).update(status=ExerciseStatus.FAILED)
        raise
    progress(100, 100)


def _store(exercise: Exercise, participants: list[Participant], result: Any) -> None:
    from vinculo.web.cases.protection import keyring

    ring = keyring()
    # The result's sources are the inputs in input order: map them back by position.
    by_source = dict(zip(result.sources, participants, strict=True))
    low, high = result.review_band
    with transaction.atomic():
        LinkPair.objects.filter(exercise=exercise).delete()
        LinkedRecord.objects.filter(exercise=exercise).delete()
        rows = []
        keys = []
        for (source, record_id), cluster_id in result.clusters.items():
            participant = by_source[source]
            row = LinkedRecord(exercise=exercise, participant=participant, cluster_id=cluster_id)
            strata = result.strata.get((source, record_id)) or {}
            row.strata = {k: str(v) for k, v in strata.items() if k in services.STRATA_KEYS and v}
            if exercise.mode == Mode.TRUSTED:
                row.case_id = int(record_id)
            else:
                row.record_token = ring.encrypt(record_id)
            rows.append(row)
            keys.append((source, record_id))
        created = LinkedRecord.objects.bulk_create(rows, batch_size=1000)
        pk_of = {key: row.pk for key, row in zip(keys, created, strict=True)}
        # The score clustered on: the Dice similarity of PPRL pairs linked on Dice alone, else the
        # match probability (trusted pairs, and PPRL pairs of the evidence model).
        scored = [(p, p.similarity if p.similarity is not None else p.probability) for p in result.pairs]
        pairs = [
            LinkPair(exercise=exercise, left_id=pk_of[p.left], right_id=pk_of[p.right], probability=score)
            for p, score in scored
            if score >= low and p.left in pk_of and p.right in pk_of
        ]
        LinkPair.objects.bulk_create(pairs, batch_size=1000)
        Exercise.objects.filter(pk=exercise.pk).update(
            threshold_used=result.threshold, band_low=low, band_high=high
        )
        exercise.refresh_from_db()
        services.store_clusters(exercise, {pk_of[key]: cid for key, cid in result.clusters.items()})
        summary = services.summarise(exercise)
        Exercise.objects.filter(pk=exercise.pk).update(
            summary=summary, status=ExerciseStatus.DONE, runs=exercise.runs + 1
        )
        audit(
            AuditAction.UPDATE,
            actor=exercise.job.created_by if exercise.job else None,
            obj=exercise,
            details={"linked": summary["n_records"], "clusters": summary["n_clusters"], "pairs": len(pairs)},
        )
