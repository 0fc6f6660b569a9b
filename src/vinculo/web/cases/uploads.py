"""Uploads stay in memory: no victim's data is ever spooled to the system temporary directory.

Django's default handlers keep small uploads in memory and write bigger ones to a temporary file
(``FILE_UPLOAD_TEMP_DIR``, by default the system's), unencrypted. Case files hold identifiers, so
the platform installs :class:`MemoryOnlyUploadHandler` for every upload (``FILE_UPLOAD_HANDLERS``):
each file is kept in memory up to the platform's upload bound plus one byte, the rest of a bigger
file is read and dropped, and ``size`` still tells its real size, so the view refuses it with a
clear message (:func:`read_upload`). Memory per file is bounded by the upload bound.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

from .services import check_size, max_upload_bytes


def upload_bound_bytes() -> int:
    """The largest upload kept whole: ``VINCULO_UPLOAD_MAX_BYTES``, by default the case-file limit."""
    return int(getattr(settings, "VINCULO_UPLOAD_MAX_BYTES", max_upload_bytes()))


class BoundedUpload(InMemoryUploadedFile):
    """An upload held in memory; ``truncated`` when it was bigger than the bound (``size`` is real)."""

    truncated: bool = False


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps every uploaded file in memory, never on disk, up to the upload bound plus one byte."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.bound = upload_bound_bytes()
        self.buffer = BytesIO()
        self.kept = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.kept = 0
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = self.bound + 1 - self.kept
        if room > 0:
            piece = raw_data[:room]
            self.buffer.write(piece)
            self.kept += len(piece)
        return None  # no other handler sees the data

    def file_complete(self, file_size: int) -> BoundedUpload:
        self.buffer.seek(0)
        upload = BoundedUpload(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        upload.truncated = file_size > self.kept
        return upload


def read_upload(upload: UploadedFile[Any]) -> bytes:
    """The bytes of an uploaded file, or ``cases.file_too_large`` naming its real size and the limit."""
    limit = max_upload_bytes()
    name = upload.name or "upload"
    size = int(upload.size or 0)
    if size > limit or getattr(upload, "truncated", False):
        check_size(max(size, limit + 1), name)
    data = upload.read(limit + 1)
    check_size(len(data), name)
    return data
