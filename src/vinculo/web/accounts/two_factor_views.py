"""Pages for two-factor sign-in: enrolment (QR code and typed key), the code at sign-in, and managing it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.web.core.views import form_status

from . import access, two_factor
from .models import User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        help_text=gettext_lazy(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    user = _user(request)
    if not two_factor.has_two_factor(user):
        return redirect("accounts:two_factor_enrol")
    if two_factor.is_verified(request):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if two_factor.verify_code(request=request, user=user, code=form.cleaned_data["code"]):
                return redirect(_next(request))
            form.add_error(
                "code", _("This code is not right. Check the time on your phone and try the current code.")
            )
        except two_factor.CodeThrottled as throttled:
            form.add_error(
                "code",
                _("Too many wrong codes. Wait %(seconds)s seconds before the next try.")
                % {"seconds": throttled.seconds},
            )
    context = {"form": form, "next": _next(request)}
    return render(
        request, "accounts/two_factor_verify.html", context, status=form_status(request, invalid=True)
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a first code."""
    user = _user(request)
    if two_factor.has_two_factor(user):
        if not two_factor.is_verified(request):
            return redirect("accounts:two_factor_verify")
        return redirect("accounts:account")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(request=request, user=user, code=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error(
            "code", _("This code is not right. Check the time on your phone and try the current code.")
        )
    context: dict[str, object] = {
        "form": form,
        "key": two_factor.manual_key(device),
        "required": access.access_requires_two_factor(user),
        "next": _next(request),
    }
    return render(
        request, "accounts/two_factor_enrol.html", context, status=form_status(request, invalid=True)
    )


@never_cache
@login_required
def qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the caller's authenticator that is not confirmed yet (none once it is)."""
    user = _user(request)
    if two_factor.has_two_factor(user):
        raise Http404
    response = HttpResponse(two_factor.qr_svg(two_factor.pending_device(user)), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


class ManageForm(CodeForm):
    action = forms.ChoiceField(
        choices=[("disable", "disable"), ("recovery", "recovery")], widget=forms.HiddenInput
    )


@never_cache
@login_required
@require_POST
def manage(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off, or replace the recovery codes: both need a current code."""
    user = _user(request)
    if not two_factor.has_two_factor(user):
        raise Http404
    form = ManageForm(request.POST)
    ok = False
    if form.is_valid():
        try:
            ok = two_factor.verify_code(
                request=request, user=user, code=form.cleaned_data["code"], purpose="manage"
            )
        except two_factor.CodeThrottled as throttled:
            messages.error(
                request,
                _("Too many wrong codes. Wait %(seconds)s seconds before the next try.")
                % {"seconds": throttled.seconds},
            )
            return redirect("accounts:account")
    if not ok:
        messages.error(request, _("Nothing was changed: give a current code from your authenticator app."))
        return redirect("accounts:account")
    if form.cleaned_data["action"] == "recovery":
        codes = two_factor.regenerate_recovery_codes(request=request, user=user)
        return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": "/"})
    two_factor.disable(request=request, user=user)
    if access.access_requires_two_factor(user):
        messages.info(
            request, _("Two-factor sign-in is required for your role: set up an authenticator again.")
        )
        return redirect("accounts:two_factor_enrol")
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:account")
