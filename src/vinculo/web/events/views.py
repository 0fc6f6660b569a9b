"""Pages of the events calendar and its iCalendar files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.errors import VinculoError
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.core.views import form_status

from . import actions
from .forms import EventForm
from .models import Event


def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "events/list.html",
        {"events": Event.objects.all(), "can_edit": access.access_can_curate_coordination(request.user)},
    )


def _event(pk: int) -> Event:
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "events/detail.html",
        {"event": _event(pk), "can_edit": access.access_can_curate_coordination(request.user)},
    )


def _ics(request: HttpRequest, events: list[Event], filename: str) -> HttpResponse:
    response = HttpResponse(
        actions.calendar_text(events, host=request.get_host().split(":")[0]),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def calendar(request: HttpRequest) -> HttpResponse:
    return _ics(request, list(Event.objects.all()), "vinculo-events.ics")


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    return _ics(request, [_event(pk)], f"event-{pk}.ics")


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not access.access_can_curate_coordination(request.user):
        raise Http404
    event = _event(pk) if pk is not None else None
    form = EventForm(request.POST or None, instance=event, initial={"version": event.version if event else 1})
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)
        data = form.cleaned_data
        try:
            if event is None:
                event = actions.create_event(actor=user, fields=data, request=request)
            else:
                actions.update_event(
                    actor=user,
                    event_id=event.pk,
                    expected_version=data.get("version") or 0,
                    fields=data,
                    request=request,
                )
        except VinculoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request, "events/form.html", {"form": form, "event": event}, status=form_status(request, invalid=True)
    )


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.access_can_curate_coordination(request.user):
        raise Http404
    assert isinstance(request.user, User)
    actions.delete_event(actor=request.user, event=_event(pk), request=request)
    return redirect("events:list")
