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
from vinculo.web.core.bounds import ObjectId, Seed
from vinculo.web.core.models import Country, Sensitivity

from . import actions
from .models import Estimate
from .services import rates_for

router = Router(tags=["estimates"])


class EstimateOut(Schema):
    id: int
    title: str
    country: str | None
    year: int | None
    owner: int
    sensitivity: str
    lists: list[str]
    n_observed: int
    settings: dict[str, Any]
    stratum_column: str
    status: str
    percent: int
    error: str
    result: dict[str, Any] | None
    rate_per_100k: dict[str, Any] | None
    created_at: datetime

    @staticmethod
    def resolve_country(obj: Estimate) -> str | None:
        return obj.country.iso3 if obj.country is not None else None

    @staticmethod
    def resolve_owner(obj: Estimate) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_rate_per_100k(obj: Estimate) -> dict[str, Any] | None:
        return rates_for(obj.result, obj.country.iso3 if obj.country is not None else None, obj.year)

    @staticmethod
    def resolve_status(obj: Estimate) -> str:
        return obj.job.status if obj.job else "done"

    @staticmethod
    def resolve_percent(obj: Estimate) -> int:
        return obj.job.percent if obj.job else 100

    @staticmethod
    def resolve_error(obj: Estimate) -> str:
        return obj.job.error if obj.job else ""


class EstimateIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    csv: str = Field(min_length=1, max_length=1_000_000, description="The capture-history table as CSV text.")
    file_name: str = "histories.csv"
    country: str | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    method: Literal["stepwise", "bic", "aic", "main", "bayes"] = "stepwise"
    ci: Literal["wald", "profile", "bca"] = "wald"
    level: float = Field(default=0.95, gt=0.5, lt=1)
    pthresh: float = Field(default=0.02, gt=0, lt=0.5)
    max_order: int = Field(default=2, ge=1, le=4)
    nboot: int = Field(default=1000, ge=50, le=10000)
    seed: Seed = 1234
    sensitivity: Literal["public", "internal", "restricted"] = "restricted"
    stratum_column: str = Field(default="", max_length=100, description="Estimate each stratum, then sum.")


def _visible(request: HttpRequest, estimate_id: ObjectId) -> Estimate:
    record = Estimate.objects.select_related("job", "country").filter(pk=estimate_id).first()
    if record is None or not access.access_can_view(request.user, record):
        raise Http404
    return record


@router.get("", response=list[EstimateOut], summary="Estimates the caller may see")
def list_estimates(request: HttpRequest) -> list[Estimate]:
    rows = list(access.access_visible(request.user, Estimate.objects.select_related("job", "country"))[:200])
    restricted = [r.pk for r in rows if r.sensitivity == Sensitivity.RESTRICTED]
    if restricted:
        audit(
            AuditAction.VIEW, request=request, object_type="estimates.estimate", details={"ids": restricted}
        )
    return rows


@router.get("/{estimate_id}", response=EstimateOut, summary="One estimate with its status and result")
def get_estimate(request: HttpRequest, estimate_id: ObjectId) -> Estimate:
    record = _visible(request, estimate_id)
    if record.sensitivity == Sensitivity.RESTRICTED:
        audit(AuditAction.VIEW, request=request, obj=record)
    return record


@router.post(
    "", response={202: EstimateOut}, summary="Check a capture-history table and queue its estimation"
)
def create_estimate(request: HttpRequest, payload: EstimateIn) -> Status[Estimate]:
    if not access.access_can_create(request.user):
        raise HttpError(
            403, "Your role cannot create estimates. Data managers and analysts of an organisation can."
        )
    assert isinstance(request.user, User)
    country = None
    if payload.country:
        country = Country.objects.filter(iso3=payload.country.upper()).first()
        if country is None:
            raise HttpError(400, "country: not the ISO 3166-1 alpha-3 code of a known country.")
    settings = payload.dict(include={"method", "ci", "level", "pthresh", "max_order", "nboot", "seed"})
    if settings["method"] == "bayes":
        settings["ci"] = "none"
    record = actions.create_estimate(
        actor=request.user,
        title=payload.title,
        source_name=payload.file_name,
        source_text=payload.csv,
        settings=settings,
        sensitivity=payload.sensitivity,
        stratum_column=payload.stratum_column.strip(),
        country=country,
        year=payload.year,
        request=request,
    )
    return Status(202, Estimate.objects.select_related("job", "country").get(pk=record.pk))
