from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from vinculo.errors import VinculoError
from vinculo.population import RateResult, rate_per_100k


def test_rate_per_100k_divides_by_raw_population(shared_population_csv: Path) -> None:
    with shared_population_csv.open(newline="", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["iso3"] == "NLD" and r["year"] == "2016")
    result = rate_per_100k(958, "NLD", 2016)
    assert isinstance(result, RateResult)
    population = float(row["pop_total_thousands"]) * 1000
    assert result.population == population
    assert result.value == pytest.approx(958 / population * 100_000)
    assert "World Population Prospects 2022" in result.source
    assert result.variant == "Estimates"


def test_rate_source_says_when_the_denominator_is_a_projection() -> None:
    assert "projection" in rate_per_100k(10, "NLD", 2025).source


def test_rate_result_to_dict_is_json_safe() -> None:
    data = rate_per_100k(10, "gbr", 2020).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["iso3"] == "GBR"


def test_rate_for_unknown_country_raises_with_suggestion() -> None:
    with pytest.raises(VinculoError) as info:
        rate_per_100k(10, "GER", 2020)
    assert info.value.code == "population.unknown_country"
    assert "Did you mean" in str(info.value)


def test_rate_for_year_out_of_range_raises() -> None:
    with pytest.raises(VinculoError, match="1990-2030") as info:
        rate_per_100k(10, "DEU", 1985)
    assert info.value.code == "population.year_out_of_range"


@pytest.mark.parametrize("count", [-1, float("nan"), float("inf"), "12"])
def test_rate_rejects_counts_that_are_not_non_negative_numbers(count: object) -> None:
    with pytest.raises(VinculoError) as info:
        rate_per_100k(count, "DEU", 2020)  # type: ignore[arg-type]
    assert info.value.code == "population.invalid_count"
