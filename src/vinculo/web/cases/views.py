"""Pages of the case-data area. Access goes through ``vinculo.web.accounts.access`` only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vinculo import charts
from vinculo.errors import VinculoError
from vinculo.htcds import example_csv, field_catalogue, template_csv, template_xlsx
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.templatetags.form_tags import SummaryItem
from vinculo.web.core.views import form_status

from . import actions, exports
from .forms import MAPPABLE_HOWS, ConfirmForm, MappingForm, SubmissionForm
from .models import CaseRecord, CaseVersion, Submission, SubmissionContent, SubmissionStatus
from .protection import DIMENSIONS, EXTRA_KEY, keyring, open_protected, open_source_id, row_values
from .queries import (
    SMALL_CELL,
    CaseFilter,
    choices,
    count_summary,
    dimension_titles,
    label,
    protect,
    shown,
    total_and_exact,
    visible_cases,
    visible_facts,
)
from .services import open_reading, preview_records, problems_csv, public_issue, read_mapping, unseal_bytes
from .uploads import read_upload

PAGE = 50
PROBLEMS_PAGE = 200
PREVIEW_ROWS = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def case_title(record: CaseRecord, source_id: str) -> str:
    """How a case is named to those who see its file's record id: the id, or its row of the file."""
    if source_id.startswith("id:"):
        return source_id[3:]
    if source_id.startswith("row:") and record.source_row:
        return _("Case %(row)s of %(file)s (uploaded %(date)s)") % {
            "row": record.source_row,
            "file": record.submission.file_name,
            "date": record.submission.created_at.date().isoformat(),
        }
    return _("Case %(pk)s") % {"pk": record.pk}


def get_visible_case(request: HttpRequest, pk: int) -> CaseRecord:
    record = CaseRecord.objects.select_related("owner", "submission", "created_by").filter(pk=pk).first()
    if record is None or not access.access_can_view_case(request.user, record):
        raise Http404
    return record


def get_own_submission(request: HttpRequest, pk: int) -> Submission:
    submission = Submission.objects.select_related("owner", "created_by", "job").filter(pk=pk).first()
    if submission is None or not access.access_can_manage_case_submission(request.user, submission):
        raise Http404
    return submission


def filter_summary(case_filter: CaseFilter) -> list[SummaryItem]:
    """The filters not understood, each linked to its box (``f-<dimension>``; the texts start with it)."""
    items = []
    for text in case_filter.errors:
        dim = text.split(":", 1)[0]
        items.append(SummaryItem(text, f"f-{dim}" if dim in DIMENSIONS else ""))
    return items


def _filter_context(case_filter: CaseFilter) -> list[dict[str, Any]]:
    titles = dimension_titles()
    return [
        {"name": dim, "title": titles[dim], "choices": choices(dim), "value": case_filter.values.get(dim, "")}
        for dim in DIMENSIONS
    ]


def case_list(request: HttpRequest) -> HttpResponse:
    case_filter = CaseFilter.from_params(request.GET)
    queryset = visible_cases(request.user, case_filter).select_related("owner", "submission")
    total, exact = total_and_exact(request.user, visible_facts(request.user, case_filter))
    paginator = Paginator(queryset.order_by("-id"), PAGE)
    paginator.count = total  # counted over the narrow facts table, with exactness, in one query
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "record": r,
            "source_id": case_title(r, open_source_id(r.source_id_token))
            if access.access_can_see_identifiers(request.user, r)
            else "",
            "country": label("country", r.country) if r.country else "",
            "sex": label("sex", r.sex) if r.sex else "",
            "exploitation": ", ".join(label("exploitation", c) for c in r.exploitation.split("|") if c),
        }
        for r in page
    ]
    audit(
        AuditAction.VIEW,
        request=request,
        object_type="cases.caserecord",
        details={"filters": case_filter.values, "matched": total, "shown": [r.pk for r in page]},
    )
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "rows": rows,
            "total": shown(protect(total, exact)),
            "exact": exact,
            "small_cell": SMALL_CELL,
            "filters": _filter_context(case_filter),
            "filter_errors": filter_summary(case_filter),
            "query": case_filter.query_string(),
            "can_submit": access.access_can_submit_cases(request.user),
        },
    )


