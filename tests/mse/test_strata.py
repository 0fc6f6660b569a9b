from __future__ import annotations

import pytest

from vinculo.errors import SparseDataWarning
from vinculo.mse import MSESettings, estimate, estimate_strata, histories_from_counts


def test_strata_estimates_add_up_and_the_interval_contains_the_total() -> None:
    a = histories_from_counts(["A", "B", "C"], [0, 60, 45, 12, 38, 10, 9, 3])
    b = histories_from_counts(["A", "B", "C"], [0, 80, 35, 14, 48, 12, 7, 4])
    res = estimate_strata({"2020": a, "2021": b}, MSESettings(method="main"))
    parts = [estimate(h, MSESettings(method="main")).estimate for h in (a, b)]
    assert res.estimate == pytest.approx(sum(parts))
    assert res.n_observed == a.n_observed + b.n_observed
    assert res.interval.lower < res.estimate < res.interval.upper
    assert "Total" in res.summary()
    assert set(res.to_dict()["strata"]) == {"2020", "2021"}


def test_a_sparse_stratum_is_warned_about() -> None:
    big = histories_from_counts(["A", "B", "C"], [0, 60, 45, 12, 38, 10, 9, 3])
    tiny = histories_from_counts(["A", "B", "C"], [0, 6, 4, 1, 5, 1, 1, 1])
    with pytest.warns(SparseDataWarning, match="'girls'"):
        res = estimate_strata({"women": big, "girls": tiny}, MSESettings(method="main"))
    assert any("girls" in w for w in res.warnings)


def test_bootstrap_strata_sum_replicates() -> None:
    a = histories_from_counts(["A", "B", "C"], [0, 60, 45, 12, 38, 10, 9, 3])
    b = histories_from_counts(["A", "B", "C"], [0, 80, 35, 14, 48, 12, 7, 4])
    res = estimate_strata({"x": a, "y": b}, MSESettings(method="main", ci="bca", nboot=50, n_jobs=1))
    assert res.interval.method == "bc_percentile"
    assert res.interval.lower < res.estimate < res.interval.upper
