from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from vinculo.web.accounts import access
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.bounds import ObjectId
from vinculo.web.core.models import Country, Sensitivity

from . import actions
from .models import Notice

router = Router(tags=["information exchange"])

KindLiteral = Literal["alert", "request", "briefing"]
SensitivityLiteral = Literal["public", "internal", "restricted"]


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    sensitivity: str
    owner: int
    shared_with: list[int]
    countries: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner(obj: Notice) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_shared_with(obj: Notice) -> list[int]:
        return [o.pk for o in obj.shared_with.all()]

    @staticmethod
    def resolve_countries(obj: Notice) -> list[str]:
        return [c.iso3 for c in obj.countries.all()]


class NoticeIn(Schema):
    kind: KindLiteral = "briefing"
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=50_000)
    sensitivity: SensitivityLiteral = "restricted"
    shared_with: list[ObjectId] = []
    countries: list[str] = []


class NoticePatch(Schema):
    kind: KindLiteral | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, min_length=1, max_length=50_000)
    sensitivity: SensitivityLiteral | None = None
    shared_with: list[ObjectId] | None = None
    countries: list[str] | None = None


def _visible(request: HttpRequest, notice_id: ObjectId) -> Notice:
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or not access.access_can_view(request.user, notice):
        raise Http404
    return notice


def _organisations(ids: list[int]) -> list[Organisation]:
    found = list(Organisation.objects.filter(pk__in=ids, is_active=True))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        raise HttpError(
            400,
            f"shared_with[{ids.index(missing[0])}]: no active organisation has this id. "
            "Use GET /api/organisations.",
        )
    return found


def _countries(codes: list[str]) -> list[Country]:
    upper = [c.upper() for c in codes]
    found = list(Country.objects.filter(iso3__in=upper))
    missing = sorted(set(upper) - {c.iso3 for c in found})
    if missing:
        raise HttpError(
            400,
            f"countries[{upper.index(missing[0])}]: not the ISO 3166-1 alpha-3 code of a known country. "
            "Use GET /api/countries.",
        )
    return found


@router.get("", response=list[NoticeOut], summary="Notices the caller may see")
def list_notices(request: HttpRequest, sensitivity: SensitivityLiteral | None = None) -> list[Notice]:
    queryset = access.access_visible(request.user, Notice.objects.all()).prefetch_related(
        "shared_with", "countries"
    )
    if sensitivity:
        queryset = queryset.filter(sensitivity=sensitivity)
    notices = list(queryset[:500])
    restricted = [n.pk for n in notices if n.sensitivity == Sensitivity.RESTRICTED]
    if restricted:
        audit(AuditAction.VIEW, request=request, object_type="exchange.notice", details={"ids": restricted})
    return notices


@router.get("/{notice_id}", response=NoticeOut, summary="One notice")
def get_notice(request: HttpRequest, notice_id: ObjectId) -> Notice:
    notice = _visible(request, notice_id)
    if notice.sensitivity == Sensitivity.RESTRICTED:
        audit(AuditAction.VIEW, request=request, obj=notice)
    return notice


@router.post("", response={201: NoticeOut}, summary="Publish a notice for the caller's organisation")
def create_notice(request: HttpRequest, payload: NoticeIn) -> Status[Notice]:
    if not access.access_can_create(request.user):
        raise HttpError(
            403, "Your role cannot publish notices. Data managers and analysts of an organisation can."
        )
    assert isinstance(request.user, User)
    data = payload.dict()
    notice = actions.create_notice(
        actor=request.user,
        fields=data,
        shared_with=_organisations(data["shared_with"]),
        countries=_countries(data["countries"]),
        request=request,
    )
    return Status(201, notice)


@router.patch("/{notice_id}", response=NoticeOut, summary="Change a notice")
def update_notice(request: HttpRequest, notice_id: ObjectId, payload: NoticePatch) -> Notice:
    notice = _visible(request, notice_id)
    if not access.access_can_change(request.user, notice):
        raise HttpError(
            403, "Only the owning organisation's data managers and the author can change this notice."
        )
    assert isinstance(request.user, User)
    data = payload.dict(exclude_unset=True)
    shared = _organisations(data.pop("shared_with")) if data.get("shared_with") is not None else None
    countries = _countries(data.pop("countries")) if data.get("countries") is not None else None
    return actions.update_notice(
        actor=request.user,
        notice=notice,
        fields={k: v for k, v in data.items() if v is not None},
        shared_with=shared,
        countries=countries,
        request=request,
    )


@router.delete("/{notice_id}", response={204: None}, summary="Delete a notice")
def delete_notice(request: HttpRequest, notice_id: ObjectId) -> Status[None]:
    notice = _visible(request, notice_id)
    if not access.access_can_change(request.user, notice):
        raise HttpError(
            403, "Only the owning organisation's data managers and the author can delete this notice."
        )
    assert isinstance(request.user, User)
    actions.delete_notice(actor=request.user, notice=notice, request=request)
    return Status(204, None)
