"""``vinculo audit verify``: walk the audit trail's (or the ledger's) hash chain; exit 1 on a broken link."""

from __future__ import annotations

import click

from .web import _setup, settings_option


@click.group()
def audit() -> None:
    """Check the tamper-evident audit trail and Trust Fund ledger."""


@audit.command()
@click.option("--ledger", is_flag=True, help="Verify the Trust Fund ledger instead of the audit trail.")
@click.option(
    "--expect-head",
    "expect_head",
    default=None,
    metavar="SEQUENCE:MAC",
    help="A head recorded earlier (printed by this command); detects removal of the newest entries.",
)
@settings_option
def verify(ledger: bool, expect_head: str | None, settings: str | None) -> None:
    """Walk the chain, name the first broken link and print the head to record outside the database.

    Exit code 0 when the chain is intact, 1 when a link is broken.
    """
    from vinculo.chain import parse_head
    from vinculo.errors import VinculoError

    try:
        expected = None if expect_head is None else parse_head(expect_head)
    except VinculoError as exc:
        raise click.BadParameter(str(exc), param_hint="--expect-head") from exc
    _setup(settings)
    from django.db import DatabaseError

    from vinculo.web.audit.chain import verify as verify_model
    from vinculo.web.audit.models import AuditEntry
    from vinculo.web.trustfund.models import LedgerEntry

    model = LedgerEntry if ledger else AuditEntry
    name = "ledger" if ledger else "audit trail"
    try:
        report = verify_model(model, expected_head=expected)
    except VinculoError as exc:
        raise click.ClickException(str(exc)) from exc
    except DatabaseError as exc:
        raise click.ClickException(
            f"Cannot read the {name} from the database: {exc}. Check VINCULO_DATABASE_URL and that "
            "the migrations are applied (`vinculo manage migrate`)."
        ) from exc
    if report.broken is not None:
        click.echo(f"{name}: BROKEN ({report.broken.kind}).")
        click.echo(report.broken.message)
        raise SystemExit(1)
    noun = "entry" if report.count == 1 else "entries"
    click.echo(f"{name}: {report.count} {noun}, chain intact.")
    if report.head is None:
        click.echo("head: (empty)")
    else:
        click.echo(f"head: {report.head}")
        click.echo(
            "Record the head outside the database; pass it back with --expect-head to detect removals."
        )
