"""``vinculo import``: check a case file and import it for an organisation. Django is set up lazily."""

from __future__ import annotations

from pathlib import Path

import click

from .web import _setup, settings_option


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--org", "org", required=True, help="Organisation that owns the records: its name, short name or id."
)
@click.option(
    "--sensitivity",
    type=click.Choice(["public", "internal", "restricted"]),
    default="restricted",
    show_default=True,
    help="Who may see the records (cases without consent never leave the organisation).",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV or JSON mapping file.",
)
@click.option(
    "--valid-only",
    is_flag=True,
    help="Import the valid rows and keep the others in the encrypted quarantine (default: reject the file).",
)
@click.option("--max-problems", default=20, show_default=True, help="Problems printed (all are stored).")
@settings_option
def import_(
    file: Path,
    org: str,
    sensitivity: str,
    mapping: Path | None,
    valid_only: bool,
    max_problems: int,
    settings: str | None,
) -> None:
    """Check FILE (CSV, XLSX, JSON or KoBo export) against HTCDS 2.0 and import it for --org.

    Re-importing the same records changes nothing; a changed record becomes a new version. Exits
    with 1 when the file is rejected (rows in error without --valid-only) and 2 when it is unusable.
    """
    _setup(settings)
    from django.db.models import Q

    from vinculo.errors import VinculoError
    from vinculo.web.accounts.models import Organisation
    from vinculo.web.cases import actions

    query = Q(name=org) | Q(short_name=org)
    if org.isdigit():
        query |= Q(pk=int(org))
    found = list(Organisation.objects.filter(query)[:2])
    if len(found) != 1:
        raise click.ClickException(
            f"--org {org!r} matches {'no' if not found else 'more than one'} organisation. "
            "Give the exact name, short name or id (see the Organisations page)."
        )
    organisation = found[0]
    try:
        submission = actions.create_submission(
            actor=None,
            owner=organisation,
            data=file.read_bytes(),
            file_name=file.name,
            mapping_data=mapping.read_bytes() if mapping else b"",
            mapping_name=mapping.name if mapping else "",
            sensitivity=sensitivity,
            background=False,
        )
    except VinculoError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from exc
    click.echo(
        f"{file.name}: {submission.n_records:,} record(s), {submission.n_errors:,} error(s), "
        f"{submission.n_warnings:,} warning(s), {submission.n_invalid:,} row(s) with errors."
    )
    for item in submission.issues[:max_problems]:
        loc = item.get("location", {})
        where = ":".join(
            str(p) for p in (loc.get("file", file.name), loc.get("row", ""), loc.get("column", ""))
        )
        click.echo(
            f"{where.rstrip(':')}: {item['severity']} {item['code']}: {item['message']} {item.get('fix', '')}"
        )
    if len(submission.issues) > max_problems:
        click.echo(
            f"... {len(submission.issues) - max_problems:,} more problem(s) (see the submission page)."
        )
    try:
        result = actions.import_submission(actor=None, submission=submission, valid_only=valid_only)
    except VinculoError as exc:
        actions.cancel_submission(actor=None, submission=submission)
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from exc
    click.echo(
        f"Imported submission #{result.number} for {organisation}: {result.n_created:,} new, "
        f"{result.n_changed:,} changed, {result.n_unchanged:,} unchanged, {result.n_quarantined:,} quarantined."
    )
