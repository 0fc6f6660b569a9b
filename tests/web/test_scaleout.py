"""Several web and worker processes: cache, sessions and the job queue on Redis, configured from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from vinculo.web.settings.scaleout import redis_caches

from .conftest import World
from .redis_support import REDIS_URL, redis_prefix
from .test_deploy import PROD_ENV, ROOT

SHOW_SETTINGS = r"""
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "tasks": settings.TASKS["default"]["BACKEND"],
}))
"""

# A second web process: reads the session the first one stored, and leaves a value in the shared cache.
SECOND_PROCESS = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from importlib import import_module
store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=sys.argv[1])
cache.set("left-by-the-second-process", "hello from process 2", 60)
print(json.dumps({"user": store.get("_auth_user_id"), "seen": cache.get("left-by-the-first-process")}))
"""


def run_python(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("VINCULO_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**base, **PROD_ENV, **env, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def production_settings(**env: str) -> dict[str, Any]:
    result = run_python(SHOW_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    out: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return out


@pytest.mark.backend_independent
def test_production_puts_cache_sessions_and_jobs_on_redis_when_a_redis_url_is_set() -> None:
    assert production_settings(VINCULO_REDIS_URL="redis://redis.example.org:6379/0") == {
        "cache": "django.core.cache.backends.redis.RedisCache",
        "sessions": "django.contrib.sessions.backends.cache",
        "tasks": "django_tasks_redis.RedisTaskBackend",
    }


@pytest.mark.backend_independent
def test_production_without_redis_keeps_the_embedded_defaults() -> None:
    assert production_settings() == {
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "sessions": "django.contrib.sessions.backends.db",
        "tasks": "django_tasks_db.DatabaseBackend",
    }


@pytest.mark.backend_independent
def test_the_job_queue_can_stay_in_the_database_beside_a_redis_cache() -> None:
    out = production_settings(
        VINCULO_REDIS_URL="redis://redis.example.org:6379/0", VINCULO_JOB_QUEUE="database"
    )
    assert out["cache"].endswith("RedisCache") and out["tasks"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.backend_independent
def test_a_wrong_redis_setting_stops_start_up_naming_the_variable() -> None:
    wrong_url = run_python(SHOW_SETTINGS, {"VINCULO_REDIS_URL": "http://redis.example.org"})
    assert wrong_url.returncode != 0 and "VINCULO_REDIS_URL" in wrong_url.stderr
    assert "redis://" in wrong_url.stderr
    queue_without_redis = run_python(SHOW_SETTINGS, {"VINCULO_JOB_QUEUE": "redis"})
    assert (
        queue_without_redis.returncode != 0 and "VINCULO_REDIS_URL is not set" in queue_without_redis.stderr
    )
    unknown_queue = run_python(SHOW_SETTINGS, {"VINCULO_JOB_QUEUE": "rabbit"})
    assert unknown_queue.returncode != 0 and "VINCULO_JOB_QUEUE" in unknown_queue.stderr


def test_a_session_and_the_cache_are_shared_by_two_processes_through_redis(world: World) -> None:
    with (
        redis_prefix() as prefix,
        override_settings(
            CACHES=redis_caches(REDIS_URL, prefix),
            SESSION_ENGINE="django.contrib.sessions.backends.cache",
            SESSION_CACHE_ALIAS="sessions",
        ),
    ):
        client = world.client_for("owner_analyst")  # signs in: the session is stored in Redis
        assert client.get(reverse("accounts:account")).status_code == 200
        session_key = client.cookies["sessionid"].value
        cache.set("left-by-the-first-process", "hello from process 1", 60)

        second = run_python(
            SECOND_PROCESS, {"VINCULO_REDIS_URL": REDIS_URL, "VINCULO_REDIS_PREFIX": prefix}, session_key
        )
        assert second.returncode == 0, second.stderr
        seen = json.loads(second.stdout.strip().splitlines()[-1])
        user = world.users["owner_analyst"]
        assert user is not None
        assert seen == {"user": str(user.pk), "seen": "hello from process 1"}
        assert cache.get("left-by-the-second-process") == "hello from process 2"

        client.post(reverse("accounts:logout"))
        again = run_python(
            SECOND_PROCESS, {"VINCULO_REDIS_URL": REDIS_URL, "VINCULO_REDIS_PREFIX": prefix}, session_key
        )
        assert json.loads(again.stdout.strip().splitlines()[-1])["user"] is None  # signed out everywhere
