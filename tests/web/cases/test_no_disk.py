"""Issue 9, finding 10: no victim's data is written unencrypted to disk outside what the platform controls.

Uploads over 10 MiB were spooled by Django to the system temporary directory, and openpyxl wrote
XLSX exports there too. An audit hook records every file opened for writing while a request runs.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse

from vinculo.web.cases.models import Submission

from ..conftest import World
from .conftest import HEADER, ROWS, csv_bytes, submit_and_import

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_TMPFILE", 0)
_recording: list[list[str]] = []


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not _recording:
        return
    path, mode, flags = (*args, None, None)[:3]
    writes = (isinstance(mode, str) and any(m in mode for m in "wax+")) or (
        isinstance(flags, int) and flags & _WRITE_FLAGS
    )
    if writes:
        _recording[-1].append(str(path))


sys.addaudithook(_hook)


@contextmanager
def files_written() -> Iterator[list[str]]:
    """Every path opened for writing (by Python, in this process) inside the block."""
    found: list[str] = []
    _recording.append(found)
    try:
        yield found
    finally:
        _recording.pop()


def _big_csv(min_bytes: int) -> bytes:
    template = list(ROWS[0])
    rows = []
    size = 0
    n = 0
    while size < min_bytes:
        n += 1
        row = [f"R{n}", *template[1:]]
        rows.append(row)
        size += sum(len(c) + 1 for c in row)
    return csv_bytes(rows, HEADER)


def test_an_upload_over_ten_mib_is_never_written_to_a_temporary_file(world: World) -> None:
    data = _big_csv(11 * 1024 * 1024)
    client = world.client_for("owner_manager")
    with files_written() as written:
        response = client.post(
            reverse("cases:submit"),
            {"file": _named(data, "big.csv"), "sensitivity": "restricted"},
        )
    assert response.status_code == 302, response.content[:500]
    assert written == []
    submission = Submission.objects.get()
    assert submission.size_bytes == len(data)
    with files_written() as written:
        api = client.post("/api/cases/submissions/upload", {"file": _named(data, "big2.csv")})
    assert api.status_code == 202 and written == []


def _named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_an_xlsx_export_is_built_in_memory(world: World) -> None:
    submit_and_import(world)
    client = world.client_for("owner_manager")
    for url in (reverse("cases:export"), "/api/cases/export"):
        with files_written() as written:
            response = client.get(url, {"format": "xlsx"})
        assert response.status_code == 200 and written == []
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header = [c.value for c in sheet[1]]
        rows = [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(min_row=2)]
        assert sorted(r["source_record_id"] for r in rows) == ["id:R1", "id:R2", "id:R3"]
        assert {r["prs_FirstName"] for r in rows} == {"Zenobia", "Ottoline", "Casimir"}
        assert {r["consent_to_share"] for r in rows} == {True, False}
    with files_written() as written:  # reading an XLSX upload and importing it write nothing either
        checked = client.post(
            reverse("cases:submit"),
            {"file": _named(response.content, "again.xlsx"), "sensitivity": "internal"},
        )
        client.post(reverse("cases:confirm", args=[Submission.objects.latest("pk").pk]))
    assert checked.status_code == 302 and written == []


@override_settings(VINCULO_CASES_MAX_BYTES=20_000)
def test_an_upload_over_the_limit_is_refused_with_413_and_the_sizes_and_nothing_is_kept(world: World) -> None:
    from django.core.files.uploadhandler import StopFutureHandlers

    from vinculo.web.cases.uploads import MemoryOnlyUploadHandler

    data = _big_csv(60_000)
    client = world.client_for("owner_manager")
    api = client.post("/api/cases/submissions/upload", {"file": _named(data, "huge.csv")})
    assert api.status_code == 413
    body = api.json()
    assert body["ok"] is False and body["status"] == 413
    assert f"{len(data):,} bytes" in body["error"] and "20,000 bytes" in body["error"]
    page = client.post(
        reverse("cases:submit"), {"file": _named(data, "huge.csv"), "sensitivity": "restricted"}
    )
    assert page.status_code == 413 and "20,000 bytes" in page.content.decode()
    assert not Submission.objects.exists()
    handler = MemoryOnlyUploadHandler()
    with pytest.raises(StopFutureHandlers):
        handler.new_file("file", "huge.csv", "text/csv", len(data))
    for start in range(0, len(data), 4096):
        assert handler.receive_data_chunk(data[start : start + 4096], start) is None
    upload = handler.file_complete(len(data))
    assert upload.size == len(data) and upload.truncated and len(upload.read()) == 20_001
