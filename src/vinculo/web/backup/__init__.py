"""Back up and restore the whole platform: the database and every file under MEDIA_ROOT.

:func:`backup_platform` writes one archive (see :mod:`.archive`); :func:`restore_platform` checks an
archive whole, loads it into an empty database and media folder (or, when forced, replaces them),
and ends by verifying the audit trail's and the ledger's hash chains against the heads the backup
recorded. Keys are never inside a backup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from vinculo.chain import ChainReport, parse_head

from .archive import Manifest, RestorePlan, create_backup, read_manifest, restore_backup

__all__ = ["RestoreResult", "backup_platform", "check_archive", "restore_platform"]


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _known_migrations() -> dict[str, set[str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known: dict[str, set[str]] = {}
    for app, name in loader.disk_migrations:
        known.setdefault(app, set()).add(name)
    return known


def _chain_reports(expected: dict[str, Any] | None = None) -> dict[str, ChainReport]:
    from vinculo.web.audit.chain import chained_models, verify

    reports = {}
    for name, model in chained_models().items():
        head_text = ((expected or {}).get(name) or {}).get("head")
        reports[name] = verify(model, expected_head=parse_head(head_text) if head_text else None)
    return reports


def _chain_summary(reports: dict[str, ChainReport]) -> dict[str, dict[str, Any]]:
    summary: dict[str, dict[str, Any]] = {}
    for name, report in reports.items():
        summary[name] = {
            "count": report.count,
            "head": str(report.head) if report.head and report.ok else None,
            "broken": None if report.broken is None else report.broken.message,
        }
    return summary


def backup_platform(destination: Path) -> Manifest:
    """Back up the configured database and MEDIA_ROOT into ``destination``."""
    reports = _chain_reports()
    return create_backup(
        destination,
        database=connection.settings_dict,
        media_root=Path(settings.MEDIA_ROOT),
        migrations=_applied_migrations(),
        chains=_chain_summary(reports),
    )


def check_archive(archive: Path) -> Manifest:
    """Check an archive's manifest and members (names, sizes) without restoring anything."""
    import tempfile

    from .archive import extract_checked

    manifest, _ = read_manifest(archive)
    with tempfile.TemporaryDirectory(prefix=".vinculo-check-") as work:
        extract_checked(archive, manifest, Path(work))
    return manifest


@dataclass(frozen=True)
class RestoreResult:
    plan: RestorePlan
    chains: dict[str, ChainReport]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.chains.values())


def restore_platform(archive: Path, *, force: bool = False) -> RestoreResult:
    """Restore ``archive`` into the configured database and MEDIA_ROOT, then verify both chains."""
    database = dict(connection.settings_dict)
    connections.close_all()
    plan = restore_backup(
        archive,
        database=database,
        media_root=Path(settings.MEDIA_ROOT),
        known_migrations=_known_migrations(),
        force=force,
    )
    connections.close_all()
    return RestoreResult(plan=plan, chains=_chain_reports(plan.manifest.chains))
