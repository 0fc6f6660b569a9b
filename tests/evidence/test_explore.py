"""The chosen series of an area, checked against the raw file, and a country beside its region."""

from __future__ import annotations

import pytest

from vinculo.evidence import (
    ExploreSelection,
    citizenship_flows,
    compare_with_region,
    explore_options,
    flow_pairs,
    map_options,
    map_values,
    parse_map_selection,
    parse_selection,
    selected_series,
)
from vinculo.population import load_population

VICTIMS = "Detected trafficking victims"
FORMS = "by form of exploitation"


def test_options_are_only_what_the_area_reported(dataset, raw_rows):
    options = explore_options(dataset, "country", "NLD", VICTIMS)
    nld = [r for r in raw_rows if r["Iso3_code"] == "NLD" and r["Indicator"] == VICTIMS]
    assert set(options.years) == {int(r["Year"]) for r in nld if r["Dimension"] in ("Total", FORMS)}
    assert set(options.forms) - {"Total"} == {r["Category"] for r in nld if r["Dimension"] == FORMS}
    assert options.sexes[0] == "Total" and options.ages[0] == "Total"
    nld_inds = {
        r["Indicator"] for r in raw_rows if r["Iso3_code"] == "NLD" and r["Dimension"] in ("Total", FORMS)
    }
    assert set(options.indicators) == nld_inds and options.indicators[0] == VICTIMS


def test_selected_series_matches_the_raw_file(dataset, raw_rows, bounds):
    sel = ExploreSelection(VICTIMS, 2015, 2020, sex="Female", age="0 to 17 years", form="Sexual exploitation")
    series = selected_series(dataset, "country", "NLD", sel)
    assert series and all(2015 <= v.year <= 2020 for v in series)
    for v in series:
        texts = [
            r["txtVALUE"]
            for r in raw_rows
            if r["Iso3_code"] == "NLD"
            and (r["Indicator"], r["Dimension"], r["Category"], r["Sex"], r["Age"])
            == (VICTIMS, FORMS, "Sexual exploitation", "Female", "0 to 17 years")
            and r["Year"] == str(v.year)
        ]
        low, high, sup = bounds(texts)
        assert (v.count.low, v.count.high, v.count.suppressed_cells) == (low, high, sup)


def test_parse_selection_keeps_valid_values_and_names_the_wrong_ones(dataset):
    sel, options, problems = parse_selection(
        {"indicator": VICTIMS, "from": "2019", "to": "2016", "sex": "Female", "age": "elderly", "form": ""},
        dataset,
        "region",
        "Europe",
    )
    assert (sel.year_from, sel.year_to, sel.sex, sel.age, sel.form) == (
        2016,
        2019,
        "Female",
        "Total",
        "Total",
    )
    kinds = {(p.parameter, p.kind) for p in problems}
    assert kinds == {("to", "order"), ("age", "unknown")}
    age = next(p for p in problems if p.parameter == "age")
    assert age.value == "elderly" and age.expected == options.ages
    sel, _o, problems = parse_selection({"indicator": "Nope", "from": "1900"}, dataset, "world", None)
    assert sel.indicator == VICTIMS and sel.year_from is None
    assert {p.parameter for p in problems} == {"indicator", "from"}
    assert sel.query() == {"indicator": VICTIMS}


def test_an_address_without_choices_is_never_wrong_even_for_an_area_without_figures(dataset):
    """The defaults are the page's, not the reader's: no area answers a plain address with problems."""
    areas = set(dataset.countries)
    assert len(areas) > 100
    for iso3 in sorted(areas):
        _sel, _options, problems = parse_selection({}, dataset, "country", iso3)
        assert problems == (), (iso3, problems)
    # Where the default indicator has no sex breakdown, an explicit choice is still named as wrong.
    bare = next(
        iso3 for iso3 in sorted(areas) if "Female" not in explore_options(dataset, "country", iso3).sexes
    )
    _sel, _options, problems = parse_selection({"sex": "Female"}, dataset, "country", bare)
    assert [p.parameter for p in problems] == ["sex"]


def test_region_comparison_in_rates_adds_up_the_reporting_countries(dataset):
    population = load_population()
    cmp = compare_with_region(dataset, "NGA", ExploreSelection(VICTIMS), population=population)
    assert cmp.region == "Africa"
    if not cmp.per_100k:
        assert cmp.reason == "missing" and cmp.missing
        pytest.skip("some African country has no population figure")
    row = next(r for r in cmp.rows if r.country is not None and r.country.is_exact and r.region_rate)
    members = selected_series(dataset, "region", "Africa", ExploreSelection(VICTIMS, row.year, row.year))[0]
    pop = sum(population.get(m, row.year) for m in members.countries)
    assert row.region_rate is not None and row.region_rate.low == pytest.approx(members.count.low / pop * 1e5)
    assert row.country_rate is not None
    assert row.country_rate.low == pytest.approx(row.country.low / population.get("NGA", row.year) * 1e5)


