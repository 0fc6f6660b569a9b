"""Pages of the Reports area. Every report is public: it holds only what anonymous visitors may see."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vinculo.errors import VinculoError

from . import services
from .document import Report
from .render import render_html


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "") or get_language() or "en"
    return wanted if wanted in services.languages() else "en"


def _report(request: HttpRequest, kind: str, year: int) -> Report:
    if kind not in services.KINDS:
        raise Http404
    try:
        report = services.build_report(kind, year, _language(request))
    except VinculoError as exc:
        raise Http404 from exc
    if report is None:
        raise Http404
    return report


def index(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    return render(
        request,
        "reports/index.html",
        {
            "years": services.sg_years(),
            "cycles": services.appraisal_cycles(),
            "language": language,
            "report_languages": services.languages(),
        },
    )


def report_html(request: HttpRequest, kind: str, year: int) -> HttpResponse:
    report = _report(request, kind, year)
    return render(
        request,
        "reports/view.html",
        {
            "report": report,
            "body": render_html(report, standalone=False, base_url=request.build_absolute_uri("/")),
            "language": report.language,
        },
    )


def report_pdf(request: HttpRequest, kind: str, year: int) -> HttpResponse:
    report = _report(request, kind, year)
    try:
        pdf = services.pdf_for(report, base_url=request.build_absolute_uri("/"))
    except VinculoError as exc:
        return render(
            request,
            "core/error.html",
            {"heading": _("The PDF cannot be made on this server"), "explanation": str(exc)},
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"vinculo-{report.kind}-report-{report.year}-{report.language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
