from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.bounds import ObjectId
from vinculo.web.core.models import Country

from . import actions
from .models import Mechanism, Meeting, PracticeNote

router = Router(tags=["national rapporteurs"])


class MechanismOut(Schema):
    id: int
    country: str
    organisation: int
    organisation_name: str
    kind: str
    mandate: str
    legal_basis: str
    independence: str
    independence_note: str
    contact: dict[str, str] | None = Field(description="Only for members of the network; otherwise null.")


class MeetingOut(Schema):
    id: int
    title: str
    starts_on: date
    ends_on: date
    location: str
    agenda: str
    minutes: str
    participants: list[int]

    @staticmethod
    def resolve_participants(obj: Meeting) -> list[int]:
        return [o.pk for o in obj.participants.all()]


class NoteOut(Schema):
    id: int
    title: str
    text: str
    countries: list[str]
    programme_id: int | None
    author: int

    @staticmethod
    def resolve_countries(obj: PracticeNote) -> list[str]:
        return [c.iso3 for c in obj.countries.all()]

    @staticmethod
    def resolve_author(obj: PracticeNote) -> int:
        return obj.author_id


class NoteIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=50000)
    countries: list[str] = []
    programme_id: ObjectId | None = None


def _out(m: Mechanism, member: bool) -> dict[str, Any]:
    return {
        "id": m.pk,
        "country": m.country.iso3,
        "organisation": m.organisation_id,
        "organisation_name": m.organisation.name,
        "kind": m.kind,
        "mandate": m.mandate,
        "legal_basis": m.legal_basis,
        "independence": m.independence,
        "independence_note": m.independence_note,
        "contact": {"email": m.contact_email, "phone": m.contact_phone, "address": m.contact_address}
        if member
        else None,
    }


@router.get(
    "", response=list[MechanismOut], summary="Directory of national rapporteurs and equivalent mechanisms"
)
def list_mechanisms(request: HttpRequest, country: str = "") -> list[dict[str, Any]]:
    member = access.access_is_network_member(request.user)
    queryset = Mechanism.objects.select_related("country", "organisation")
    if country:
        queryset = queryset.filter(country__iso3=country.upper())
    items = list(queryset)
    if member and items:
        audit(
            AuditAction.VIEW,
            request=request,
            object_type="network.mechanism",
            details={"ids": [m.pk for m in items], "contact_details": True},
        )
    return [_out(m, member) for m in items]


@router.get("/meetings", response=list[MeetingOut], summary="Consultative meetings (network members)")
def list_meetings(request: HttpRequest) -> list[Any]:
    if not access.access_is_network_member(request.user):
        raise Http404
    return list(Meeting.objects.prefetch_related("participants"))


@router.get("/notes", response=list[NoteOut], summary="Good-practice notes")
def list_notes(request: HttpRequest) -> list[Any]:
    return list(PracticeNote.objects.prefetch_related("countries"))


@router.post("/notes", response={201: NoteOut}, summary="Write a good-practice note (network members)")
def post_note(request: HttpRequest, payload: NoteIn) -> Status[Any]:
    if (
        not access.access_is_network_member(request.user)
        or getattr(request.user, "organisation_id", None) is None
    ):
        raise HttpError(
            403, "Members of a national rapporteur or equivalent mechanism write good-practice notes."
        )
    codes = [c.upper() for c in payload.countries]
    countries = list(Country.objects.filter(iso3__in=codes))
    missing = sorted(set(codes) - {c.iso3 for c in countries})
    if missing:
        raise HttpError(
            400,
            f"countries[{codes.index(missing[0])}]: not the ISO 3166-1 alpha-3 code of a known country. "
            "Use GET /api/countries.",
        )
    assert isinstance(request.user, User)
    note = actions.create_note(
        actor=request.user,
        title=payload.title,
        text=payload.text,
        countries=countries,
        programme_id=payload.programme_id,
        request=request,
    )
    return Status(201, note)


@router.get("/{mechanism_id}", response=MechanismOut, summary="One mechanism")
def get_mechanism(request: HttpRequest, mechanism_id: ObjectId) -> dict[str, Any]:
    m = Mechanism.objects.select_related("country", "organisation").filter(pk=mechanism_id).first()
    if m is None:
        raise Http404
    member = access.access_is_network_member(request.user)
    if member:
        audit(AuditAction.VIEW, request=request, obj=m, details={"contact_details": True})
    return _out(m, member)
