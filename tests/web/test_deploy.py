"""Production settings: Django's deploy checks are clean, and a missing secret stops start-up by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "vinculo.web.settings.prod",
    "VINCULO_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-value-0123456789",
    "VINCULO_DATABASE_URL": "sqlite:////tmp/vinculo-deploy-check.sqlite3",
    "VINCULO_ALLOWED_HOSTS": "vinculo.example.org",
    "VINCULO_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM=",
    "VINCULO_AUDIT_KEYS": "deploy-check-audit-chain-key-0123456789abcdef",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("VINCULO_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_checks_are_clean_with_production_settings() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_stops_start_up_and_names_the_variable() -> None:
    env = {k: v for k, v in PROD_ENV.items() if k != "VINCULO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "VINCULO_SECRET_KEY" in result.stderr


def test_a_missing_audit_key_stops_start_up_and_names_the_variable() -> None:
    env = {k: v for k, v in PROD_ENV.items() if k != "VINCULO_AUDIT_KEYS"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "VINCULO_AUDIT_KEYS" in result.stderr
