"""The database settings of every deployment, from one URL.

SQLite is shared by several processes (web workers, the job worker), so wherever it is configured it
gets the same options:

- ``transaction_mode = IMMEDIATE``: a transaction takes the write lock when it begins, so two
  read-then-write transactions queue up instead of the second failing with "database is locked"
  when it tries to upgrade its read lock;
- ``timeout``: how many seconds a connection waits for the lock before giving up (Python's default,
  5 s, is too short under load);
- write-ahead logging (``journal_mode=WAL``), so readers never wait for the writer, and
  ``synchronous=NORMAL``, safe with WAL and much faster than FULL.
"""

from __future__ import annotations

from typing import Any

import dj_database_url

SQLITE_ENGINE = "django.db.backends.sqlite3"
SQLITE_TIMEOUT_SECONDS = 20
SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"


def sqlite_options(options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The OPTIONS of a SQLite database shared by several processes (explicit ``options`` win)."""
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_TIMEOUT_SECONDS,
        "init_command": SQLITE_INIT_COMMAND,
        **(options or {}),
    }


def database_from_url(url: str, *, conn_max_age: int) -> dict[str, Any]:
    """A ``DATABASES`` entry for ``url``; SQLite gets the options above."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    if config["ENGINE"] == SQLITE_ENGINE:
        config["OPTIONS"] = sqlite_options(config.get("OPTIONS"))
    return config
