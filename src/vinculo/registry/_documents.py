"""Checks on uploaded programme documents: size, and type by content (magic bytes), not by name.

Accepted: PDF, Word/Excel/PowerPoint (OOXML ``.docx``/``.xlsx``/``.pptx`` and legacy OLE2
``.doc``/``.xls``/``.ppt``) and OpenDocument (``.odt``/``.ods``/``.odp``). The content must be of
the kind the extension claims. OOXML files that carry macros (``vbaProject.bin``) are refused.
Zip archives are inspected through their central directory only; nothing is decompressed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from vinculo.errors import Issue, Location, VinculoError

__all__ = [
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "DOCUMENT_TYPES",
    "DocumentError",
    "DocumentType",
    "check_document",
    "safe_filename",
]

DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

_PDF = b"%PDF-"
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class DocumentType:
    """An accepted kind of document: its extension, MIME type and a label."""

    extension: str
    content_type: str
    label: str


DOCUMENT_TYPES: dict[str, DocumentType] = {
    t.extension: t
    for t in (
        DocumentType("pdf", "application/pdf", "PDF"),
        DocumentType(
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"
        ),
        DocumentType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
        DocumentType(
            "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"
        ),
        DocumentType("doc", "application/msword", "Word 97-2003"),
        DocumentType("xls", "application/vnd.ms-excel", "Excel 97-2003"),
        DocumentType("ppt", "application/vnd.ms-powerpoint", "PowerPoint 97-2003"),
        DocumentType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text"),
        DocumentType("ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"),
        DocumentType("odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument presentation"),
    )
}

_OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_ODF_TYPES = {t.content_type: ext for ext, t in DOCUMENT_TYPES.items() if ext.startswith("od")}


class DocumentError(VinculoError):
    code = "registry.invalid_document"


def safe_filename(name: str) -> str:
    """The base name of ``name`` with control characters, quotes and separators removed."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"/\\;')
    return cleaned.strip(" .")[:150] or "document"


def _zip_kind(data: bytes) -> tuple[str | None, str]:
    """The extension a zip-based document has by content, and a reason when it has none."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return _ODF_TYPES.get(declared), f"an OpenDocument of type {declared!r}"
    except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError):
        return None, "a damaged zip archive"
    if "[Content_Types].xml" not in names:
        return None, "a zip archive that is not an Office document"
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return None, "an Office document with macros"
    for ext, folder in _OOXML_PARTS.items():
        if any(n.startswith(folder) for n in names):
            return ext, "an Office document"
    return None, "an Office document of an unknown kind"


def _sniff(data: bytes, claimed: str) -> tuple[str | None, str]:
    if data.startswith(_PDF):
        return "pdf", "a PDF"
    if data.startswith(_OLE2):
        # OLE2 does not say cheaply whether it is Word, Excel or PowerPoint: trust the legacy extension.
        legacy = claimed if claimed in ("doc", "xls", "ppt") else None
        return legacy, "a legacy Office (OLE2) file"
    if data.startswith(_ZIP):
        return _zip_kind(data)
    head = data[:64].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<script")):
        return None, "HTML or XML text"
    if data[:2] == b"MZ" or data[:4] == b"\x7fELF":
        return None, "an executable program"
    return None, "content of an unrecognised type"


def check_document(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
) -> DocumentType:
    """The type of an uploaded document, or :class:`DocumentError` saying what is wrong.

    Parameters
    ----------
    data
        The whole file.
    filename
        The name the uploader gave; its extension must match the content.
    max_bytes
        Largest accepted size.

    Examples
    --------
    >>> check_document(b"%PDF-1.7 ...", "report.pdf").content_type
    'application/pdf'
    """
    name = safe_filename(filename)
    where = Location(file=name, field="file")
    accepted = ", ".join(f".{e}" for e in DOCUMENT_TYPES)
    if not data:
        raise DocumentError(
            f"{name}: the file is empty.",
            issues=[Issue("registry.empty_document", "The file is empty.", where)],
        )
    if len(data) > max_bytes:
        found = f"{len(data) / 1_048_576:.1f} MB"
        limit = f"{max_bytes / 1_048_576:.1f} MB"
        raise DocumentError(
            f"{name} is {found}; documents may be at most {limit}.",
            code="registry.document_too_large",
            issues=[
                Issue(
                    "registry.document_too_large",
                    f"The file is {found}.",
                    where,
                    value=found,
                    expected=f"at most {limit}",
                    fix="Compress the PDF or split the document, then upload it again.",
                )
            ],
            fix="Compress the PDF or split the document, then upload it again.",
        )
    claimed = PurePath(name).suffix.lower().lstrip(".")
    kind, described = _sniff(data, claimed)
    fix = f"Upload a PDF or Office document ({accepted}) whose extension matches its content."
    if kind is None or claimed != kind:
        expected = f"a .{claimed} file" if claimed in DOCUMENT_TYPES else f"one of {accepted}"
        raise DocumentError(
            f"{name}: the content is {described}, not {expected}.",
            code="registry.document_type",
            issues=[
                Issue(
                    "registry.document_type",
                    f"The content is {described}.",
                    where,
                    value=claimed or None,
                    expected=expected,
                    fix=fix,
                )
            ],
            fix=fix,
        )
    return DOCUMENT_TYPES[kind]
