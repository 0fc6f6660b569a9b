"""Checks on uploaded documents by their content (magic bytes), not by their name or declared type."""

from __future__ import annotations

from vinculo.errors import VinculoError

__all__ = ["check_pdf"]

_PDF_MAGIC = b"%PDF-"


def check_pdf(data: bytes, *, name: str, max_bytes: int) -> None:
    """Raise :class:`VinculoError` unless ``data`` is a PDF (starts with ``%PDF-``) of at most ``max_bytes``.

    Examples
    --------
    >>> check_pdf(b"%PDF-1.7\\n...", name="minutes.pdf", max_bytes=1000)
    """
    if len(data) == 0:
        raise VinculoError(
            f"{name}: the file is empty. Upload a PDF document.", code="coordination.empty_file"
        )
    if len(data) > max_bytes:
        raise VinculoError(
            f"{name}: the file has {len(data):,} bytes; the limit is {max_bytes:,}. Upload a smaller PDF.",
            code="coordination.file_too_large",
        )
    if not data[:1024].lstrip(b"\r\n\t ").startswith(_PDF_MAGIC):
        raise VinculoError(
            f"{name}: the content is not a PDF (it does not start with %PDF-), whatever its name says. "
            "Export the document as PDF and upload that.",
            code="coordination.not_a_pdf",
        )
