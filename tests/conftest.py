"""Fixtures shared by every test folder: the read-only reference data in ``shared/data`` beside the checkout.

Tests that need it are skipped with a clear reason when it is missing (CI always has it).
"""

from __future__ import annotations

from pathlib import Path

import pytest


def find_shared_data() -> Path | None:
    """The first ``shared/data`` folder found walking up from the tests (the checkout's sibling)."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    root = find_shared_data()
    if root is None:
        pytest.skip("shared/data is not available next to the repository")
    return root


@pytest.fixture(scope="session")
def htcds_dir(shared_data: Path) -> Path:
    folder = shared_data / "standards" / "htcds"
    if not folder.is_dir():
        pytest.skip("shared/data/standards/htcds is not available")
    return folder


@pytest.fixture(scope="session")
def basic_template(htcds_dir: Path) -> Path:
    return htcds_dir / "HTCDS Excel Spreadsheet v2.0.xlsx"


@pytest.fixture(scope="session")
def validated_template(htcds_dir: Path) -> Path:
    return htcds_dir / "HTCDS Excel Spreadsheet single select with validation v2.0.xlsx"