def test_region_comparison_is_in_counts_with_a_reason(dataset):
    assert compare_with_region(dataset, "NLD", ExploreSelection(VICTIMS)).reason == "no_population"
    cmp = compare_with_region(
        dataset, "NLD", ExploreSelection(VICTIMS, sex="Male"), population=load_population()
    )
    assert cmp.reason == "breakdown" and not cmp.per_100k
    assert all(r.country_rate is None and r.region_rate is None for r in cmp.rows)
    assert any(r.country is not None for r in cmp.rows) and all(
        r.region_countries >= 1 for r in cmp.rows if r.region
    )


def test_flow_pairs_add_up_years_and_leave_out_domestic(dataset):
    pairs = flow_pairs(dataset, destination="NLD", years=[2019, 2020])
    assert pairs and all(d == "NLD" and o != "NLD" for o, d, _c in pairs)
    lows = [c.low for _o, _d, c in pairs]
    assert lows == sorted(lows, reverse=True)
    rou = [
        f for f in citizenship_flows(dataset, destinations=["NLD"], years=[2019, 2020]) if f.origin == "ROU"
    ]
    got = next(c for o, _d, c in pairs if o == "ROU")
    assert got.low == sum(f.count.low for f in rou)
    out = flow_pairs(dataset, origin="NGA")
    assert out and all(o == "NGA" for o, _d, _c in out)


def _country_totals(raw_rows, members, indicator):
    """iso3 -> year -> txtVALUE texts of the country totals of ``indicator``, read from the raw file."""
    out: dict[str, dict[int, list[str]]] = {}
    for r in raw_rows:
        if (
            r["Iso3_code"] in members
            and r["Indicator"] == indicator
            and (r["Dimension"], r["Category"], r["Sex"], r["Age"]) == ("Total",) * 4
        ):
            out.setdefault(r["Iso3_code"], {}).setdefault(int(r["Year"]), []).append(r["txtVALUE"])
    return out


def test_map_options_and_values_match_the_raw_file(dataset, raw_rows, bounds):
    europe = {a.iso3 for a in dataset.countries.values() if a.region == "Europe"}
    options = map_options(dataset, europe)
    assert next(iter(options)) == VICTIMS
    raw_indicators = {
        r["Indicator"]
        for r in raw_rows
        if r["Iso3_code"] in europe and (r["Dimension"], r["Category"], r["Sex"], r["Age"]) == ("Total",) * 4
    }
    assert set(options) == raw_indicators
    convicted = _country_totals(raw_rows, europe, "Persons convicted")
    assert options["Persons convicted"] == tuple(sorted({y for by in convicted.values() for y in by}))
    year = options["Persons convicted"][len(options["Persons convicted"]) // 2]
    values = map_values(dataset, europe, "Persons convicted", year)
    assert set(values) == {iso3 for iso3, by in convicted.items() if year in by}
    for iso3, rec in values.items():
        low, high, _sup = bounds(convicted[iso3][year])
        assert (rec.year, rec.count.low, rec.count.high) == (year, low, high)
    latest = map_values(dataset, europe, "Persons convicted", None)
    assert set(latest) == set(convicted)
    assert all(rec.year == max(convicted[iso3]) for iso3, rec in latest.items())


def test_parse_map_selection_falls_back_and_names_the_wrong_value(dataset):
    options = map_options(dataset, set(dataset.countries))
    assert parse_map_selection({}, options) == (VICTIMS, None, ())
    assert parse_map_selection({"year": "latest"}, options) == (VICTIMS, None, ())
    year = options["Persons prosecuted"][-1]
    assert parse_map_selection({"indicator": "Persons prosecuted", "year": str(year)}, options) == (
        "Persons prosecuted",
        year,
        (),
    )
    indicator, chosen, problems = parse_map_selection({"indicator": "Nope", "year": "1066"}, options)
    assert (indicator, chosen) == (VICTIMS, None)
    assert [(p.parameter, p.kind, p.value) for p in problems] == [
        ("indicator", "unknown", "Nope"),
        ("year", "unknown", "1066"),
    ]
    assert problems[0].expected == tuple(options) and problems[1].expected == tuple(
        map(str, options[VICTIMS])
    )
    # an area without figures: a plain address is not wrong, an asked-for indicator is
    assert parse_map_selection({}, {}) == (VICTIMS, None, ())
    assert parse_map_selection({"indicator": VICTIMS}, {})[2][0].parameter == "indicator"
