"""Administrators browse, filter and export the audit trail. Exporting it is itself audited."""

from __future__ import annotations

import csv
from datetime import date, datetime, time

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from vinculo.web.accounts import access
from vinculo.web.core.export import csv_safe

from .models import AuditAction, AuditEntry
from .record import audit


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def filtered_entries(params: dict[str, str]) -> tuple[QuerySet[AuditEntry], dict[str, str]]:
    """Apply the filters in ``params``; return the queryset and the filters that were understood."""
    queryset = AuditEntry.objects.all()
    used: dict[str, str] = {}
    if (actor := params.get("actor", "").strip()) != "":
        queryset = queryset.filter(actor_username__iexact=actor)
        used["actor"] = actor
    if (action := params.get("action", "")) in AuditAction.values:
        queryset = queryset.filter(action=action)
        used["action"] = action
    if (object_type := params.get("object_type", "").strip()) != "":
        queryset = queryset.filter(object_type=object_type)
        used["object_type"] = object_type
    if (day := _parse_day(params.get("since", ""))) is not None:
        queryset = queryset.filter(at__gte=timezone.make_aware(datetime.combine(day, time.min)))
        used["since"] = day.isoformat()
    if (day := _parse_day(params.get("until", ""))) is not None:
        queryset = queryset.filter(at__lte=timezone.make_aware(datetime.combine(day, time.max)))
        used["until"] = day.isoformat()
    return queryset, used


def entry_list(request: HttpRequest) -> HttpResponse:
    if not access.access_can_read_audit(request.user):
        raise Http404
    queryset, used = filtered_entries(request.GET.dict())
    page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    object_types = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "used": used,
            "actions": AuditAction.choices,
            "object_types": sorted(set(object_types)),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def export(request: HttpRequest) -> StreamingHttpResponse:
    if not access.access_can_read_audit(request.user):
        raise Http404
    queryset, used = filtered_entries(request.GET.dict())
    audit("export", request=request, object_type="audit.auditentry", details={"filters": used})
    writer = csv.writer(_Echo())
    header = [
        "id",
        "at",
        "actor",
        "organisation_id",
        "action",
        "object_type",
        "object_id",
        "object",
        "address",
    ]

    def rows() -> object:
        yield writer.writerow(header)
        for e in queryset.iterator(chunk_size=2000):
            yield writer.writerow(
                csv_safe(
                    [
                        e.pk,
                        e.at.isoformat(),
                        e.actor_username,
                        e.organisation_id or "",
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.object_repr,
                        e.ip_address or "",
                    ]
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")  # type: ignore[arg-type]
    response["Content-Disposition"] = 'attachment; filename="vinculo-audit.csv"'
    return response
