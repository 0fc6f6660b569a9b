"""Changes to treaty entries: each one transaction, one new version and one audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from vinculo.errors import Issue, Location, VinculoError
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.countries import un_name
from vinculo.web.core.models import Country

from .models import Precision, Source, TreatyEntry, TreatyEntryVersion, TreatyStatusCode

EDITABLE = (
    "status",
    "signature_date",
    "signature_precision",
    "action_kind",
    "action_date",
    "action_precision",
    "source",
    "citation",
    "note",
)
#: Both instruments were opened for signature at Palermo on 12 December 2000.
OPENED_FOR_SIGNATURE = date(2000, 12, 12)


class StaleVersionError(VinculoError):
    """Someone else saved the record after the caller loaded it."""

    code = "coordination.stale_version"


def stale(what: str, expected: int, current: int) -> StaleVersionError:
    return StaleVersionError(
        f"{what} was changed by someone else while you were editing it (you loaded version {expected}, it is "
        f"now version {current}). Reload it, check the other change, and make yours again.",
        fields={"expected_version": expected, "current_version": current},
    )


def snapshot(entry: TreatyEntry) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in (*EDITABLE, "confirmed_at"):
        value = getattr(entry, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["confirmed_by"] = entry.confirmed_by.get_username() if entry.confirmed_by else None
    return data


def check_fields(fields: dict[str, Any]) -> None:
    """Refuse inconsistent values with every problem listed once."""
    issues: list[Issue] = []
    today = timezone.now().date()
    for name in ("signature_date", "action_date"):
        value = fields.get(name)
        if value is None:
            continue
        if value < OPENED_FOR_SIGNATURE or value > today:
            issues.append(
                Issue(
                    "coordination.invalid_date",
                    f"{name}: {value.isoformat()} is outside 2000-12-12 (opened for signature) to today.",
                    Location(field=name),
                    value=value.isoformat(),
                )
            )
        precision = fields.get(name.replace("_date", "_precision"))
        if precision == Precision.NONE:
            issues.append(
                Issue(
                    "coordination.invalid_precision",
                    f"{name} is given but its precision says 'no date'. Choose 'year only' or 'full date'.",
                    Location(field=name.replace("_date", "_precision")),
                )
            )
    for name in ("signature", "action"):
        if fields.get(f"{name}_date") is None and fields.get(f"{name}_precision") not in (
            None,
            Precision.NONE,
        ):
            issues.append(
                Issue(
                    "coordination.invalid_precision",
                    f"{name}_precision says there is a date but {name}_date is empty.",
                    Location(field=f"{name}_date"),
                )
            )
    signed, acted = fields.get("signature_date"), fields.get("action_date")
    if signed and acted and acted < signed:
        issues.append(
            Issue(
                "coordination.dates_out_of_order",
                f"action_date {acted.isoformat()} is before signature_date {signed.isoformat()}. "
                "Ratification cannot precede signature; an accession has no signature.",
                Location(field="action_date"),
            )
        )
    if fields.get("status") == TreatyStatusCode.PARTY and fields.get("action_date") is None:
        if fields.get("source") == Source.UNTC:
            issues.append(
                Issue(
                    "coordination.missing_date",
                    "A party according to the UN Treaty Collection needs the date of its act.",
                    Location(field="action_date"),
                )
            )
    if fields.get("source") not in (None, Source.NONE) and not str(fields.get("citation") or "").strip():
        issues.append(
            Issue(
                "coordination.missing_citation",
                "Cite the source of this entry (document, page and date consulted).",
                Location(field="citation"),
            )
        )
    if issues:
        raise VinculoError(
            "The treaty entry is not consistent: " + " ".join(i.message for i in issues),
            code="coordination.invalid_treaty_entry",
            issues=issues,
        )


def _save_version(entry: TreatyEntry, actor: User | None, reason: str) -> None:
    TreatyEntryVersion.objects.create(
        entry=entry, version=entry.version, data=snapshot(entry), changed_by=actor, reason=reason[:300]
    )


@transaction.atomic
def update_entry(
    *,
    actor: User,
    entry_id: int,
    expected_version: int,
    fields: dict[str, Any],
    reason: str = "",
    request: HttpRequest | None = None,
) -> TreatyEntry:
    """Change an entry if nobody changed it since ``expected_version``; the UNTC confirmation is cleared."""
    entry = TreatyEntry.objects.select_for_update().select_related("country").get(pk=entry_id)
    if entry.version != expected_version:
        raise stale(str(entry), expected_version, entry.version)
    merged = {name: fields.get(name, getattr(entry, name)) for name in EDITABLE}
    check_fields(merged)
    changed = [name for name in EDITABLE if merged[name] != getattr(entry, name)]
    for name in changed:
        setattr(entry, name, merged[name])
    entry.version += 1
    entry.updated_by = actor
    entry.confirmed_at = None
    entry.confirmed_by = None
    entry.full_clean()
    entry.save()
    _save_version(entry, actor, reason or "edit")
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=entry,
        details={"changed": changed, "version": entry.version},
    )
    return entry


@transaction.atomic
def confirm_state(*, actor: User, country: Country, request: HttpRequest | None = None) -> list[TreatyEntry]:
    """Record that an administrator checked every entry of ``country`` against the UN Treaty Collection."""
    now = timezone.now()
    entries = list(TreatyEntry.objects.select_for_update().filter(country=country).order_by("instrument"))
    for entry in entries:
        entry.confirmed_at = now
        entry.confirmed_by = actor
        entry.updated_by = actor
        entry.version += 1
        entry.save()
        _save_version(entry, actor, "confirmed against the UN Treaty Collection")
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        object_type="treaties.treatyentry",
        object_id=country.iso3,
        object_repr=f"{un_name(country.iso3, country.name)}: confirmed against UNTC",
        details={"confirmed": [e.pk for e in entries], "on": now.date().isoformat()},
    )
    return entries


def seed_rows(country_ids: dict[str, int]) -> list[dict[str, Any]]:
    """The packaged seed as field values, one dict per State and instrument (used by the data migration)."""
    from vinculo.coordination import seed_treaty_entries

    rows = []
    for item in seed_treaty_entries(country_ids):
        rows.append(
            {
                "country_id": country_ids[item.iso3],
                "instrument": item.instrument,
                "status": item.status,
                "action_date": date(item.year, 1, 1) if item.year else None,
                "action_precision": item.precision if item.year else Precision.NONE,
                "source": item.source,
                "citation": item.citation,
                "note": item.note,
            }
        )
    return rows
