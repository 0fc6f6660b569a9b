from __future__ import annotations

import pytest

from vinculo.coordination import check_pdf
from vinculo.errors import VinculoError


def test_a_pdf_is_recognised_by_its_content_not_its_name() -> None:
    check_pdf(b"%PDF-1.4\n%...", name="x.pdf", max_bytes=100)
    for data, code in [
        (b"", "coordination.empty_file"),
        (b"MZ\x90\x00", "coordination.not_a_pdf"),
        (b"<html>%PDF-", "coordination.not_a_pdf"),
        (b"%PDF-" + b"x" * 200, "coordination.file_too_large"),
    ]:
        with pytest.raises(VinculoError) as info:
            check_pdf(data, name="minutes.pdf", max_bytes=100)
        assert info.value.code == code
