"""Pages of the Linkage exercises area. Access goes through ``linkage.access`` (built on accounts.access)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.errors import VinculoError
from vinculo.web.accounts import access as platform_access
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.views import form_status

from . import access, actions, presentation
from .forms import AnswerForm, DecisionForm, EncodingsForm, ExerciseForm, InviteForm
from .models import Exercise, LinkedRecord, LinkPair, Mode


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def get_visible_exercise(request: HttpRequest, pk: int) -> Exercise:
    exercise = Exercise.objects.select_related("owner", "job").filter(pk=pk).first()
    if exercise is None or not access.access_can_view_exercise(request.user, exercise):
        raise Http404
    return exercise


def _problems(exc: VinculoError) -> list[str]:
    return [str(i) for i in exc.issues] or [str(exc)]


@login_required
def exercise_list(request: HttpRequest) -> HttpResponse:
    exercises = access.access_visible_exercises(request.user, Exercise.objects.select_related("owner"))
    return render(
        request,
        "linkage/list.html",
        {"exercises": exercises[:200], "can_open": access.access_can_open_exercise(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def exercise_create(request: HttpRequest) -> HttpResponse:
    if not access.access_can_open_exercise(request.user):
        raise Http404
    form = ExerciseForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exercise = actions.open_exercise(
                actor=_user(request),
                title=data["title"],
                purpose=data["purpose"],
                mode=data["mode"],
                fields=data["person_fields"],
                year_from=data["year_from"],
                year_to=data["year_to"],
                threshold=data["threshold"],
                invite=list(data["invite"]),
                request=request,
            )
        except VinculoError as exc:
            problems = _problems(exc)
        else:
            messages.success(request, _("The exercise is open; the invited organisations can now accept."))
            return redirect("linkage:detail", pk=exercise.pk)
    status = form_status(request, invalid=bool(problems) or not form.is_valid())
    return render(request, "linkage/form.html", {"form": form, "problems": problems}, status=status)


def exercise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_visible_exercise(request, pk))


def _detail_page(
    request: HttpRequest, exercise: Exercise, invite_form: InviteForm | None = None
) -> HttpResponse:
    """The exercise's page; with ``invite_form``, the invitation that failed, shown again (400)."""
    audit(AuditAction.VIEW, request=request, obj=exercise)
    participant = access.access_participant(request.user, exercise)
    can_manage = access.access_can_manage_exercise(request.user, exercise)
    participants = list(exercise.participants.select_related("organisation"))
    invitable = Organisation.objects.filter(is_active=True).exclude(
        pk__in=[p.organisation_id for p in participants]
    )
    failed = invite_form is not None
    invite_form = invite_form or InviteForm()
    invite_form.fields["organisations"].queryset = invitable  # type: ignore[attr-defined]
    return render(
        request,
        "linkage/detail.html",
        {
            "exercise": exercise,
            "job": exercise.job,
            "participants": participants,
            "participant": participant,
            "can_manage": can_manage,
            "can_answer": participant is not None
            and access.access_can_answer_invitation(request.user, participant),
            "can_contribute": participant is not None
            and access.access_can_contribute(request.user, participant),
            "can_estimate": can_manage and platform_access.access_can_create(request.user),
            "n_review": access.access_reviewable_pairs(request.user, exercise).count(),
            "invite_form": invite_form,
            "result": presentation.result_context(exercise),
        },
        status=400 if failed else 200,
    )


def exercise_status(request: HttpRequest, pk: int) -> JsonResponse:
    exercise = get_visible_exercise(request, pk)
    job = exercise.job
    return JsonResponse(
        {
            "status": job.status if job else exercise.status,
            "percent": job.percent if job else 0,
            "text": job.progress_text() if job else exercise.get_status_display(),
            "error": job.error if job else "",
        }
    )


@login_required
@require_POST
def exercise_invite(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_visible_exercise(request, pk)
    if not access.access_can_manage_exercise(request.user, exercise):
        raise Http404
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, exercise, form)
    try:
        actions.invite(
            actor=_user(request),
            exercise=exercise,
            organisations=list(form.cleaned_data["organisations"]),
            request=request,
        )
    except VinculoError as exc:
        form.add_error(None, str(exc))
        return _detail_page(request, exercise, form)
    messages.success(request, _("The organisations are invited."))
    return redirect("linkage:detail", pk=pk)


