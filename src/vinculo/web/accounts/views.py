"""Sign-in, account and token pages, the organisation directory, and role management."""

from __future__ import annotations

import logging
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticToken

from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.views import form_status

from . import access, actions, two_factor
from .forms import DecisionForm, OrganisationForm, PersonForm, RoleForm, TokenForm
from .invitations import send_invitation
from .models import ApiToken, MembershipRequest, MembershipStatus, Organisation, OrganisationKind, Role, User
from .throttling import canonical_username, password_reset_allowed, remember_device
from .two_factor_views import CodeForm

logger = logging.getLogger("vinculo.accounts")


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a reset e-mail. Over the limits (``throttling.password_reset_allowed``) the answer is the
    same "sent" page and no e-mail goes out, so the limit tells nothing about the account."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            logger.warning(
                "Password-reset e-mail not sent: over the hourly limit for the account or address."
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a password from an invitation or reset link is a permission change in the trail."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit(AuditAction.PERMISSION_CHANGE, request=self.request, actor=form.user, obj=form.user,
              details={"password": "set from an e-mailed link"})  # fmt: skip
        # Whoever reads the person's mail is the person: lift every sign-in lock and wait on the account.
        axes_reset(username=canonical_username(None, {"username": form.user.get_username()}))
        two_factor.reset_code_throttle(form.user)
        return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["two_factor_required"] = settings.VINCULO_REQUIRE_TWO_FACTOR
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # This browser now knows the account: the per-account back-off does not hold it back.
        remember_device(response, form.get_user().get_username())
        return response


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    new_token = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_token = actions.issue_token(user=user, name=form.cleaned_data["name"], request=request)
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=user)
    status = form_status(request, invalid=new_token is None)
    context = {
        "form": form,
        "tokens": tokens,
        "new_token": new_token,
        "two_factor": two_factor.has_two_factor(user),
        "two_factor_required": access.access_requires_two_factor(user),
        "recovery_left": StaticToken.objects.filter(device__user=user).count(),
        "manage_form": CodeForm(prefix=None),
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    token = get_object_or_404(ApiToken, pk=token_id, user=user)
    actions.revoke_token(actor=user, token=token, request=request)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:account")


def organisations(request: HttpRequest) -> HttpResponse:
    queryset = Organisation.objects.filter(is_active=True).select_related("country")
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()
    if kind in OrganisationKind.values:
        queryset = queryset.filter(kind=kind)
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisations.html",
        {"page": page, "kinds": OrganisationKind.choices, "kind": kind, "q": query},
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("country"), pk=pk, is_active=True)
    members = None
    if access.access_can_manage_accounts(request.user) or (
        isinstance(request.user, User) and request.user.organisation_id == organisation.pk
    ):
        members = organisation.members.order_by("username")
    return render(
        request, "accounts/organisation_detail.html", {"organisation": organisation, "members": members}
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    if not access.access_can_manage_accounts(request.user):
        raise Http404
    queryset = User.objects.select_related("organisation").order_by("username")
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(Q(username__icontains=query) | Q(organisation__name__icontains=query))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    counts = dict(User.objects.values_list("role").annotate(n=Count("id")))
    return render(request, "accounts/people.html", {"page": page, "q": query, "counts": counts})


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.access_can_manage_accounts(request.user):
        raise Http404
    person = get_object_or_404(User, pk=pk)
    initial = {"role": person.role, "organisation": person.organisation, "is_active": person.is_active}
    waiting = MembershipRequest.objects.filter(person=person, status=MembershipStatus.PENDING).first()
    if person.role == Role.NONE:
        # An account that has no role yet shows what was asked for (never a default such as "admin").
        initial["role"] = waiting.role if waiting is not None else Role.ANALYST
        initial["organisation"] = waiting.organisation if waiting is not None else None
    form = RoleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if person.pk == request.user.pk and (
            form.cleaned_data["role"] != person.role
            or form.cleaned_data["organisation"] != person.organisation
        ):
            # Otherwise an administrator could join an organisation and read its restricted records.
            form.add_error(
                "role", _("You cannot change your own role or organisation. Ask another administrator.")
            )
        else:
            membership = actions.change_role(
                actor=request.user,
                user=person,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                is_active=form.cleaned_data["is_active"],
                request=request,
            )
            if membership is None:
                messages.success(request, _("The changes were saved."))
            else:
                messages.success(request, _pending_message(membership))
            return redirect("accounts:person", pk=person.pk)
    status = form_status(request, invalid=True)
    context = {
        "person": person,
        "form": form,
        "pending": MembershipRequest.objects.filter(person=person, status=MembershipStatus.PENDING).first(),
        "two_factor": two_factor.has_two_factor(person),
    }
    return render(request, "accounts/person.html", context, status=status)


def _pending_message(membership: MembershipRequest) -> str:
    if membership.organisation is None:
        return _(
            "The request was recorded. Another platform administrator must confirm it (Membership "
            "requests). Nothing changes until then."
        )
    if access.access_needs_bootstrap(membership.organisation_id):
        return _(
            "The request was recorded. %(organisation)s has no active data manager, so another platform "
            "administrator must confirm it (Membership requests). Nothing changes until then."
        ) % {"organisation": membership.organisation.name}
    return _(
        "The request was recorded and the data managers of %(organisation)s were told. Nothing changes "
        "until one of them confirms it."
    ) % {"organisation": membership.organisation.name}


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not access.access_can_manage_accounts(request.user):
        raise Http404
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = actions.create_organisation(actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The organisation was added."))
        return redirect("accounts:organisation", pk=organisation.pk)
    return render(
        request, "accounts/organisation_form.html", {"form": form}, status=form_status(request, invalid=True)
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    """Add a person; they receive an e-mail with a link to choose their own password."""
    if not access.access_can_manage_accounts(request.user):
        raise Http404
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assert isinstance(request.user, User)
        person, membership = actions.invite_person(
            actor=request.user,
            username=data["username"],
            organisation=data["organisation"],
            role=data["role"],
            email=data["email"],
            request=request,
        )
        send_invitation(person, request)
        messages.success(request, _("The account was created and an invitation was sent."))
        if membership is not None:
            messages.info(request, _pending_message(membership))
        return redirect("accounts:person", pk=person.pk)
    return render(
        request, "accounts/person_form.html", {"form": form}, status=form_status(request, invalid=True)
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_requests(request: HttpRequest) -> HttpResponse:
    """Pending membership requests the caller may decide: their own organisation's, for a data manager;
    those of organisations without a data manager, for another administrator (first-manager rule)."""
    if not (access.access_can_manage_accounts(request.user) or access.access_is_data_manager(request.user)):
        raise Http404
    queryset = access.access_decidable_memberships(
        request.user, MembershipRequest.objects.select_related("person", "organisation", "requested_by")
    )
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        wanted = request.POST.get("request", "")
        # Beyond 18 digits a number cannot be a primary key (and would overflow the database's integer).
        valid_id = wanted.isascii() and wanted.isdigit() and len(wanted) <= 18
        membership = queryset.filter(pk=int(wanted)).first() if valid_id else None
        valid = form.is_valid()  # before add_error: an empty POST is a bound form without cleaned data
        if membership is None:
            form.add_error(
                None, _("This request does not exist, was already decided, or is not yours to decide.")
            )
        elif valid:
            assert isinstance(request.user, User)
            confirm = form.cleaned_data["decision"] == "confirm"
            try:
                actions.decide_membership(
                    actor=request.user, membership=membership, confirm=confirm, request=request
                )
            except actions.MembershipDecisionError:
                form.add_error(
                    None, _("This request does not exist, was already decided, or is not yours to decide.")
                )
            else:
                if confirm:
                    messages.success(request, _("The membership was confirmed."))
                else:
                    messages.success(request, _("The request was refused. The account keeps what it had."))
                return redirect("accounts:membership_requests")
    recent = MembershipRequest.objects.select_related("person", "organisation", "requested_by", "decided_by")
    user = request.user
    if access.access_is_data_manager(user):
        assert isinstance(user, User) and user.organisation_id is not None
        recent = recent.filter(organisation_id=user.organisation_id)
    recent = recent.exclude(status=MembershipStatus.PENDING)[:20]
    context = {"pending": list(queryset), "recent": recent, "form": form}
    return render(
        request, "accounts/membership_requests.html", context, status=form_status(request, invalid=True)
    )


@login_required
@require_POST
def person_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator removes another person's two-factor sign-in (a lost phone and no recovery code)."""
    if not access.access_can_manage_accounts(request.user):
        raise Http404
    person = get_object_or_404(User, pk=pk)
    assert isinstance(request.user, User)
    if person.pk == request.user.pk:
        messages.error(
            request, _("You cannot remove your own two-factor sign-in. Ask another administrator.")
        )
    elif two_factor.has_two_factor(person):
        two_factor.reset_by_administrator(request=request, actor=request.user, person=person)
        messages.success(
            request,
            _("Two-factor sign-in was removed. The person and their organisation's data managers were told."),
        )
    return redirect("accounts:person", pk=person.pk)
