"""Pages of the network of national rapporteurs. Access goes through ``accounts.access`` only."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vinculo.errors import VinculoError
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.views import form_status

from . import actions
from .forms import DocumentForm, MechanismForm, MeetingForm, NoteForm
from .models import Mechanism, Meeting, MeetingDocument, PracticeNote


def mechanism_list(request: HttpRequest) -> HttpResponse:
    queryset = Mechanism.objects.select_related("country", "organisation")
    country = request.GET.get("country", "").upper()
    if country:
        queryset = queryset.filter(country__iso3=country)
    return render(
        request,
        "network/list.html",
        {
            "mechanisms": queryset,
            "country": country,
            "is_member": access.access_is_network_member(request.user),
            "is_admin": access.access_is_admin(request.user),
        },
    )


def _mechanism(pk: int) -> Mechanism:
    mechanism = Mechanism.objects.select_related("country", "organisation").filter(pk=pk).first()
    if mechanism is None:
        raise Http404
    return mechanism


def mechanism_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mechanism = _mechanism(pk)
    show_contacts = access.access_is_network_member(request.user)
    if show_contacts:
        audit(AuditAction.VIEW, request=request, obj=mechanism, details={"contact_details": True})
    return render(
        request,
        "network/detail.html",
        {"m": mechanism, "show_contacts": show_contacts, "can_edit": access.access_is_admin(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mechanism_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not access.access_is_admin(request.user):
        raise Http404
    mechanism = _mechanism(pk) if pk is not None else None
    form = MechanismForm(
        request.POST or None, instance=mechanism, initial={"version": mechanism.version if mechanism else 1}
    )
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)
        data = form.cleaned_data
        try:
            if mechanism is None:
                mechanism = actions.create_mechanism(actor=user, fields=data, request=request)
            else:
                actions.update_mechanism(
                    actor=user,
                    mechanism_id=mechanism.pk,
                    expected_version=data.get("version") or 0,
                    fields=data,
                    request=request,
                )
        except VinculoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("network:detail", pk=mechanism.pk)
    return render(
        request,
        "network/form.html",
        {"form": form, "title": _("National rapporteur or equivalent mechanism"), "multipart": False},
        status=form_status(request, invalid=True),
    )


def _require_member(request: HttpRequest) -> User:
    if not access.access_is_network_member(request.user):
        raise Http404
    assert isinstance(request.user, User)
    return request.user


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    return render(request, "network/meetings.html", {"meetings": Meeting.objects.all()})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_member(request)
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    audit(AuditAction.VIEW, request=request, obj=meeting)  # members-only: agenda, participants, minutes
    return render(
        request,
        "network/meeting.html",
        {
            "meeting": meeting,
            "participants": meeting.participants.all(),
            "documents": meeting.documents.all(),
            "form": DocumentForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = _require_member(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.create_meeting(
                actor=user, fields=data, participants=data["participants"], request=request
            )
        except VinculoError as exc:
            form.add_error("ends_on", str(exc))
        else:
            return redirect("network:meeting", pk=meeting.pk)
    return render(
        request,
        "network/form.html",
        {"form": form, "title": _("New consultative meeting"), "multipart": False},
        status=form_status(request, invalid=True),
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require_member(request)
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            actions.add_document(
                actor=user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                name=upload.name,
                data=upload.read(actions.MAX_DOCUMENT_BYTES + 1),
                request=request,
            )
        except VinculoError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("The document was added."))
            return redirect("network:meeting", pk=meeting.pk)
    return render(
        request,
        "network/form.html",
        {"form": form, "title": _("Add a document"), "multipart": True},
        status=form_status(request, invalid=True),
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    _require_member(request)
    document = MeetingDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    audit(AuditAction.EXPORT, request=request, obj=document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"document-{document.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def programme_url(programme_id: int | None) -> str:
    if programme_id is None or not apps.is_installed("vinculo.web.programmes"):
        return ""
    try:
        return reverse("programmes:detail", args=[programme_id])
    except NoReverseMatch:
        return ""


def note_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/notes.html",
        {
            "notes": PracticeNote.objects.select_related("author").prefetch_related("countries"),
            "is_member": access.access_is_network_member(request.user),
        },
    )


def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = PracticeNote.objects.select_related("author").filter(pk=pk).first()
    if note is None:
        raise Http404
    return render(
        request,
        "network/note.html",
        {"note": note, "countries": note.countries.all(), "programme_url": programme_url(note.programme_id)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_create(request: HttpRequest) -> HttpResponse:
    user = _require_member(request)
    if user.organisation is None:
        raise Http404
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        note = actions.create_note(
            actor=user,
            title=d["title"],
            text=d["text"],
            countries=d["countries"],
            programme_id=d["programme_id"],
            request=request,
        )
        return redirect("network:note", pk=note.pk)
    return render(
        request,
        "network/form.html",
        {"form": form, "title": _("New good-practice note"), "multipart": False},
        status=form_status(request, invalid=True),
    )
