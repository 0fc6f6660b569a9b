"""Create estimates: check the table now, run the model in the background."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.models import Country
from vinculo.web.jobs import runner

from .models import Estimate
from .services import checksum, parse_tables, settings_from_dict


@transaction.atomic
def create_estimate(
    *,
    actor: User,
    title: str,
    source_name: str,
    source_text: str,
    settings: dict[str, Any],
    sensitivity: str,
    stratum_column: str = "",
    country: Country | None = None,
    year: int | None = None,
    shared_with: list[Organisation] | None = None,
    request: HttpRequest | None = None,
) -> Estimate:
    """Validate the table and the settings (raising VinculoError naming row/column), then queue the job."""
    lists, n_observed = parse_tables(source_text, source_name, stratum_column)
    settings_from_dict(settings)  # raises on impossible settings before anything is written
    job = runner.enqueue("estimate", {"title": title}, created_by=actor)
    record = Estimate(
        owner=actor.organisation,
        created_by=actor,
        sensitivity=sensitivity,
        title=title,
        country=country,
        year=year,
        source_name=source_name,
        source_csv=source_text,
        input_sha256=checksum(source_text),
        stratum_column=stratum_column,
        lists=list(lists),
        n_observed=n_observed,
        settings=settings,
        job=job,
    )
    record.full_clean(exclude=["job"])
    record.save()
    if shared_with:
        record.shared_with.set(shared_with)
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=record,
        details={
            "method": settings.get("method"),
            "ci": settings.get("ci"),
            "lists": list(lists),
            "strata": stratum_column,
        },
    )
    return record


@transaction.atomic
def delete_estimate(*, actor: User, record: Estimate, request: HttpRequest | None = None) -> None:
    audit(AuditAction.DELETE, request=request, actor=actor, obj=record)
    job = record.job
    record.delete()
    if job is not None:
        job.delete()
