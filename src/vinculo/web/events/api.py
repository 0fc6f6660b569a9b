from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.core.bounds import ObjectId, Version

from . import actions
from .models import Event

router = Router(tags=["events"])

KindLiteral = Literal["world_day", "meeting", "launch", "other"]


class EventOut(Schema):
    id: int
    uid: str
    kind: str
    title: str
    description: str
    location: str
    url: str
    starts_on: date
    ends_on: date
    yearly: bool
    version: int

    @staticmethod
    def resolve_uid(obj: Event) -> str:
        return str(obj.uid)


class EventIn(Schema):
    kind: KindLiteral = "meeting"
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20000)
    location: str = Field(default="", max_length=200)
    url: str = Field(default="", max_length=500)
    starts_on: date
    ends_on: date
    yearly: bool = False


class EventPatch(Schema):
    version: Version
    kind: KindLiteral | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20000)
    location: str | None = Field(default=None, max_length=200)
    starts_on: date | None = None
    ends_on: date | None = None
    yearly: bool | None = None


def _curator(request: HttpRequest) -> User:
    if not access.access_can_curate_coordination(request.user):
        raise HttpError(403, "Reviewers and administrators keep the events calendar.")
    assert isinstance(request.user, User)
    return request.user


@router.get("", response=list[EventOut], summary="All events")
def list_events(request: HttpRequest) -> list[Any]:
    return list(Event.objects.all())


@router.get("/{event_id}", response=EventOut, summary="One event")
def get_event(request: HttpRequest, event_id: ObjectId) -> Any:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


@router.post("", response={201: EventOut}, summary="Add an event (reviewers, administrators)")
def post_event(request: HttpRequest, payload: EventIn) -> Status[Any]:
    user = _curator(request)
    return Status(201, actions.create_event(actor=user, fields=payload.dict(), request=request))


@router.patch("/{event_id}", response=EventOut, summary="Change an event (reviewers, administrators)")
def patch_event(request: HttpRequest, event_id: ObjectId, payload: EventPatch) -> Any:
    user = _curator(request)
    if not Event.objects.filter(pk=event_id).exists():
        raise Http404
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        return actions.update_event(
            actor=user,
            event_id=event_id,
            expected_version=version,
            fields={k: v for k, v in data.items() if v is not None},
            request=request,
        )
    except actions.StaleVersionError as exc:
        raise HttpError(409, str(exc)) from exc
