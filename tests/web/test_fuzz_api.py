"""CI gate: schemathesis over the whole OpenAPI document, anonymous and with a data manager's bearer token.

0 server errors, 0 schema violations: every answer has a documented status code and content type and
matches its schema. Bounded: a few examples per operation (VINCULO_FUZZ_EXAMPLES, default 6), derandomised
so a failure reproduces. The document is the reviewed snapshot, which test_api.py keeps equal to the live
one, so loading it needs no request.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from vinculo.web.accounts import actions as account_actions

from .conftest import World

SNAPSHOT = Path(__file__).with_name("openapi.json")
EXAMPLES = int(os.environ.get("VINCULO_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(json.loads(SNAPSHOT.read_text(encoding="utf-8")))
application = get_wsgi_application()

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Requests through the WSGI app close the database connection when they finish, which would end the
    test's transaction on PostgreSQL; Django's test client disconnects the same handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(world: World) -> str:
    user = world.users["owner_manager"]
    assert user is not None
    _token, raw = account_actions.issue_token(user=user, name="schemathesis")
    return raw


@pytest.mark.slow
@schema.parametrize()
@FUZZ
def test_every_operation_answers_anonymous_callers_within_its_schema(world: World, case: Any) -> None:
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    response = case.call(app=application)
    case.validate_response(response, checks=CHECKS)


@pytest.mark.slow
@schema.parametrize()
@FUZZ
def test_every_operation_answers_a_data_manager_s_token_within_its_schema(
    world: World, token: str, case: Any
) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    response = case.call(app=application)
    case.validate_response(response, checks=CHECKS)
