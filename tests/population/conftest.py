from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_population_csv(shared_data: Path) -> Path:
    path = shared_data / "population" / "wpp2022_population_by_country_year_1990_2030.csv"
    if not path.is_file():
        pytest.skip("shared/data/population is not available next to the repository")
    return path