def case_counts(request: HttpRequest) -> HttpResponse:
    case_filter = CaseFilter.from_params(request.GET)
    titles = dimension_titles()
    summary = count_summary(request.user, case_filter, list(DIMENSIONS))
    plots = []
    for dim, items in summary["dimensions"].items():
        items = items[:25]
        labels = [item[1] for item in items]
        values = [item[2] for item in items]
        title = _("Cases by %(dimension)s") % {"dimension": titles[dim].lower()}
        svg = charts.bar_chart(
            labels,
            values,
            title=title,
            description=_("Number of cases the filters select, by %(dimension)s.")
            % {"dimension": titles[dim].lower()},
            horizontal=True,
            unit=_("cases"),
        )
        table = charts.data_table(labels, values, category_header=titles[dim], value_header=_("Cases"))
        plots.append({"name": dim, "title": title, "svg": svg, "table": table})
    audit(
        AuditAction.VIEW,
        request=request,
        object_type="cases.caserecord",
        details={"filters": case_filter.values, "counts": True},
    )
    return render(
        request,
        "cases/counts.html",
        {
            "plots": plots,
            "total": shown(summary["total"]),
            "exact": summary["exact"],
            "small_cell": SMALL_CELL,
            "filters": _filter_context(case_filter),
            "filter_errors": filter_summary(case_filter),
            "query": case_filter.query_string(),
        },
    )


