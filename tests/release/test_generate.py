"""The CTDC-victim-perpetrator-like generator: one-way marginals of the shipped file, invented
but present dependencies, seedable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from vinculo.errors import VinculoError
from vinculo.release import VP_COLUMNS, generate_vp, vp_domains, vp_marginals

Row = dict[str, str]


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    return generate_vp(40_000, seed=2026)


def share(
    rows: list[Row], event: Callable[[Row], bool], given: Callable[[Row], bool] = lambda r: True
) -> float:
    selected = [r for r in rows if given(r)]
    return sum(event(r) for r in selected) / len(selected)


def test_columns_and_values_are_those_of_the_marginals_file(rows: list[Row]) -> None:
    marginals = vp_marginals()
    assert tuple(marginals) == VP_COLUMNS and len(VP_COLUMNS) == 16
    assert sum(marginals["gender"].values()) == 21_195
    for row in rows[:2000]:
        assert tuple(row) == VP_COLUMNS
        for column, value in row.items():
            assert value in marginals[column]


def test_one_way_marginals_match_the_file(rows: list[Row]) -> None:
    marginals = vp_marginals()
    for column in VP_COLUMNS:
        total = sum(marginals[column].values())
        seen = Counter(r[column] for r in rows)
        for value, count in marginals[column].items():
            # Sampling error at n = 40,000 is below 0.0025; calibration adds little.
            assert abs(seen[value] / len(rows) - count / total) < 0.008, (column, value)


def test_invented_dependencies_are_present(rows: list[Row]) -> None:
    sexual = lambda r: r["isSexualExploit"] == "1"  # noqa: E731
    assert share(rows, sexual, lambda r: r["gender"] == "Female") > 3 * share(
        rows, sexual, lambda r: r["gender"] == "Male"
    )
    assert share(rows, sexual, lambda r: r["majorityStatus"] == "Minor") > 1.5 * share(
        rows, sexual, lambda r: r["majorityStatus"] == "Adult"
    )
    # Forced labour and sexual exploitation rarely together.
    assert share(rows, lambda r: r["isForcedLabour"] == "1", sexual) < 0.3
    # Region of exploitation mostly that of origin (independence would give about 0.3).
    assert (
        share(rows, lambda r: r["UN_COE_Region"] == r["UN_COO_Region"], lambda r: r["UN_COO_Region"] != "")
        > 0.65
    )
    # Victim profile empty together; perpetrator fields empty together.
    assert (
        share(
            rows,
            lambda r: r["gender"] == "" and r["majorityStatus"] == "",
            lambda r: r["UN_COO_Region"] == "",
        )
        > 0.9
    )
    empty_relation = lambda r: r["IP_Relation"] == ""  # noqa: E731
    assert share(rows, empty_relation, lambda r: r["IP_Gender"] == "") > 0.6
    assert share(rows, empty_relation, lambda r: r["IP_Gender"] != "") < 0.3
    # Forced labour more frequent from 2019 on.
    labour = lambda r: r["isForcedLabour"] == "1"  # noqa: E731
    recent = ("2019", "2020", "2021-2022")
    assert share(rows, labour, lambda r: r["yearRegister"] in recent) > 1.1 * share(
        rows, labour, lambda r: r["yearRegister"] in ("2005-2013", "2014-2018")
    )
    # Family perpetrators more frequent for minors.
    family = lambda r: "FamilyIntimatePartner" in r["IP_Relation"]  # noqa: E731
    assert share(rows, family, lambda r: r["majorityStatus"] == "Minor") > 2 * share(
        rows, family, lambda r: r["majorityStatus"] == "Adult"
    )


def test_seeded_and_reproducible() -> None:
    assert generate_vp(500, seed=1) == generate_vp(500, seed=1)
    assert generate_vp(500, seed=1) != generate_vp(500, seed=2)
    assert generate_vp(0, seed=1) == []
    for bad in (-1, 2.5, True):
        with pytest.raises(VinculoError):
            generate_vp(bad, seed=1)  # type: ignore[arg-type]


def test_domains_split_combinations() -> None:
    domains = vp_domains()
    assert domains["IP_Gender"] == ("Female", "Male")
    assert domains["UN_COO_Region"] == ("Africa", "Americas/Oceania", "Asia", "Europe")
    assert "" not in domains["isSexualExploit"] and domains["isSexualExploit"] == ("1",)
