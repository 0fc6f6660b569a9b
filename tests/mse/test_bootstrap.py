from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.stats import norm

from vinculo.mse import MSESettings, bca_limits, estimate, histories_from_counts, read_histories
from vinculo.mse.bootstrap import acceleration


def small_table() -> object:
    return histories_from_counts(["A", "B", "C"], [0, 60, 45, 12, 38, 10, 9, 3])


def test_bca_with_no_bias_and_no_acceleration_is_the_percentile_interval() -> None:
    reps = np.linspace(0.0, 100.0, 100001)
    lim = bca_limits(reps, 50.0, 0.0, 0.95)
    assert lim.bias_correction == pytest.approx(0.0, abs=1e-4)
    assert lim.lower == pytest.approx(2.5, abs=0.01)
    assert lim.upper == pytest.approx(97.5, abs=0.01)


def test_bca_bias_correction_shifts_the_limits_towards_the_replicates() -> None:
    reps = np.linspace(0.0, 100.0, 100001)
    lim = bca_limits(reps, 30.0, 0.0, 0.90)
    z0 = norm.ppf(0.3)
    assert lim.bias_correction == pytest.approx(z0, abs=1e-4)
    assert lim.lower == pytest.approx(100 * norm.cdf(2 * z0 + norm.ppf(0.05)), abs=0.01)


def test_acceleration_is_zero_for_symmetric_jackknife_values() -> None:
    assert acceleration(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0])) == pytest.approx(0.0)
    assert acceleration(np.array([1.0, 1.0, 4.0]), np.array([1.0, 1.0, 1.0])) < 0


def test_bootstrap_is_reproducible_from_the_seed_and_keeps_replicates() -> None:
    s = MSESettings(method="main", ci="bca", nboot=60, seed=99, n_jobs=1)
    a = estimate(small_table(), s)
    b = estimate(small_table(), s)
    assert a.bootstrap is not None and b.bootstrap is not None
    assert a.bootstrap.replicates == b.bootstrap.replicates
    assert len(a.bootstrap.replicates) == 60
    assert a.interval.method == "bca"
    assert a.interval.lower < a.estimate < a.interval.upper
    assert a.provenance.seed == 99
    c = estimate(small_table(), MSESettings(method="main", ci="bca", nboot=60, seed=100, n_jobs=1))
    assert c.bootstrap is not None and c.bootstrap.replicates != a.bootstrap.replicates


def test_bootstrap_results_do_not_depend_on_the_number_of_workers() -> None:
    serial = estimate(small_table(), MSESettings(ci="bca", nboot=240, seed=5, n_jobs=1))
    parallel = estimate(small_table(), MSESettings(ci="bca", nboot=240, seed=5, n_jobs=2))
    assert serial.bootstrap is not None and parallel.bootstrap is not None
    assert serial.bootstrap.replicates == parallel.bootstrap.replicates
    assert serial.interval == parallel.interval


def test_progress_is_reported_up_to_the_total() -> None:
    calls: list[tuple[int, int]] = []
    estimate(
        small_table(),
        MSESettings(method="main", ci="bca", nboot=40, n_jobs=1),
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[0][0] == 0
    assert calls[-1][0] == calls[-1][1]
    assert all(t == calls[0][1] for _, t in calls)


def test_bic_bootstrap_restricted_to_top_models_lists_them(mse_data: Path) -> None:
    h = read_histories(mse_data / "Korea.csv")
    r = estimate(h, MSESettings(method="bic", ntop=3, ci="bca", nboot=50, n_jobs=1))
    assert len(r.candidates) >= 3
    assert r.bootstrap is not None and r.bootstrap.n_failed == 0
