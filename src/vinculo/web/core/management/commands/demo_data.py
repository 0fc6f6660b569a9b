"""Load clearly labelled demo accounts and records (idempotent). Refuses to run with production settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vinculo.web.core import demo


class Command(BaseCommand):
    help = (
        "Create demo organisations, accounts and records. Safe to run twice; never with production settings."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith(".prod"):
            raise CommandError("Demo data is never loaded with production settings.")
        summary = demo.load_demo()
        for line in summary:
            self.stdout.write(line)
