"""The API: OpenAPI document, token authentication, CSRF for sessions, and one error shape."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openapi_spec_validator import validate

from vinculo.web.accounts import actions
from vinculo.web.accounts.models import ApiToken

from .conftest import World

ERROR_KEYS = {"ok", "error", "errors", "code", "status"}


def assert_error_shape(body: dict[str, Any], status: int, code: str) -> None:
    assert set(body) == ERROR_KEYS
    assert body["ok"] is False
    assert body["status"] == status
    assert body["code"] == code
    assert body["error"]


@pytest.mark.django_db
def test_the_openapi_document_is_valid_and_lists_every_route() -> None:
    document = Client().get("/api/openapi.json").json()
    validate(document)
    paths = set(document["paths"])
    assert {
        "/api/notices",
        "/api/notices/{notice_id}",
        "/api/organisations",
        "/api/me",
        "/api/audit",
    } <= paths
    assert "BearerAuth" in json.dumps(document["components"]) or "PlatformAuth" in json.dumps(
        document["components"]
    )


@pytest.mark.django_db
def test_interactive_docs_load_no_asset_from_the_internet() -> None:
    page = Client().get("/api/docs").content.decode()
    assert "swagger-ui" in page
    assert "https://" not in page and "http://" not in page.replace("http://testserver", "")


def test_a_token_authenticates_a_script_with_the_owner_s_rights(world: World) -> None:
    user = world.users["partner_analyst"]
    assert user is not None
    _token, raw = actions.issue_token(user=user, name="script")
    assert raw.startswith("vin_") and raw not in json.dumps(list(ApiToken.objects.values()), default=str)
    client = Client()
    titles = {n["title"] for n in client.get("/api/notices", HTTP_AUTHORIZATION=f"Bearer {raw}").json()}
    assert "restricted notice" in titles
    me = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert me["username"] == "partner_analyst"


def test_a_bad_expired_or_revoked_token_is_refused_not_treated_as_anonymous(world: World) -> None:
    user = world.users["owner_manager"]
    assert user is not None
    token, raw = actions.issue_token(user=user, name="t")
    client = Client()
    for header in ["Bearer vin_nonsense", "Token abc", "Bearer "]:
        response = client.get("/api/notices", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert_error_shape(response.json(), 401, "unauthenticated")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/notices", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=1))
    assert client.get("/api/notices", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    actions.revoke_token(actor=user, token=ApiToken.objects.get(pk=token.pk))
    assert client.get("/api/notices", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_writes_need_no_csrf_but_session_writes_do(world: World) -> None:
    user = world.users["owner_manager"]
    assert user is not None
    _, raw = actions.issue_token(user=user, name="t")
    payload = json.dumps({"title": "by token", "body": "b"})
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/notices", data=payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 201
    strict.force_login(user)
    response = strict.post("/api/notices", data=payload, content_type="application/json")
    assert response.status_code == 403
    assert_error_shape(response.json(), 403, "forbidden")


def test_invalid_payload_names_each_field_and_writes_nothing(world: World) -> None:
    client = world.client_for("owner_manager")
    from vinculo.web.exchange.models import Notice

    before = Notice.objects.count()
    response = client.post(
        "/api/notices",
        data=json.dumps({"title": "", "sensitivity": "secret"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert_error_shape(body, 422, "validation_error")
    fields = {e["field"] for e in body["errors"]}
    assert {"title", "body", "sensitivity"} <= fields
    assert Notice.objects.count() == before


def test_unknown_references_get_a_400_naming_the_field_and_nothing_is_written(world: World) -> None:
    from vinculo.web.exchange.models import Notice

    client = world.client_for("owner_manager")
    before = Notice.objects.count()
    for payload, field in [({"shared_with": [987654]}, "shared_with"), ({"countries": ["XXX"]}, "countries")]:
        response = client.post(
            "/api/notices",
            data=json.dumps({"title": "t", "body": "b", **payload}),
            content_type="application/json",
        )
        assert response.status_code == 400
        assert_error_shape(response.json(), 400, "bad_request")
        assert response.json()["error"].startswith(field)
    assert Notice.objects.count() == before


def test_malformed_json_gets_the_error_shape(world: World) -> None:
    response = world.client_for("owner_manager").post(
        "/api/notices", data="{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    body = response.json()
    assert set(body) == ERROR_KEYS and body["ok"] is False


@pytest.mark.django_db
def test_an_unknown_route_answers_the_json_error_shape() -> None:
    response = Client().get("/api/no/such/route")
    assert response.status_code == 404
    assert_error_shape(response.json(), 404, "not_found")


def test_an_unexpected_error_answers_500_without_a_stack_trace(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vinculo.web.exchange import api as exchange_api

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(exchange_api.access, "access_visible", boom)
    import logging

    logging.getLogger("vinculo.api").disabled = True
    try:
        response = world.client_for("owner_manager").get("/api/notices")
    finally:
        logging.getLogger("vinculo.api").disabled = False
    assert response.status_code == 500
    body = response.json()
    assert_error_shape(body, 500, "server_error")
    assert "secret internal detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


SNAPSHOT = __import__("pathlib").Path(__file__).with_name("openapi.json")


@pytest.mark.django_db
def test_the_openapi_document_matches_the_reviewed_snapshot() -> None:
    """API changes show in review: regenerate with VINCULO_UPDATE_OPENAPI=1 when a change is intended."""
    import os

    document = Client().get("/api/openapi.json").json()
    text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("VINCULO_UPDATE_OPENAPI") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == text, "The API changed: review it and update the snapshot."
