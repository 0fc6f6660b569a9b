"""Changes to events; each a transaction with an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from vinculo.coordination import CalendarEvent, render_calendar
from vinculo.errors import VinculoError
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.treaties.actions import StaleVersionError, stale

from .models import Event

FIELDS = ("kind", "title", "description", "location", "url", "starts_on", "ends_on", "yearly")


def _check(fields: dict[str, Any]) -> None:
    if fields["ends_on"] < fields["starts_on"]:
        raise VinculoError(
            f"ends_on ({fields['ends_on'].isoformat()}) is before starts_on ({fields['starts_on'].isoformat()}). "
            "Correct one of them.",
            code="coordination.dates_out_of_order",
        )


@transaction.atomic
def create_event(*, actor: User, fields: dict[str, Any], request: HttpRequest | None = None) -> Event:
    _check(fields)
    event = Event(created_by=actor, **{k: fields[k] for k in FIELDS if k in fields})
    event.full_clean()
    event.save()
    audit(AuditAction.CREATE, request=request, actor=actor, obj=event)
    return event


@transaction.atomic
def update_event(
    *,
    actor: User,
    event_id: int,
    expected_version: int,
    fields: dict[str, Any],
    request: HttpRequest | None = None,
) -> Event:
    event = Event.objects.select_for_update().get(pk=event_id)
    if event.version != expected_version:
        raise stale(str(event), expected_version, event.version)
    merged = {k: fields.get(k, getattr(event, k)) for k in FIELDS}
    _check(merged)
    changed = [k for k in FIELDS if merged[k] != getattr(event, k)]
    for k in changed:
        setattr(event, k, merged[k])
    event.version += 1
    event.full_clean()
    event.save()
    audit(AuditAction.UPDATE, request=request, actor=actor, obj=event, details={"changed": changed})
    return event


@transaction.atomic
def delete_event(*, actor: User, event: Event, request: HttpRequest | None = None) -> None:
    audit(AuditAction.DELETE, request=request, actor=actor, obj=event)
    event.delete()


def calendar_text(events: list[Event], *, host: str) -> str:
    """The events as an RFC 5545 calendar (all-day events; DTEND is the day after the last day)."""
    from datetime import timedelta

    items = [
        CalendarEvent(
            uid=f"{e.uid}@{host}",
            summary=e.title,
            start=e.starts_on,
            end=e.ends_on + timedelta(days=1),
            description=e.description,
            location=e.location,
            url=e.url,
            categories=(e.get_kind_display(),),
            yearly=e.yearly,
            stamp=e.updated_at,
            sequence=e.version - 1,
        )
        for e in events
    ]
    return render_calendar(items, prodid="-//vinculo//coordination events//EN", name="vinculo events")


__all__ = ["StaleVersionError", "calendar_text", "create_event", "delete_event", "update_event"]
