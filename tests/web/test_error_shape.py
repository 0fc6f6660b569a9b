"""API errors never echo what was submitted (issue 9 finding 10, error shape): they keep the field, row,
column, code and message, and drop ``Issue.value`` and values quoted in messages."""

from __future__ import annotations

import json

from django.test import Client

from .conftest import World
from .test_api import assert_error_shape
from .test_input_limits import bearer

SECRET = "Zenobia Quillfeather"


def test_a_refused_table_names_row_and_column_but_never_echoes_the_cell(world: World) -> None:
    table = f"A,B,count\n{SECRET},0,30\n0,1,20\n1,1,{SECRET}\n"
    response = Client().post(
        "/api/estimates",
        json.dumps({"title": "t", "csv": table}),
        content_type="application/json",
        **bearer(world),
    )
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, 400, "mse.bad_membership")
    assert "Zenobia" not in response.content.decode()
    assert body["errors"], "each problem is listed"
    for error in body["errors"]:
        assert "value" not in error
        assert error["location"]["row"] in (2, 4)
        assert error["location"]["column"] in ("A", "count")
        assert error["code"] in ("mse.bad_membership", "mse.bad_count")
        assert error["message"]


def test_unknown_references_name_the_field_and_position_not_the_value(world: World) -> None:
    client = Client()
    for path, payload in [
        ("/api/notices", {"title": "t", "body": "b", "countries": ["ZENOBIA"]}),
        ("/api/estimates", {"title": "t", "csv": "A,B,count\n1,0,3\n0,1,2\n1,1,1\n", "country": "ZENOBIA"}),
    ]:
        response = client.post(path, json.dumps(payload), content_type="application/json", **bearer(world))
        assert response.status_code == 400, response.content
        assert_error_shape(response.json(), 400, "bad_request")
        assert "ZENOBIA" not in response.content.decode().upper()
        field = "countries[" if path == "/api/notices" else "country:"
        assert response.json()["error"].startswith(field)


def test_a_bad_filter_value_is_named_by_its_parameter_only(world: World) -> None:
    for query in (f"country={SECRET}", f"sex={SECRET}", "year=Zenobia"):
        response = world.client_for("owner_manager").get(f"/api/cases?{query}")
        assert response.status_code in (400, 422), response.content
        assert "Zenobia" not in response.content.decode()
