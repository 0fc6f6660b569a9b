import json

import pytest

from vinculo.errors import VinculoError
from vinculo.evidence import (
    CITATION,
    Area,
    GlotipDataset,
    build_area_profile,
    build_country_profile,
    render_profile,
)

VICTIMS = "Detected trafficking victims"


@pytest.fixture(scope="module")
def population():
    pop = pytest.importorskip("vinculo.population")
    return pop.load_population()


@pytest.mark.parametrize("iso3", ["NLD", "BGR", "ARG", "NGA", "THA", "XSK"])
def test_profile_totals_match_the_raw_file(dataset, raw_cells, bounds, iso3):
    p = build_country_profile(dataset, iso3)
    raw_iso = "" if iso3 == "XSK" else iso3
    expected_years = {
        int(k[6])
        for k in raw_cells
        if k[0] == raw_iso and k[1] == VICTIMS and k[2:6] == ("Total", "Total", "Total", "Total")
    }
    assert set(p.sections["victims_total"]) == expected_years
    for year in expected_years:
        c = p.total("victims_total", year)
        texts = raw_cells[(raw_iso, VICTIMS, "Total", "Total", "Total", "Total", str(year))]
        assert (c.low, c.high, c.suppressed_cells) == bounds(texts)


def test_profile_forms_match_the_raw_file(dataset, raw_cells, bounds):
    p = build_country_profile(dataset, "ALB")
    for year, parts in p.sections["victims_by_form"].items():
        for form, c in parts.items():
            texts = raw_cells[("ALB", VICTIMS, "by form of exploitation", form, "Total", "Total", str(year))]
            assert (c.low, c.high, c.suppressed_cells) == bounds(texts)


def _walk_sections(profile, data):
    for year, entry in data["years"].items():
        for key, parts in profile.sections.items():
            if int(year) not in parts:
                continue
            for part, count in parts[int(year)].items():
                value = (
                    entry[key]
                    if (part == "Total" and not isinstance(entry[key], dict)) or key.endswith("_total")
                    else entry[key][part]
                )
                yield count, value


def test_no_suppressed_cell_ever_appears_as_a_number(dataset):
    seen = 0
    for iso3 in dataset.countries:
        p = build_country_profile(dataset, iso3)
        data = p.to_dict()
        for count, value in _walk_sections(p, data):
            if count.is_exact:
                assert value == count.value
            else:
                seen += 1
                assert isinstance(value, dict)
                assert value.get("suppressed") is True or value["lower_bound"] == count.low
                if count.cells == 1:
                    assert value == {"suppressed": True}
    assert seen > 10_000


def test_profile_json_has_per_year_totals_and_breakdowns(dataset):
    data = json.loads(render_profile(build_country_profile(dataset, "BGR"), "json"))
    y2017 = data["years"]["2017"]
    assert y2017["victims_total"] == 505
    assert set(y2017["victims_by_sex"]) == {"Female", "Male"}
    assert y2017["victims_by_sex"]["Male"]["lower_bound"] == 59
    assert "victims_by_age" in y2017 and "victims_by_form" in y2017
    assert data["source"]["citation"] == CITATION
    assert data["source"]["export_date"] == "2025-04-14"
    assert data["suppressed"]["values"] == len(data["suppressed"]["items"]) > 0


def test_rates_use_the_population_figures(dataset, population):
    p = build_country_profile(dataset, "NLD", population=population)
    for year, rate in p.rates["victims_total"].items():
        c = p.total("victims_total", year)
        pop = population.get("NLD", year)
        assert rate.population == pop
        assert rate.low == pytest.approx(c.low / pop * 100_000)
        assert rate.high == pytest.approx(c.high / pop * 100_000)


def test_a_suppressed_count_has_no_numeric_rate(dataset, population):
    p = build_country_profile(dataset, "AND", population=population)
    suppressed = [(y, r) for y, r in p.rates["victims_total"].items() if r.count.is_suppressed]
    assert suppressed, "Andorra has suppressed yearly totals in the 2025 export"
    assert all(r.to_json() == {"suppressed": True} for _, r in suppressed)


def test_an_area_without_population_gets_a_note_not_a_rate(population):
    rows = [
        {
            "iso3": "XSK",
            "indicator": VICTIMS,
            "dimension": "Total",
            "category": "Total",
            "sex": "Total",
            "age": "Total",
            "year": 2020,
            "low": 7,
            "high": 7,
            "suppressed_cells": 0,
            "cells": 1,
        }
    ]
    ds = GlotipDataset.from_rows(rows, [Area("XSK", "Sark", "Europe", "Northern Europe")])
    p = build_country_profile(ds, "XSK", population=population)
    assert p.total("victims_total", 2020).value == 7
    assert p.rates["victims_total"] == {}
    assert any("XSK" in n for n in p.notes)


def test_regional_overview_sums_reporting_countries_and_has_flow_shares(dataset, population):
    p = build_area_profile(dataset, "region", "Oceania", population=population)
    assert p.region == "Oceania"
    assert p.flow_shares
    y = max(p.sections["victims_total"])
    members = p.countries_reporting["victims_total"][y]
    total = sum(dataset.get(m, VICTIMS, y) for m in members)
    assert total == p.total("victims_total", y)
    pop = sum(population.get(m, y) for m in members)
    assert p.rates["victims_total"][y].population == pytest.approx(pop)


def test_global_overview_renders_in_every_format(dataset):
    p = build_area_profile(dataset, "world")
    assert p.name == "World"
    assert "# World" in render_profile(p, "md")
    html = render_profile(p, "html")
    assert html.startswith('<section class="glotip-profile"') and "<script" not in html
    json.loads(render_profile(p, "json"))


def test_an_unknown_country_is_a_clear_error(dataset):
    with pytest.raises(VinculoError) as err:
        build_country_profile(dataset, "ZZZ")
    assert err.value.code == "evidence.unknown_area"


def test_core_package_does_not_import_django():
    import subprocess
    import sys

    code = "import sys, vinculo.evidence, vinculo.cli.glotip; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