@login_required
@require_POST
def exercise_answer(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_visible_exercise(request, pk)
    participant = access.access_participant(request.user, exercise)
    if participant is None or not access.access_can_answer_invitation(request.user, participant):
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Accept or decline the invitation."))
        return redirect("linkage:detail", pk=pk)
    accept = form.cleaned_data["answer"] == "accept"
    actions.answer_invitation(actor=_user(request), participant=participant, accept=accept, request=request)
    if not accept:
        messages.success(request, _("You declined the invitation."))
        return redirect("linkage:list")
    messages.success(request, _("You accepted the invitation: contribute your organisation's list."))
    return redirect("linkage:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def exercise_contribute(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_visible_exercise(request, pk)
    participant = access.access_participant(request.user, exercise)
    if participant is None or not access.access_can_contribute(request.user, participant):
        raise Http404
    form = EncodingsForm(request.POST or None, request.FILES or None) if exercise.mode == Mode.PPRL else None
    problems: list[str] = []
    if request.method == "POST":
        try:
            if form is None:
                actions.contribute_cases(actor=_user(request), participant=participant, request=request)
            elif form.is_valid():
                upload = form.cleaned_data["file"]
                data = upload.read(200 * 1024 * 1024 + 1)
                actions.contribute_encodings(
                    actor=_user(request),
                    participant=participant,
                    data=data,
                    file_name=upload.name or "upload.enc",
                    request=request,
                )
            else:
                problems = [_("Choose the encodings file to upload.")]
        except VinculoError as exc:
            problems = _problems(exc)
        if not problems:
            messages.success(request, _("Your organisation's list is contributed."))
            return redirect("linkage:detail", pk=pk)
    status = 400 if problems else 200
    return render(
        request,
        "linkage/contribute.html",
        {"exercise": exercise, "participant": participant, "form": form, "problems": problems},
        status=status,
    )


@login_required
@require_POST
def exercise_run(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_visible_exercise(request, pk)
    if not access.access_can_manage_exercise(request.user, exercise):
        raise Http404
    try:
        actions.start_run(actor=_user(request), exercise=exercise, request=request)
    except VinculoError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The exercise is queued for linking. This page shows its progress."))
    return redirect("linkage:detail", pk=pk)


def exercise_records(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_visible_exercise(request, pk)
    participant = access.access_participant(request.user, exercise)
    records: list[LinkedRecord] = []
    if participant is not None:
        records = list(LinkedRecord.objects.filter(exercise=exercise, participant=participant)[:5000])
    audit(AuditAction.VIEW, request=request, obj=exercise, details={"own_records": len(records)})
    rows = [(presentation.record_reference(r), r.case_id, r.cluster_id, r.n_other_sources) for r in records]
    return render(
        request, "linkage/records.html", {"exercise": exercise, "rows": rows, "participant": participant}
    )


def exercise_review(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_visible_exercise(request, pk)
    pairs = list(access.access_reviewable_pairs(request.user, exercise)[:200])
    if pairs:
        audit(
            AuditAction.VIEW, request=request, obj=exercise, details={"review_pairs": [p.pk for p in pairs]}
        )
    return render(
        request,
        "linkage/review.html",
        {
            "exercise": exercise,
            "rows": presentation.review_rows(exercise, pairs),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def exercise_decide(request: HttpRequest, pk: int, pair: int) -> HttpResponse:
    exercise = get_visible_exercise(request, pk)
    record = LinkPair.objects.select_related("exercise").filter(pk=pair, exercise=exercise).first()
    if record is None or not access.access_can_review_pair(request.user, record):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("linkage:review", pk=pk)
    actions.decide_pair(
        actor=_user(request), pair=record, decision=form.cleaned_data["decision"], request=request
    )
    messages.success(request, _("The decision is recorded and the clusters are updated."))
    return redirect("linkage:review", pk=pk)


@login_required
@require_POST
def exercise_estimate(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_visible_exercise(request, pk)
    if not (
        access.access_can_manage_exercise(request.user, exercise)
        and platform_access.access_can_create(request.user)
    ):
        raise Http404
    try:
        estimate = actions.open_estimate(
            actor=_user(request),
            exercise=exercise,
            stratum=str(request.POST.get("stratum", "")).strip(),
            request=request,
        )
    except VinculoError as exc:
        messages.error(request, str(exc))
        return redirect("linkage:detail", pk=pk)
    messages.success(request, _("The estimate is queued from the exercise's capture histories."))
    return redirect("estimates:detail", pk=estimate.pk)
