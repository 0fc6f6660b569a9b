"""E-mail to organisations' data managers about every membership or role change (request, confirmation,
refusal, change, removal). Sent once the change is committed, so nothing is announced that did not happen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.mail import send_mass_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from . import access
from .models import Organisation, Role, User


def _recipients(
    organisation_ids: Iterable[int | None], *, tell_admins: bool, actor: User | None, person: User | None
) -> list[str]:
    addresses: set[str] = {person.email} if person is not None and person.email else set()
    for organisation_id in set(organisation_ids):
        for manager in access.access_organisation_managers(organisation_id):
            if manager.email:
                addresses.add(manager.email)
    if tell_admins:
        admins = User.objects.filter(role=Role.ADMIN, is_active=True)
        if actor is not None:
            admins = admins.exclude(pk=actor.pk)
        addresses.update(admin.email for admin in admins if admin.email)
    return sorted(addresses)


def notify_membership(
    event: str,
    *,
    person: User,
    actor: User | None,
    organisation_ids: Iterable[int | None],
    before: Mapping[str, object],
    after: Mapping[str, object],
    pending: bool = False,
    tell_admins: bool = False,
    tell_person: bool = False,
    request: HttpRequest | None = None,
) -> None:
    """Tell the data managers of every organisation in ``organisation_ids`` (old and new) what happened.

    With ``tell_admins`` (a request that waits for, or was decided under, the first-manager rule: the
    organisation has no data manager) the other platform administrators are told too, since one of
    them decides. With ``tell_person`` the person concerned is told too. Call it before the change is
    saved, so that a data manager who is removed or demoted is among those told.
    """
    organisation_ids = list(organisation_ids)
    recipients = _recipients(
        organisation_ids, tell_admins=tell_admins, actor=actor, person=person if tell_person else None
    )
    if not recipients:
        return
    link = reverse("accounts:membership_requests")
    if request is not None:
        link = request.build_absolute_uri(link)
    names = dict(
        Organisation.objects.filter(pk__in=[i for i in organisation_ids if i]).values_list("pk", "name")
    )
    roles = dict(Role.choices)

    def describe(state: Mapping[str, object]) -> str:
        org = names.get(state.get("organisation"), "—")  # type: ignore[call-overload]
        role = roles.get(str(state.get("role")), str(state.get("role")))
        active = "" if state.get("is_active", True) else " (deactivated)"
        return f"{role}, {org}{active}"

    context = {
        "event": event,
        "person": person.get_username(),
        "actor": actor.get_username() if actor is not None else "the platform",
        "before": describe(before),
        "after": describe(after),
        "pending": pending,
        "bootstrap": tell_admins,
        "link": link,
    }
    subject = "".join(render_to_string("accounts/membership_subject.txt", context).splitlines())
    body = render_to_string("accounts/membership_email.txt", context)
    messages = [(subject, body, None, [address]) for address in recipients]
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
