"""Create a platform administrator: ``vinculo createadmin USERNAME --email E`` (asks for the password)."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vinculo.web.accounts import actions
from vinculo.web.accounts.models import Role, User


class Command(BaseCommand):
    help = "Create a platform administrator. The password is asked for, or read from VINCULO_ADMIN_PASSWORD."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, username: str, email: str, **options: Any) -> None:
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already. Choose another name.")
        if email and User.objects.filter(email__iexact=email.strip()).exists():
            raise CommandError(
                f"The e-mail address {email!r} already belongs to an account; each address holds one "
                "account. Use another address. Nothing was created."
            )
        password = os.environ.get("VINCULO_ADMIN_PASSWORD") or ""
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ. Nothing was created.")
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            raise CommandError("The password is too weak: " + " ".join(exc.messages)) from exc
        actions.create_user(
            actor=None,
            username=username,
            password=password,
            organisation=None,
            role=Role.ADMIN,
            email=email,
            is_staff=False,
        )
        self.stdout.write(self.style.SUCCESS(f"Administrator {username!r} created."))
