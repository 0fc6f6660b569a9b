from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from vinculo.web.accounts import access
from vinculo.web.core.bounds import Offset, page_size

from .models import AuditEntry
from .record import audit
from .views import filtered_entries

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    ip_address: str | None
    details: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: AuditEntry) -> str:
        return obj.actor_username


class AuditFilters(Schema):
    actor: str = ""
    action: str = ""
    object_type: str = ""
    since: str = ""
    until: str = ""
    limit: Annotated[int, page_size(1000)] = 100
    offset: Offset = 0


@router.get("", response=list[AuditOut], summary="Audit entries (administrators only)")
def list_entries(request: HttpRequest, filters: Query[AuditFilters]) -> list[AuditEntry]:
    if not access.access_can_read_audit(request.user):
        raise Http404
    params = filters.dict()
    limit = int(params.pop("limit"))
    offset = int(params.pop("offset"))
    queryset, used = filtered_entries({k: str(v) for k, v in params.items()})
    rows = list(queryset[offset : offset + limit])
    audit("export", request=request, object_type="audit.auditentry", details={"filters": used, "api": True})
    return rows
