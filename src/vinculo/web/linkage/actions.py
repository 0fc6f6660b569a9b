"""Change linkage exercises: each function is one transaction plus its audit entry.

Audit entries name the exercise and counts, never a record, an identifier or a file's content.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from vinculo.errors import VinculoError
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.models import Sensitivity
from vinculo.web.jobs import runner

from . import services
from .models import (
    PERSON_FIELDS,
    Decision,
    Exercise,
    ExerciseStatus,
    LinkPair,
    Mode,
    Participant,
    ParticipantStatus,
)

#: The estimate opened from an exercise's histories uses the estimates area's defaults.
ESTIMATE_SETTINGS: dict[str, Any] = {
    "method": "stepwise",
    "ci": "wald",
    "level": 0.95,
    "pthresh": 0.02,
    "max_order": 2,
    "nboot": 1000,
    "seed": 1234,
}


def _refuse(message: str, code: str, fix: str) -> VinculoError:
    return VinculoError(message, code=code, fix=fix)


def _add_participants(exercise: Exercise, organisations: Sequence[Organisation], actor: User) -> list[int]:
    taken = list(exercise.participants.values_list("source_name", flat=True))
    present = set(exercise.participants.values_list("organisation_id", flat=True))
    added = []
    for org in organisations:
        if org.pk in present or not org.is_active:
            continue
        name = services.source_name_for(org.short_name or org.name, taken)
        taken.append(name)
        status = ParticipantStatus.ACCEPTED if org.pk == exercise.owner_id else ParticipantStatus.INVITED
        Participant.objects.create(
            exercise=exercise, organisation=org, source_name=name, status=status, invited_by=actor
        )
        present.add(org.pk)
        added.append(org.pk)
    return added


@transaction.atomic
def open_exercise(
    *,
    actor: User,
    title: str,
    purpose: str,
    mode: str,
    fields: Sequence[str] = PERSON_FIELDS,
    year_from: int | None = None,
    year_to: int | None = None,
    threshold: float | None = None,
    invite: Sequence[Organisation] = (),
    request: HttpRequest | None = None,
) -> Exercise:
    """Open an exercise coordinated by the actor's organisation, which takes part as the first list."""
    unknown = sorted(set(fields) - set(PERSON_FIELDS))
    if unknown or not fields:
        raise _refuse(
            f"fields: {', '.join(unknown) or 'none given'} — not person fields an exercise can compare.",
            "linkage.bad_fields",
            f"Choose among {', '.join(PERSON_FIELDS)}.",
        )
    if year_from is not None and year_to is not None and year_from > year_to:
        raise _refuse(
            f"The years in scope run from {year_from} to {year_to}: the first is after the last.",
            "linkage.bad_years",
            "Swap the two years, or leave one empty.",
        )
    if threshold is not None and not 0 < threshold < 1:
        raise _refuse(
            "threshold: must lie strictly between 0 and 1.",
            "linkage.bad_threshold",
            "Leave it empty for the default.",
        )
    if mode not in Mode.values:
        raise _refuse(
            f"mode: must be one of {', '.join(Mode.values)}.", "linkage.bad_mode", "Choose trusted or pprl."
        )
    exercise = Exercise(
        owner=actor.organisation,
        created_by=actor,
        sensitivity=Sensitivity.RESTRICTED,
        title=title,
        purpose=purpose,
        mode=mode,
        fields=[f for f in PERSON_FIELDS if f in set(fields)],
        year_from=year_from,
        year_to=year_to,
        threshold=threshold,
    )
    exercise.full_clean(exclude=["job", "owner", "summary", "fields"])
    exercise.save()
    assert actor.organisation is not None
    _add_participants(exercise, [actor.organisation, *invite], actor)
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=exercise,
        details={"mode": mode, "fields": exercise.fields, "invited": [o.pk for o in invite]},
    )
    return exercise


