"""Pages that change programmes: create, edit, translate, review steps and documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.errors import VinculoError
from vinculo.registry import allowed_transitions
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User

from . import actions
from .display import LANGUAGE_NAMES
from .forms import (
    DocumentForm,
    EvaluationFormSet,
    IndicatorFormSet,
    ProgrammeForm,
    ReviewForm,
    TranslationForm,
    formset_rows,
)
from .models import Programme, ProgrammeDocument, ProgrammeTranslation
from .views import get_visible_programme, max_document_bytes, programme_detail, visible_programmes


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def report_error(exc: VinculoError, form: Form | None = None) -> list[str]:
    """Attach each issue to its form field when there is one; return the others as page-level problems."""
    problems: list[str] = []
    for issue in exc.issues:
        field = issue.location.field
        text = issue.message + (f" {issue.fix}" if issue.fix else "")
        if form is not None and field in form.fields:
            form.add_error(field, text)
        else:
            problems.append(f"{field}: {text}" if field else text)
    if not exc.issues:
        problems.append(str(exc))
    return problems


def _initial(programme: Programme) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(programme, name) for name in actions.EDITABLE}
    data["version"] = programme.version
    data["countries"] = list(programme.countries.all())
    data["implementing_organisations"] = list(programme.implementing_organisations.all())
    data["funding_organisations"] = list(programme.funding_organisations.all())
    data["related"] = list(programme.related.values_list("pk", flat=True))
    return data


def _related_choices(request: HttpRequest, programme: Programme | None) -> list[tuple[int, str]]:
    queryset = visible_programmes(request).only("id", "title").order_by("title")
    if programme is not None:
        queryset = queryset.exclude(pk=programme.pk)
    return [(p.pk, p.title[:100]) for p in queryset[:500]]


def _edit(request: HttpRequest, programme: Programme | None) -> HttpResponse:
    user = _user(request)
    post = request.POST if request.method == "POST" else None
    initial = _initial(programme) if programme else {}
    form = ProgrammeForm(post, initial=initial, related_choices=_related_choices(request, programme))
    indicators = IndicatorFormSet(
        post,
        prefix="ind",
        initial=[{f: getattr(i, f) for f in actions.INDICATOR_FIELDS} for i in programme.indicators.all()]
        if programme
        else None,
    )
    evaluations = EvaluationFormSet(
        post,
        prefix="ev",
        initial=[{f: getattr(e, f) for f in actions.EVALUATION_FIELDS} for e in programme.evaluations.all()]
        if programme
        else None,
    )
    problems: list[str] = []
    conflict = False
    status = 200
    if post is not None and form.is_valid() and indicators.is_valid() and evaluations.is_valid():
        data = form.cleaned_data
        common: dict[str, Any] = {
            "actor": user,
            "fields": form.action_fields(),
            "countries": [c.iso3 for c in data["countries"]],
            "implementing": [o.pk for o in data["implementing_organisations"]],
            "funding": [o.pk for o in data["funding_organisations"]],
            "related": data["related"],
            "indicators": formset_rows(indicators),
            "evaluations": formset_rows(evaluations),
            "visible_programmes": visible_programmes(request),
            "request": request,
        }
        try:
            if programme is None:
                saved = actions.create_programme(**common)
            else:
                saved = actions.update_programme(
                    programme=programme, expected_version=data.get("version"), **common
                )
        except actions.ProgrammeConflictError as exc:
            problems, conflict, status = [str(exc)], True, 409
        except VinculoError as exc:
            problems, status = report_error(exc, form), 400
        else:
            messages.success(
                request, _("The programme was saved.") if programme else _("The draft was created.")
            )
            return redirect("programmes:detail", pk=saved.pk)
    elif post is not None:
        status = 400
    return render(
        request,
        "programmes/form.html",
        {
            "form": form,
            "indicators": indicators,
            "evaluations": evaluations,
            "programme": programme,
            "problems": problems,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    if not access.access_can_create(request.user):
        raise Http404
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_visible_programme(request, pk)
    if not access.access_can_change_curated(request.user, programme):
        raise Http404
    return _edit(request, programme)


@login_required
@require_http_methods(["GET", "POST"])
def programme_translate(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    programme = get_visible_programme(request, pk)
    if not access.access_can_change_curated(request.user, programme):
        raise Http404
    if language not in LANGUAGE_NAMES or language == programme.original_language:
        raise Http404
    existing = ProgrammeTranslation.objects.filter(programme=programme, language=language).first()
    initial: dict[str, Any] = {"version": programme.version}
    if existing:
        initial.update(
            {
                f: getattr(existing, f)
                for f in ("title", "problem_statement", "objectives", "activities", "lessons_learned")
            }
        )
    form = TranslationForm(request.POST or None, initial=initial)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.save_translation(
                    actor=_user(request),
                    programme=programme,
                    language=language,
                    texts=form.texts(),
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except actions.ProgrammeConflictError as exc:
                problems, status = [str(exc)], 409
            except VinculoError as exc:
                problems = report_error(exc, form)
            else:
                messages.success(request, _("The translation was saved."))
                return redirect("programmes:detail", pk=programme.pk)
    return render(
        request,
        "programmes/translate.html",
        {
            "programme": programme,
            "form": form,
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "original_language_name": LANGUAGE_NAMES.get(programme.original_language, ""),
            "problems": problems,
        },
        status=status,
    )


@login_required
@require_POST
def programme_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit, start review, publish or return (with a comment) a programme."""
    programme = get_visible_programme(request, pk)
    form = ReviewForm(request.POST)
    steps = allowed_transitions(
        programme.status,
        owner=access.access_can_change_curated(request.user, programme),
        reviewer=access.access_can_review(request.user),
    )
    if not form.is_valid() or form.cleaned_data["step"] not in steps:
        raise Http404
    try:
        actions.transition_programme(
            actor=_user(request),
            programme=programme,
            name=form.cleaned_data["step"],
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except VinculoError as exc:
        form.add_error("comment" if exc.code == "registry.comment_required" else None, str(exc))
        status = 409 if isinstance(exc, actions.ProgrammeConflictError) else 400
        return programme_detail(request, programme.pk, review_form=form, status=status)
    messages.success(
        request,
        _("The programme is now: %(status)s.")
        % {"status": actions.status_label(Programme.objects.get(pk=pk).status)},
    )
    return redirect("programmes:detail", pk=programme.pk)


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_visible_programme(request, pk)
    if not access.access_can_change_curated(request.user, programme):
        raise Http404
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return programme_detail(request, programme.pk, document_form=form, status=400)
    upload = form.cleaned_data["file"]
    limit = max_document_bytes()
    try:
        actions.add_document(
            actor=_user(request),
            programme=programme,
            data=upload.read(limit + 1),
            filename=upload.name,
            title=form.cleaned_data["title"],
            max_bytes=limit,
            request=request,
        )
    except VinculoError as exc:
        form.add_error("file", str(exc))
        return programme_detail(request, programme.pk, document_form=form, status=400)
    messages.success(request, _("The document was added."))
    return redirect("programmes:detail", pk=programme.pk)


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    programme = get_visible_programme(request, pk)
    if not access.access_can_change_curated(request.user, programme):
        raise Http404
    document = ProgrammeDocument.objects.filter(programme=programme, pk=doc).first()
    if document is None:
        raise Http404
    actions.remove_document(actor=_user(request), document=document, request=request)
    messages.success(request, _("The document was removed."))
    return redirect("programmes:detail", pk=programme.pk)
