"""``vinculo audit verify``: walk the audit trail's (or the ledger's) hash chain; exit 1 on a broken link.

``vinculo database-role``: the GRANTs of the least-privilege PostgreSQL role the application runs as."""

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


@click.command("database-role")
@click.argument("role")
@click.option("--apply", "apply_", is_flag=True, help="Run the statements (connected as the tables' owner).")
@click.option("--schema", default="public", show_default=True, help="The schema holding the tables.")
@settings_option
def database_role(role: str, apply_: bool, schema: str, settings: str | None) -> None:
    """Print (or apply) the GRANTs that let ROLE run the platform but not TRUNCATE, ALTER or DROP,
    nor UPDATE or DELETE audit and ledger entries. Re-run with --apply after every migration."""
    _setup(settings)
    from django.db import DatabaseError, connection, transaction

    from vinculo.errors import VinculoError
    from vinculo.web.audit.dbrole import check_role, grant_statements

    if connection.vendor != "postgresql":
        raise click.ClickException(
            f"The configured database is {connection.vendor}; database roles exist on PostgreSQL only. "
            "Set VINCULO_DATABASE_URL to the PostgreSQL database (as its owner)."
        )
    try:
        statements = grant_statements(role, database=str(connection.settings_dict["NAME"]), schema=schema)
        if not apply_:
            for statement in statements:
                click.echo(f"{statement};")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            check_role(cursor, role)
            for statement in statements:
                cursor.execute(statement)
    except VinculoError as exc:
        raise click.ClickException(str(exc)) from exc
    except DatabaseError as exc:
        raise click.ClickException(
            f"PostgreSQL refused the grants: {exc}. Run this as the owner of the tables (the role that "
            "runs the migrations)."
        ) from exc
    click.echo(
        f"Role {role!r} may now read and write the platform's tables, append to the audit trail and "
        "the ledger, and nothing more. Re-run after every migration."
    )
