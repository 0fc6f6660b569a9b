from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.core.bounds import Version
from vinculo.web.core.countries import country_name

from . import actions, services
from .models import TreatyEntry

router = Router(tags=["treaty status"])

InstrumentLiteral = Literal["untoc", "tip_protocol"]
StatusLiteral = Literal["party", "signatory", "not_party", "not_by_data_end", "unknown"]
PrecisionLiteral = Literal["none", "year", "day"]
SourceLiteral = Literal["none", "kelley_simmons_2015", "ilab_2022", "untc", "other"]
ActLiteral = Literal["", "ratification", "acceptance", "approval", "accession", "succession"]


class EntryOut(Schema):
    instrument: str
    status: str
    signature: str
    signature_precision: str
    action_kind: str
    action_date: str
    action_precision: str
    source: str
    citation: str
    note: str
    version: int
    confirmed: bool
    confirmed_at: datetime | None


class StateOut(Schema):
    iso3: str
    name: str
    region: str
    confirmed: bool
    entries: list[EntryOut]


class TreatyVersionOut(Schema):
    version: int
    changed_at: datetime
    reason: str
    data: dict[str, Any]


class EntryPatch(Schema):
    version: Version = Field(description="The version you loaded; a stale version is refused with 409.")
    status: StatusLiteral | None = None
    signature_date: date | None = None
    signature_precision: PrecisionLiteral | None = None
    action_kind: ActLiteral | None = None
    action_date: date | None = None
    action_precision: PrecisionLiteral | None = None
    source: SourceLiteral | None = None
    citation: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=5000)
    reason: str = Field(default="", max_length=300)


def _entry_out(e: TreatyEntry) -> dict[str, Any]:
    return {
        "instrument": e.instrument,
        "status": e.status,
        "signature": services.format_date(e.signature_date, e.signature_precision),
        "signature_precision": e.signature_precision,
        "action_kind": e.action_kind,
        "action_date": services.format_date(e.action_date, e.action_precision),
        "action_precision": e.action_precision,
        "source": e.source,
        "citation": e.citation,
        "note": e.note,
        "version": e.version,
        "confirmed": e.confirmed,
        "confirmed_at": e.confirmed_at,
    }


def _state_out(row: services.StateRow) -> dict[str, Any]:
    return {
        "iso3": row.country.iso3,
        "name": country_name(row.country.iso3, row.country.name),
        "region": row.region,
        "confirmed": row.confirmed,
        "entries": [_entry_out(e) for _, e in sorted(row.entries.items())],
    }


@router.get("", response=list[StateOut], summary="Treaty status of every UN Member State (incomplete)")
def list_states(
    request: HttpRequest,
    region: str = "",
    untoc: StatusLiteral | None = None,
    tip_protocol: StatusLiteral | None = None,
    confirmed: Literal["yes", "no"] | None = None,
    q: str = "",
) -> list[dict[str, Any]]:
    params = {
        "region": region,
        "untoc": untoc or "",
        "tip_protocol": tip_protocol or "",
        "confirmed": confirmed or "",
        "q": q,
    }
    return [_state_out(r) for r in services.filter_rows(services.state_rows(), params)]


def _row(iso3: str) -> services.StateRow:
    for row in services.state_rows():
        if row.country.iso3 == iso3.upper():
            return row
    raise Http404


@router.get("/{iso3}", response=StateOut, summary="One State's treaty status")
def get_state(request: HttpRequest, iso3: str) -> dict[str, Any]:
    return _state_out(_row(iso3))


def _entry(iso3: str, instrument: str) -> TreatyEntry:
    entry = TreatyEntry.objects.filter(
        country__iso3=iso3.upper(), country__un_member=True, instrument=instrument
    ).first()
    if entry is None:
        raise Http404
    return entry


@router.post(
    "/{iso3}/confirm", response=StateOut, summary="Confirm a State against the UNTC (administrators)"
)
def confirm_state(request: HttpRequest, iso3: str) -> dict[str, Any]:
    if not access.access_is_admin(request.user):
        raise HttpError(403, "Only administrators confirm entries against the UN Treaty Collection.")
    row = _row(iso3)
    assert isinstance(request.user, User)
    actions.confirm_state(actor=request.user, country=row.country, request=request)
    return _state_out(_row(iso3))


@router.patch(
    "/{iso3}/{instrument}", response=EntryOut, summary="Change an entry (reviewers, administrators)"
)
def patch_entry(
    request: HttpRequest, iso3: str, instrument: InstrumentLiteral, payload: EntryPatch
) -> dict[str, Any]:
    if not access.access_can_curate_coordination(request.user):
        raise HttpError(403, "Only reviewers and administrators can change treaty entries.")
    entry = _entry(iso3, instrument)
    assert isinstance(request.user, User)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    reason = data.pop("reason", "")
    try:
        updated = actions.update_entry(
            actor=request.user,
            entry_id=entry.pk,
            expected_version=version,
            fields=data,
            reason=reason,
            request=request,
        )
    except actions.StaleVersionError as exc:
        raise HttpError(409, str(exc)) from exc
    return _entry_out(updated)


@router.get(
    "/{iso3}/{instrument}/history",
    response=list[TreatyVersionOut],
    summary="Edit history (signed-in members)",
)
def entry_history(request: HttpRequest, iso3: str, instrument: InstrumentLiteral) -> list[Any]:
    if not request.user.is_authenticated:
        raise Http404
    return list(_entry(iso3, instrument).versions.order_by("-version"))
