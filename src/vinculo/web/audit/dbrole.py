"""The least-privilege PostgreSQL role the running application connects as.

The tables are owned by the role that runs the migrations. The application's role gets only
SELECT, INSERT, UPDATE and DELETE on the tables and USAGE on the sequences; on the audit trail and the
Trust Fund ledger only SELECT and INSERT. Not owning anything, it cannot TRUNCATE, ALTER or DROP a
table, nor drop the append-only triggers. Run :func:`grant_statements` again (as the owner) after
every migration; default privileges also cover tables the owner creates later.
"""

from __future__ import annotations

import re
from typing import Any

from vinculo.errors import VinculoError

APPEND_ONLY_TABLES = ("audit_auditentry", "trustfund_ledgerentry")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _identifier(value: str, what: str) -> str:
    if not _NAME.match(value):
        raise VinculoError(
            f"{what} {value!r} is not a plain PostgreSQL name.",
            code="database.bad_name",
            fix="Use lower-case letters, digits and underscores, starting with a letter (at most 63).",
        )
    return f'"{value}"'


def grant_statements(role: str, *, database: str, schema: str = "public") -> list[str]:
    """The SQL that gives ``role`` what the running application needs and nothing more."""
    r = _identifier(role, "Role")
    db = '"' + database.replace('"', '""') + '"'
    s = _identifier(schema, "Schema")
    append_only = ", ".join(f"{s}.{_identifier(t, 'Table')}" for t in APPEND_ONLY_TABLES)
    return [
        f"REVOKE ALL ON DATABASE {db} FROM {r}",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {r}",
        f"REVOKE ALL ON SCHEMA {s} FROM {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"REVOKE UPDATE, DELETE ON {append_only} FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]


def check_role(cursor: Any, role: str) -> None:
    """Refuse a role that does not exist, is a superuser, or owns the application's tables."""
    cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        raise VinculoError(
            f"Role {role!r} does not exist on this PostgreSQL server.",
            code="database.no_role",
            fix=f"Create it first, as a superuser: CREATE ROLE {role} LOGIN PASSWORD '...' NOSUPERUSER "
            "NOCREATEDB NOCREATEROLE;",
        )
    if row[0]:
        raise VinculoError(
            f"Role {role!r} is a superuser: it bypasses every privilege and trigger.",
            code="database.superuser_role",
            fix="Give the application its own role: CREATE ROLE vinculo_app LOGIN NOSUPERUSER;",
        )
    cursor.execute(
        "SELECT count(*) FROM pg_tables WHERE tablename = ANY(%s) AND tableowner = %s",
        [list(APPEND_ONLY_TABLES), role],
    )
    if cursor.fetchone()[0]:
        raise VinculoError(
            f"Role {role!r} owns the audit or ledger table, so it could TRUNCATE, ALTER or DROP it.",
            code="database.owner_role",
            fix="Run the migrations as a separate owner role and give the application a role of its own.",
        )
