"""``manage.py rotate_keys``: re-encrypt every protected case value with the newest configured key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vinculo.errors import VinculoError


class Command(BaseCommand):
    help = (
        "Re-encrypt case identifiers, record ids, stored uploads and quarantine files, and linkage exercises' "
        "encodings files and record ids, with the first key of "
        "VINCULO_ENCRYPTION_KEYS. Put the new key first, keep the old ones, run this, then drop the old keys. "
        "Works in batches, each committed on its own: if it is interrupted, run it again and it carries on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=500, help="case records per transaction (default 500)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from vinculo.web.cases import actions

        batch = options["batch"]
        if batch < 1:
            raise CommandError(f"--batch must be 1 or more, not {batch}.")
        shown: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            step = max(1, total // 20)
            if done == total or done - shown.get(stage, 0) >= step:
                shown[stage] = done
                self.stdout.write(f"  {stage}: {done:,} of {total:,}")

        try:
            counts = actions.rotate_keys(batch=batch, progress=progress)
        except VinculoError as exc:
            raise CommandError(
                f"{exc} Everything rotated so far is committed and readable; fix the keys and run the "
                "command again to carry on."
            ) from exc
        others = "".join(
            f", {n} {name}"
            for name, n in counts.items()
            if name not in ("records", "versions", "files", "already")
        )
        self.stdout.write(
            f"Re-encrypted {counts['records']} case record(s), {counts['versions']} earlier version(s), "
            f"{counts['files']} stored file(s){others} with the newest key"
            f" ({counts['already']} value(s) were already under it)."
        )
