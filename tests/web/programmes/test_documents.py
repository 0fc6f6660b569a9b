"""Documents: type checked by content, size limited, stored under random names, always downloaded."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vinculo.web.audit.models import AuditEntry
from vinculo.web.programmes.models import ProgrammeDocument

from ..conftest import World
from .conftest import make_programme

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(world: World, programme_id: int, name: str, data: bytes, who: str = "owner_author") -> Any:
    return world.client_for(who).post(
        f"/programmes/{programme_id}/documents/",
        {
            "title": "Evaluation report",
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
        follow=True,
    )


def test_a_pdf_is_stored_under_a_random_name_and_served_only_as_an_attachment(
    world: World, media: Path
) -> None:
    programme = make_programme(world, status="draft")
    response = upload(world, programme.pk, "../../report <script>.pdf", PDF)
    assert "The document was added." in response.content.decode()
    document = ProgrammeDocument.objects.get()
    assert document.original_name == "report <script>.pdf"
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    stored = Path(document.file.path)
    assert stored.parent == media / "programmes" and stored.read_bytes() == PDF
    assert "report" not in stored.name and len(stored.stem) == 32
    download = world.client_for("owner_analyst").get(f"/programmes/{programme.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="export", object_type="programmes.programmedocument").count() == 1
    page = world.client_for("owner_author").get(f"/programmes/{programme.pk}/").content.decode()
    assert "Evaluation report" in page and "report <script>" not in page


def test_documents_of_unpublished_programmes_are_hidden_like_the_programme(world: World) -> None:
    programme = make_programme(world, status="draft")
    upload(world, programme.pk, "report.pdf", PDF)
    document = ProgrammeDocument.objects.get()
    url = f"/programmes/{programme.pk}/documents/{document.pk}/"
    assert world.client_for("anonymous").get(url).status_code == 404
    assert world.client_for("other_analyst").get(url).status_code == 404
    assert (
        world.client_for("other_analyst").get(f"/programmes/{programme.pk}/documents/999/").status_code == 404
    )
    other = upload(world, programme.pk, "x.pdf", PDF, who="other_analyst")
    assert other.status_code == 404 and ProgrammeDocument.objects.count() == 1


def docx_with_macros() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<x/>")
        archive.writestr("word/vbaProject.bin", "macro")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "report.pdf",
            b"<html><script>alert(1)</script></html>",
            "the content is HTML or XML text, not a .pdf file",
        ),
        ("report.pdf", b"MZ\x90\x00binary", "the content is an executable program"),
        ("report.exe", PDF, "the content is a PDF, not one of .pdf"),
        ("plan.docx", docx_with_macros(), "an Office document with macros"),
    ],
)
def test_wrong_types_are_refused_with_a_clear_message_and_nothing_stored(
    world: World, media: Path, name: str, data: bytes, message: str
) -> None:
    programme = make_programme(world)
    response = upload(world, programme.pk, name, data)
    assert message in response.content.decode()
    assert not ProgrammeDocument.objects.exists()
    assert not list(media.rglob("*.*"))


def test_oversized_documents_are_refused(world: World, settings: Any, media: Path) -> None:
    settings.VINCULO_PROGRAMME_DOCUMENT_MAX_BYTES = 1000
    programme = make_programme(world)
    response = upload(world, programme.pk, "big.pdf", PDF + b"0" * 2000)
    text = response.content.decode()
    assert "documents may be at most 0.0 MB" in text or "at most" in text
    assert "Compress the PDF or split the document" in text
    assert not ProgrammeDocument.objects.exists() and not list(media.rglob("*.*"))


def test_removing_a_document_deletes_the_file(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    programme = make_programme(world)
    upload(world, programme.pk, "report.pdf", PDF)
    document = ProgrammeDocument.objects.get()
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("owner_manager").post(
            f"/programmes/{programme.pk}/documents/{document.pk}/delete/"
        )
    assert response.status_code == 302
    assert not ProgrammeDocument.objects.exists() and not path.exists()
