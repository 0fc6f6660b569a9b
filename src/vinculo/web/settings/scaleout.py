"""Settings for several web and worker processes (several machines): cache, sessions and the job queue on Redis.

Production turns them on with ``VINCULO_REDIS_URL`` (see prod.py); without it the cache is each
process's own memory, sessions live in the database and jobs queue in the database.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

REDIS_SCHEMES = ("redis", "rediss", "unix")
JOB_QUEUES = ("redis", "database")


def checked_redis_url(name: str, url: str) -> str:
    """``url`` if it is a Redis URL; otherwise stop start-up naming the variable and the expected form."""
    scheme = urlsplit(url).scheme
    if scheme not in REDIS_SCHEMES:
        raise ImproperlyConfigured(
            f"Configuration {name!r} must be a Redis URL such as redis://redis.example.org:6379/0 "
            f"(or rediss:// with TLS, unix:///path/to/socket), not {url!r}."
        )
    return url


def checked_job_queue(name: str, value: str, redis_url: str) -> str:
    queue = value.strip().lower()
    if queue not in JOB_QUEUES:
        raise ImproperlyConfigured(f"Configuration {name!r} must be 'redis' or 'database', not {value!r}.")
    if queue == "redis" and not redis_url:
        raise ImproperlyConfigured(
            f"Configuration {name!r} is 'redis' but VINCULO_REDIS_URL is not set: set it, or use 'database'."
        )
    return queue


def redis_caches(url: str, prefix: str) -> dict[str, dict[str, Any]]:
    """Django's built-in Redis cache: ``default`` for pages and data, ``sessions`` for signed-in sessions."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}:cache",
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}:session",
            # A session expires when the session engine says so, not by a cache default.
            "TIMEOUT": None,
        },
    }


def redis_tasks(url: str, prefix: str) -> dict[str, dict[str, Any]]:
    """The job queue on Redis (django-tasks-redis), for workers on several machines."""
    return {
        "default": {
            "BACKEND": "django_tasks_redis.RedisTaskBackend",
            "OPTIONS": {"REDIS_URL": url, "REDIS_KEY_PREFIX": f"{prefix}:tasks"},
        }
    }
