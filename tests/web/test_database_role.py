"""The application's least-privilege PostgreSQL role: it runs the platform, but cannot TRUNCATE, ALTER or
DROP tables, nor change or remove audit and ledger entries (finding 2 of issue 9)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connection

from vinculo.cli import main

from .platform_process import run_python

POSTGRES = os.environ.get("VINCULO_TEST_DATABASE") == "postgres"
needs_postgres = pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL (VINCULO_TEST_DATABASE=postgres)")

FORBIDDEN = [
    "TRUNCATE audit_auditentry",
    "TRUNCATE trustfund_ledgerentry",
    "UPDATE audit_auditentry SET actor_username = 'x'",
    "DELETE FROM audit_auditentry",
    "UPDATE trustfund_ledgerentry SET amount = 1",
    "DELETE FROM trustfund_ledgerentry",
    "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
    "DROP TRIGGER audit_auditentry_no_change ON audit_auditentry",
    "ALTER TABLE cases_caserecord ADD COLUMN leak text",
    "DROP TABLE audit_auditentry",
    "TRUNCATE cases_caserecord CASCADE",
    "CREATE TABLE public.smuggled (x int)",
]


def test_the_grants_are_printed_for_review_and_a_bad_role_name_is_refused(db: None) -> None:
    result = CliRunner().invoke(main, ["database-role", "vinculo_app"])
    if connection.vendor != "postgresql":
        assert result.exit_code == 1
        assert "database roles exist on PostgreSQL only" in result.output
        return
    assert result.exit_code == 0, result.output
    assert (
        'REVOKE UPDATE, DELETE ON "public"."audit_auditentry", "public"."trustfund_ledgerentry"'
        in result.output
    )
    bad = CliRunner().invoke(main, ["database-role", "app; DROP TABLE x"])
    assert bad.exit_code == 1 and "is not a plain PostgreSQL name" in bad.output


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_application_role_runs_the_platform_but_cannot_truncate_alter_or_drop(tmp_path: Path) -> None:
    import psycopg

    role = "vinculo_app_" + hashlib.sha256(str(Path(__file__).resolve()).encode()).hexdigest()[:8]
    params = connection.get_connection_params()
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    try:
        result = CliRunner().invoke(main, ["database-role", role, "--apply"])
        assert result.exit_code == 0, result.output
        host, port = params.get("host", "127.0.0.1"), params.get("port", 5432)
        with psycopg.connect(host=host, port=port, user=role, dbname=database, autocommit=True) as app:
            for statement in FORBIDDEN:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(statement)
        url = f"postgres://{role}@{host}:{port}/{database}"
        code = (
            "from datetime import date\n"
            "from vinculo.web.audit.chain import verify\n"
            "from vinculo.web.audit.models import AuditEntry\n"
            "from vinculo.web.trustfund import actions\n"
            "from vinculo.web.trustfund.models import CurrencyBalance, LedgerEntry\n"
            "for amount in ('10', '15'):\n"
            "    actions.record_contribution(actor=None, received_on=date(2024, 1, 1), amount=amount,\n"
            "                                currency='USD', donor_name='Written by the app role')\n"
            "print('ok', verify(AuditEntry).ok, verify(LedgerEntry).ok, CurrencyBalance.objects.get().balance)\n"
        )
        child = run_python(code, database_url=url, var_dir=tmp_path)
        assert child.returncode == 0, child.stderr
        assert child.stdout.split() == ["ok", "True", "True", "25.00"], child.stdout
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
