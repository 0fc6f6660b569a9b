"""Changes to notices. Access is checked by the caller through ``vinculo.web.accounts.access``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.models import Country

from .models import Notice

EDITABLE = ("kind", "title", "body", "sensitivity")


@transaction.atomic
def create_notice(
    *,
    actor: User,
    fields: dict[str, Any],
    shared_with: Iterable[Organisation] = (),
    countries: Iterable[Country] = (),
    request: HttpRequest | None = None,
) -> Notice:
    notice = Notice(
        owner=actor.organisation, created_by=actor, **{k: fields[k] for k in EDITABLE if k in fields}
    )
    notice.full_clean()
    notice.save()
    notice.shared_with.set(list(shared_with))
    notice.countries.set(list(countries))
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=notice,
        details={
            "sensitivity": notice.sensitivity,
            "shared_with": sorted(o.pk for o in notice.shared_with.all()),
        },
    )
    return notice


@transaction.atomic
def update_notice(
    *,
    actor: User,
    notice: Notice,
    fields: dict[str, Any],
    shared_with: Iterable[Organisation] | None = None,
    countries: Iterable[Country] | None = None,
    request: HttpRequest | None = None,
) -> Notice:
    changed = [k for k in EDITABLE if k in fields and getattr(notice, k) != fields[k]]
    for name in changed:
        setattr(notice, name, fields[name])
    notice.full_clean()
    notice.save()
    details: dict[str, Any] = {"changed": changed}
    if countries is not None:
        notice.countries.set(list(countries))
    if "sensitivity" in changed:
        audit(
            AuditAction.PERMISSION_CHANGE,
            request=request,
            actor=actor,
            obj=notice,
            details={"sensitivity": notice.sensitivity},
        )
    if shared_with is not None:
        before = sorted(notice.shared_with.values_list("pk", flat=True))
        notice.shared_with.set(list(shared_with))
        after = sorted(notice.shared_with.values_list("pk", flat=True))
        if before != after:
            audit(
                AuditAction.PERMISSION_CHANGE,
                request=request,
                actor=actor,
                obj=notice,
                details={"shared_with": {"from": before, "to": after}},
            )
    audit(AuditAction.UPDATE, request=request, actor=actor, obj=notice, details=details)
    return notice


@transaction.atomic
def delete_notice(*, actor: User, notice: Notice, request: HttpRequest | None = None) -> None:
    audit(AuditAction.DELETE, request=request, actor=actor, obj=notice)
    notice.delete()
