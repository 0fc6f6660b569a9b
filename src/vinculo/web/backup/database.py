"""Dump and load the configured database: pg_dump / pg_restore + psql on PostgreSQL, the online backup
API of the ``sqlite3`` module on SQLite. Credentials go to the client tools through the environment,
never on the command line."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vinculo.errors import VinculoError

SUPPORTED = {"django.db.backends.postgresql": "postgresql", "django.db.backends.sqlite3": "sqlite"}
DUMP_NAMES = {"postgresql": "database/postgresql.dump", "sqlite": "database/sqlite3.db"}


def vendor_of(database: Mapping[str, Any]) -> str:
    engine = str(database.get("ENGINE", ""))
    vendor = SUPPORTED.get(engine)
    if vendor is None:
        raise VinculoError(
            f"The configured database engine {engine!r} is not supported by vinculo backup.",
            code="backup.unsupported_database",
            fix="Use PostgreSQL (production) or SQLite (a single machine).",
        )
    return vendor


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise VinculoError(
            f"{name} was not found on PATH; it is needed to back up and restore PostgreSQL.",
            code="backup.missing_tool",
            fix="Install the PostgreSQL client of the server's major version or newer "
            "(Debian/Ubuntu: apt install postgresql-client).",
        )
    return path


def _pg_env(database: Mapping[str, Any]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    options = database.get("OPTIONS") or {}
    pairs = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGCONNECT_TIMEOUT": "10",
    }
    env.update({k: str(v) for k, v in pairs.items() if v not in (None, "")})
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    # The PostgreSQL client tools from PATH with arguments built here; no shell.
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise VinculoError(
            f"{what} failed ({Path(args[0]).name} exit {result.returncode}): "
            + (" ".join(detail[-3:]) if detail else "no message"),
            code="backup.tool_failed",
            fix="Check the database settings (VINCULO_DATABASE_URL), that the server is reachable and that "
            "the client tools are of the server's major version or newer.",
        )


def _sqlite_path(database: Mapping[str, Any]) -> Path:
    name = str(database.get("NAME", ""))
    if not name or name == ":memory:" or name.startswith("file::memory:") or "mode=memory" in name:
        raise VinculoError(
            "The configured SQLite database lives in memory; there is nothing on disk to back up or restore.",
            code="backup.memory_database",
            fix="Point VINCULO_DATABASE_URL at a database file.",
        )
    return Path(name)


def dump(database: Mapping[str, Any], destination: Path) -> str:
    """Write a consistent copy of the database to ``destination``; returns the tool's description."""
    vendor = vendor_of(database)
    if vendor == "postgresql":
        pg_dump = _tool("pg_dump")
        env = _pg_env(database)
        _run([pg_dump, "--format=custom", "--no-password", f"--file={destination}"], env, "pg_dump")
        version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
        return version.stdout.strip()
    source_path = _sqlite_path(database)
    if not source_path.is_file():
        raise VinculoError(
            f"The SQLite database {source_path} does not exist.",
            code="backup.no_database",
            fix="Check VINCULO_DATABASE_URL (or VINCULO_VAR_DIR for the demo).",
        )
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return f"sqlite3 online backup (SQLite {sqlite3.sqlite_version})"


def table_count(database: Mapping[str, Any]) -> int:
    """How many tables the target database holds already (0 for a new, empty one)."""
    vendor = vendor_of(database)
    if vendor == "postgresql":
        psql = _tool("psql")
        result = subprocess.run(  # noqa: S603
            [psql, "-X", "-A", "-t", "--no-password", "-c",
             "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"],
            env=_pg_env(database),
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise VinculoError(
                f"Cannot reach the target database: {result.stderr.strip()}",
                code="backup.target_unreachable",
                fix="Create the empty database first (createdb) and check VINCULO_DATABASE_URL.",
            )
        return int(result.stdout.strip() or 0)
    path = _sqlite_path(database)
    if not path.exists() or path.stat().st_size == 0:
        return 0
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(
            connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        )
    except sqlite3.DatabaseError as exc:
        raise VinculoError(
            f"The target {path} is not a SQLite database ({exc}).",
            code="backup.target_not_sqlite",
            fix="Point VINCULO_DATABASE_URL at a new file, or pass --force to replace this one.",
        ) from exc
    finally:
        connection.close()


def check_sqlite_file(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    finally:
        connection.close()
    if result != "ok":
        raise VinculoError(
            f"The database in the backup fails SQLite's integrity check: {result}.",
            code="backup.corrupt_member",
            fix="Use another backup.",
        )


def load(database: Mapping[str, Any], dump_file: Path, *, replace: bool, work_dir: Path) -> None:
    """Load ``dump_file`` into the configured database, all of it or (on any error) nothing."""
    vendor = vendor_of(database)
    if vendor == "postgresql":
        env = _pg_env(database)
        script = work_dir / "restore.sql"
        _run(
            [_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(dump_file)],
            env,
            "pg_restore",
        )
        args = [
            _tool("psql"),
            "-X",
            "-q",
            "--no-password",
            "--set",
            "ON_ERROR_STOP=1",
            "--single-transaction",
        ]
        if replace:
            args += ["-c", "DROP SCHEMA IF EXISTS public CASCADE", "-c", "CREATE SCHEMA public"]
        _run([*args, "-f", str(script)], env, "Loading the database (psql)")
        return
    target = _sqlite_path(database)
    check_sqlite_file(dump_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(dump_file, staged)
    os.chmod(staged, 0o600)
    if replace:
        # A stale write-ahead log would be replayed onto the restored file: the platform must be stopped.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)
