from __future__ import annotations

from pathlib import Path

import pytest


def find_shared_data() -> Path | None:
    """Walk up from this file to the first folder holding ``shared/data``."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def shared_population_csv() -> Path:
    root = find_shared_data()
    path = None if root is None else root / "population" / "wpp2022_population_by_country_year_1990_2030.csv"
    if path is None or not path.is_file():
        pytest.skip("shared/data/population is not available next to the repository")
    return path
