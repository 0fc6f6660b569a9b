"""The case-data API (``/api/cases``): submissions, browsing, counts, detail, history, exports.

Same access rules and audit entries as the pages. Small counts shown to callers outside the owning
organisation are the string ``"<5"``; a cell withheld so that a "<5" cannot be derived from the total is ``"x"``.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from vinculo.charts import Suppressed
from vinculo.errors import VinculoError
from vinculo.web.accounts import access
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.bounds import ObjectId, Offset, Year, page_size

from . import actions, exports
from .models import CaseRecord, CaseVersion, Submission
from .protection import DIMENSIONS, EXTRA_KEY, open_protected, open_source_id, row_values
from .queries import CaseFilter, count_summary, protect, shown, total_and_exact, visible_cases, visible_facts
from .uploads import read_upload

router = Router(tags=["case data"])

SensitivityLiteral = Literal["public", "internal", "restricted"]


class SubmissionOut(Schema):
    id: int
    number: int
    file_name: str
    mapping_name: str
    status: str
    percent: int
    error: str
    format: str
    sheet: str
    encoding: str
    sensitivity: str
    n_records: int
    n_invalid: int
    n_errors: int
    n_warnings: int
    file_errors: int
    counts_by_entity: dict[str, int]
    issue_counts: dict[str, int]
    n_created: int
    n_changed: int
    n_unchanged: int
    n_quarantined: int
    created_at: datetime
    committed_at: datetime | None

    @staticmethod
    def resolve_percent(obj: Submission) -> int:
        if obj.status in ("validating", "importing") and obj.job is not None:
            return int(obj.job.percent)
        return 100


class SubmissionIn(Schema):
    file_name: str = Field(min_length=1, max_length=200)
    content_base64: str = Field(min_length=1, description="The case file, base64-encoded.")
    mapping_name: str = ""
    mapping_base64: str = ""
    sensitivity: SensitivityLiteral = "restricted"
    shared_with: list[ObjectId] = []


class ConfirmIn(Schema):
    valid_only: bool = False


class ProblemsOut(Schema):
    total: int
    offset: int
    problems: list[dict[str, Any]]


class CaseOut(Schema):
    id: int
    source_record_id: str | None = Field(
        None, description="The file's own record id: an identifier, for the owner's data managers only."
    )
    owner: int
    sensitivity: str
    version: int
    submission: int
    consent_to_share: bool
    year: int | None = None
    age_group: str = ""
    values: dict[str, Any] = Field(
        description="Non-protected values. Outside the owning organisation and those it shares the case "
        "with (a public case), only coded values: code lists, countries, languages, yes/no."
    )
    identifiers: dict[str, Any] | None = None
    updated_at: datetime


class CaseListOut(Schema):
    total: int | str
    offset: int
    cases: list[CaseOut]


class CaseVersionOut(Schema):
    version: int
    submission: int
    submitted_by: str
    at: datetime
    sensitivity: str
    values: dict[str, Any]
    identifiers: dict[str, Any] | None = None


def _user(request: HttpRequest) -> User:
    if not access.access_can_submit_cases(request.user):
        raise HttpError(403, "Only data managers of an organisation can submit case files.")
    assert isinstance(request.user, User)
    return request.user


def _own_submission(request: HttpRequest, submission_id: ObjectId) -> Submission:
    submission = Submission.objects.select_related("job").filter(pk=submission_id).first()
    if submission is None or not access.access_can_manage_case_submission(request.user, submission):
        raise Http404
    return submission


def _organisations(ids: list[int]) -> list[Organisation]:
    found = list(Organisation.objects.filter(pk__in=ids, is_active=True))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        raise HttpError(
            400,
            f"shared_with[{ids.index(missing[0])}]: no active organisation has this id. "
            "Use GET /api/organisations.",
        )
    return found


def _decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise HttpError(400, f"{what}: not valid base64. Encode the file's bytes with base64.") from exc


def _created(submission: Submission) -> Status[Submission]:
    status = 202 if submission.status == "validating" else 201
    return Status(status, Submission.objects.select_related("job").get(pk=submission.pk))


def _create(**kwargs: Any) -> Submission:
    """``actions.create_submission``; a file over the limit answers 413 with the sizes."""
    try:
        return actions.create_submission(**kwargs)
    except VinculoError as exc:
        if exc.code == "cases.file_too_large":
            raise HttpError(413, str(exc)) from exc
        raise


def _read(upload: UploadedFile) -> bytes:
    try:
        return read_upload(upload)
    except VinculoError as exc:
        if exc.code == "cases.file_too_large":
            raise HttpError(413, str(exc)) from exc
        raise


@router.post(
    "/submissions",
    response={201: SubmissionOut, 202: SubmissionOut},
    summary="Submit a case file (base64 JSON)",
)
def submit_json(request: HttpRequest, payload: SubmissionIn) -> Status[Submission]:
    user = _user(request)
    submission = _create(
        actor=user,
        data=_decode(payload.content_base64, "content_base64"),
        file_name=payload.file_name,
        mapping_data=_decode(payload.mapping_base64, "mapping_base64") if payload.mapping_base64 else b"",
        mapping_name=payload.mapping_name or ("mapping.csv" if payload.mapping_base64 else ""),
        sensitivity=payload.sensitivity,
        shared_with=_organisations(payload.shared_with),
        request=request,
    )
    return _created(submission)


@router.post(
    "/submissions/upload",
    response={201: SubmissionOut, 202: SubmissionOut},
    summary="Submit a case file (multipart upload)",
    description="The file is kept in memory, never in a temporary file; a file over the platform's limit "
    "(VINCULO_CASES_MAX_BYTES) answers 413.",
)
def submit_multipart(
    request: HttpRequest,
    file: File[UploadedFile],
    mapping: File[UploadedFile | None] = None,
    sensitivity: Form[SensitivityLiteral] = "restricted",
    shared_with: Form[list[ObjectId]] = [],  # noqa: B006 - ninja reads the default, never mutates it
) -> Status[Submission]:
    user = _user(request)
    submission = _create(
        actor=user,
        data=_read(file),
        file_name=file.name or "upload",
        mapping_data=_read(mapping) if mapping else b"",
        mapping_name=(mapping.name or "mapping.csv") if mapping else "",
        sensitivity=sensitivity,
        shared_with=_organisations(shared_with),
        request=request,
    )
    return _created(submission)


@router.get("/submissions", response=list[SubmissionOut], summary="Your organisation's submissions")
def list_submissions(request: HttpRequest) -> list[Submission]:
    user = _user(request)
    return list(Submission.objects.filter(owner_id=user.organisation_id).select_related("job")[:200])


@router.get("/submissions/{submission_id}", response=SubmissionOut, summary="A submission: checks and status")
def get_submission(request: HttpRequest, submission_id: ObjectId) -> Submission:
    submission = _own_submission(request, submission_id)
    audit(AuditAction.VIEW, request=request, obj=submission)
    return submission


@router.get(
    "/submissions/{submission_id}/problems", response=ProblemsOut, summary="Every problem found, page by page"
)
def get_problems(
    request: HttpRequest,
    submission_id: ObjectId,
    offset: Offset = 0,
    limit: Annotated[int, page_size(10_000)] = 1000,
) -> dict[str, Any]:
    submission = _own_submission(request, submission_id)
    audit(AuditAction.VIEW, request=request, obj=submission, details={"problems": [offset, limit]})
    return {
        "total": len(submission.issues),
        "offset": offset,
        "problems": submission.issues[offset : offset + limit],
    }


@router.post(
    "/submissions/{submission_id}/confirm",
    response={200: SubmissionOut, 202: SubmissionOut},
    summary="Import a checked submission",
)
def confirm(request: HttpRequest, submission_id: ObjectId, payload: ConfirmIn) -> Status[Submission]:
    submission = _own_submission(request, submission_id)
    user = _user(request)
    result = actions.confirm_submission(
        actor=user, submission=submission, valid_only=payload.valid_only, request=request
    )
    status = 200 if result.status == "committed" else 202
    return Status(status, Submission.objects.select_related("job").get(pk=result.pk))


def _case_out(request: HttpRequest, record: CaseRecord, with_identifiers: bool) -> dict[str, Any]:
    """One visible case as the caller may see it (``access.access_case_view``)."""
    view = access.access_case_view(request.user, record)
    data: dict[str, Any] = {
        "id": record.pk,
        "source_record_id": None,
        "owner": record.owner_id,
        "sensitivity": record.sensitivity,
        "version": record.version,
        "submission": record.submission_id,
        "consent_to_share": record.consent_to_share,
        "year": record.year,
        "age_group": record.age_group,
        "values": row_values(record.values, view),
        "identifiers": None,
        "updated_at": record.updated_at,
    }
    if view == access.CASE_VIEW_IDENTIFIERS:
        data["source_record_id"] = open_source_id(record.source_id_token)
        if with_identifiers:
            secret = open_protected(record.protected)
            secret.pop(EXTRA_KEY, None)
            data["identifiers"] = secret
    return data


def _filter(request: HttpRequest) -> CaseFilter:
    case_filter = CaseFilter.from_params(request.GET)
    if case_filter.errors:
        raise HttpError(400, " ".join(case_filter.errors))
    return case_filter


@router.get(
    "",
    response=CaseListOut,
    summary="Cases the caller may see as rows, filtered (no identifiers)",
    description="The caller's own organisation's cases, public cases and cases shared with the caller's "
    "organisation. Other organisations' internal cases are never listed: see /api/cases/counts.",
)
def list_cases(
    request: HttpRequest,
    country: str | None = None,
    citizenship: str | None = None,
    year: Year | None = None,
    sex: str | None = None,
    age_group: str | None = None,
    exploitation: str | None = None,
    control: str | None = None,
    recruitment: str | None = None,
    industry: str | None = None,
    offset: Offset = 0,
    limit: Annotated[int, page_size(1000)] = 100,
) -> dict[str, Any]:
    case_filter = _filter(request)
    total, exact = total_and_exact(request.user, visible_facts(request.user, case_filter))
    queryset = visible_cases(request.user, case_filter)
    rows = list(queryset.order_by("-id")[offset : offset + limit]) if offset < total else []
    value = protect(total, exact)
    audit(
        AuditAction.VIEW,
        request=request,
        object_type="cases.caserecord",
        details={"filters": case_filter.values, "matched": total, "shown": [r.pk for r in rows]},
    )
    return {
        "total": "<5" if isinstance(value, Suppressed) else value,
        "offset": offset,
        "cases": [_case_out(request, r, False) for r in rows],
    }


@router.get(
    "/counts", summary="Counts of the cases the caller may see, by dimension", url_name="cases_counts"
)
def counts(
    request: HttpRequest,
    dimensions: str = "",
    country: str | None = None,
    citizenship: str | None = None,
    year: Year | None = None,
    sex: str | None = None,
    age_group: str | None = None,
    exploitation: str | None = None,
    control: str | None = None,
    recruitment: str | None = None,
    industry: str | None = None,
) -> dict[str, Any]:
    case_filter = _filter(request)
    wanted = [d.strip() for d in dimensions.split(",") if d.strip()] or list(DIMENSIONS)
    unknown = [d for d in wanted if d not in DIMENSIONS]
    if unknown:
        raise HttpError(
            400,
            f"dimensions: item {wanted.index(unknown[0]) + 1} is not a dimension. "
            f"Use any of: {', '.join(DIMENSIONS)}.",
        )
    summary = count_summary(request.user, case_filter, wanted)
    audit(
        AuditAction.VIEW,
        request=request,
        object_type="cases.caserecord",
        details={"filters": case_filter.values, "counts": wanted},
    )

    def show(value: Any) -> int | str:
        return shown(value) if isinstance(value, Suppressed) else int(value)

    return {
        "total": show(summary["total"]),
        "small_cell_protection": not summary["exact"],
        "filters": case_filter.values,
        "dimensions": {
            dim: [{"code": code, "label": text, "cases": show(n)} for code, text, n in items]
            for dim, items in summary["dimensions"].items()
        },
    }


@router.get("/export", summary="Export the cases the caller may see (CSV or XLSX)")
def export(request: HttpRequest, format: Literal["csv", "xlsx"] = "csv") -> HttpResponse:
    case_filter = _filter(request)
    queryset = visible_cases(request.user, case_filter)
    identifiers = access.access_can_submit_cases(request.user)
    audit(
        AuditAction.EXPORT,
        request=request,
        object_type="cases.caserecord",
        details={
            "format": format,
            "filters": case_filter.values,
            "rows": queryset.count(),
            "identifiers": identifiers,
        },
    )
    rows = exports.export_rows(request.user, queryset, identifiers)
    response: HttpResponse
    if format == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(exports.csv_stream(rows), content_type="text/csv; charset=utf-8")  # type: ignore[assignment]
    response["Content-Disposition"] = f'attachment; filename="vinculo-cases.{format}"'
    return response


def _visible_case(request: HttpRequest, case_id: ObjectId) -> CaseRecord:
    record = CaseRecord.objects.filter(pk=case_id).first()
    if record is None or not access.access_can_view_case(request.user, record):
        raise Http404
    return record


@router.get(
    "/{case_id}", response=CaseOut, summary="One case (identifiers only for the owner's data managers)"
)
def get_case(request: HttpRequest, case_id: ObjectId) -> dict[str, Any]:
    record = _visible_case(request, case_id)
    data = _case_out(request, record, True)
    audit(
        AuditAction.VIEW,
        request=request,
        obj=record,
        details={"identifiers_shown": data["identifiers"] is not None},
    )
    return data


@router.get("/{case_id}/history", response=list[CaseVersionOut], summary="Every version of one case")
def get_history(request: HttpRequest, case_id: ObjectId) -> list[dict[str, Any]]:
    record = _visible_case(request, case_id)
    identifiers = access.access_can_see_identifiers(request.user, record)
    view = access.access_case_view(request.user, record)
    items: list[dict[str, Any]] = []
    # Earlier versions, the uploader and the file are for the owning organisation only.
    member = access.access_is_member_of(request.user, record.owner_id)
    olds = (
        CaseVersion.objects.filter(case=record).select_related("submission__created_by")
        if member
        else CaseVersion.objects.none()
    )
    current = CaseRecord.objects.select_related("submission__created_by").get(pk=record.pk)
    for version, submission, at, sensitivity, values, token in [
        (
            current.version,
            current.submission,
            current.updated_at,
            current.sensitivity,
            current.values,
            current.protected,
        )
    ] + [(v.version, v.submission, v.created_at, v.sensitivity, v.values, v.protected) for v in olds]:
        secret = None
        if identifiers:
            secret = open_protected(token)
            secret.pop(EXTRA_KEY, None)
        by = submission.created_by
        items.append(
            {
                "version": version,
                "submission": submission.pk,
                "submitted_by": by.get_username() if by and member else "",
                "at": at,
                "sensitivity": sensitivity,
                "values": row_values(values, view),
                "identifiers": secret,
            }
        )
    audit(
        AuditAction.VIEW,
        request=request,
        obj=record,
        details={"history": True, "identifiers_shown": identifiers},
    )
    return items
