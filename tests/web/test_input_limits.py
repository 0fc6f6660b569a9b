"""Malformed requests get a clear 4xx in the API error shape (or an error page), never a 500 or a traceback.

Covers issue 9 finding 5 at the request level: integers out of range, negative offsets, bodies over the
limits, a disallowed Host header, a deeply nested JSON upload and a table with CR-only line endings.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from vinculo.web.accounts import actions as account_actions
from vinculo.web.cases.models import CaseRecord, Submission
from vinculo.web.estimates.models import Estimate
from vinculo.web.exchange.models import Notice
from vinculo.web.programmes.models import Programme

from .conftest import World
from .test_api import assert_error_shape

TOO_BIG = 2**63


def bearer(world: World, who: str = "owner_manager") -> dict[str, str]:
    user = world.users[who]
    assert user is not None
    _token, raw = account_actions.issue_token(user=user, name="limits")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _integer_schemas_without_bounds(document: dict[str, Any]) -> list[str]:
    components = document["components"]["schemas"]
    found: list[str] = []

    def walk(schema: Any, where: str, seen: frozenset[str]) -> None:
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(components[name], f"{where}->{name}", seen | {name})
            return
        if schema.get("type") == "integer":
            low = "minimum" in schema or "exclusiveMinimum" in schema
            high = "maximum" in schema or "exclusiveMaximum" in schema
            if not (low and high):
                found.append(where)
        for key in ("items", "additionalProperties"):
            walk(schema.get(key), f"{where}[]", seen)
        for name, sub in schema.get("properties", {}).items():
            walk(sub, f"{where}.{name}", seen)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key, []):
                walk(sub, where, seen)

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                walk(parameter.get("schema"), f"{method} {path} {parameter['name']}", frozenset())
            for content in operation.get("requestBody", {}).get("content", {}).values():
                walk(content.get("schema"), f"{method} {path} body", frozenset())
    return found


@pytest.mark.django_db
def test_every_integer_the_api_accepts_has_a_minimum_and_a_maximum() -> None:
    document = Client().get("/api/openapi.json").json()
    assert _integer_schemas_without_bounds(document) == []


@pytest.mark.parametrize(
    ("path", "payload", "model"),
    [
        ("/api/notices", {"title": "t", "body": "b", "shared_with": [TOO_BIG]}, Notice),
        ("/api/programmes", {"title": "t", "implementing_organisations": [TOO_BIG]}, Programme),
        ("/api/programmes", {"title": "t", "related": [-1]}, Programme),
        (
            "/api/cases/submissions",
            {"file_name": "c.csv", "content_base64": "YSxiCjEsMgo=", "shared_with": [TOO_BIG]},
            Submission,
        ),
        ("/api/estimates", {"title": "t", "csv": "A,B,count\n1,0,1\n", "seed": TOO_BIG}, Estimate),
    ],
)
def test_an_integer_out_of_range_is_a_422_naming_the_field_and_nothing_is_written(
    world: World, path: str, payload: dict[str, Any], model: Any
) -> None:
    before = model.objects.count()
    response = Client().post(path, json.dumps(payload), content_type="application/json", **bearer(world))
    assert response.status_code == 422, response.content
    body = response.json()
    assert_error_shape(body, 422, "validation_error")
    assert body["errors"][0]["field"].split("[")[0] in payload
    assert model.objects.count() == before


def test_a_multipart_upload_with_an_id_out_of_range_is_refused_and_nothing_is_written(world: World) -> None:
    before = Submission.objects.count()
    response = Client().post(
        "/api/cases/submissions/upload",
        {"file": SimpleUploadedFile("c.csv", b"a,b\n1,2\n"), "shared_with": [str(TOO_BIG)]},
        **bearer(world),
    )
    assert response.status_code == 422
    assert_error_shape(response.json(), 422, "validation_error")
    assert response.json()["errors"][0]["field"] == "shared_with[0]"
    assert Submission.objects.count() == before


@pytest.mark.parametrize(
    "query",
    [
        "/api/cases?offset=-1",
        "/api/cases?limit=0",
        f"/api/cases?offset={TOO_BIG}",
        "/api/cases?limit=1001",
        f"/api/cases?year={TOO_BIG}",
        "/api/audit?offset=-5",
        "/api/audit?limit=-1",
        f"/api/notices/{TOO_BIG}",
        "/api/notices/-3",
        f"/api/programmes?page={TOO_BIG}",
        "/api/evidence/figures?limit=0",
    ],
)
def test_offsets_limits_and_ids_out_of_range_are_a_422(world: World, query: str) -> None:
    client = world.client_for("admin" if "/audit" in query else "owner_manager")
    response = client.get(query)
    assert response.status_code == 422, response.content
    assert_error_shape(response.json(), 422, "validation_error")


def test_a_body_over_the_limit_is_a_413_in_the_error_shape_and_nothing_is_written(world: World) -> None:
    before = Notice.objects.count()
    body = json.dumps({"title": "t", "body": "x" * (15 * 1024 * 1024)})
    response = Client().post("/api/notices", body, content_type="application/json", **bearer(world))
    assert response.status_code == 413
    assert_error_shape(response.json(), 413, "too_large")
    assert "10,485,760" in response.json()["error"]
    assert Notice.objects.count() == before


def test_a_base64_case_file_over_the_limit_is_a_413(world: World) -> None:
    before = Submission.objects.count()
    payload = {"file_name": "c.csv", "content_base64": "QUFB" * (4 * 1024 * 1024)}
    response = Client().post(
        "/api/cases/submissions", json.dumps(payload), content_type="application/json", **bearer(world)
    )
    assert response.status_code == 413
    assert_error_shape(response.json(), 413, "too_large")
    assert Submission.objects.count() == before


@override_settings(VINCULO_MAX_UPLOAD_BYTES=50_000)
def test_a_multipart_upload_over_the_limit_is_a_413(world: World) -> None:
    before = Submission.objects.count()
    response = Client().post(
        "/api/cases/submissions/upload",
        {"file": SimpleUploadedFile("c.csv", b"a,b\n" + b"1,2\n" * 20_000)},
        **bearer(world),
    )
    assert response.status_code == 413
    assert_error_shape(response.json(), 413, "too_large")
    assert Submission.objects.count() == before


def test_a_form_over_the_limit_is_a_413_page_not_a_500(world: World) -> None:
    client = world.client_for("owner_manager")
    response = client.post("/exchange/new/", {"title": "t", "body": "x" * (11 * 1024 * 1024)})
    assert response.status_code == 413
    assert "text/html" in response["Content-Type"]
    assert "Traceback" not in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_form_fields_over_the_limit_inside_an_allowed_upload_are_a_413(world: World) -> None:
    response = Client().post(
        "/api/cases/submissions/upload",
        {"file": SimpleUploadedFile("c.csv", b"a,b\n1,2\n"), "sensitivity": "x" * 5000},
        **bearer(world),
    )
    assert response.status_code == 413
    assert_error_shape(response.json(), 413, "too_large")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/notices", "/accounts/login/"])
def test_a_disallowed_host_is_a_400_and_logs_one_line_without_a_traceback(
    path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = Client().get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert_error_shape(response.json(), 400, "bad_host")
    assert "evil.example" not in response.content.decode()
    assert caplog.records, "the refusal is logged"
    assert all(record.exc_info is None for record in caplog.records)
    assert all("evil.example" not in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_a_content_length_that_is_not_a_number_is_a_400() -> None:
    response = Client().post("/api/notices", b"{}", content_type="application/json", CONTENT_LENGTH="12abc")
    assert response.status_code == 400
    assert_error_shape(response.json(), 400, "bad_request")


def test_a_deeply_nested_json_upload_is_refused_with_a_clear_message_and_nothing_is_stored(
    world: World,
) -> None:
    before = (Submission.objects.count(), CaseRecord.objects.count())
    deep = b"[" * 10_000 + b"]" * 10_000
    response = Client().post(
        "/api/cases/submissions/upload", {"file": SimpleUploadedFile("cases.json", deep)}, **bearer(world)
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert_error_shape(body, 400, "readers.too_deep")
    assert "nested" in body["error"]
    assert (Submission.objects.count(), CaseRecord.objects.count()) == before


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_a_capture_history_table_with_any_line_ending_is_accepted(world: World, newline: str) -> None:
    table = newline.join(["A,B,count", "1,0,30", "0,1,20", "1,1,10"]) + newline
    response = Client().post(
        "/api/estimates",
        json.dumps({"title": "line endings", "csv": table, "method": "main"}),
        content_type="application/json",
        **bearer(world),
    )
    assert response.status_code == 202, response.content
    assert response.json()["lists"] == ["A", "B"]
    assert response.json()["n_observed"] == 60


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_list_files_with_any_line_ending_are_matched_not_a_500(world: World, newline: str) -> None:
    police = newline.join(["id", "a1", "a2", "a3", "b1", ""]).encode()
    ngo = newline.join(["id", "a1", "b1", "c1", ""]).encode()
    response = world.client_for("owner_manager").post(
        "/estimates/new/",
        {
            "title": "lists",
            "method": "main",
            "ci": "wald",
            "level": "0.95",
            "pthresh": "0.02",
            "max_order": "2",
            "nboot": "100",
            "seed": "1",
            "sensitivity": "restricted",
            "list_files": [SimpleUploadedFile("police.csv", police), SimpleUploadedFile("ngo.csv", ngo)],
        },
    )
    assert response.status_code == 302, response.content[:500]
    estimate = Estimate.objects.latest("pk")
    assert sorted(estimate.lists) == ["ngo", "police"]
    assert estimate.n_observed == 5


def test_a_list_file_with_an_unclosed_quote_is_refused_with_a_message(world: World) -> None:
    before = Estimate.objects.count()
    response = world.client_for("owner_manager").post(
        "/estimates/new/",
        {
            "title": "lists",
            "method": "main",
            "ci": "wald",
            "level": "0.95",
            "pthresh": "0.02",
            "max_order": "2",
            "nboot": "100",
            "seed": "1",
            "sensitivity": "restricted",
            "list_files": [
                SimpleUploadedFile("police.csv", b'id\na1\n"a2\n'),
                SimpleUploadedFile("ngo.csv", b"id\na1\n"),
            ],
        },
    )
    assert response.status_code in (200, 400)
    assert "police.csv" in response.content.decode()
    assert Estimate.objects.count() == before


@override_settings(VINCULO_CASES_MAX_BYTES=10_000)
def test_the_upload_limit_follows_the_case_file_limit_by_default(world: World) -> None:
    response = Client().post(
        "/api/cases/submissions/upload",
        {"file": SimpleUploadedFile("c.csv", b"a,b\n" + b"1,2\n" * 300_000)},
        **bearer(world),
    )
    assert response.status_code == 413
    assert f"{10_000 + 1024 * 1024:,}" in response.json()["error"]
