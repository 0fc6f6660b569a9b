"""Database triggers that keep an append-only table append-only, for migrations of chained tables.

SQLite: BEFORE UPDATE and BEFORE DELETE triggers abort the statement. PostgreSQL: a row-level trigger
refuses UPDATE and DELETE and a statement-level trigger refuses TRUNCATE. Triggers stop mistakes and
an application role; the table's owner can still drop them, which the hash chain then reveals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AppendOnlyTable:
    table: str
    prefix: str  # names of the triggers and the function
    message: str


AUDIT = AppendOnlyTable("audit_auditentry", "audit_auditentry", "audit entries are append-only")
LEDGER = AppendOnlyTable("trustfund_ledgerentry", "trustfund_ledger", "ledger entries are append-only")


def _sqlite(t: AppendOnlyTable) -> list[str]:
    return [
        f"""CREATE TRIGGER {t.prefix}_no_update BEFORE UPDATE ON {t.table}
            BEGIN SELECT RAISE(ABORT, '{t.message}'); END;""",
        f"""CREATE TRIGGER {t.prefix}_no_delete BEFORE DELETE ON {t.table}
            BEGIN SELECT RAISE(ABORT, '{t.message}'); END;""",
    ]


def _postgres(t: AppendOnlyTable, *, truncate: bool) -> list[str]:
    statements = [
        f"""CREATE OR REPLACE FUNCTION {t.prefix}_refuse() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{t.message}'; END;
            $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER {t.prefix}_no_change BEFORE UPDATE OR DELETE ON {t.table}
            FOR EACH ROW EXECUTE FUNCTION {t.prefix}_refuse();""",
    ]
    if truncate:
        statements.append(
            f"""CREATE TRIGGER {t.prefix}_no_truncate BEFORE TRUNCATE ON {t.table}
                FOR EACH STATEMENT EXECUTE FUNCTION {t.prefix}_refuse();"""
        )
    return statements


def remove_triggers(schema_editor: Any, t: AppendOnlyTable) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {t.prefix}_no_update;")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {t.prefix}_no_delete;")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {t.prefix}_no_change ON {t.table};")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {t.prefix}_no_truncate ON {t.table};")


def install_triggers(schema_editor: Any, t: AppendOnlyTable, *, truncate: bool = True) -> None:
    """(Re)create the triggers; idempotent, so it also repairs a table whose triggers were dropped."""
    remove_triggers(schema_editor, t)
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite(t), "postgresql": _postgres(t, truncate=truncate)}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)
