"""The OpenAPI document is exact (issue 9 finding 9): one component per schema class, optional security
(anonymous callers are served public data), and every error answer documented in the error shape."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.test import Client
from ninja import Schema

import vinculo.web


def _schema_classes() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for info in pkgutil.walk_packages(vinculo.web.__path__, "vinculo.web."):
        if not info.name.endswith(".api"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                names.setdefault(value.__name__, set()).add(f"{module.__name__}.{value.__qualname__}")
    return names


def test_no_two_api_schemas_share_a_component_name() -> None:
    clashes = {name: where for name, where in _schema_classes().items() if len(where) > 1}
    assert clashes == {}


@pytest.fixture
def document(db: Any) -> dict[str, Any]:
    result: dict[str, Any] = Client().get("/api/openapi.json").json()
    return result


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p, m, op) for p, ops in document["paths"].items() for m, op in ops.items()]


def test_every_operation_may_be_called_without_a_token(document: dict[str, Any]) -> None:
    for path, method, operation in _operations(document):
        assert {} in operation.get("security", [{}]), (method, path)


def test_every_operation_documents_its_error_answers_in_the_error_shape(document: dict[str, Any]) -> None:
    assert document["components"]["schemas"]["Error"]["required"] == [
        "ok",
        "error",
        "errors",
        "code",
        "status",
    ]
    for path, method, operation in _operations(document):
        expected = {"400", "401", "403", "404"}
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add("422")
        if method in ("post", "put", "patch"):
            expected.add("413")
        assert expected <= set(operation["responses"]), (method, path)
        for code in expected:
            schema = operation["responses"][code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}


def test_an_optional_upload_is_documented_in_the_multipart_body_not_the_query(
    document: dict[str, Any],
) -> None:
    operation = document["paths"]["/api/cases/submissions/upload"]["post"]
    assert not [p for p in operation.get("parameters", []) if p["name"] == "mapping"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert "mapping" in body["properties"]


def test_the_case_history_and_treaty_versions_have_their_own_components(document: dict[str, Any]) -> None:
    history = document["paths"]["/api/cases/{case_id}/history"]["get"]["responses"]["200"]
    item = history["content"]["application/json"]["schema"]["items"]["$ref"].rsplit("/", 1)[-1]
    properties = document["components"]["schemas"][item]["properties"]
    assert {"version", "submission", "submitted_by", "at", "values", "identifiers"} <= set(properties)
