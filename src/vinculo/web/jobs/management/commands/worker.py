"""Run background jobs: ``vinculo worker`` (production runs one or more beside gunicorn, on any machine).

The worker takes tasks from the configured backend (the database by default, Redis when
``VINCULO_REDIS_URL`` is set in production), re-queues jobs whose worker died, and stops cleanly on
SIGTERM or Ctrl+C: the running job is finished first.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vinculo.web.jobs import runner


class Command(BaseCommand):
    help = "Run queued background jobs (estimates, imports). With --once, run what is queued and stop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the queued jobs, then exit.")
        parser.add_argument(
            "--poll",
            type=float,
            default=1.0,
            help="Seconds to wait for a new job when the queue is empty (default 1).",
        )

    def handle(self, *args: Any, once: bool, poll: float, **options: Any) -> None:
        if poll <= 0:
            self.stderr.write("--poll must be a positive number of seconds, e.g. --poll 1.")
            raise SystemExit(2)
        if once:
            self.stdout.write(f"{runner.run_pending()} job(s) run.")
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            self.stdout.write("Stopping after the running job (if any).")
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write(
            f"Waiting for jobs on the {runner.backend_alias()!r} task backend (Ctrl+C or SIGTERM to stop)."
        )
        runner.work_forever(poll_seconds=poll, stop=stop)
