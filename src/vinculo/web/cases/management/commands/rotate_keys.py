"""``manage.py rotate_keys``: re-encrypt every protected case value with the newest configured key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vinculo.errors import VinculoError


class Command(BaseCommand):
    help = (
        "Re-encrypt case identifiers, stored uploads and quarantine files with the first key of "
        "VINCULO_ENCRYPTION_KEYS. Put the new key first, keep the old ones, run this, then drop the old keys."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from vinculo.web.cases import actions

        try:
            counts = actions.rotate_keys()
        except VinculoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Re-encrypted {counts['records']} case record(s), {counts['versions']} earlier version(s) "
            f"and {counts['files']} stored file(s) with the newest key."
        )
