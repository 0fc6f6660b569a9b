"""Run background jobs: ``vinculo manage worker`` (production runs one or more beside gunicorn)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vinculo.web.jobs import runner


class Command(BaseCommand):
    help = "Run queued background jobs (estimates, imports). With --once, run what is queued and stop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the queued jobs, then exit.")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        if once:
            self.stdout.write(f"{runner.run_pending()} job(s) run.")
            return
        self.stdout.write("Waiting for jobs (Ctrl+C to stop).")
        runner.work_forever()