@transaction.atomic
def invite(
    *,
    actor: User,
    exercise: Exercise,
    organisations: Sequence[Organisation],
    request: HttpRequest | None = None,
) -> list[int]:
    if exercise.status != ExerciseStatus.OPEN:
        raise _refuse(
            "Organisations can be invited only while the exercise is open.",
            "linkage.not_open",
            "Open a new exercise to link with other organisations.",
        )
    added = _add_participants(exercise, organisations, actor)
    audit(AuditAction.UPDATE, request=request, actor=actor, obj=exercise, details={"invited": added})
    return added


@transaction.atomic
def answer_invitation(
    *, actor: User, participant: Participant, accept: bool, request: HttpRequest | None = None
) -> Participant:
    status = ParticipantStatus.ACCEPTED if accept else ParticipantStatus.DECLINED
    if not accept:
        participant.case_ids, participant.n_records, participant.n_left_out = [], 0, 0
        participant.encodings, participant.encodings_sha256 = "", ""
    participant.status = status
    participant.decided_by = actor
    participant.save()
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=participant.exercise,
        details={"participant": participant.organisation_id, "answer": status},
    )
    return participant


@transaction.atomic
def contribute_cases(
    *, actor: User, participant: Participant, request: HttpRequest | None = None
) -> Participant:
    """Trusted mode: contribute the organisation's cases in scope (only those with consent to share).

    Nothing is decrypted here: the case ids are kept and the job reads the cases when it runs.
    """
    exercise = participant.exercise
    if exercise.mode != Mode.TRUSTED:
        raise _refuse(
            "This exercise links encodings only: upload the .enc file made with `vinculo encode`.",
            "linkage.wrong_contribution",
            "Run `vinculo encode FILE --id COLUMN --secret-file KEY --out FILE.enc` and upload FILE.enc.",
        )
    ids, left_out = services.cases_in_scope(exercise, participant.organisation_id)
    if not ids:
        raise _refuse(
            "Your organisation holds no case in the exercise's scope whose consent allows sharing.",
            "linkage.nothing_to_contribute",
            "Import the cases first (Case data), or ask the coordinator to widen the years in scope.",
        )
    participant.case_ids, participant.n_records, participant.n_left_out = ids, len(ids), left_out
    participant.status = ParticipantStatus.CONTRIBUTED
    participant.contributed_by, participant.contributed_at = actor, timezone.now()
    participant.save()
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=exercise,
        details={
            "participant": participant.organisation_id,
            "cases": len(ids),
            "left_out_no_consent": left_out,
        },
    )
    return participant


@transaction.atomic
def contribute_encodings(
    *, actor: User, participant: Participant, data: bytes, file_name: str, request: HttpRequest | None = None
) -> Participant:
    """PPRL mode: check an encodings file and keep it encrypted until the exercise runs."""
    from vinculo.web.cases.protection import keyring
    from vinculo.web.cases.services import seal_bytes

    exercise = participant.exercise
    if exercise.mode != Mode.PPRL:
        raise _refuse(
            "This exercise links the cases organisations hold in the platform: contribute your cases.",
            "linkage.wrong_contribution",
            "Use “Contribute our cases” instead of uploading a file.",
        )
    encoded = services.check_encodings(data, file_name)
    n_records = len(encoded)
    participant.encodings = seal_bytes(data, keyring())
    participant.encodings_sha256 = services.checksum(data)
    participant.n_records, participant.n_left_out = n_records, 0
    participant.status = ParticipantStatus.CONTRIBUTED
    participant.contributed_by, participant.contributed_at = actor, timezone.now()
    participant.save()
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=exercise,
        details={
            "participant": participant.organisation_id,
            "encodings": n_records,
            "sha256": participant.encodings_sha256,
        },
    )
    return participant