def _value_text(spec_name: str, value: Any) -> str:
    """A stored value as people read it: code-list labels, country names, Yes/No."""
    if isinstance(value, list | tuple):
        return ", ".join(_value_text(spec_name, v) for v in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    spec = _specs().get(spec_name)
    if spec is not None and isinstance(value, str):
        if spec.type.value in ("country", "multi_country"):
            return label("country", value)
        if spec.values:
            labels = dict(zip(spec.values, spec.value_labels or spec.values, strict=False))
            return str(labels.get(value, value))
    return str(value)


def _specs() -> dict[str, Any]:
    return {s.name: s for s in field_catalogue()}


def _field_rows(values: dict[str, Any], secret: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = []
    for spec in field_catalogue():
        if spec.protected:
            if secret is None or spec.name not in secret:
                continue
            value = secret[spec.name]
        elif spec.name in values:
            value = values[spec.name]
        else:
            continue
        rows.append(
            {
                "name": spec.name,
                "label": spec.label,
                "entity": spec.entity.value,
                "value": _value_text(spec.name, value),
                "protected": spec.protected,
            }
        )
    return rows


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_case(request, pk)
    view = access.access_case_view(request.user, record)
    identifiers = view == access.CASE_VIEW_IDENTIFIERS
    secret = open_protected(record.protected) if identifiers else None
    extra = secret.pop(EXTRA_KEY, {}) if secret else {}
    audit(AuditAction.VIEW, request=request, obj=record, details={"identifiers_shown": identifiers})
    return render(
        request,
        "cases/detail.html",
        {
            "record": record,
            "source_id": case_title(record, open_source_id(record.source_id_token)) if identifiers else "",
            "public_view": view == access.CASE_VIEW_PUBLIC,
            "fields": _field_rows(row_values(record.values, view), secret),
            "extra": sorted(extra.items()) if isinstance(extra, dict) else [],
            "identifiers": identifiers,
            "n_versions": record.version,
        },
    )


def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_case(request, pk)
    identifiers = access.access_can_see_identifiers(request.user, record)
    view = access.access_case_view(request.user, record)
    versions: list[dict[str, Any]] = []
    current = {
        "version": record.version,
        "submission": record.submission,
        "when": record.updated_at,
        "sensitivity": record.sensitivity,
        "values": record.values,
        "protected": record.protected,
        "current": True,
    }
    # Earlier versions may have had another sensitivity or no consent, and name the uploader and the
    # file: only the owning organisation sees them; everyone else sees the current version only.
    member = access.access_is_member_of(request.user, record.owner_id)
    olds = (
        CaseVersion.objects.filter(case=record).select_related("submission", "submission__created_by")
        if member
        else CaseVersion.objects.none()
    )
    for item in [current] + [
        {
            "version": v.version,
            "submission": v.submission,
            "when": v.created_at,
            "sensitivity": v.sensitivity,
            "values": v.values,
            "protected": v.protected,
            "current": False,
        }
        for v in olds
    ]:
        secret = open_protected(item["protected"]) if identifiers else None
        if secret:
            secret.pop(EXTRA_KEY, None)
        item["fields"] = _field_rows(row_values(item["values"], view), secret)
        versions.append(item)
    audit(
        AuditAction.VIEW,
        request=request,
        obj=record,
        details={"history": True, "identifiers_shown": identifiers, "versions": len(versions)},
    )
    return render(
        request,
        "cases/history.html",
        {"record": record, "versions": versions, "identifiers": identifiers, "member": member},
    )


def case_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    case_filter = CaseFilter.from_params(request.GET)
    queryset = visible_cases(request.user, case_filter)
    identifiers = access.access_can_submit_cases(request.user)  # columns only; rows checked one by one
    audit(
        AuditAction.EXPORT,
        request=request,
        object_type="cases.caserecord",
        details={
            "format": fmt,
            "filters": case_filter.values,
            "rows": queryset.count(),
            "identifiers": identifiers,
        },
    )
    rows = exports.export_rows(request.user, queryset, identifiers)
    response: HttpResponse | StreamingHttpResponse
    if fmt == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(exports.csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vinculo-cases.{fmt}"'
    return response


# -- submissions -----------------------------------------------------------------------------


@login_required
def submission_list(request: HttpRequest) -> HttpResponse:
    if not access.access_can_submit_cases(request.user):
        raise Http404
    user = request.user
    assert isinstance(user, User)
    queryset = Submission.objects.filter(owner_id=user.organisation_id).select_related("created_by")
    page = Paginator(queryset.defer("issues", "invalid_rows"), 25).get_page(request.GET.get("page"))
    return render(request, "cases/submissions.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request: HttpRequest) -> HttpResponse:
    if not access.access_can_submit_cases(request.user):
        raise Http404
    user = request.user
    assert isinstance(user, User)
    form = SubmissionForm(request.POST or None, request.FILES or None, owner_id=user.organisation_id)
    problem = ""
    details: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mapping = form.cleaned_data.get("mapping")
        saved = form.cleaned_data.get("saved_mapping")
        if saved is not None and not access.access_can_use_saved_mapping(user, saved):
            raise Http404
        try:
            submission = actions.create_submission(
                actor=user,
                data=read_upload(upload),
                file_name=upload.name,
                mapping_data=read_upload(mapping) if mapping else b"",
                mapping_name=mapping.name if mapping else "",
                sensitivity=form.cleaned_data["sensitivity"],
                shared_with=form.cleaned_data["shared_with"],
                request=request,
                saved_mapping=saved,
                date_order=form.cleaned_data.get("date_order") or (saved.date_order if saved else ""),
                mappable=True,
            )
        except VinculoError as exc:
            problem = str(exc)
            details = [public_issue(i) for i in exc.issues[:50]]
            status = 413 if exc.code == "cases.file_too_large" else 400
        else:
            return redirect("cases:submission", pk=submission.pk)
    if request.method == "POST" and not problem and status == 200:
        status = form_status(request, invalid=True)  # the form did not validate
    return render(
        request, "cases/submit.html", {"form": form, "problem": problem, "details": details}, status=status
    )


@login_required
def submission_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The blank HTCDS 2.0 template to fill in (CSV or XLSX)."""
    if not access.access_can_submit_cases(request.user):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(template_xlsx(), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="htcds-2.0-template.{fmt}"'
    return response


@login_required
def submission_example(request: HttpRequest) -> HttpResponse:
    """A small example file of synthetic (fictitious) cases."""
    if not access.access_can_submit_cases(request.user):
        raise Http404
    response = HttpResponse(example_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="htcds-synthetic-example.csv"'
    return response


def _field_choices() -> list[tuple[str, str]]:
    return [(s.name, f"{s.label} ({s.name})") for s in field_catalogue() if not s.deprecated]


def _columns_view(submission: Submission) -> list[dict[str, Any]]:
    labels = {s.name: s.label for s in field_catalogue()}
    how_text = {
        "id": _("Record id of the file"),
        "metadata": _("Export metadata, kept as extra data"),
        "unnamed": _("No header: row numbers are ignored"),
        "row_number": _("Row numbers: ignored"),
        "ignored": _("Ignored on purpose"),
        "unknown": _("Not an HTCDS field: kept as extra data (protected)"),
        "duplicate": _("A second column for the same field: kept as extra data"),
        "ambiguous": _("Could be several fields: kept as extra data"),
        "option": _("One option of a multiple choice"),
    }
    rows = []
    for col in submission.columns:
        fld = col.get("field")
        rows.append(
            {
                **col,
                "label": labels.get(fld, "") if fld else "",
                "how_text": how_text.get(col.get("how", ""), "")
                if not fld or col.get("how") == "option"
                else "",
                "mappable": col.get("how") in MAPPABLE_HOWS and bool(col.get("header")),
            }
        )
    return rows


def _preview(submission: Submission) -> list[dict[str, Any]]:
    """The first rows as they will be stored, protected fields masked (a sensitive read: the caller audits)."""
    content = SubmissionContent.objects.filter(submission=submission).first()
    if content is None or not content.upload:
        return []
    ring = keyring()
    try:
        reading = open_reading(
            unseal_bytes(content.upload, ring),
            submission.file_name,
            mapping=read_mapping(unseal_bytes(content.mapping, ring), submission.mapping_name),
            sheet=submission.sheet or None,
            date_order=submission.date_order,
        )
        records = preview_records(reading, PREVIEW_ROWS)
    except VinculoError:
        return []
    present = {name for _row, values, _bad in records for name in values}
    fields = []
    for spec in field_catalogue():
        if spec.name not in present:
            continue
        fields.append(
            {
                "name": spec.name,
                "label": spec.label,
                "protected": spec.protected,
                "values": [
                    ""
                    if spec.name not in values
                    else (None if spec.protected else _value_text(spec.name, values[spec.name]))
                    for _row, values, _bad in records
                ],
            }
        )
    return [{"rows": [(row, bad) for row, _values, bad in records], "fields": fields}] if records else []


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_own_submission(request, pk)
    issues = submission.issues
    page = Paginator(issues, PROBLEMS_PAGE).get_page(request.GET.get("page"))
    ready = submission.status == SubmissionStatus.READY
    preview = _preview(submission) if ready else []
    audit(
        AuditAction.VIEW,
        request=request,
        obj=submission,
        details={"problems_page": page.number, "preview_rows": len(preview[0]["rows"]) if preview else 0},
    )
    n_valid = max(0, submission.n_records - submission.n_invalid)
    return render(
        request,
        "cases/submission.html",
        {
            "submission": submission,
            "job": submission.job,
            "page": page,
            "counts": sorted(submission.counts_by_entity.items()),
            "form": ConfirmForm(),
            "quarantine": submission.n_quarantined > 0,
            "busy": submission.status in (SubmissionStatus.VALIDATING, SubmissionStatus.IMPORTING),
            "columns": _columns_view(submission),
            "preview": preview[0] if preview else None,
            "n_valid": n_valid,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """The mapping step: each column of the file, what it was read as; re-map or ignore, then check again."""
    submission = get_own_submission(request, pk)
    if submission.status != SubmissionStatus.READY:
        messages.error(request, _("Only a checked submission waiting for confirmation can be mapped again."))
        return redirect("cases:submission", pk=submission.pk)
    user = request.user
    assert isinstance(user, User)
    columns = _columns_view(submission)
    mappable = [c for c in columns if c["mappable"]]
    form = MappingForm(
        request.POST or None,
        columns=mappable,
        field_choices=_field_choices(),
        initial={"date_order": submission.date_order},
    )
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            actions.remap_submission(
                actor=user,
                submission=submission,
                columns=form.chosen_columns(),
                date_order=form.cleaned_data.get("date_order") or "",
                save_as=form.cleaned_data.get("save_as") or "",
                request=request,
            )
        except VinculoError as exc:
            problem = str(exc)
        else:
            messages.success(request, _("The file was checked again with the columns as you mapped them."))
            return redirect("cases:submission", pk=submission.pk)
    return render(
        request,
        "cases/mapping.html",
        {
            "submission": submission,
            "form": form,
            "columns": columns,
            "problem": problem,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def submission_status(request: HttpRequest, pk: int) -> JsonResponse:
    submission = get_own_submission(request, pk)
    job = submission.job
    busy = submission.status in (SubmissionStatus.VALIDATING, SubmissionStatus.IMPORTING)
    return JsonResponse(
        {
            "status": (job.status if job and busy else "done"),
            "submission_status": submission.status,
            "percent": job.percent if job and busy else 100,
            "error": submission.error,
        }
    )


@login_required
def submission_problems(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_own_submission(request, pk)
    body = exports.problems_table_csv(problems_csv(submission.issues, submission.file_name))
    audit(AuditAction.EXPORT, request=request, obj=submission, details={"problems": len(submission.issues)})
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-submission-{submission.number}.csv"'
    return response


@login_required
def submission_quarantine(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_own_submission(request, pk)
    content = SubmissionContent.objects.filter(submission=submission).first()
    if content is None or not content.quarantine:
        raise Http404
    audit(
        AuditAction.EXPORT, request=request, obj=submission, details={"quarantine": submission.n_quarantined}
    )
    response = HttpResponse(
        unseal_bytes(content.quarantine, keyring()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="quarantine-submission-{submission.number}.csv"'
    return response


@login_required
@require_POST
def submission_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_own_submission(request, pk)
    user = request.user
    assert isinstance(user, User)
    form = ConfirmForm(request.POST)
    valid_only = bool(form.is_valid() and form.cleaned_data["valid_only"])
    try:
        result = actions.confirm_submission(
            actor=user, submission=submission, valid_only=valid_only, request=request
        )
    except VinculoError as exc:
        messages.error(request, str(exc))
    else:
        if result.status == SubmissionStatus.COMMITTED:
            messages.success(
                request,
                _(
                    "Imported: %(created)d new, %(changed)d changed, %(unchanged)d unchanged, %(quarantined)d in quarantine."
                )
                % {
                    "created": result.n_created,
                    "changed": result.n_changed,
                    "unchanged": result.n_unchanged,
                    "quarantined": result.n_quarantined,
                },
            )
        else:
            messages.success(request, _("The import is running. This page shows its progress."))
    return redirect("cases:submission", pk=submission.pk)


@login_required
@require_POST
def submission_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_own_submission(request, pk)
    user = request.user
    assert isinstance(user, User)
    try:
        actions.cancel_submission(actor=user, submission=submission, request=request)
    except VinculoError as exc:
        messages.error(request, str(exc))
    else:
        if request.POST.get("then") == "upload":
            messages.success(
                request, _("The submission was cancelled and its file deleted. Upload the corrected file.")
            )
            return redirect("cases:submit")
        messages.success(request, _("The submission was cancelled; its file was deleted."))
    return redirect("cases:submissions")
