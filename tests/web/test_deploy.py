"""Production settings: Django's deploy checks are clean, and a missing secret stops start-up by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend_independent

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


def test_the_deploy_gate_fails_on_a_policy_only_reported_or_on_plain_http() -> None:
    report_only = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PROD_ENV, "VINCULO_CSP_REPORT_ONLY": "1"}
    )
    assert report_only.returncode != 0
    assert "vinculo.W001" in report_only.stdout + report_only.stderr
    plain = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PROD_ENV, "VINCULO_SSL_REDIRECT": "false"}
    )
    assert plain.returncode != 0
    assert "security.W008" in plain.stdout + plain.stderr


def test_the_policy_checks_name_what_is_loosened() -> None:
    from django.test import override_settings

    from vinculo.web.core.checks import check_content_security_policy

    with override_settings(SECURE_CSP={}, SECURE_CSP_REPORT_ONLY={}):
        assert [m.id for m in check_content_security_policy()] == ["vinculo.W002"]
    loose = {"default-src": ["'self'"], "script-src": ["'self'", "'unsafe-inline'"], "img-src": ["data:"]}
    with override_settings(SECURE_CSP=loose):
        messages = check_content_security_policy()
    assert [m.id for m in messages] == ["vinculo.W003", "vinculo.W004"]
    assert "style-src" in messages[0].msg and "'unsafe-inline' in script-src" in messages[1].msg
    assert check_content_security_policy() == []
