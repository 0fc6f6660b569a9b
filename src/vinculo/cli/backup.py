"""``vinculo backup`` and ``vinculo restore``: the database and uploaded files in one checked archive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .web import _setup, settings_option


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@click.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Archive to write, or a folder for it (default: vinculo-backup-<UTC time>.tar here).",
)
@settings_option
def backup(output: Path | None, settings: str | None) -> None:
    """Back up the database and every uploaded and quarantine file into one archive with a manifest.

    Encryption keys, audit keys and SECRET_KEY are never in it: keep them apart, in your secret store.
    """
    _setup(settings)
    from django.db import DatabaseError

    from vinculo.errors import VinculoError
    from vinculo.web.backup import backup_platform

    name = f"vinculo-backup-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.tar"
    target = Path(name) if output is None else (output / name if output.is_dir() else output)
    try:
        manifest = backup_platform(target)
    except (VinculoError, DatabaseError, OSError) as exc:
        raise _fail(exc) from exc
    files = sum(1 for m in manifest.members if m.name.startswith("media/"))
    click.echo(f"Backup written to {target.resolve()} ({target.stat().st_size:,} bytes).")
    click.echo(f"database: {manifest.vendor} ({manifest.tool}); files: {files}")
    for chain, state in manifest.chains.items():
        if state["broken"]:
            click.echo(f"warning: the {chain} chain is broken: {state['broken']}", err=True)
        else:
            click.echo(f"{chain} head: {state['head'] or '(empty)'} ({state['count']} entries)")
    click.echo(
        "Keys are not in the backup: keep VINCULO_ENCRYPTION_KEYS, VINCULO_AUDIT_KEYS and "
        "VINCULO_SECRET_KEY apart from it; without them the restored platform cannot read identifiers."
    )


@click.command()
@click.argument("archive", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database and media folder that already hold data.")
@click.option("--check", "check_only", is_flag=True, help="Only check the archive (manifest, checksums).")
@settings_option
def restore(archive: Path, force: bool, check_only: bool, settings: str | None) -> None:
    """Restore a backup into the configured (empty) database and MEDIA_ROOT, then verify the audit chain.

    Everything is checked before anything is written; the database is loaded in one transaction.
    Stop the platform first. Exit code 0 restored and verified, 1 on any problem.
    """
    _setup(settings)
    from django.db import DatabaseError

    from vinculo.errors import VinculoError
    from vinculo.web.backup import check_archive, restore_platform

    try:
        if check_only:
            manifest = check_archive(archive)
            click.echo(
                f"{archive}: a {manifest.vendor} backup made {manifest.created_at} by vinculo "
                f"{manifest.vinculo_version}; {len(manifest.members)} members, every checksum matches."
            )
            return
        result = restore_platform(archive, force=force)
    except (VinculoError, DatabaseError, OSError) as exc:
        raise _fail(exc) from exc
    manifest = result.plan.manifest
    files = sum(1 for m in manifest.members if m.name.startswith("media/"))
    click.echo(
        f"Restored the {manifest.vendor} database and {files} files from the backup of {manifest.created_at}."
    )
    for chain, report in result.chains.items():
        if report.broken is not None:
            click.echo(f"{chain}: BROKEN ({report.broken.kind}). {report.broken.message}", err=True)
        else:
            click.echo(f"{chain}: {report.count} entries, chain intact (head {report.head or '(empty)'}).")
    if not result.ok:
        raise SystemExit(1)
