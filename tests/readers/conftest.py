"""Fixtures for the HTCDS tests: the shared reference data and small file builders."""

from __future__ import annotations

from pathlib import Path

import pytest


def find_shared_data() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
        candidate = parent.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def htcds_dir() -> Path:
    root = find_shared_data()
    if root is None or not (root / "standards" / "htcds").is_dir():
        pytest.skip("shared/data/standards/htcds is not available")
    return root / "standards" / "htcds"


@pytest.fixture(scope="session")
def basic_template(htcds_dir: Path) -> Path:
    return htcds_dir / "HTCDS Excel Spreadsheet v2.0.xlsx"


@pytest.fixture(scope="session")
def validated_template(htcds_dir: Path) -> Path:
    return htcds_dir / "HTCDS Excel Spreadsheet single select with validation v2.0.xlsx"
