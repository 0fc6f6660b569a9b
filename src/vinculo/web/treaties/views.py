"""Pages of the treaty status area and the coordination hub. Access goes through ``accounts.access`` only."""

from __future__ import annotations

import csv
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vinculo import charts
from vinculo.coordination import INSTRUMENTS, UNTC_URLS
from vinculo.errors import VinculoError
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.core.export import csv_safe
from vinculo.web.core.models import Country
from vinculo.web.core.templatetags.locale_format import local_date
from vinculo.web.core.views import form_status

from . import actions, services
from .forms import TreatyEntryForm
from .models import Instrument, TreatyEntry, TreatyStatusCode


def _shown_date(value: Any, precision: str) -> str:
    """A date on a page: the year alone when only the year is known, else as the language writes it
    (downloads keep ISO 8601, see :func:`services.format_date`)."""
    if value is None or precision in ("none", "year"):
        return services.format_date(value, precision)
    return local_date(value)


def hub(request: HttpRequest) -> HttpResponse:
    sections = []
    for app, url_name, title, text in [
        (
            "treaties",
            "treaties:world",
            _("Treaty status"),
            _(
                "Signature and ratification of UNTOC and the Trafficking in Persons Protocol by every State (§1)."
            ),
        ),
        (
            "network",
            "network:list",
            _("National rapporteurs"),
            _(
                "Directory of national rapporteurs and equivalent mechanisms, their meetings and good practices (§10, §11, §23)."
            ),
        ),
        (
            "appraisal",
            "appraisal:dashboard",
            _("Appraisal of the Global Plan of Action"),
            _(
                "Questionnaires of progress per action point and the dashboard by pillar, region and cycle (§3–§5)."
            ),
        ),
        (
            "trustfund",
            "trustfund:summary",
            _("Voluntary Trust Fund"),
            _(
                "Contributions, grants and disbursements of the UN Voluntary Trust Fund for Victims of Trafficking (§8, §14, §24)."
            ),
        ),
        (
            "events",
            "events:list",
            _("Events calendar"),
            _("World Day against Trafficking in Persons, meetings and launches, with calendar files (§6)."),
        ),
    ]:
        if apps.is_installed(f"vinculo.web.{app}"):
            from django.urls import reverse

            sections.append({"url": reverse(url_name), "title": title, "text": text})
    return render(request, "treaties/hub.html", {"sections": sections})


def _params(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "") for k in ("q", "region", "confirmed", "sort", *Instrument.values)}


