"""CI gate: a hypothesis fuzz of every upload endpoint (API and pages): any bytes end in a 2xx/3xx or a clear
4xx, never a 500 or a traceback, and nothing is stored when an upload is refused.

Uploads: case files (multipart, base64 JSON, with a mapping file; the submission page), capture-history
tables (API, page, list files) and programme documents. Case records are only written when a checked
submission is confirmed, so no upload may change their count.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.fuzz_strategies import EXTENSIONS, file_bytes
from vinculo.web.cases.models import CaseRecord, Submission
from vinculo.web.estimates.models import Estimate
from vinculo.web.programmes.models import ProgrammeDocument

from .conftest import World
from .programmes.conftest import make_programme
from .test_input_limits import bearer

UPLOADS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

Upload = Callable[[World, bytes, str], Any]


def _api_multipart(world: World, data: bytes, name: str) -> Any:
    return Client().post(
        "/api/cases/submissions/upload", {"file": SimpleUploadedFile(name, data)}, **bearer(world)
    )


def _api_mapping(world: World, data: bytes, name: str) -> Any:
    return Client().post(
        "/api/cases/submissions/upload",
        {
            "file": SimpleUploadedFile("cases.csv", b"Gender\nFeminine\n"),
            "mapping": SimpleUploadedFile(name, data),
        },
        **bearer(world),
    )


def _api_base64(world: World, data: bytes, name: str) -> Any:
    payload = {"file_name": name or "upload", "content_base64": base64.b64encode(data).decode() or "AA=="}
    return Client().post(
        "/api/cases/submissions", json.dumps(payload), content_type="application/json", **bearer(world)
    )


def _api_estimate(world: World, data: bytes, name: str) -> Any:
    payload = {"title": "fuzz", "csv": data.decode("latin-1") or " ", "file_name": name or "h.csv"}
    return Client().post(
        "/api/estimates", json.dumps(payload), content_type="application/json", **bearer(world)
    )


def _page_cases(world: World, data: bytes, name: str) -> Any:
    return world.client_for("owner_manager").post(
        "/cases/submissions/new/", {"file": SimpleUploadedFile(name, data), "sensitivity": "restricted"}
    )


def _page_estimate(world: World, data: bytes, name: str) -> Any:
    return world.client_for("owner_manager").post(
        "/estimates/new/", _estimate_form(file=SimpleUploadedFile(name, data))
    )


def _page_list_files(world: World, data: bytes, name: str) -> Any:
    files = [SimpleUploadedFile("police.csv", data), SimpleUploadedFile("ngo.csv", data[::-1])]
    return world.client_for("owner_manager").post("/estimates/new/", _estimate_form(list_files=files))


def _estimate_form(**files: Any) -> dict[str, Any]:
    return {
        "title": "fuzz",
        "method": "main",
        "ci": "wald",
        "level": "0.95",
        "pthresh": "0.02",
        "max_order": "2",
        "nboot": "100",
        "seed": "1",
        "sensitivity": "restricted",
        **files,
    }


def _page_programme_document(world: World, data: bytes, name: str) -> Any:
    programme = make_programme(world, title="Fuzzed programme")
    return world.client_for("owner_author").post(
        f"/programmes/{programme.pk}/documents/", {"title": "doc", "file": SimpleUploadedFile(name, data)}
    )


ENDPOINTS: dict[str, tuple[Upload, list[Any]]] = {
    "api multipart case file": (_api_multipart, [Submission]),
    "api mapping file": (_api_mapping, [Submission]),
    "api base64 case file": (_api_base64, [Submission]),
    "api capture histories": (_api_estimate, [Estimate]),
    "page case file": (_page_cases, [Submission]),
    "page capture histories": (_page_estimate, [Estimate]),
    "page list files": (_page_list_files, [Estimate]),
    "page programme document": (_page_programme_document, [ProgrammeDocument]),
}


def _refused(response: Any) -> bool:
    if response.status_code >= 400:
        return True
    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        return True  # a form shown again with its errors
    return any(m.level_tag == "error" for m in get_messages(response.wsgi_request))


@pytest.mark.slow
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@UPLOADS
@given(data=file_bytes, ext=st.sampled_from(EXTENSIONS))
def test_any_upload_ends_in_a_clear_answer_and_a_refusal_stores_nothing(
    world: World, endpoint: str, data: bytes, ext: str
) -> None:
    upload, models = ENDPOINTS[endpoint]
    before = [m.objects.count() for m in models]
    records = CaseRecord.objects.count()
    response = upload(world, data, f"upload{ext}")
    text = response.content.decode("utf-8", "replace")
    assert response.status_code < 500, text[:500]
    assert "Traceback" not in text
    assert CaseRecord.objects.count() == records, "an upload never imports records by itself"
    if _refused(response):
        assert [m.objects.count() for m in models] == before, f"{endpoint}: a refused upload stored something"
    if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        assert set(body) == {"ok", "error", "errors", "code", "status"} and body["error"]
