"""Pages of the appraisal of the Global Plan of Action. Access goes through ``accounts.access`` only."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.errors import VinculoError
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.export import csv_safe
from vinculo.web.core.templatetags.form_tags import SummaryItem

from . import actions, services
from .models import ActionPoint, Cycle, Pillar, Progress, Questionnaire, QuestionnaireStatus


def dashboard(request: HttpRequest) -> HttpResponse:
    cycles = list(Cycle.objects.all())
    year = request.GET.get("cycle", "")
    cycle = next((c for c in cycles if str(c.year) == year), None)
    if cycle is None:
        cycle = next(
            (c for c in cycles if c.questionnaires.filter(status=QuestionnaireStatus.SUBMITTED).exists()),
            cycles[0] if cycles else None,
        )
    data = services.dashboard_data(cycle)
    table_key = request.GET.get("table", "")
    if request.GET.get("format") == "csv" and table_key in data["tables"]:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="appraisal-{table_key}.csv"'
        writer = csv.writer(response)
        for row in data["tables"][table_key]:
            writer.writerow(csv_safe(row))
        return response
    return render(request, "appraisal/dashboard.html", {"cycles": cycles, "cycle": cycle, **data})


def plan(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "appraisal/plan.html",
        {
            "pillars": Pillar.objects.prefetch_related("action_points"),
            "provisional": ActionPoint.objects.filter(provisional=True).count(),
            "can_edit": access.access_is_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.access_is_admin(request.user):
        raise Http404
    point = ActionPoint.objects.filter(pk=pk).first()
    if point is None:
        raise Http404
    errors: list[SummaryItem] = []
    status = 200
    if request.method == "POST":
        user = request.user
        assert isinstance(user, User)
        try:
            actions.update_action_point(
                actor=user,
                point_id=point.pk,
                expected_version=int(request.POST.get("version", "0") or 0),
                text=request.POST.get("text", ""),
                reference=request.POST.get("reference", ""),
                provisional=request.POST.get("provisional") == "on",
                request=request,
            )
        except VinculoError as exc:
            errors = [SummaryItem(str(exc), "id_text" if exc.code == "coordination.missing_text" else "")]
            status = 409 if isinstance(exc, actions.StaleVersionError) else 400
        else:
            messages.success(request, _("The action point was saved."))
            return redirect("appraisal:plan")
    return render(
        request,
        "appraisal/point_edit.html",
        {"point": point, "errors": errors},
        status=status,
    )


@login_required
def questionnaires(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    mine = (
        Questionnaire.objects.filter(organisation_id=user.organisation_id).select_related("cycle")
        if user.organisation_id
        else Questionnaire.objects.none()
    )
    submitted = (
        Questionnaire.objects.filter(status=QuestionnaireStatus.SUBMITTED).select_related(
            "cycle", "organisation"
        )
        if access.access_can_review(user)
        else Questionnaire.objects.none()
    )
    return render(
        request,
        "appraisal/questionnaires.html",
        {
            "mine": mine,
            "submitted": submitted,
            "cycles": Cycle.objects.all(),
            "can_fill": access.access_can_fill_questionnaire(user, user.organisation_id),
            "is_admin": access.access_is_admin(user),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, year: int) -> HttpResponse:
    user = request.user
    if not access.access_can_fill_questionnaire(user, user.organisation_id):  # type: ignore[union-attr]
        raise Http404
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        raise Http404
    assert isinstance(user, User)
    try:
        q = actions.start_questionnaire(actor=user, cycle=cycle, request=request)
    except VinculoError as exc:
        messages.error(request, str(exc))
        return redirect("appraisal:questionnaires")
    return redirect("appraisal:questionnaire", pk=q.pk)


@login_required
@require_POST
def cycle_toggle(request: HttpRequest, year: int) -> HttpResponse:
    if not access.access_is_admin(request.user):
        raise Http404
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        raise Http404
    assert isinstance(request.user, User)
    actions.set_cycle_open(actor=request.user, cycle=cycle, is_open=not cycle.is_open, request=request)
    return redirect("appraisal:questionnaires")


def _visible(request: HttpRequest, pk: int) -> Questionnaire:
    q = Questionnaire.objects.select_related("cycle", "organisation").filter(pk=pk).first()
    if q is None or not access.access_can_view_questionnaire(request.user, q.organisation_id, q.submitted):
        raise Http404
    return q


#: The part of an answer an issue names (``"<code>.<part>"``) -> the prefix of its field's id on the page.
_ANSWER_FIELDS = {"status": "status", "narrative": "narrative", "evidence_links": "links"}


def _answer_anchor(field: str | None) -> str:
    """The id of the questionnaire field an issue is about ("" when it names none)."""
    code, _dot, part = (field or "").rpartition(".")
    return f"{_ANSWER_FIELDS[part]}-{code}" if code and part in _ANSWER_FIELDS else ""


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    q = _visible(request, pk)
    user = request.user
    can_fill = not q.submitted and access.access_can_fill_questionnaire(user, q.organisation_id)
    errors: list[SummaryItem] = []
    status = 200
    posted: dict[str, dict[str, Any]] = {}
    if request.method == "POST":
        if not can_fill:
            raise Http404
        assert isinstance(user, User)
        for answer in q.answers.select_related("action_point"):
            code = answer.action_point.code
            posted[code] = {
                "status": request.POST.get(f"status-{code}", ""),
                "narrative": request.POST.get(f"narrative-{code}", ""),
                "evidence_links": request.POST.get(f"links-{code}", ""),
            }
        try:
            actions.save_answers(
                actor=user,
                questionnaire_id=q.pk,
                expected_version=int(request.POST.get("version", "0") or 0),
                answers=posted,
                submit="submit" in request.POST,
                request=request,
            )
        except VinculoError as exc:
            errors = [SummaryItem(str(i), _answer_anchor(i.location.field)) for i in exc.issues]
            errors = errors or [SummaryItem(str(exc))]
            status = 409 if isinstance(exc, actions.StaleVersionError) else 400
        else:
            messages.success(
                request, _("Submitted. Thank you.") if "submit" in request.POST else _("Draft saved.")
            )
            return redirect("appraisal:questionnaire", pk=q.pk)
    elif q.organisation_id != getattr(user, "organisation_id", None):
        audit(AuditAction.VIEW, request=request, obj=q)
    answers = []
    for a in q.answers.select_related("action_point__pillar"):
        given = posted.get(a.action_point.code, {})
        answers.append(
            {
                "answer": a,
                "status": given.get("status", a.status),
                "narrative": given.get("narrative", a.narrative),
                "links": given.get("evidence_links", "\n".join(a.evidence_links)),
            }
        )
    return render(
        request,
        "appraisal/questionnaire.html",
        {"q": q, "answers": answers, "can_fill": can_fill, "errors": errors, "statuses": Progress.choices},
        status=status,
    )