@transaction.atomic
def start_run(*, actor: User, exercise: Exercise, request: HttpRequest | None = None) -> Exercise:
    if exercise.status == ExerciseStatus.RUNNING:
        raise _refuse(
            "The exercise is being linked already.", "linkage.running", "Wait for the run to finish."
        )
    contributed = exercise.participants.filter(status=ParticipantStatus.CONTRIBUTED).count()
    if contributed < 2:
        raise _refuse(
            f"{contributed} organisation(s) contributed; linking across lists needs at least two.",
            "linkage.too_few_sources",
            "Wait until at least two invited organisations have contributed, then run again.",
        )
    job = runner.enqueue("linkage", {"exercise": exercise.pk}, created_by=actor)
    Exercise.objects.filter(pk=exercise.pk).update(status=ExerciseStatus.RUNNING, job=job)
    exercise.refresh_from_db()
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=exercise,
        details={"run": True, "lists": contributed},
    )
    return exercise


@transaction.atomic
def decide_pair(
    *, actor: User, pair: LinkPair, decision: str, request: HttpRequest | None = None
) -> LinkPair:
    """Record a clerical review decision and re-cluster the exercise with every decision so far."""
    if decision not in (Decision.MATCH, Decision.NON_MATCH, Decision.NONE):
        raise _refuse("decision: must be match, non_match or empty.", "linkage.bad_decision", "Choose one.")
    pair.decision, pair.decided_by, pair.decided_at = decision, actor, timezone.now()
    pair.save(update_fields=["decision", "decided_by", "decided_at"])
    exercise = pair.exercise
    if exercise.threshold_used is not None:
        services.store_clusters(exercise, services.recluster(exercise, exercise.threshold_used))
        Exercise.objects.filter(pk=exercise.pk).update(summary=services.summarise(exercise))
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=exercise,
        details={"pair": pair.pk, "decision": decision or "undone"},
    )
    return pair


def open_estimate(
    *, actor: User, exercise: Exercise, stratum: str = "", request: HttpRequest | None = None
) -> Any:
    """Queue an estimate (estimates area) from the exercise's capture histories, owned by the coordinator.

    With ``stratum`` (one of the keys the exercise's summary has strata for: ``sex``, ``age_group``,
    ``exploitation``, ``year``), each stratum is estimated on its own and the estimates are summed.
    """
    from vinculo.web.estimates.actions import create_estimate

    if exercise.status != ExerciseStatus.DONE or not exercise.summary.get("histories"):
        raise _refuse(
            "The exercise has no capture histories yet.", "linkage.not_linked", "Run the exercise first."
        )
    # In the order of STRATA_KEYS (PostgreSQL's jsonb does not keep a dict's key order).
    stored = exercise.summary.get("strata") or {}
    available = [k for k in services.STRATA_KEYS if k in stored]
    if stratum and stratum not in available:
        raise _refuse(
            f"stratum: the exercise's records carry no {stratum!r} values"
            + (f" (available: {', '.join(available)})." if available else "."),
            "linkage.bad_stratum",
            "Choose one of the available strata, or none for one estimate of the whole population."
            if available
            else "Open the estimate without strata: this exercise's records carry no strata values.",
        )
    if stratum:
        sources = list(exercise.summary.get("sources") or [])
        rows = exercise.summary["strata"][stratum]
        overlap = {r[stratum] for r in rows if sum(int(r[x]) for x in sources) >= 2}
        lonely = sorted({str(r[stratum]) for r in rows} - overlap)
        if lonely:
            raise _refuse(
                f"stratum: in {', '.join(repr(v) for v in lonely)} of {stratum!r} no person is on two lists, "
                "so the number of victims no list has cannot be estimated there.",
                "linkage.stratum_not_identifiable",
                "Choose another stratum, or none for one estimate of the whole population.",
            )
    with transaction.atomic():
        estimate = create_estimate(
            actor=actor,
            title=f"{exercise.title} (linkage exercise {exercise.pk})"[:200],
            source_name=f"linkage-{exercise.pk}.csv",
            source_text=services.histories_csv(exercise.summary, by=stratum),
            settings=dict(ESTIMATE_SETTINGS),
            sensitivity=Sensitivity.RESTRICTED,
            stratum_column=stratum,
            request=request,
        )
        audit(
            AuditAction.UPDATE,
            request=request,
            actor=actor,
            obj=exercise,
            details={"estimate": estimate.pk, "stratum": stratum or None},
        )
    return estimate
