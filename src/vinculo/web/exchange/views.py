"""Pages of the information exchange. Access goes through ``vinculo.web.accounts.access`` only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.web.accounts import access
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.models import Sensitivity
from vinculo.web.core.views import form_status

from . import actions
from .forms import NoticeForm
from .models import Notice


def get_visible_notice(request: HttpRequest, pk: int) -> Notice:
    """The notice if ``request.user`` may see it; otherwise 404, whether or not it exists."""
    notice = Notice.objects.select_related("owner", "created_by").filter(pk=pk).first()
    if notice is None or not access.access_can_view(request.user, notice):
        raise Http404
    return notice


def notice_list(request: HttpRequest) -> HttpResponse:
    queryset = access.access_visible(request.user, Notice.objects.select_related("owner"))
    sensitivity = request.GET.get("sensitivity", "")
    if sensitivity in Sensitivity.values:
        queryset = queryset.filter(sensitivity=sensitivity)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    restricted = [n.pk for n in page if n.sensitivity == Sensitivity.RESTRICTED]
    if restricted:
        audit(AuditAction.VIEW, request=request, object_type="exchange.notice", details={"ids": restricted})
    return render(
        request,
        "exchange/list.html",
        {
            "page": page,
            "can_create": access.access_can_create(request.user),
            "sensitivities": Sensitivity.choices,
            "sensitivity": sensitivity,
        },
    )


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_notice(request, pk)
    if notice.sensitivity == Sensitivity.RESTRICTED:
        audit(AuditAction.VIEW, request=request, obj=notice)
    return render(
        request,
        "exchange/detail.html",
        {
            "notice": notice,
            "can_change": access.access_can_change(request.user, notice),
            "shared_with": notice.shared_with.all(),
            "countries": notice.countries.all(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_create(request: HttpRequest) -> HttpResponse:
    if not access.access_can_create(request.user):
        raise Http404
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        notice = actions.create_notice(
            actor=request.user,  # type: ignore[arg-type]
            fields=data,
            shared_with=data["shared_with"],
            countries=data["countries"],
            request=request,
        )
        messages.success(request, _("The notice was published."))
        return redirect("exchange:detail", pk=notice.pk)
    return render(
        request,
        "exchange/form.html",
        {"form": form, "notice": None},
        status=form_status(request, invalid=True),
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_notice(request, pk)
    if not access.access_can_change(request.user, notice):
        raise Http404
    form = NoticeForm(request.POST or None, instance=notice)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_notice(
            actor=request.user,  # type: ignore[arg-type]
            notice=Notice.objects.get(pk=notice.pk),
            fields=data,
            shared_with=data["shared_with"],
            countries=data["countries"],
            request=request,
        )
        messages.success(request, _("The changes were saved."))
        return redirect("exchange:detail", pk=notice.pk)
    return render(
        request,
        "exchange/form.html",
        {"form": form, "notice": notice},
        status=form_status(request, invalid=True),
    )


@login_required
@require_POST
def notice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_notice(request, pk)
    if not access.access_can_change(request.user, notice):
        raise Http404
    actions.delete_notice(actor=request.user, notice=notice, request=request)  # type: ignore[arg-type]
    messages.success(request, _("The notice was deleted."))
    return redirect("exchange:list")
