"""Finding 8: production (and development) settings on a SQLite URL share the file safely between processes.

Two read-then-write transactions that overlap must queue up (IMMEDIATE transactions, a lock timeout)
instead of the second failing with "database is locked", and readers must not wait for writers (WAL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_deploy import PROD_ENV, ROOT

pytestmark = pytest.mark.backend_independent

# Run in a fresh interpreter under the given settings: two threads, each with its own Django connection,
# both read a counter and then write counter + 1. Without IMMEDIATE transactions the second writer finds
# its snapshot stale and fails at once ("database is locked"), or one increment is lost.
OVERLAPPING_WRITERS = r"""
import json, threading
import django
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cur:
    cur.execute("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    cur.execute("DELETE FROM counter")
    cur.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
    cur.execute("PRAGMA journal_mode")
    journal_mode = cur.fetchone()[0]

first_has_read = threading.Event()
second_started = threading.Event()
second_has_read = threading.Event()
errors = []

def increment(is_first):
    try:
        if not is_first:
            first_has_read.wait(10)
            second_started.set()
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SELECT n FROM counter WHERE id = 1")
                n = cur.fetchone()[0]
                if is_first:
                    first_has_read.set()
                    second_started.wait(10)
                    # Give the second transaction the chance to read the same value (it cannot when the
                    # first holds the write lock from its start).
                    second_has_read.wait(1)
                else:
                    second_has_read.set()
                cur.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()

threads = [threading.Thread(target=increment, args=(flag,)) for flag in (True, False)]
for t in threads:
    t.start()
for t in threads:
    t.join(60)
with connection.cursor() as cur:
    cur.execute("SELECT n FROM counter WHERE id = 1")
    final = cur.fetchone()[0]
print(json.dumps({"errors": errors, "final": final, "journal_mode": journal_mode}))
"""


def run_writers(env: dict[str, str]) -> dict[str, object]:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("VINCULO_") and k != "DJANGO_SETTINGS_MODULE"
    }
    result = subprocess.run(
        [sys.executable, "-c", OVERLAPPING_WRITERS],
        env={**base, **env, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    out: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return out


@pytest.mark.parametrize("settings_module", ["vinculo.web.settings.prod", "vinculo.web.settings.dev"])
def test_overlapping_writers_on_sqlite_queue_up_instead_of_failing_with_database_is_locked(
    settings_module: str, tmp_path: Path
) -> None:
    env = {
        **PROD_ENV,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "VINCULO_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "VINCULO_VAR_DIR": str(tmp_path),
    }
    out = run_writers(env)
    assert out["errors"] == []
    assert out["final"] == 2  # neither increment lost
    assert out["journal_mode"] == "wal"


def test_database_from_url_gives_sqlite_the_shared_file_options_and_leaves_postgres_alone() -> None:
    from vinculo.web.settings.database import database_from_url

    config = database_from_url("sqlite:////tmp/x.sqlite3", conn_max_age=0)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 20
    postgres = database_from_url("postgres://u:p@db.example.org:5432/vinculo", conn_max_age=0)
    assert "transaction_mode" not in postgres.get("OPTIONS", {})
