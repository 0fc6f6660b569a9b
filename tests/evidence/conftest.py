"""Shared fixtures: the reference GLOTIP export read independently with the csv module."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

import pytest

from vinculo.evidence import GlotipDataset, read_glotip


def shared_data(*parts: str) -> Path:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            path = candidate.joinpath(*parts)
            if path.exists():
                return path
    pytest.skip(f"reference data shared/data/{'/'.join(parts)} is not available")


CSV_NAME = "data_glotip_2025-04-14__derived.csv.gz"
XLSX_NAME = "data_glotip_2025-04-14.xlsx"


@pytest.fixture(scope="session")
def raw_csv_path() -> Path:
    return shared_data("glotip", CSV_NAME)


@pytest.fixture(scope="session")
def raw_rows(raw_csv_path: Path) -> list[dict[str, str]]:
    with gzip.open(raw_csv_path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def raw_cells(raw_rows: list[dict[str, str]]) -> dict[tuple[str, ...], list[str]]:
    """(iso3, indicator, dimension, category, sex, age, year) -> list of txtVALUE texts, as in the file."""
    out: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for r in raw_rows:
        key = (r["Iso3_code"], r["Indicator"], r["Dimension"], r["Category"], r["Sex"], r["Age"], r["Year"])
        out[key].append(r["txtVALUE"])
    return dict(out)


@pytest.fixture(scope="session")
def dataset(raw_csv_path: Path) -> GlotipDataset:
    return read_glotip(raw_csv_path).dataset


def _bounds(texts: list[str]) -> tuple[int, int, int]:
    """Independent reading of txtVALUE texts: (low, high, suppressed cells), '<5' = 0..4."""
    low = high = sup = 0
    for t in texts:
        if t == "<5":
            high += 4
            sup += 1
        else:
            n = int(t.replace(",", ""))
            low += n
            high += n
    return low, high, sup


@pytest.fixture(scope="session")
def bounds():  # type: ignore[no-untyped-def]
    """The independent txtVALUE reader, as a fixture."""
    return _bounds


@pytest.fixture(scope="session")
def xlsx_path() -> Path:
    return shared_data("glotip", XLSX_NAME)
