"""Write audit entries. Every action function and every sensitive read calls :func:`audit`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .models import AuditAction, AuditEntry


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR") or None


def describe(obj: models.Model) -> str:
    """How an object is named in the trail. Administrators read the trail but may not see other
    organisations' non-public records, so those are named by type and number only, never by title."""
    sensitivity = getattr(obj, "sensitivity", None)
    if sensitivity is not None and sensitivity != "public":
        return f"{obj._meta.verbose_name} #{obj.pk}"
    return str(obj)


def audit(
    action: AuditAction | str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` defaults to the request's user; protected values never go in ``details``."""
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        if object_repr is None:
            object_repr = describe(obj)
    return AuditEntry.objects.create(
        actor=actor,
        actor_username=(actor.get_username() if actor is not None else ""),
        organisation_id=(getattr(actor, "organisation_id", None) if actor is not None else None),
        action=str(action),
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:200],
        ip_address=client_address(request),
        details=details or {},
    )
