from __future__ import annotations

from pathlib import Path

import pytest


def find_mse_data() -> Path | None:
    """Walk up from this file to the first folder holding ``shared/data/mse``."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "mse"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def mse_data() -> Path:
    root = find_mse_data()
    if root is None:
        pytest.skip("shared/data/mse is not available next to the repository")
    return root
