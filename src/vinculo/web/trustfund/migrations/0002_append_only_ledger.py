"""Database triggers that refuse UPDATE and DELETE on the Trust Fund ledger (SQLite and PostgreSQL).

On PostgreSQL the triggers are row-level: TRUNCATE (used by test flushes) is not affected.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER trustfund_ledger_no_update BEFORE UPDATE ON trustfund_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;""",
    """CREATE TRIGGER trustfund_ledger_no_delete BEFORE DELETE ON trustfund_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS trustfund_ledger_no_update;",
    "DROP TRIGGER IF EXISTS trustfund_ledger_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION trustfund_ledger_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'ledger entries are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER trustfund_ledger_no_change BEFORE UPDATE OR DELETE ON trustfund_ledgerentry
       FOR EACH ROW EXECUTE FUNCTION trustfund_ledger_refuse();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS trustfund_ledger_no_change ON trustfund_ledgerentry;",
    "DROP FUNCTION IF EXISTS trustfund_ledger_refuse();",
]


def forwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, []
    ):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("trustfund", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
