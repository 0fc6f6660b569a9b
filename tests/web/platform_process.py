"""Run the platform in a separate process against a given database: what an operator's shell does.

The child uses the development settings with the test settings' keys, so it reads what the tests write.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def platform_env(database_url: str, var_dir: Path) -> dict[str, str]:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("VINCULO_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "vinculo.web.settings.dev",
        "VINCULO_DATABASE_URL": database_url,
        "VINCULO_VAR_DIR": str(var_dir),
        "VINCULO_SECRET_KEY": settings.SECRET_KEY,
        "VINCULO_ENCRYPTION_KEYS": ",".join(settings.VINCULO_ENCRYPTION_KEYS),
        "VINCULO_AUDIT_KEYS": ",".join(settings.VINCULO_AUDIT_KEYS),
    }


def run_vinculo(*args: str, database_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from vinculo.cli import main; main()", *args],
        env=platform_env(database_url, var_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run_python(code: str, *, database_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=platform_env(database_url, var_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
