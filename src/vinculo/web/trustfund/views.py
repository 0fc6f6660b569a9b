"""Pages of the Trust Fund: a public summary, restricted detail, and data entry for administrators."""

from __future__ import annotations

import csv
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vinculo import charts
from vinculo.errors import VinculoError
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.export import csv_safe
from vinculo.web.core.views import form_status

from . import actions
from .forms import ContributionForm, CycleForm, DisbursementForm, GrantForm, ReportForm
from .models import CurrencyBalance, Disbursement, Grant, GrantCycle, LedgerEntry


def summary(request: HttpRequest) -> HttpResponse:
    rows = actions.summary_by_year_and_donor()
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="trust-fund-contributions.csv"'
        writer = csv.writer(response)
        writer.writerow(["year", "donor", "currency", "amount"])
        for r in rows:
            writer.writerow(csv_safe([r["year"], r["donor"], r["currency"], r["amount"]]))
        return response
    currencies = sorted({r["currency"] for r in rows})
    years = sorted({r["year"] for r in rows})
    series: dict[str, list[Any]] = {c: [] for c in currencies}
    for year in years:
        for c in currencies:
            total = sum((r["amount"] for r in rows if r["year"] == year and r["currency"] == c), Decimal(0))
            series[c].append(float(total) if total else None)
    plot = None
    if years:
        title = _("Contributions received by year")
        plot = {
            "title": title,
            "svg": charts.stacked_bar_chart(
                [str(y) for y in years],
                series,
                mode="grouped",
                title=title,
                description=_(
                    "Contributions received by the Trust Fund each year, per currency (not converted)."
                ),
            ),
            "table": charts.data_table([str(y) for y in years], series, category_header=_("Year")),
            "csv_url": reverse("trustfund:summary") + "?format=csv",
        }
    return render(
        request,
        "trustfund/summary.html",
        {
            "rows": rows,
            "balances": CurrencyBalance.objects.all(),
            "plot": plot,
            "can_read_detail": access.access_can_read_trustfund_detail(request.user),
            "can_manage": access.access_can_manage_trustfund(request.user),
        },
    )


def _require_detail(request: HttpRequest) -> None:
    if not access.access_can_read_trustfund_detail(request.user):
        raise Http404


def detail(request: HttpRequest) -> HttpResponse:
    _require_detail(request)
    audit(AuditAction.VIEW, request=request, object_type="trustfund.grant", object_repr="trust fund detail")
    return render(
        request,
        "trustfund/detail.html",
        {
            "grants": Grant.objects.select_related("grantee", "cycle"),
            "cycles": GrantCycle.objects.all(),
            "disbursements": Disbursement.objects.select_related("grant")[:200],
            "ledger": LedgerEntry.objects.order_by("-booked_on", "-id")[:200],
            "problems": actions.check_reconciliation(),
            "can_manage": access.access_can_manage_trustfund(request.user),
        },
    )


def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_detail(request)
    grant = Grant.objects.select_related("grantee", "cycle").filter(pk=pk).first()
    if grant is None:
        raise Http404
    audit(AuditAction.VIEW, request=request, obj=grant)
    return render(
        request,
        "trustfund/grant.html",
        {
            "grant": grant,
            "disbursements": grant.disbursements.all(),
            "reports": grant.reports.all(),
            "can_manage": access.access_can_manage_trustfund(request.user),
            "disbursement_form": DisbursementForm(),
            "report_form": ReportForm(),
        },
    )


def _entry_page(
    request: HttpRequest,
    form_class: type[forms.Form],
    title: str,
    save: Callable[[User, dict[str, Any]], Any],
    done: Callable[[Any], str],
) -> HttpResponse:
    if not access.access_can_manage_trustfund(request.user):
        raise Http404
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)
        try:
            obj = save(user, form.cleaned_data)
        except VinculoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect(done(obj))
    return render(
        request,
        "trustfund/form.html",
        {"form": form, "title": title},
        status=form_status(request, invalid=True),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_create(request: HttpRequest) -> HttpResponse:
    return _entry_page(
        request,
        ContributionForm,
        _("Record a contribution"),
        lambda user, d: actions.record_contribution(actor=user, request=request, **d),
        lambda obj: reverse("trustfund:summary"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    return _entry_page(
        request,
        CycleForm,
        _("Open a grant cycle"),
        lambda user, d: actions.create_cycle(actor=user, request=request, **d),
        lambda obj: reverse("trustfund:detail"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def grant_create(request: HttpRequest) -> HttpResponse:
    return _entry_page(
        request,
        GrantForm,
        _("Award a grant"),
        lambda user, d: actions.create_grant(actor=user, request=request, **d),
        lambda obj: reverse("trustfund:grant", args=[obj.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_create(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.access_can_manage_trustfund(request.user) or not Grant.objects.filter(pk=pk).exists():
        raise Http404
    return _entry_page(
        request,
        DisbursementForm,
        _("Record a disbursement"),
        lambda user, d: actions.record_disbursement(actor=user, grant_id=pk, request=request, **d),
        lambda obj: reverse("trustfund:grant", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    grant = Grant.objects.filter(pk=pk).first()
    if not access.access_can_manage_trustfund(request.user) or grant is None:
        raise Http404
    return _entry_page(
        request,
        ReportForm,
        _("Add a report due"),
        lambda user, d: actions.add_report(actor=user, grant=grant, request=request, **d),
        lambda obj: reverse("trustfund:grant", args=[pk]),
    )
