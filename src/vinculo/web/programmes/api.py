"""The programmes API: search with facets, detail, create, update (optimistic locking), review steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from vinculo.registry import allowed_transitions
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.bounds import MAX_OFFSET, ObjectId, Version, Year

from . import actions
from .display import params_from_query, programme_texts
from .models import Programme, ProgrammeStatus
from .search import search_programmes

router = Router(tags=["programmes and practices"])

LanguageLiteral = Literal["ar", "zh-hans", "en", "fr", "ru", "es"]
StepLiteral = Literal["submit", "start_review", "publish", "return"]


class IndicatorSchema(Schema):
    name: str = Field(max_length=300)
    unit: str = Field(default="", max_length=80)
    baseline: str = Field(default="", max_length=120)
    target: str = Field(default="", max_length=120)
    result: str = Field(default="", max_length=120)
    source: str = Field(default="", max_length=300)


class EvaluationSchema(Schema):
    evaluator_name: str = Field(default="", max_length=200)
    evaluator: str
    design: str
    date: dt.date | None = None
    method: str = ""
    relevance: str = ""
    coherence: str = ""
    effectiveness: str = ""
    efficiency: str = ""
    impact: str = ""
    sustainability: str = ""


class ProgrammeSummary(Schema):
    id: int
    title: str
    title_language: str
    status: str
    version: int
    countries: list[str]
    pillars: list[str]
    evidence_rating: str
    start_date: dt.date | None
    end_date: dt.date | None
    synthetic: bool


class ProgrammeOut(ProgrammeSummary):
    owner: int
    original_language: str
    original_title: str
    problem_statement: str
    objectives: str
    activities: str
    lessons_learned: str
    implementing_organisations: list[int]
    implementing_other: str
    funding_organisations: list[int]
    funding_other: str
    budget_amount: Decimal | None
    budget_currency: str
    forms: list[str]
    target_groups: list[str]
    evidence_rationale: str
    indicators: list[IndicatorSchema]
    evaluations: list[EvaluationSchema]
    translations: dict[str, dict[str, str]]
    related: list[int]
    documents: list[dict[str, Any]]
    steps: list[str]


class SearchOut(Schema):
    total: int
    page: int
    per_page: int
    results: list[ProgrammeSummary]
    facets: dict[str, list[tuple[str, int]]]
    typo_fallback: bool


class ProgrammeIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    original_language: LanguageLiteral = "en"
    problem_statement: str = Field(default="", max_length=50_000)
    objectives: str = Field(default="", max_length=50_000)
    activities: str = Field(default="", max_length=50_000)
    lessons_learned: str = Field(default="", max_length=50_000)
    implementing_organisations: list[ObjectId] = []
    implementing_other: str = ""
    funding_organisations: list[ObjectId] = []
    funding_other: str = ""
    countries: list[str] = []
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    budget_amount: str | None = Field(default=None, description='A decimal amount, e.g. "250000.00".')
    budget_currency: str = ""
    pillars: list[str] = []
    forms: list[str] = []
    target_groups: list[str] = []
    evidence_rating: str = "not_assessed"
    evidence_rationale: str = ""
    indicators: list[IndicatorSchema] = []
    evaluations: list[EvaluationSchema] = []
    related: list[ObjectId] = []


class ProgrammePatch(Schema):
    version: Version = Field(description="The version you edited; a newer stored version answers 409.")
    title: str | None = Field(default=None, min_length=1, max_length=300)
    original_language: LanguageLiteral | None = None
    problem_statement: str | None = None
    objectives: str | None = None
    activities: str | None = None
    lessons_learned: str | None = None
    implementing_organisations: list[ObjectId] | None = None
    implementing_other: str | None = None
    funding_organisations: list[ObjectId] | None = None
    funding_other: str | None = None
    countries: list[str] | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    budget_amount: str | None = None
    budget_currency: str | None = None
    pillars: list[str] | None = None
    forms: list[str] | None = None
    target_groups: list[str] | None = None
    evidence_rating: str | None = None
    evidence_rationale: str | None = None
    indicators: list[IndicatorSchema] | None = None
    evaluations: list[EvaluationSchema] | None = None
    related: list[ObjectId] | None = None


class StepIn(Schema):
    step: StepLiteral
    comment: str = ""
    version: Version | None = None


class TranslationIn(Schema):
    version: Version
    title: str = Field(default="", max_length=300)
    problem_statement: str = ""
    objectives: str = ""
    activities: str = ""
    lessons_learned: str = ""


class SearchQuery(Schema):
    q: str = ""
    country: list[str] = []
    region: list[str] = []
    pillar: list[str] = []
    form: list[str] = []
    target: list[str] = []
    rating: list[str] = []
    year_from: Year | None = Field(default=None, alias="from")
    year_to: Year | None = Field(default=None, alias="to")
    status: str = ""
    page: int = Field(default=1, ge=1, le=MAX_OFFSET)
    per_page: int = Field(default=20, ge=1, le=100)


def _summary(programme: Programme) -> dict[str, Any]:
    title = programme_texts(programme)["title"]
    return {
        "id": programme.pk,
        "title": title.text,
        "title_language": title.language,
        "status": programme.status,
        "version": programme.version,
        "countries": sorted(c.iso3 for c in programme.countries.all()),
        "pillars": programme.pillars,
        "evidence_rating": programme.evidence_rating,
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "synthetic": programme.synthetic,
    }


def _detail(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    data = _summary(programme) | actions.snapshot(programme)
    data.update(
        {
            "id": programme.pk,
            "owner": programme.owner_id,
            "title": programme_texts(programme)["title"].text,
            "original_title": programme.title,
            "start_date": programme.start_date,
            "end_date": programme.end_date,
            "budget_amount": programme.budget_amount,
            "related": [p.pk for p in access.access_curated_visible(request.user, programme.related.all())],
            "documents": [
                {
                    "id": d.pk,
                    "title": str(d),
                    "size": d.size,
                    "content_type": d.content_type,
                    "url": f"/programmes/{programme.pk}/documents/{d.pk}/",
                }
                for d in programme.documents.all()
            ],
            "steps": allowed_transitions(
                programme.status,
                owner=access.access_can_change_curated(request.user, programme),
                reviewer=access.access_can_review(request.user),
            ),
        }
    )
    data["countries"] = sorted(data["countries"])
    return data


def _visible(request: HttpRequest, programme_id: ObjectId) -> Programme:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or not access.access_can_view_curated(request.user, programme):
        raise Http404
    return programme


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in actions.EDITABLE}


@router.get("", response=SearchOut, summary="Search programmes, with facet counts")
def list_programmes(request: HttpRequest, filters: Query[SearchQuery]) -> dict[str, Any]:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.setlist("q", [filters.q])
    for facet in ("country", "region", "pillar", "form", "target", "rating"):
        query.setlist(facet, getattr(filters, facet))
    if filters.year_from is not None:
        query["from"] = str(filters.year_from)
    if filters.year_to is not None:
        query["to"] = str(filters.year_to)
    base = access.access_curated_visible(request.user, Programme.objects.all())
    if filters.status in ProgrammeStatus.values:
        base = base.filter(status=filters.status)
    outcome = search_programmes(base, params_from_query(query))
    start = (filters.page - 1) * filters.per_page
    ids = list(outcome.ids[start : start + filters.per_page])
    by_id = {
        p.pk: p for p in Programme.objects.filter(pk__in=ids).prefetch_related("countries", "translations")
    }
    return {
        "total": outcome.total,
        "page": filters.page,
        "per_page": filters.per_page,
        "results": [_summary(by_id[i]) for i in ids],
        "facets": outcome.facets,
        "typo_fallback": outcome.typo_fallback,
    }


@router.get("/{programme_id}", response=ProgrammeOut, summary="One programme")
def get_programme(request: HttpRequest, programme_id: ObjectId) -> dict[str, Any]:
    programme = _visible(request, programme_id)
    if programme.status != ProgrammeStatus.PUBLISHED:
        audit(AuditAction.VIEW, request=request, obj=programme, details={"status": programme.status})
    return _detail(request, programme)


@router.post("", response={201: ProgrammeOut}, summary="Describe a programme (a draft of your organisation)")
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status[dict[str, Any]]:
    if not access.access_can_create(request.user):
        raise HttpError(
            403, "Your role cannot record programmes. Data managers and analysts of an organisation can."
        )
    assert isinstance(request.user, User)
    data = payload.dict()
    programme = actions.create_programme(
        actor=request.user,
        fields=_fields(data),
        countries=data["countries"],
        implementing=data["implementing_organisations"],
        funding=data["funding_organisations"],
        related=data["related"],
        indicators=data["indicators"],
        evaluations=data["evaluations"],
        visible_programmes=access.access_curated_visible(request.user, Programme.objects.all()),
        request=request,
    )
    return Status(201, _detail(request, programme))


@router.patch(
    "/{programme_id}", response=ProgrammeOut, summary="Change a programme (send the version you edited)"
)
def update_programme(request: HttpRequest, programme_id: ObjectId, payload: ProgrammePatch) -> dict[str, Any]:
    programme = _visible(request, programme_id)
    if not access.access_can_change_curated(request.user, programme):
        raise HttpError(
            403,
            "Only the owning organisation's data managers and the author can change this programme, "
            "and only while it is a draft or returned.",
        )
    assert isinstance(request.user, User)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        saved = actions.update_programme(
            actor=request.user,
            programme=programme,
            expected_version=version,
            fields=_fields(data),
            countries=data.get("countries"),
            implementing=data.get("implementing_organisations"),
            funding=data.get("funding_organisations"),
            related=data.get("related"),
            indicators=data.get("indicators"),
            evaluations=data.get("evaluations"),
            visible_programmes=access.access_curated_visible(request.user, Programme.objects.all()),
            request=request,
        )
    except actions.ProgrammeConflictError as exc:
        raise HttpError(409, str(exc)) from exc
    return _detail(request, saved)


@router.put("/{programme_id}/translations/{language}", response=ProgrammeOut, summary="Set a translation")
def put_translation(
    request: HttpRequest, programme_id: ObjectId, language: LanguageLiteral, payload: TranslationIn
) -> dict[str, Any]:
    programme = _visible(request, programme_id)
    if not access.access_can_change_curated(request.user, programme):
        raise HttpError(403, "Only those who may change this programme can translate it.")
    assert isinstance(request.user, User)
    data = payload.dict()
    try:
        saved = actions.save_translation(
            actor=request.user,
            programme=programme,
            language=language,
            texts={k: v for k, v in data.items() if k != "version"},
            expected_version=data["version"],
            request=request,
        )
    except actions.ProgrammeConflictError as exc:
        raise HttpError(409, str(exc)) from exc
    return _detail(request, saved)


@router.post(
    "/{programme_id}/steps", response=ProgrammeOut, summary="Submit, start review, publish or return"
)
def take_step(request: HttpRequest, programme_id: ObjectId, payload: StepIn) -> dict[str, Any]:
    programme = _visible(request, programme_id)
    steps = allowed_transitions(
        programme.status,
        owner=access.access_can_change_curated(request.user, programme),
        reviewer=access.access_can_review(request.user),
    )
    if payload.step not in steps:
        raise HttpError(
            403,
            f"step: you cannot {payload.step!r} this programme now (status {programme.status!r}). "
            f"Steps open to you: {', '.join(steps) or 'none'}.",
        )
    assert isinstance(request.user, User)
    try:
        saved = actions.transition_programme(
            actor=request.user,
            programme=programme,
            name=payload.step,
            comment=payload.comment,
            expected_version=payload.version,
            request=request,
        )
    except actions.ProgrammeConflictError as exc:
        raise HttpError(409, str(exc)) from exc
    return _detail(request, saved)
