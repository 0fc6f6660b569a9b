import pytest

from vinculo.errors import VinculoError
from vinculo.evidence import indicator_breakdown, indicator_series, list_indicators

VICTIMS = "Detected trafficking victims"


def expected_area_total(raw_rows, bounds, column, value, indicator, year, sex="Total", age="Total"):
    texts, countries = [], set()
    for r in raw_rows:
        if (
            (column is None or r[column] == value)
            and r["Indicator"] == indicator
            and r["Dimension"] == "Total"
            and r["Category"] == "Total"
            and r["Sex"] == sex
            and r["Age"] == age
            and r["Year"] == str(year)
        ):
            texts.append(r["txtVALUE"])
            countries.add(r["Iso3_code"] or "XSK")
    return bounds(texts), countries


@pytest.mark.parametrize(
    ("level", "column", "area", "indicator", "year"),
    [
        ("region", "Region", "Europe", VICTIMS, 2020),
        ("region", "Region", "Africa", "Persons convicted", 2019),
        ("subregion", "Subregion", "Central Asia", VICTIMS, 2018),
        ("subregion", "Subregion", "Latin America and the Caribbean", "Persons prosecuted", 2021),
        ("world", None, None, VICTIMS, 2022),
        ("world", None, None, "Offences of trafficking in persons", 2015),
    ],
)
def test_area_totals_match_an_independent_sum_of_the_raw_file(
    dataset, raw_rows, bounds, level, column, area, indicator, year
):
    (low, high, sup), countries = expected_area_total(raw_rows, bounds, column, area, indicator, year)
    [value] = indicator_series(dataset, indicator, level=level, area=area, years=[year])
    assert (value.count.low, value.count.high, value.count.suppressed_cells) == (low, high, sup)
    assert set(value.countries) == countries


def test_country_series_by_sex_match_the_raw_file(dataset, raw_cells, bounds):
    for iso3 in ("BGR", "ARG", "THA"):
        by_sex = indicator_breakdown(dataset, VICTIMS, "sex", area=iso3)
        for year, parts in by_sex.items():
            for sex, count in parts.items():
                texts = raw_cells[(iso3, VICTIMS, "Total", "Total", sex, "Total", str(year))]
                assert (count.low, count.high, count.suppressed_cells) == bounds(texts)


def test_indicator_catalogue_is_discovered_from_the_data(dataset):
    pairs = {(s.indicator, s.dimension): s for s in list_indicators(dataset)}
    assert len(pairs) == 10
    forms = pairs[(VICTIMS, "by form of exploitation")]
    assert forms.categories == ("Forced labour", "Other forms of exploitation", "Sexual exploitation")
    assert sum(s.records for s in pairs.values()) == 58_769


def test_an_unknown_area_lists_the_areas_there_are(dataset):
    with pytest.raises(VinculoError) as err:
        indicator_series(dataset, VICTIMS, level="region", area="Atlantis")
    assert err.value.code == "evidence.unknown_area"
    assert "Europe" in str(err.value)
