"""DP counts: OpenDP's noise at the documented scale, sensitivity of multi-valued cells, declared
domains, consistent post-processing."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest

from vinculo.errors import VinculoError
from vinculo.release import DomainWarning, dp_counts, generate_vp, project_consistent, vp_domains

BY = ["UN_COO_Region", "UN_COE_Region", "yearRegister"]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return generate_vp(20_000, seed=11)


def true_counts(rows: list[dict[str, str]], by: list[str]) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for row in rows:
        counts[tuple(row[c] for c in by)] += 1
    return counts


def errors(result, truth):  # type: ignore[no-untyped-def]
    noisy = np.array([c.noisy - truth[c.key] for c in result.cells], dtype=float)
    released = np.array([c.count - truth[c.key] for c in result.cells], dtype=float)
    return noisy, released


def test_every_combination_of_the_domain_is_a_cell(rows: list[dict[str, str]]) -> None:
    result = dp_counts(rows, BY, epsilon=1.0, seed=1)
    domains = vp_domains()
    expected = list(itertools.product(*(("", *domains[c]) for c in BY)))
    assert [c.key for c in result.cells] == expected
    assert result.domain_sources == {c: "CTDC codebook" for c in BY}


def test_smaller_epsilon_gives_larger_error(rows: list[dict[str, str]]) -> None:
    truth = true_counts(rows, BY)
    mae = {}
    for eps in (0.05, 0.5, 5.0):
        result = dp_counts(rows, BY, epsilon=eps, seed=1)
        noisy, released = errors(result, truth)
        mae[eps] = (np.abs(noisy).mean(), np.abs(released).mean(), result.accuracy)
        # Single-valued columns: one record changes one cell by 1, so the scale is 1/ε.
        assert result.sensitivity == 1
        assert result.scale == pytest.approx(1 / eps, rel=1e-6)
        assert result.epsilon <= eps
    # 6 x 5 x 6 = 180 cells: the mean absolute error tracks the scale (about 1/ε).
    assert mae[0.05][0] > 3 * mae[0.5][0] > 9 * mae[5.0][0]
    assert mae[0.05][1] > mae[0.5][1] > mae[5.0][1]
    assert mae[0.05][2] > mae[0.5][2] > mae[5.0][2]


def test_error_bars_cover_the_truth(rows: list[dict[str, str]]) -> None:
    truth = true_counts(rows, BY)
    result = dp_counts(rows, BY, epsilon=0.2, seed=2)
    noisy, _ = errors(result, truth)
    # OpenDP's bound: P(|noise| >= accuracy) <= 5 %; with 180 cells allow a wide margin.
    assert np.mean(np.abs(noisy) < result.accuracy) > 0.85
    assert all(c.lower <= c.count <= c.upper and c.lower >= 0 for c in result.cells)
    half = math.floor(result.accuracy)
    assert all(c.upper - c.count == half for c in result.cells)


def test_post_processed_table_is_non_negative_and_adds_up(rows: list[dict[str, str]]) -> None:
    result = dp_counts(rows, BY, epsilon=0.1, seed=3)
    counts = [c.count for c in result.cells]
    assert min(counts) >= 0
    assert sum(counts) == result.total
    assert any(c.noisy < 0 for c in result.cells)  # the raw noise did go below zero
    assert result.total == max(0, round(sum(c.noisy for c in result.cells)))
    for columns in (["UN_COO_Region"], ["UN_COE_Region", "yearRegister"]):
        margin = result.margin(columns)
        assert sum(margin.values()) == result.total
    # A two-way margin summed again gives the one-way margin.
    two = result.margin(["UN_COO_Region", "UN_COE_Region"])
    one = result.margin(["UN_COO_Region"])
    for (origin,), value in one.items():
        assert value == sum(v for (o, _), v in two.items() if o == origin)


def test_projection_is_least_squares_then_total_preserving_rounding() -> None:
    # Projection of (6, -2, 2.2) onto {x >= 0, sum = 6}: tau = 1.1 -> (4.9, 0, 1.1) -> (5, 0, 1).
    assert project_consistent([6, -2, 2.2]).tolist() == [5, 0, 1]
    assert project_consistent([-3, -1]).tolist() == [0, 0]
    assert project_consistent([]).tolist() == []
    rng = np.random.default_rng(0)
    for _ in range(50):
        y = rng.normal(3, 5, size=40)
        x = project_consistent(y, seed=1)
        assert x.min() >= 0 and x.sum() == max(0, round(y.sum()))
    # Ties are broken by the seed, reproducibly.
    assert (
        project_consistent([0.5, 0.5, 0.5, 0.5], seed=7).tolist()
        == project_consistent([0.5, 0.5, 0.5, 0.5], seed=7).tolist()
    )


def test_multi_valued_cells_count_under_each_value_with_bounded_sensitivity() -> None:
    records = [{"IP_Gender": "Female;Male", "IP_citizen_UNRegion": "Africa;Asia"}] * 50
    result = dp_counts(records, ["IP_Gender", "IP_citizen_UNRegion"], epsilon=1.0, seed=0)
    assert result.max_values == {"IP_Gender": 2, "IP_citizen_UNRegion": 2}
    assert result.sensitivity == 4
    assert result.scale == pytest.approx(4.0, rel=1e-6)
    cells = {c.key: c.noisy for c in result.cells}
    for key in itertools.product(("Female", "Male"), ("Africa", "Asia")):
        assert abs(cells[key] - 50) < 40  # each record counted in all four cells
    # Bounding to one value per column: sensitivity 1, and only the first value counts.
    one = dp_counts(records, ["IP_Gender"], epsilon=1.0, max_values=1, seed=0)
    assert one.sensitivity == 1
    counted = {c.key: c.noisy for c in one.cells}
    assert counted[("Female",)] > 30 > counted[("Male",)]


def test_unknown_column_needs_a_declared_domain() -> None:
    records = [{"sex": "F"}, {"sex": "M"}, {"sex": ""}]
    with pytest.raises(VinculoError) as info:
        dp_counts(records, ["sex"], epsilon=1.0)
    assert info.value.code == "release.no_domain" and "--domain" in (info.value.fix or "")
    declared = dp_counts(records, ["sex"], epsilon=1.0, domains={"sex": ["F", "M", "X"]})
    assert [c.key for c in declared.cells] == [("",), ("F",), ("M",), ("X",)]
    assert declared.warnings == ()
    with pytest.warns(DomainWarning):
        observed = dp_counts(records, ["sex"], epsilon=1.0, observed_domain_is_public=True)
    assert [c.key for c in observed.cells] == [("",), ("F",), ("M",)]
    assert observed.domain_sources == {"sex": "observed (declared public)"} and observed.warnings


def test_value_outside_the_domain_is_refused_with_its_row() -> None:
    records = [{"gender": "Female"}, {"gender": "Femal"}]
    with pytest.raises(VinculoError) as info:
        dp_counts(records, ["gender"], epsilon=1.0, name="cases.csv")
    assert info.value.code == "release.value_outside_domain"
    (issue,) = info.value.issues
    assert issue.location.row == 3 and issue.location.column == "gender" and issue.value == "Femal"


@pytest.mark.parametrize("epsilon", [0, -1, float("nan"), float("inf"), 20.5, 1e6])
def test_bad_epsilon_is_refused(epsilon: float) -> None:
    with pytest.raises(VinculoError) as info:
        dp_counts([{"gender": "Male"}], ["gender"], epsilon=epsilon)
    assert info.value.code == "release.bad_epsilon"


def test_gaussian_is_zcdp_and_reported_as_approximate_dp(rows: list[dict[str, str]]) -> None:
    result = dp_counts(rows, ["gender"], mechanism="gaussian", rho=0.5, delta=1e-9)
    assert result.rho is not None and result.rho <= 0.5
    assert result.delta == pytest.approx(1e-9)
    assert 0 < result.epsilon < 20
    assert result.scale == pytest.approx(1.0, rel=1e-6)  # sigma = sensitivity / sqrt(2 rho)
    noisier = dp_counts(rows, ["gender"], mechanism="gaussian", rho=0.005, delta=1e-9)
    assert noisier.accuracy > result.accuracy and noisier.epsilon < result.epsilon


def test_result_holds_no_records(rows: list[dict[str, str]]) -> None:
    result = dp_counts(rows[:100], ["gender"], epsilon=1.0)
    text = repr(result.to_dict())
    assert "IP_Relation" not in text and len(result.cells) == 3


def test_summary_names_the_mechanism_and_every_cell(rows: list[dict[str, str]]) -> None:
    result = dp_counts(rows, ["gender", "majorityStatus"], epsilon=0.5, seed=1)
    text = result.summary()
    assert "discrete Laplace" in text and "epsilon = 0.5 (pure DP)" in text and "scale 2" in text
    assert len(text.splitlines()) == 5 + 9 and "(none)" in text


def test_a_declared_value_cannot_contain_the_separator() -> None:
    with pytest.raises(VinculoError) as info:
        dp_counts([{"sex": "F"}], ["sex"], epsilon=1.0, domains={"sex": ["F;M", "F"]})
    assert info.value.code == "release.bad_domain"