def world(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    all_rows = services.state_rows()
    rows = services.filter_rows(all_rows, params)
    if request.GET.get("format") == "csv":
        return _csv(rows)
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("format", None)
    return render(
        request,
        "treaties/world.html",
        {
            "rows": rows,
            "total": len(all_rows),
            "params": params,
            "regions": sorted({r.region for r in all_rows if r.region}),
            "statuses": TreatyStatusCode.choices,
            "instruments": Instrument.choices,
            "base_query": query.urlencode(),
            "unconfirmed": sum(1 for r in all_rows if not r.confirmed),
        },
    )


def _csv(rows: list[services.StateRow]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="treaty-status.csv"'
    writer = csv.writer(response)
    header = ["iso3", "state", "region"]
    for instrument in Instrument.values:
        header += [
            f"{instrument}_status",
            f"{instrument}_signature",
            f"{instrument}_signature_precision",
            f"{instrument}_act",
            f"{instrument}_date",
            f"{instrument}_date_precision",
            f"{instrument}_source",
            f"{instrument}_citation",
        ]
    header += ["confirmed_against_untc", "note"]
    writer.writerow(header)
    for row in rows:
        line: list[Any] = [row.country.iso3, str(row.country), row.region]
        notes = []
        for instrument in Instrument.values:
            e = row.entries.get(instrument)
            if e is None:
                line += ["", "", "", "", "", "", "", ""]
                continue
            line += [
                e.status,
                services.format_date(e.signature_date, e.signature_precision),
                e.signature_precision,
                e.action_kind,
                services.format_date(e.action_date, e.action_precision),
                e.action_precision,
                e.source,
                e.citation,
            ]
            notes.append(e.note)
        confirmed = [e.confirmed_at.date().isoformat() for e in row.entries.values() if e.confirmed_at]
        line += [min(confirmed) if row.confirmed and confirmed else "no", " | ".join(n for n in notes if n)]
        writer.writerow(csv_safe(line))
    return response


def regions(request: HttpRequest) -> HttpResponse:
    rows = services.state_rows()
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = table.setdefault(
            row.region or _("No region"), {"states": 0, "untoc": 0, "tip_protocol": 0, "confirmed": 0}
        )
        counts["states"] += 1
        counts["confirmed"] += int(row.confirmed)
        for instrument in Instrument.values:
            e = row.entries.get(instrument)
            counts[instrument] += int(e is not None and e.status == TreatyStatusCode.PARTY)
    names = sorted(table)
    totals = {k: sum(t[k] for t in table.values()) for k in ("states", "untoc", "tip_protocol", "confirmed")}
    series = {
        _("UNTOC parties (recorded)"): [table[n]["untoc"] for n in names],
        _("Protocol parties (recorded)"): [table[n]["tip_protocol"] for n in names],
        _("Member States"): [table[n]["states"] for n in names],
    }
    title = _("Recorded parties by region")
    svg = charts.stacked_bar_chart(
        names,
        series,
        mode="grouped",
        title=title,
        description=_(
            "Member States and recorded parties to UNTOC and to the Protocol in each region. The records are "
            "incomplete until confirmed against the UN Treaty Collection."
        ),
    )
    chart_table = charts.data_table(names, series, category_header=_("Region"))
    return render(
        request,
        "treaties/regions.html",
        {
            "table": [(n, table[n]) for n in names],
            "totals": totals,
            "chart": {"title": title, "svg": svg, "table": chart_table},
        },
    )


def _country(iso3: str) -> Country:
    country = Country.objects.filter(iso3=iso3.upper(), un_member=True).first()
    if country is None:
        raise Http404
    return country


def state(request: HttpRequest, iso3: str) -> HttpResponse:
    country = _country(iso3)
    entries = list(
        TreatyEntry.objects.filter(country=country).select_related("confirmed_by").order_by("instrument")
    )
    mechanisms: list[Any] = []
    if apps.is_installed("vinculo.web.network"):
        mechanism_model = apps.get_model("network", "Mechanism")
        mechanisms = list(mechanism_model.objects.filter(country=country).select_related("organisation"))
    return render(
        request,
        "treaties/state.html",
        {
            "country": country,
            "entries": [
                {
                    "entry": e,
                    "title": INSTRUMENTS[e.instrument],
                    "untc": UNTC_URLS[e.instrument],
                    "signature": _shown_date(e.signature_date, e.signature_precision),
                    "action": _shown_date(e.action_date, e.action_precision),
                }
                for e in entries
            ],
            "confirmed": bool(entries) and all(e.confirmed for e in entries),
            "links": services.related_links(country),
            "mechanisms": mechanisms,
            "can_edit": access.access_can_curate_coordination(request.user),
            "can_confirm": access.access_is_admin(request.user),
        },
    )


def _entry(iso3: str, instrument: str) -> TreatyEntry:
    entry = (
        TreatyEntry.objects.select_related("country")
        .filter(country__iso3=iso3.upper(), country__un_member=True, instrument=instrument)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, iso3: str, instrument: str) -> HttpResponse:
    if not access.access_can_curate_coordination(request.user):
        raise Http404
    entry = _entry(iso3, instrument)
    form = TreatyEntryForm(request.POST or None, instance=entry, initial={"version": entry.version})
    status = form_status(request, invalid=True)  # a submitted form shown again has errors
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = request.user
        assert isinstance(user, User)
        try:
            actions.update_entry(
                actor=user,
                entry_id=entry.pk,
                expected_version=data["version"],
                fields={k: data[k] for k in actions.EDITABLE},
                reason=data["reason"],
                request=request,
            )
        except VinculoError as exc:
            status = 409 if isinstance(exc, actions.StaleVersionError) else status
            for issue in exc.issues:
                name = issue.location.field
                form.add_error(name if name in form.fields else None, issue.message)
            if not exc.issues:
                form.add_error(None, str(exc))
        else:
            messages.success(request, _("The entry was saved. It needs a new confirmation against the UNTC."))
            return redirect("treaties:state", iso3=entry.country.iso3)
    return render(
        request,
        "treaties/edit.html",
        {"form": form, "entry": entry},
        status=status,
    )


@login_required
def history(request: HttpRequest, iso3: str, instrument: str) -> HttpResponse:
    entry = _entry(iso3, instrument)
    versions = entry.versions.select_related("changed_by").order_by("-version")
    return render(
        request,
        "treaties/history.html",
        {
            "entry": entry,
            "versions": versions,
            "show_who": access.access_can_curate_coordination(request.user),
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, iso3: str) -> HttpResponse:
    if not access.access_is_admin(request.user):
        raise Http404
    country = _country(iso3)
    user = request.user
    assert isinstance(user, User)
    actions.confirm_state(actor=user, country=country, request=request)
    messages.success(request, _("Recorded: confirmed against the UN Treaty Collection today."))
    return redirect("treaties:state", iso3=country.iso3)
