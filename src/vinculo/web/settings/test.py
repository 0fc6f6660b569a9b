"""Test settings: SQLite in memory by default, PostgreSQL when VINCULO_TEST_DATABASE=postgres."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import WEB_DIR

# Two checkouts on one machine (a clone for CI beside a working tree) must not share a test database or
# media folder, so both are named after the checkout.
_CHECKOUT = hashlib.sha256(str(WEB_DIR.parent.parent.parent).encode()).hexdigest()[:8]

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdef0123456789abcdef0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

if os.environ.get("VINCULO_TEST_DATABASE", "sqlite") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "vinculo",
            "USER": os.environ.get("PGUSER", "postgres"),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "TEST": {"NAME": f"test_vinculo_{_CHECKOUT}"},
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# Fast hashing in tests only; argon2 is asserted separately against base settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
VINCULO_ENCRYPTION_KEYS = [
    "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM=",
]
VINCULO_AUDIT_KEYS = ["test-only-audit-chain-key-0123456789abcdef"]
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"vinculo-test-media-{_CHECKOUT}"
AXES_ENABLED = True
# Other tests sign in with client.force_login; the two-factor tests turn this on with the settings fixture.
VINCULO_REQUIRE_TWO_FACTOR = False
# django-axes logs every failure at WARNING, and Django every 4xx answer; tests assert them instead.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"axes": {"level": "ERROR"}, "django.request": {"level": "ERROR"}},
}
