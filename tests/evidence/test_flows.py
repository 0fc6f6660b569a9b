import csv
import io

import pytest

from vinculo.errors import VinculoError
from vinculo.evidence import (
    build_country_profile,
    citizenship_flows,
    flow_matrix_rows,
    flow_shares,
    main_flows,
    origin_countries,
    sum_counts,
    write_flow_csv,
)

VICTIMS = "Detected trafficking victims"
ROMANIA_TEXTS = {"Romania", "Romanian", "ROMANIA", "RUMANIA", "RUMANÍA", "Rumania", "Roumanie", "roumain"}


def test_flows_into_a_country_add_up_every_citizenship_row(dataset, raw_rows, bounds):
    for iso3, year in (("NLD", 2022), ("ARG", 2019), ("USA", 2020), ("THA", 2018)):
        texts = [
            r["txtVALUE"]
            for r in raw_rows
            if r["Iso3_code"] == iso3
            and r["Indicator"] == VICTIMS
            and r["Dimension"] == "by citizenship"
            and r["Year"] == str(year)
        ]
        total = sum_counts(f.count for f in citizenship_flows(dataset, years=[year], destinations=[iso3]))
        assert (total.low, total.high, total.suppressed_cells) == bounds(texts)


def test_flows_from_romania_add_up_its_spellings(dataset, raw_rows, bounds):
    for iso3 in ("NLD", "DEU", "ESP", "ITA"):
        for year in (2019, 2021):
            texts = [
                r["txtVALUE"]
                for r in raw_rows
                if r["Iso3_code"] == iso3
                and r["Indicator"] == VICTIMS
                and r["Dimension"] == "by citizenship"
                and r["Year"] == str(year)
                and r["Category"] in ROMANIA_TEXTS
            ]
            flows = [
                f for f in citizenship_flows(dataset, years=[year], destinations=[iso3]) if f.origin == "ROU"
            ]
            got = sum_counts(f.count for f in flows)
            assert (got.low, got.high, got.suppressed_cells) == bounds(texts), (iso3, year)


def test_nationals_are_domestic_flows(dataset, raw_rows, bounds):
    own_texts = {
        "ARG": {
            "Nationals",
            "Argentina",
            "Argentinian",
            "Argentino",
            "ARGENTINA",
            "Ciudadanos de su pa\ufffds",
        },
        "NLD": {"Nationals", "Netherlands", "Dutch", "Netherlands (own country)", "Nederland"},
        "MEX": {"Nationals", "Mexico", "Mexican", "MEXICANA", "MEXICO", "Ciudadanos de su pa\ufffds"},
    }
    for iso3, own in own_texts.items():
        for year in (2018, 2020, 2022):
            texts = [
                r["txtVALUE"]
                for r in raw_rows
                if r["Iso3_code"] == iso3
                and r["Indicator"] == VICTIMS
                and r["Dimension"] == "by citizenship"
                and r["Year"] == str(year)
                and r["Category"] in own
            ]
            dom = [
                f
                for f in citizenship_flows(dataset, years=[year], destinations=[iso3])
                if f.flow_class == "domestic"
            ]
            got = sum_counts(f.count for f in dom)
            assert (got.low, got.high, got.suppressed_cells) == bounds(texts), (iso3, year)


def test_flow_shares_partition_the_classified_flows(dataset):
    fs = flow_shares(dataset, 2020, level="region", area="Europe")
    parts = [fs.counts.get(k) for k in ("domestic", "intra_subregional", "intra_regional", "trans_regional")]
    total = sum(p for p in parts if p is not None)
    assert total == fs.classified
    assert fs.domestic is not None and 0 <= fs.domestic.low <= fs.domestic.high <= 1
    assert fs.intra_regional is not None and fs.intra_subregional is not None
    assert fs.intra_subregional.high <= fs.intra_regional.high


def test_main_origins_are_ranked_by_lower_bound(dataset):
    ranked = main_flows(dataset, level="country", area="USA", limit=5)
    lows = [c.low for _, c in ranked]
    assert lows == sorted(lows, reverse=True)
    assert all(o != "USA" for o, _ in ranked)


def test_main_destinations_are_flows_out_of_the_area(dataset):
    ranked = main_flows(dataset, level="country", area="NGA", direction="out_of", limit=5)
    assert ranked and all(d != "NGA" for d, _ in ranked)


def test_the_matrix_csv_never_writes_a_suppressed_cell_as_a_number(dataset):
    rows = flow_matrix_rows(dataset, region="Oceania")
    text = write_flow_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == len(rows) > 0
    for row in parsed:
        if row["value"] == "<5" or "cells <5" in row["value"]:
            assert row["low"] == row["high"] == ""
        assert "Oceania" in (row["origin_region"], row["destination_region"])


def test_world_main_origins_rank_every_foreign_victim_not_only_of_non_reporting_states(dataset):
    ranked = main_flows(dataset, level="world", limit=10)
    # Most origins of the world's foreign victims are themselves reporting countries; ranking
    # only the flows from outside the "area" would leave just the States that do not report.
    assert sum(o in dataset.countries for o, _ in ranked) >= 5
    for origin, count in ranked[:3]:
        abroad = [f for f in citizenship_flows(dataset, origins=[origin]) if f.destination != origin]
        expected = sum_counts(f.count for f in abroad)
        assert (count.low, count.high) == (expected.low, expected.high)


def test_a_region_counts_flows_between_its_countries_but_never_domestic_ones(dataset):
    members = {c for c, a in dataset.countries.items() if a.region == "Europe"}
    ranked = dict(main_flows(dataset, level="region", area="Europe", limit=200))
    assert any(o in members for o in ranked)
    for origin in list(ranked)[:3]:
        flows = citizenship_flows(dataset, origins=[origin], destinations=sorted(members))
        expected = sum_counts(f.count for f in flows if f.destination != origin)
        assert (ranked[origin].low, ranked[origin].high) == (expected.low, expected.high)


def test_a_state_known_only_as_an_origin_gets_a_profile_of_where_its_citizens_were_detected(dataset):
    only = sorted(origin_countries(dataset) - set(dataset.countries))
    assert only, "the export names citizenships of States that do not report"
    for code in only:
        profile = build_country_profile(dataset, code.lower())
        assert profile.code == code and not profile.reporting
        assert profile.sections == {} and profile.name and profile.name != code
        assert profile.main_destinations
        flows = citizenship_flows(dataset, origins=[code])
        assert (
            {d for d, _ in profile.main_destinations}
            <= {f.destination for f in flows}
            <= set(dataset.countries)
        )
        assert set(profile.years) == {f.year for f in flows}
        assert profile.to_dict()["reporting"] is False
        assert profile.notes[0].startswith(f"{profile.name} does not report")
    assert build_country_profile(dataset, "NLD").reporting
    with pytest.raises(VinculoError):
        build_country_profile(dataset, "ZZZ")
