from __future__ import annotations

from pathlib import Path

import pytest

from vinculo.mse import MSESettings, estimate, read_histories


def test_profile_interval_is_close_to_wald_for_a_large_table(mse_data: Path) -> None:
    h = read_histories(mse_data / "Kosovo.csv")
    wald = estimate(h, MSESettings(method="main"))
    prof = estimate(h, MSESettings(method="main", ci="profile"))
    assert prof.estimate == pytest.approx(wald.estimate)
    assert prof.interval.lower == pytest.approx(wald.interval.lower, rel=0.01)
    assert prof.interval.upper == pytest.approx(wald.interval.upper, rel=0.01)


def test_profile_curve_is_zero_at_the_estimate_and_crosses_the_cutoff_at_the_limits(mse_data: Path) -> None:
    h = read_histories(mse_data / "NewOrl.csv")
    r = estimate(h, MSESettings(ci="profile"))
    assert r.interval.lower < r.estimate < r.interval.upper
    points = dict(r.profile)
    assert min(points.values()) == pytest.approx(0.0, abs=0.05)
    inside = [d for n, d in r.profile if r.interval.lower < n < r.interval.upper]
    outside = [d for n, d in r.profile if n < r.interval.lower or n > r.interval.upper]
    assert max(inside) <= 3.8415 + 1e-6
    assert min(outside) >= 3.8415 - 1e-6
