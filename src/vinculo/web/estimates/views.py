"""Pages of the Estimates area. Access goes through ``vinculo.web.accounts.access`` only."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.errors import VinculoError
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.models import Sensitivity
from vinculo.web.core.views import form_status
from vinculo.web.jobs.models import JobStatus

from . import actions, reading
from .forms import EstimateForm
from .models import Estimate
from .plots import candidates_chart, result_plots
from .services import MAX_BYTES, decode_upload, histories_from_list_files, rates_for


def get_visible_estimate(request: HttpRequest, pk: int) -> Estimate:
    record = Estimate.objects.select_related("owner", "job", "country").filter(pk=pk).first()
    if record is None or not access.access_can_view(request.user, record):
        raise Http404
    return record


def estimate_list(request: HttpRequest) -> HttpResponse:
    queryset = access.access_visible(request.user, Estimate.objects.select_related("owner", "job", "country"))
    page = Paginator(queryset.defer("source_csv", "result"), 25).get_page(request.GET.get("page"))
    return render(
        request, "estimates/list.html", {"page": page, "can_create": access.access_can_create(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def estimate_create(request: HttpRequest) -> HttpResponse:
    if not access.access_can_create(request.user):
        raise Http404
    form = EstimateForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                text, source_name = decode_upload(upload.read(MAX_BYTES + 1), upload.name), upload.name
            else:
                text, source_name = histories_from_list_files(
                    [
                        (decode_upload(f.read(MAX_BYTES + 1), f.name), f.name)
                        for f in form.cleaned_data["list_files"]
                    ]
                )
            user = request.user
            assert isinstance(user, User)
            record = actions.create_estimate(
                actor=user,
                title=form.cleaned_data["title"],
                source_name=source_name,
                source_text=text,
                settings=form.settings(),
                sensitivity=form.cleaned_data["sensitivity"],
                stratum_column=form.cleaned_data["stratum_column"].strip(),
                country=form.cleaned_data["country"],
                year=form.cleaned_data["year"],
                shared_with=list(form.cleaned_data["shared_with"]),
                request=request,
            )
        except VinculoError as exc:
            problems = [str(i) for i in exc.issues] or [str(exc)]
        else:
            messages.success(request, _("The estimate is queued. This page shows its progress."))
            return redirect("estimates:detail", pk=record.pk)
    status = form_status(request, invalid=bool(problems) or not form.is_valid())
    return render(request, "estimates/form.html", {"form": form, "problems": problems}, status=status)


EXAMPLE = Path(__file__).with_name("data") / "example_uk_2013.csv"


def example_table(request: HttpRequest) -> HttpResponse:
    """A real capture-history table to try the form with (UK 2013, five lists; data/README.md)."""
    response = HttpResponse(EXAMPLE.read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="example-uk-2013-five-lists.csv"'
    return response


def estimate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_estimate(request, pk)
    if record.sensitivity == Sensitivity.RESTRICTED:
        audit(AuditAction.VIEW, request=request, obj=record)
    result = record.result
    candidates = reading.candidate_rows(result) if result else []
    return render(
        request,
        "estimates/detail.html",
        {
            "record": record,
            "job": record.job,
            "result": result,
            "plots": result_plots(result, list(record.lists)) if result else [],
            "model": reading.model_label(list(result.get("model_terms") or [])) if result else "",
            "headline": reading.headline(result) if result else None,
            "interval_reading": reading.interval_reading(result) if result else "",
            "model_reading": reading.model_reading(list(result.get("model_terms") or []), list(record.lists))
            if result
            else [],
            "strata": [
                {"name": name, "result": s, "model": reading.model_label(list(s.get("model_terms") or []))}
                for name, s in ((result or {}).get("strata") or {}).items()
            ],
            "candidates": candidates,
            "candidates_chart": candidates_chart(candidates),
            "rates": rates_for(result, record.country.iso3 if record.country else None, record.year),
            "can_change": access.access_can_change(request.user, record),
        },
    )


def estimate_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the detail page while the job runs."""
    record = get_visible_estimate(request, pk)
    job = record.job
    return JsonResponse(
        {
            "status": job.status if job else "done",
            "percent": job.percent if job else 100,
            "text": job.progress_text() if job else str(JobStatus.DONE.label),
            "error": job.error if job else "",
        }
    )


def estimate_download(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_estimate(request, pk)
    if not record.result:
        raise Http404
    audit(AuditAction.EXPORT, request=request, obj=record, details={"format": "json"})
    payload = {
        "title": record.title,
        "country": record.country.iso3 if record.country else None,
        "year": record.year,
        "source_name": record.source_name,
        "input_sha256": record.input_sha256,
        "result": record.result,
    }
    response = HttpResponse(json.dumps(payload, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="vinculo-estimate-{record.pk}.json"'
    return response


@login_required
@require_POST
def estimate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_estimate(request, pk)
    if not access.access_can_change(request.user, record):
        raise Http404
    user = request.user
    assert isinstance(user, User)
    actions.delete_estimate(actor=user, record=record, request=request)
    messages.success(request, _("The estimate was deleted."))
    return redirect("estimates:list")
