from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def mse_data(shared_data: Path) -> Path:
    folder = shared_data / "mse"
    if not folder.is_dir():
        pytest.skip("shared/data/mse is not available next to the repository")
    return folder
