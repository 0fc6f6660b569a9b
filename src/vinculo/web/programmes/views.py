"""Pages to find and read programmes. Access goes through ``vinculo.web.accounts.access`` only."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vinculo.registry import DEFAULT_MAX_DOCUMENT_BYTES, allowed_transitions
from vinculo.web.accounts import access
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.countries import sorted_by_name

from .display import LANGUAGE_NAMES, facet_view, labels, params_from_query, programme_texts, ui_language
from .forms import DocumentForm, ReviewForm
from .models import Programme, ProgrammeDocument, ProgrammeStatus, ProgrammeTranslation, ProgrammeVersion
from .search import search_programmes

PER_PAGE = 20


def max_document_bytes() -> int:
    return int(getattr(settings, "VINCULO_PROGRAMME_DOCUMENT_MAX_BYTES", DEFAULT_MAX_DOCUMENT_BYTES))


def visible_programmes(request: HttpRequest):  # type: ignore[no-untyped-def]
    return access.access_curated_visible(request.user, Programme.objects.all())


def get_visible_programme(request: HttpRequest, pk: int) -> Programme:
    """The programme if ``request.user`` may see it; otherwise 404, whether or not it exists."""
    programme = Programme.objects.select_related("owner", "created_by").filter(pk=pk).first()
    if programme is None or not access.access_can_view_curated(request.user, programme):
        raise Http404
    return programme


def programme_list(request: HttpRequest) -> HttpResponse:
    params = params_from_query(request.GET)
    base = visible_programmes(request)
    status = request.GET.get("status", "")
    if status in ProgrammeStatus.values:
        base = base.filter(status=status)
    outcome = search_programmes(base, params)
    paginator = Paginator(outcome.ids, PER_PAGE)
    paginator.__dict__["count"] = outcome.total  # already counted by the search
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    items = Programme.objects.filter(pk__in=ids).prefetch_related(
        "countries", Prefetch("translations", queryset=ProgrammeTranslation.objects.all())
    )
    by_id = {p.pk: p for p in items}
    rows = []
    for pk in ids:
        programme = by_id[pk]
        texts = programme_texts(programme)
        rows.append(
            {
                "programme": programme,
                "title": texts["title"],
                "countries": sorted_by_name([str(c) for c in programme.countries.all()], str),
                "pillars": labels("pillar", programme.pillars),
                "rating": labels("rating", [programme.evidence_rating])[0],
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    statuses = (
        ProgrammeStatus.choices
        if access.access_can_create(request.user) or access.access_can_review(request.user)
        else []
    )
    return render(
        request,
        "programmes/list.html",
        {
            "page": page,
            "rows": rows,
            "total": outcome.total,
            "params": params,
            "facets": facet_view(outcome.facets, params),
            "typo_fallback": outcome.typo_fallback,
            "querystring": query.urlencode(),
            "can_create": access.access_can_create(request.user),
            "can_review": access.access_can_review(request.user),
            "statuses": statuses,
            "status": status,
        },
    )


def programme_detail(
    request: HttpRequest,
    pk: int,
    document_form: DocumentForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The programme's page; with a bound ``document_form`` or ``review_form``, the upload or review
    step that failed, shown again with its errors (``status`` 400, or 409 when the record changed)."""
    programme = get_visible_programme(request, pk)
    if programme.status != ProgrammeStatus.PUBLISHED:  # an unpublished draft is not public data
        audit(AuditAction.VIEW, request=request, obj=programme, details={"status": programme.status})
    can_change = access.access_can_change_curated(request.user, programme)
    can_review = access.access_can_review(request.user)
    can_read_curation = access.access_can_read_curation(request.user, programme)
    steps = allowed_transitions(programme.status, owner=can_change, reviewer=can_review)
    translations = {t.language for t in programme.translations.all()}
    related = access.access_curated_visible(request.user, programme.related.all())
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "texts": programme_texts(programme),
            "ui_language": ui_language(),
            "language_names": LANGUAGE_NAMES,
            "original_language_name": LANGUAGE_NAMES.get(
                programme.original_language, programme.original_language
            ),
            "countries": programme.countries.all(),
            "implementing": programme.implementing_organisations.all(),
            "implementing_other": [n for n in programme.implementing_other.splitlines() if n.strip()],
            "funding": programme.funding_organisations.all(),
            "funding_other": [n for n in programme.funding_other.splitlines() if n.strip()],
            "pillars": labels("pillar", programme.pillars),
            "forms": labels("form", programme.forms),
            "targets": labels("target", programme.target_groups),
            "indicators": programme.indicators.all(),
            "evaluations": programme.evaluations.all(),
            "documents": programme.documents.all(),
            "related": related,
            "reviews": programme.reviews.select_related("actor") if can_read_curation else [],
            "can_change": can_change,
            "can_read_curation": can_read_curation,
            "steps": steps,
            "review_form": review_form or ReviewForm(initial={"version": programme.version}),
            "document_form": (document_form or DocumentForm()) if can_change else None,
            "translation_languages": [
                (code, name, code in translations)
                for code, name in LANGUAGE_NAMES.items()
                if code != programme.original_language
            ],
        },
        status=status,
    )


def programme_history(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_visible_programme(request, pk)
    if not access.access_can_read_curation(request.user, programme):
        raise Http404
    versions = programme.versions.select_related("replaced_by").defer("snapshot")
    return render(request, "programmes/history.html", {"programme": programme, "versions": versions})


def programme_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    programme = get_visible_programme(request, pk)
    if not access.access_can_read_curation(request.user, programme):
        raise Http404
    version = ProgrammeVersion.objects.filter(programme=programme, number=number).first()
    if version is None:
        raise Http404
    rows = [
        (k, v) for k, v in version.snapshot.items() if k not in ("indicators", "evaluations", "translations")
    ]
    return render(
        request,
        "programmes/version.html",
        {
            "programme": programme,
            "version": version,
            "rows": rows,
            "indicators": version.snapshot.get("indicators", []),
            "evaluations": version.snapshot.get("evaluations", []),
            "translations": version.snapshot.get("translations", {}),
        },
    )


def review_queue(request: HttpRequest) -> HttpResponse:
    if not access.access_can_review(request.user):
        raise Http404
    waiting = (
        Programme.objects.filter(status__in=[ProgrammeStatus.SUBMITTED, ProgrammeStatus.IN_REVIEW])
        .select_related("owner")
        .order_by("updated_at")
    )
    return render(request, "programmes/review.html", {"waiting": waiting})


def document_download(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    """Documents are always downloaded, never shown inline, and never sniffed as another type."""
    programme = get_visible_programme(request, pk)
    document = ProgrammeDocument.objects.filter(programme=programme, pk=doc).first()
    if document is None:
        raise Http404
    if programme.status != ProgrammeStatus.PUBLISHED:
        audit(AuditAction.EXPORT, request=request, obj=document, details={"programme": programme.pk})
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
