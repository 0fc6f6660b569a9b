from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vinculo.errors import VinculoError
from vinculo.population import (
    AgeBreakdown,
    PopulationTable,
    countries,
    load_population,
)


def read_raw(path: Path) -> dict[tuple[str, int], dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return {(r["iso3"], int(r["year"])): r for r in csv.DictReader(fh)}


def test_load_population_is_cached_and_covers_1990_to_2030() -> None:
    table = load_population()
    assert table is load_population()
    assert isinstance(table, PopulationTable)
    assert table.years() == range(1990, 2031)
    assert len(table) == 236 * 41


@pytest.mark.parametrize(
    ("iso3", "year"),
    [("NLD", 2015), ("GBR", 2013), ("USA", 2020), ("TUV", 2022), ("NAM", 2000), ("XKX", 2030), ("CHN", 1990)],
)
def test_get_returns_persons_equal_to_raw_thousands_times_1000(
    shared_population_csv: Path, iso3: str, year: int
) -> None:
    raw = read_raw(shared_population_csv)[(iso3, year)]
    assert load_population().get(iso3, year) == float(raw["pop_total_thousands"]) * 1000


def test_every_row_matches_the_shared_file(shared_population_csv: Path) -> None:
    raw = read_raw(shared_population_csv)
    table = load_population()
    assert set(table.countries()) == {iso3 for iso3, _ in raw}
    for (iso3, year), row in raw.items():
        assert table.get(iso3, year) == float(row["pop_total_thousands"]) * 1000
        ages = table.get_by_age(iso3, year)
        assert ages is not None
        assert ages.age_0_14 == float(row["pop_0_14_thousands"]) * 1000


def test_namibia_iso2_na_is_not_read_as_missing() -> None:
    rec = load_population().record("NAM", 2010)
    assert rec.iso2 == "NA"
    assert rec.name == "Namibia"


def test_get_is_case_insensitive_and_returns_none_when_absent() -> None:
    table = load_population()
    assert table.get("nld", 2020) == table.get("NLD", 2020)
    assert table.get("NLD", 1989) is None
    assert table.get("ZZZ", 2020) is None
    assert table.get_by_age("ZZZ", 2020) is None


def test_get_by_age_groups_sum_to_total_and_approximate_children() -> None:
    table = load_population()
    ages = table.get_by_age("IND", 2022)
    assert isinstance(ages, AgeBreakdown)
    assert ages.total == pytest.approx(table.get("IND", 2022))
    assert ages.age_0_14 < ages.approx_0_17 < ages.age_0_14 + ages.age_15_19


def test_projection_years_are_flagged_medium_variant() -> None:
    table = load_population()
    assert not table.record("FRA", 2021).is_projection
    assert table.record("FRA", 2022).is_projection


def test_unknown_country_error_suggests_close_codes() -> None:
    with pytest.raises(VinculoError) as info:
        load_population().record("NDL", 2020)
    err = info.value
    assert err.code == "population.unknown_country"
    assert "NDL" in str(err)
    assert "NLD" in err.fields["suggestions"]


def test_iso2_or_name_is_suggested_as_the_iso3_code() -> None:
    table = load_population()
    assert table.suggest("NL")[0] == "NLD"
    assert table.suggest("Netherlands")[0] == "NLD"


def test_year_out_of_range_error_names_the_covered_years() -> None:
    with pytest.raises(VinculoError) as info:
        load_population().record("NLD", 2031)
    assert info.value.code == "population.year_out_of_range"
    assert "1990-2030" in str(info.value)


def test_countries_lists_sorted_iso3_codes() -> None:
    codes = countries()
    assert list(codes) == sorted(codes)
    assert "XKX" in codes and "NLD" in codes
    assert all(len(c) == 3 and c.isupper() for c in codes)


def test_packaged_data_has_attribution_file() -> None:
    from importlib import resources

    text = resources.files("vinculo.population").joinpath("data", "ATTRIBUTION.md").read_text("utf-8")
    assert "CC BY 3.0 IGO" in text
    assert "World Population Prospects 2022" in text


def test_every_name_in_all_is_importable_and_django_is_not_loaded() -> None:
    import subprocess
    import sys

    code = (
        "import sys, vinculo.population as m; "
        "assert all(hasattr(m, n) for n in m.__all__); "
        "assert 'django' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
