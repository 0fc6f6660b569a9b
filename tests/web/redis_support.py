"""The local Redis for the tests of the Redis queue, cache and sessions (skipped without it, except under CI)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

REDIS_URL = os.environ.get("VINCULO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require_redis() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        message = f"Redis at {REDIS_URL} is not reachable ({exc})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; under CI=true the Redis tests must run: start Redis first.")
        pytest.skip(f"{message}: start Redis or set VINCULO_TEST_REDIS_URL (under CI=true this fails).")
    return REDIS_URL


@contextmanager
def redis_prefix() -> Iterator[str]:
    """A key prefix of the caller's own on the local Redis; its keys are removed afterwards."""
    import redis

    require_redis()
    prefix = f"vinculo-test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"*{prefix}*"))
    if keys:
        client.delete(*keys)
