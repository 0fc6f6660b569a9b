"""The linkage exercises API (mounted at ``/api/linkage``); the same rules as the pages (``linkage.access``).

An exercise the caller may not see answers 404, like an unknown one. Answers hold counts, the
caller's own records' cluster ids and how many other lists share them — never another organisation's
records or any identifier.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from vinculo.web.accounts import access as platform_access
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.bounds import ObjectId, Year

from . import access, actions, presentation
from .models import PERSON_FIELDS, Exercise, LinkedRecord, LinkPair, Participant
from .services import MAX_ENCODINGS_BYTES

router = Router(tags=["linkage"])

PersonField = Literal[PERSON_FIELDS]  # type: ignore[valid-type]


class ParticipantOut(Schema):
    organisation: int
    source_name: str
    status: str
    n_records: int
    n_left_out: int

    @staticmethod
    def resolve_organisation(obj: Participant) -> int:
        return obj.organisation_id


class ExerciseOut(Schema):
    id: int
    title: str
    purpose: str
    owner: int
    mode: str
    fields: list[str]
    year_from: int | None
    year_to: int | None
    threshold: float | None
    status: str
    percent: int
    error: str
    participants: list[ParticipantOut]
    summary: dict[str, Any]
    created_at: datetime

    @staticmethod
    def resolve_owner(obj: Exercise) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_percent(obj: Exercise) -> int:
        return obj.job.percent if obj.job else 0

    @staticmethod
    def resolve_error(obj: Exercise) -> str:
        return obj.job.error if obj.job else ""

    @staticmethod
    def resolve_participants(obj: Exercise) -> list[Participant]:
        return list(obj.participants.all())


class ExerciseIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=2000)
    mode: Literal["trusted", "pprl"] = "trusted"
    fields: list[PersonField] = Field(
        default=list(PERSON_FIELDS), min_length=1, max_length=len(PERSON_FIELDS)
    )
    year_from: Year | None = None
    year_to: Year | None = None
    threshold: float | None = Field(default=None, gt=0, lt=1)
    invite: list[ObjectId] = Field(default=[], max_length=100)


class InviteIn(Schema):
    organisations: list[ObjectId] = Field(min_length=1, max_length=100)


class AnswerIn(Schema):
    accept: bool


class RecordOut(Schema):
    reference: str
    case: int | None
    cluster_id: int
    n_other_sources: int


class PairOut(Schema):
    id: int
    left: str
    right: str
    probability: float
    decision: str


class DecisionIn(Schema):
    decision: Literal["match", "non_match", ""]


Stratum = Literal["", "sex", "age_group", "exploitation", "year"]


class EstimateCreated(Schema):
    estimate: int


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise HttpError(403, "Sign in, or send an API token.")
    return user


def _visible(request: HttpRequest, exercise_id: int) -> Exercise:
    exercise = Exercise.objects.select_related("job").filter(pk=exercise_id).first()
    if exercise is None or not access.access_can_view_exercise(request.user, exercise):
        raise Http404
    return exercise


def _organisations(ids: list[int]) -> list[Organisation]:
    found = list(Organisation.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(set(ids)):
        raise HttpError(400, "organisations: not all are active organisations of the platform.")
    return found


def _fresh(exercise: Exercise) -> Exercise:
    return Exercise.objects.select_related("job").get(pk=exercise.pk)


@router.get(
    "", response=list[ExerciseOut], summary="Exercises your organisation coordinates or is invited to"
)
def list_exercises(request: HttpRequest) -> list[Exercise]:
    rows = list(access.access_visible_exercises(request.user, Exercise.objects.select_related("job"))[:200])
    if rows:
        audit(
            AuditAction.VIEW,
            request=request,
            object_type="linkage.exercise",
            details={"ids": [r.pk for r in rows]},
        )
    return rows


@router.post("", response={201: ExerciseOut}, summary="Open an exercise coordinated by your organisation")
def open_exercise(request: HttpRequest, payload: ExerciseIn) -> Status[Exercise]:
    if not access.access_can_open_exercise(request.user):
        raise HttpError(403, "Only data managers of an organisation open linkage exercises.")
    exercise = actions.open_exercise(
        actor=_user(request),
        title=payload.title,
        purpose=payload.purpose,
        mode=payload.mode,
        fields=list(payload.fields),
        year_from=payload.year_from,
        year_to=payload.year_to,
        threshold=payload.threshold,
        invite=_organisations(payload.invite),
        request=request,
    )
    return Status(201, _fresh(exercise))


@router.get(
    "/{exercise_id}", response=ExerciseOut, summary="One exercise: organisations, status, result counts"
)
def get_exercise(request: HttpRequest, exercise_id: ObjectId) -> Exercise:
    exercise = _visible(request, exercise_id)
    audit(AuditAction.VIEW, request=request, obj=exercise)
    return exercise


@router.post("/{exercise_id}/invitations", response=ExerciseOut, summary="Invite organisations")
def invite(request: HttpRequest, exercise_id: ObjectId, payload: InviteIn) -> Exercise:
    exercise = _visible(request, exercise_id)
    if not access.access_can_manage_exercise(request.user, exercise):
        raise HttpError(403, "Only the coordinating organisation's data managers invite.")
    actions.invite(
        actor=_user(request),
        exercise=exercise,
        organisations=_organisations(payload.organisations),
        request=request,
    )
    return _fresh(exercise)


@router.post(
    "/{exercise_id}/answer",
    response=ParticipantOut,
    summary="Accept or decline your organisation's invitation",
)
def answer(request: HttpRequest, exercise_id: ObjectId, payload: AnswerIn) -> Participant:
    exercise = _visible(request, exercise_id)
    participant = access.access_participant(request.user, exercise)
    if participant is None or not access.access_can_answer_invitation(request.user, participant):
        raise HttpError(
            403, "Only the invited organisation's data managers answer, while the exercise is open."
        )
    return actions.answer_invitation(
        actor=_user(request), participant=participant, accept=payload.accept, request=request
    )


def _contributor(request: HttpRequest, exercise_id: int) -> Participant:
    exercise = _visible(request, exercise_id)
    participant = access.access_participant(request.user, exercise)
    if participant is None or not access.access_can_contribute(request.user, participant):
        raise HttpError(
            403, "Only the data managers of an organisation that accepted the invitation contribute."
        )
    return participant


@router.post(
    "/{exercise_id}/contributions/cases",
    response=ParticipantOut,
    summary="Trusted mode: contribute your cases in scope (those whose consent allows sharing)",
)
def contribute_cases(request: HttpRequest, exercise_id: ObjectId) -> Participant:
    participant = _contributor(request, exercise_id)
    return actions.contribute_cases(actor=_user(request), participant=participant, request=request)


@router.post(
    "/{exercise_id}/contributions/encodings",
    response=ParticipantOut,
    summary="PPRL mode: upload the encodings file made with `vinculo encode`",
)
def contribute_encodings(
    request: HttpRequest, exercise_id: ObjectId, file: File[UploadedFile]
) -> Participant:
    participant = _contributor(request, exercise_id)
    size = int(file.size or 0)
    if size > MAX_ENCODINGS_BYTES or getattr(file, "truncated", False):
        raise HttpError(413, f"The encodings file is over the limit of {MAX_ENCODINGS_BYTES:,} bytes.")
    data = file.read(MAX_ENCODINGS_BYTES + 1)
    return actions.contribute_encodings(
        actor=_user(request),
        participant=participant,
        data=data,
        file_name=file.name or "upload.enc",
        request=request,
    )


@router.post(
    "/{exercise_id}/run", response={202: ExerciseOut}, summary="Link the contributed lists (background job)"
)
def run(request: HttpRequest, exercise_id: ObjectId) -> Status[Exercise]:
    exercise = _visible(request, exercise_id)
    if not access.access_can_manage_exercise(request.user, exercise):
        raise HttpError(403, "Only the coordinating organisation's data managers run the exercise.")
    actions.start_run(actor=_user(request), exercise=exercise, request=request)
    return Status(202, _fresh(exercise))


@router.get(
    "/{exercise_id}/records",
    response=list[RecordOut],
    summary="Your organisation's records: cluster id and how many other lists share it",
)
def records(request: HttpRequest, exercise_id: ObjectId) -> list[dict[str, Any]]:
    exercise = _visible(request, exercise_id)
    participant = access.access_participant(request.user, exercise)
    rows = (
        list(LinkedRecord.objects.filter(exercise=exercise, participant=participant)[:10000])
        if participant
        else []
    )
    audit(AuditAction.VIEW, request=request, obj=exercise, details={"own_records": len(rows)})
    return [
        {
            "reference": presentation.record_reference(r),
            "case": r.case_id,
            "cluster_id": r.cluster_id,
            "n_other_sources": r.n_other_sources,
        }
        for r in rows
    ]


@router.get(
    "/{exercise_id}/pairs",
    response=list[PairOut],
    summary="Pairs of your organisation's own records in the uncertain band, for clerical review",
)
def pairs(request: HttpRequest, exercise_id: ObjectId) -> list[dict[str, Any]]:
    exercise = _visible(request, exercise_id)
    rows = list(access.access_reviewable_pairs(request.user, exercise)[:1000])
    if rows:
        audit(AuditAction.VIEW, request=request, obj=exercise, details={"review_pairs": [p.pk for p in rows]})
    return [
        {
            "id": p.pk,
            "left": presentation.record_reference(p.left),
            "right": presentation.record_reference(p.right),
            "probability": p.probability,
            "decision": p.decision,
        }
        for p in rows
    ]


@router.post(
    "/{exercise_id}/pairs/{pair_id}", response=PairOut, summary="Decide a pair: match or not; re-clusters"
)
def decide(
    request: HttpRequest, exercise_id: ObjectId, pair_id: ObjectId, payload: DecisionIn
) -> dict[str, Any]:
    exercise = _visible(request, exercise_id)
    pair = (
        LinkPair.objects.select_related("exercise", "left", "right")
        .filter(pk=pair_id, exercise=exercise)
        .first()
    )
    if pair is None or not access.access_can_review_pair(request.user, pair):
        raise Http404
    actions.decide_pair(actor=_user(request), pair=pair, decision=payload.decision, request=request)
    return {
        "id": pair.pk,
        "left": presentation.record_reference(pair.left),
        "right": presentation.record_reference(pair.right),
        "probability": pair.probability,
        "decision": pair.decision,
    }


@router.post(
    "/{exercise_id}/estimate",
    response={202: EstimateCreated},
    summary="Open an estimate (estimates area) from the exercise's capture histories",
)
def estimate(
    request: HttpRequest,
    exercise_id: ObjectId,
    stratum: Stratum = "",
) -> Status[dict[str, int]]:
    """``?stratum=sex`` (or ``age_group``, ``exploitation``, ``year``): each stratum is estimated on
    its own and the estimates summed; only strata the exercise's records carry values of."""
    exercise = _visible(request, exercise_id)
    if not (
        access.access_can_manage_exercise(request.user, exercise)
        and platform_access.access_can_create(request.user)
    ):
        raise HttpError(403, "Only the coordinating organisation's data managers open the estimate.")
    record = actions.open_estimate(
        actor=_user(request),
        exercise=exercise,
        stratum=stratum,
        request=request,
    )
    return Status(202, {"estimate": record.pk})
