from __future__ import annotations

import io
import zipfile

import pytest

from vinculo.registry import DocumentError, check_document, safe_filename


def ooxml(folder: str, extra: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
        for name in extra:
            archive.writestr(name, "x")
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "extension"),
    [
        (b"%PDF-1.7\n...", "report.PDF", "pdf"),
        (ooxml("word"), "plan.docx", "docx"),
        (ooxml("xl"), "budget.xlsx", "xlsx"),
        (ooxml("ppt"), "slides.pptx", "pptx"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100, "old.doc", "doc"),
        (odf("application/vnd.oasis.opendocument.text"), "note.odt", "odt"),
    ],
)
def test_documents_are_recognised_by_their_content(data: bytes, name: str, extension: str) -> None:
    assert check_document(data, name).extension == extension


@pytest.mark.parametrize(
    ("data", "name", "found"),
    [
        (b"<html><script>alert(1)</script></html>", "report.pdf", "HTML or XML text"),
        (b"MZ\x90\x00", "report.pdf", "an executable program"),
        (b"%PDF-1.4", "report.docx", "a PDF"),
        (ooxml("word"), "report.pdf", "an Office document"),
        (ooxml("word", ("word/vbaProject.bin",)), "macro.docx", "an Office document with macros"),
        (b"PK\x03\x04garbage", "broken.docx", "a damaged zip archive"),
        (b"plain text", "notes.txt", "content of an unrecognised type"),
        (bytes.fromhex("D0CF11E0A1B11AE1"), "old.pdf", "a legacy Office (OLE2) file"),
    ],
)
def test_wrong_types_are_refused_whatever_the_extension_says(data: bytes, name: str, found: str) -> None:
    with pytest.raises(DocumentError) as info:
        check_document(data, name)
    assert info.value.code == "registry.document_type"
    assert found in str(info.value)
    assert "Upload a PDF or Office document" in str(info.value)


def test_oversized_documents_are_refused_with_both_sizes() -> None:
    with pytest.raises(DocumentError) as info:
        check_document(b"%PDF-" + b"0" * 3_000_000, "big.pdf", max_bytes=2 * 1_048_576)
    assert info.value.code == "registry.document_too_large"
    assert "2.9 MB" in str(info.value) and "at most 2.0 MB" in str(info.value)


def test_empty_documents_are_refused() -> None:
    with pytest.raises(DocumentError):
        check_document(b"", "empty.pdf")


def test_uploaded_names_lose_paths_and_header_breaking_characters() -> None:
    assert safe_filename('..\\..\\evil"; name.pdf') == "evil name.pdf"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("\n\r") == "document"
