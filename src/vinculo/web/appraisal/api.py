from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.bounds import ObjectId, Version, Year

from . import actions, services
from .models import ActionPoint, Cycle, Pillar, Questionnaire

router = Router(tags=["appraisal of the Global Plan of Action"])

ProgressLiteral = Literal["", "not_started", "in_progress", "achieved", "not_applicable"]


class PointOut(Schema):
    code: str
    text: str
    reference: str
    provisional: bool
    version: int


class PillarOut(Schema):
    code: str
    title: str
    action_points: list[PointOut]

    @staticmethod
    def resolve_action_points(obj: Pillar) -> list[Any]:
        return list(obj.action_points.all())


class AppraisalCycleOut(Schema):
    year: int
    title: str
    is_open: bool


class AnswerIO(Schema):
    status: ProgressLiteral = ""
    narrative: str = Field(default="", max_length=20000)
    evidence_links: list[str] = Field(default=[], max_length=10)


class QuestionnaireOut(Schema):
    id: int
    cycle: int
    organisation: int
    status: str
    version: int
    submitted_at: datetime | None
    answers: dict[str, AnswerIO]


class QuestionnaireIn(Schema):
    version: Version
    answers: dict[str, AnswerIO]
    submit: bool = False


class PointPatch(Schema):
    version: Version
    text: str = Field(min_length=1, max_length=5000)
    reference: str = Field(default="", max_length=40)
    provisional: bool = True


def _q_out(q: Questionnaire) -> dict[str, Any]:
    return {
        "id": q.pk,
        "cycle": q.cycle.year,
        "organisation": q.organisation_id,
        "status": q.status,
        "version": q.version,
        "submitted_at": q.submitted_at,
        "answers": {
            a.action_point.code: {
                "status": a.status,
                "narrative": a.narrative,
                "evidence_links": a.evidence_links,
            }
            for a in q.answers.select_related("action_point")
        },
    }


@router.get("/pillars", response=list[PillarOut], summary="Pillars and action points of the Plan")
def list_pillars(request: HttpRequest) -> list[Any]:
    return list(Pillar.objects.prefetch_related("action_points"))


@router.get("/cycles", response=list[AppraisalCycleOut], summary="Appraisal cycles")
def list_cycles(request: HttpRequest) -> list[Any]:
    return list(Cycle.objects.all())


@router.get(
    "/dashboard", response=dict[str, Any], summary="Counts of answers by status (submitted questionnaires)"
)
def get_dashboard(request: HttpRequest, cycle: Year | None = None) -> dict[str, Any]:
    chosen = Cycle.objects.filter(year=cycle).first() if cycle else Cycle.objects.first()
    data = services.dashboard_data(chosen)
    return {
        "cycle": chosen.year if chosen else None,
        "submitted": data["submitted"],
        # Aggregates need this many responding organisations; "withheld" says why a cycle shows none.
        "minimum_organisations": data["minimum_organisations"],
        "withheld": data["withheld"],
        "tables": data["tables"],
    }


@router.post(
    "/cycles/{year}/questionnaires",
    response={201: QuestionnaireOut},
    summary="Start the caller's organisation's questionnaire",
)
def start_questionnaire(request: HttpRequest, year: Year) -> Status[Any]:
    user = request.user
    if not access.access_can_fill_questionnaire(user, getattr(user, "organisation_id", None)):
        raise HttpError(403, "Data managers and analysts of an organisation answer its questionnaire.")
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        raise Http404
    assert isinstance(user, User)
    return Status(201, _q_out(actions.start_questionnaire(actor=user, cycle=cycle, request=request)))


def _visible(request: HttpRequest, qid: ObjectId) -> Questionnaire:
    q = Questionnaire.objects.select_related("cycle").filter(pk=qid).first()
    if q is None or not access.access_can_view_questionnaire(request.user, q.organisation_id, q.submitted):
        raise Http404
    return q


@router.get("/questionnaires/{qid}", response=QuestionnaireOut, summary="One questionnaire")
def get_questionnaire(request: HttpRequest, qid: ObjectId) -> dict[str, Any]:
    q = _visible(request, qid)
    if q.organisation_id != getattr(request.user, "organisation_id", None):
        audit(AuditAction.VIEW, request=request, obj=q)
    return _q_out(q)


@router.put("/questionnaires/{qid}", response=QuestionnaireOut, summary="Save answers as draft, or submit")
def put_questionnaire(request: HttpRequest, qid: ObjectId, payload: QuestionnaireIn) -> dict[str, Any]:
    q = _visible(request, qid)
    if not access.access_can_fill_questionnaire(request.user, q.organisation_id):
        raise HttpError(403, "Only data managers and analysts of the organisation answer its questionnaire.")
    assert isinstance(request.user, User)
    try:
        saved = actions.save_answers(
            actor=request.user,
            questionnaire_id=q.pk,
            expected_version=payload.version,
            answers={k: v.dict() for k, v in payload.answers.items()},
            submit=payload.submit,
            request=request,
        )
    except actions.StaleVersionError as exc:
        raise HttpError(409, str(exc)) from exc
    return _q_out(Questionnaire.objects.select_related("cycle").get(pk=saved.pk))


@router.patch("/action-points/{code}", response=PointOut, summary="Correct an action point (administrators)")
def patch_point(request: HttpRequest, code: str, payload: PointPatch) -> Any:
    if not access.access_is_admin(request.user):
        raise HttpError(403, "Only administrators correct the action points.")
    point = ActionPoint.objects.filter(code=code).first()
    if point is None:
        raise Http404
    assert isinstance(request.user, User)
    try:
        return actions.update_action_point(
            actor=request.user,
            point_id=point.pk,
            expected_version=payload.version,
            text=payload.text,
            reference=payload.reference,
            provisional=payload.provisional,
            request=request,
        )
    except actions.StaleVersionError as exc:
        raise HttpError(409, str(exc)) from exc
