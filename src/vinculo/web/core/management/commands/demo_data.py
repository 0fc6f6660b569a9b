"""Load clearly labelled demo accounts and records (idempotent). Refuses to run with production settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vinculo.web.core import demo


class Command(BaseCommand):
    help = (
        "Create demo organisations, accounts and records. Safe to run twice; never with production settings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--address",
            default=demo.DEFAULT_ADDRESS,
            help="Where the platform is served, for the sign-in address in the summary.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith(".prod"):
            raise CommandError("Demo data is never loaded with production settings.")
        summary = demo.load_demo(address=options["address"])
        for line in summary:
            self.stdout.write(line)
