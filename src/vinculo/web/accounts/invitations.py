"""The e-mail that invites a new person to choose their password (the link is a password-reset link)."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User


def send_invitation(user: User, request: HttpRequest) -> None:
    site = get_current_site(request)
    context = {
        "user": user,
        "site_name": site.name,
        "domain": site.domain,
        "protocol": "https" if request.is_secure() else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = "".join(render_to_string("accounts/invitation_subject.txt", context).splitlines())
    body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
