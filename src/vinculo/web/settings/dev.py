"""Local settings for the demo and development: embedded SQLite under var/, a fixed insecure key.

Never use these in production (see prod.py). DEBUG stays off unless VINCULO_DEBUG=1, so even the demo
never shows a stack trace to a user.
"""

from __future__ import annotations

from pathlib import Path

from .base import *  # noqa: F403
from .base import WEB_DIR
from .database import database_from_url
from .env import env_bool, env_list, env_str

# Local state (database, uploads) lives in var/ at the checkout root unless VINCULO_VAR_DIR says otherwise.
VAR_DIR = Path(env_str("VINCULO_VAR_DIR", str(WEB_DIR.parent.parent.parent / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)
DEBUG = env_bool("VINCULO_DEBUG", False)
# Off by default so that `make demo` signs in with the README's demo password; set it to try two-factor.
VINCULO_REQUIRE_TWO_FACTOR = env_bool("VINCULO_REQUIRE_TWO_FACTOR", False)
SECRET_KEY = env_str("VINCULO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789abcdef")
ALLOWED_HOSTS = env_list("VINCULO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# SQLite: the web server and the job worker share the file (IMMEDIATE transactions, a lock timeout, WAL).
DATABASES = {
    "default": database_from_url(
        env_str("VINCULO_DATABASE_URL", f"sqlite:///{VAR_DIR / 'vinculo.sqlite3'}"), conn_max_age=60
    )
}
# Demo key: 32 url-safe base64 bytes; production must set its own keys.
VINCULO_ENCRYPTION_KEYS = env_list("VINCULO_ENCRYPTION_KEYS", "ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=")
MEDIA_ROOT = VAR_DIR / "media"
VINCULO_TRUSTED_PROXIES = env_list("VINCULO_TRUSTED_PROXIES", ",")
# Demo key for the audit trail's and the ledger's hash chain; production must set its own.
VINCULO_AUDIT_KEYS = env_list("VINCULO_AUDIT_KEYS", "dev-only-audit-chain-key-never-use-in-production")
