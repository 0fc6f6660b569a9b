"""Changes in the network area; each a transaction with an audit entry (contact details never in details)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest

from vinculo.coordination import check_pdf
from vinculo.errors import VinculoError
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.models import Country
from vinculo.web.treaties.actions import stale

from .models import Mechanism, Meeting, MeetingDocument, PracticeNote

MECHANISM_FIELDS = (
    "country",
    "organisation",
    "kind",
    "mandate",
    "legal_basis",
    "independence",
    "independence_note",
    "contact_email",
    "contact_phone",
    "contact_address",
)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def create_mechanism(*, actor: User, fields: dict[str, Any], request: HttpRequest | None = None) -> Mechanism:
    mechanism = Mechanism(created_by=actor, **{k: fields[k] for k in MECHANISM_FIELDS if k in fields})
    mechanism.full_clean()
    mechanism.save()
    audit(AuditAction.CREATE, request=request, actor=actor, obj=mechanism)
    return mechanism


@transaction.atomic
def update_mechanism(
    *,
    actor: User,
    mechanism_id: int,
    expected_version: int,
    fields: dict[str, Any],
    request: HttpRequest | None = None,
) -> Mechanism:
    mechanism = Mechanism.objects.select_for_update().get(pk=mechanism_id)
    if mechanism.version != expected_version:
        raise stale(str(mechanism), expected_version, mechanism.version)
    changed = [k for k in MECHANISM_FIELDS if k in fields and getattr(mechanism, k) != fields[k]]
    for k in changed:
        setattr(mechanism, k, fields[k])
    mechanism.version += 1
    mechanism.full_clean()
    mechanism.save()
    audit(AuditAction.UPDATE, request=request, actor=actor, obj=mechanism, details={"changed": changed})
    return mechanism


def _check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise VinculoError(
            f"ends_on ({ends_on.isoformat()}) is before starts_on ({starts_on.isoformat()}). Correct one of them.",
            code="coordination.dates_out_of_order",
        )


@transaction.atomic
def create_meeting(
    *,
    actor: User,
    fields: dict[str, Any],
    participants: Iterable[Organisation] = (),
    request: HttpRequest | None = None,
) -> Meeting:
    _check_dates(fields["starts_on"], fields["ends_on"])
    meeting = Meeting.objects.create(
        created_by=actor,
        **{k: fields.get(k, "") for k in ("title", "starts_on", "ends_on", "location", "agenda", "minutes")},
    )
    meeting.participants.set(list(participants))
    audit(AuditAction.CREATE, request=request, actor=actor, obj=meeting)
    return meeting


@transaction.atomic
def add_document(
    *, actor: User, meeting: Meeting, title: str, name: str, data: bytes, request: HttpRequest | None = None
) -> MeetingDocument:
    limit = int(getattr(settings, "VINCULO_MAX_DOCUMENT_BYTES", MAX_DOCUMENT_BYTES))
    check_pdf(data, name=name, max_bytes=limit)
    digest = hashlib.sha256(data).hexdigest()
    document = MeetingDocument(meeting=meeting, title=title, size=len(data), sha256=digest, uploaded_by=actor)
    document.file.save(f"{digest[:16]}.pdf", ContentFile(data), save=False)
    document.save()
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=document,
        details={"size": len(data), "sha256": digest},
    )
    return document


@transaction.atomic
def create_note(
    *,
    actor: User,
    title: str,
    text: str,
    countries: Iterable[Country] = (),
    programme_id: int | None = None,
    request: HttpRequest | None = None,
) -> PracticeNote:
    assert actor.organisation is not None
    note = PracticeNote.objects.create(
        title=title, text=text, programme_id=programme_id, author=actor.organisation, created_by=actor
    )
    note.countries.set(list(countries))
    audit(AuditAction.CREATE, request=request, actor=actor, obj=note)
    return note
