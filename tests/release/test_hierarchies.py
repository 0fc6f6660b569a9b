"""Generalisation hierarchies: the kind chosen by name and content, labels that nest level by level."""

from __future__ import annotations

import pytest
from tests.release.synthetic import ctdc_like

from vinculo.release import build_hierarchy, detect_kind


@pytest.mark.parametrize(
    ("column", "cells", "kind"),
    [
        ("age", ["3", "17", "18", "45", ""], "age"),
        ("vic_AgeWhenTrafficked", ["23", "31"], "age"),
        ("ageBroad", ["0--8", "09--17", "48+"], "age_band"),
        ("IP_ageBroad", ["30--38;39--47", "48+"], "age_band"),
        ("dateIdentified", ["2021-03-04", "12/05/2019"], "date"),
        ("yearOfRegistration", ["2019", "2014-2018"], "year"),
        ("citizenship", ["UKR", "PH", "Romania", ""], "country"),
        ("weight", [str(v) for v in range(40, 60)], "numeric"),
        ("gender", ["Woman", "Man"], "categorical"),
        ("isForcedLabour", ["1", ""], "categorical"),
    ],
)
def test_the_kind_follows_the_name_and_the_values(column: str, cells: list[str], kind: str) -> None:
    assert detect_kind(column, cells) == kind


def test_ages_go_to_bands_that_never_mix_minors_and_adults() -> None:
    h = build_hierarchy("age", ["3", "12", "17", "18", "22", "23", "40", "", "unknown"])
    assert h.level_names == ("exact", "5-year bands", "10-year bands", "minor/adult", "*")
    assert [h.generalise(c, 1) for c in ("3", "17", "18", "22", "23")] == [
        "0-4",
        "15-17",
        "18-22",
        "18-22",
        "23-27",
    ]
    assert [h.generalise(c, 2) for c in ("12", "17", "18", "40")] == ["10-17", "10-17", "18-27", "38-47"]
    assert [h.generalise(c, 3) for c in ("17", "18")] == ["0-17", "18+"]
    assert h.generalise("", 3) == "" and h.generalise("unknown", 3) == "unknown"
    assert {h.generalise(c, 4) for c in ("3", "", "unknown")} == {"*"}


def test_ctdc_age_bands_keep_the_files_dash() -> None:
    h = build_hierarchy("ageBroad", ["0--8", "09--17", "18--20", "21--23", "30--38", "48+"])
    wide = h.level_names.index("0-17, 18-23, 24-29, 30-47, 48+")
    assert [h.generalise(c, wide) for c in ("0--8", "09--17", "21--23", "48+")] == [
        "0--17",
        "0--17",
        "18--23",
        "48+",
    ]
    assert h.generalise("30--38", h.level_names.index("minor/adult")) == "18+"


def test_countries_go_to_un_m49_subregions_and_regions() -> None:
    h = build_hierarchy("citizenship", ["UKR", "PH", "Romania", "NGA", "DEU", "Atlantis"])
    assert h.level_names == ("exact", "UN M49 subregion", "UN M49 region", "*")
    assert [h.generalise(c, 1) for c in ("UKR", "PH", "Romania")] == [
        "Eastern Europe",
        "South-eastern Asia",
        "Eastern Europe",
    ]
    assert [h.generalise(c, 2) for c in ("UKR", "PH", "NGA")] == ["Europe", "Asia", "Africa"]
    assert h.generalise("Atlantis", 2) == "Atlantis"


def test_dates_go_to_month_year_and_period() -> None:
    h = build_hierarchy(
        "dateIdentified", ["2021-03-04", "12/05/2019", "2021-03-30", "2019-06-01", "2016-01-01"]
    )
    assert [h.generalise("12/05/2019", lv) for lv in range(1, 5)] == ["2019-05", "2019", "2015-2019", "*"]


def test_multi_valued_cells_generalise_each_value_into_a_set() -> None:
    h = build_hierarchy("citizenship", ["UKR;PH", "PH;UKR", "UKR;Moldova", "NGA", "DEU", "MDA"])
    assert h.generalise("PH;UKR", 0) == h.generalise("UKR;PH", 0) == "PH;UKR"
    assert h.generalise("UKR;PH", 2) == "Asia;Europe"
    assert h.generalise("UKR;Moldova", 1) == "Eastern Europe"


def test_numbers_go_to_nested_quantile_ranges() -> None:
    cells = [str(v) for v in range(100)]
    h = build_hierarchy("weight", cells)
    assert h.kind == "numeric" and h.level_names[1:] == ("16 ranges", "8 ranges", "4 ranges", "2 ranges", "*")
    assert len({h.generalise(c, 4) for c in cells}) == 2


@pytest.mark.parametrize("seed", [1, 2])
def test_every_level_is_a_function_of_the_level_below(seed: int) -> None:
    table = ctdc_like(1500, seed)
    for column in table.columns[2:]:
        cells = table.column(column)
        h = build_hierarchy(column, cells)
        for level in range(1, h.top + 1):
            parent: dict[str, str] = {}
            for c in set(cells):
                below, here = h.generalise(c, level - 1), h.generalise(c, level)
                assert parent.setdefault(below, here) == here, (column, level, c)
