"""Strata (year, sex, age group, form of exploitation ...) estimated separately and summed.

Combined interval:

* ``ci="bca"``: each stratum is bootstrapped with its own seed (child ``j`` of
  ``SeedSequence(seed)``); replicate ``i`` of the total is the sum of the strata's replicate
  ``i``. The interval is the bias-corrected percentile interval of these sums (BCa with
  acceleration 0: the per-stratum jackknife accelerations do not add).
* ``ci="wald"`` or ``"profile"``: the strata are independent, so the variance of the total dark
  figure ``D = sum D_j`` is ``sum (D_j se_j)^2`` (delta method, ``se_j`` the standard error of
  ``log D_j``); the interval is log-normal on ``D``: ``n + D exp(+-z se)``, ``se = sqrt(var) / D``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy.stats import norm

from vinculo.errors import SparseDataWarning
from vinculo.mse._histories import CaptureHistories
from vinculo.mse.bootstrap import bca_limits
from vinculo.mse.estimate import estimate
from vinculo.mse.result import Interval, MSEResult, _num
from vinculo.mse.settings import DEFAULT_SETTINGS, MSESettings

__all__ = ["MIN_STRATUM_CASES", "StrataResult", "estimate_strata"]

MIN_STRATUM_CASES = 50
MIN_PAIR_OVERLAP = 1

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class StrataResult:
    """Per-stratum results and their sum."""

    strata: tuple[tuple[str, MSEResult], ...]
    estimate: float
    n_observed: int
    interval: Interval
    combination: str
    warnings: tuple[str, ...] = ()

    @property
    def dark_figure(self) -> float:
        return self.estimate - self.n_observed

    def to_dict(self) -> dict[str, Any]:
        return {
            "estimate": _num(self.estimate),
            "n_observed": self.n_observed,
            "dark_figure": _num(self.dark_figure),
            "interval": self.interval.to_dict(),
            "combination": self.combination,
            "warnings": list(self.warnings),
            "strata": {name: r.to_dict() for name, r in self.strata},
        }

    def summary(self) -> str:
        width = 78
        iv = self.interval
        out = ["=" * width, "Multiple systems estimation by stratum".center(width), "=" * width]
        out.append(f"{'Stratum':<20}{'observed':>12}{'estimate':>14}{'lower':>14}{'upper':>14}")
        for name, r in self.strata:
            out.append(
                f"{name[:19]:<20}{r.n_observed:>12,}{r.estimate:>14,.1f}{r.interval.lower:>14,.1f}{r.interval.upper:>14,.1f}"
            )
        out.append("-" * width)
        out.append(
            f"{'Total':<20}{self.n_observed:>12,}{self.estimate:>14,.1f}{iv.lower:>14,.1f}{iv.upper:>14,.1f}"
        )
        out.append(f"{100 * iv.level:g}% interval: {iv.method}; {self.combination}")
        out.extend(f"Warning: {w}" for w in self.warnings)
        out.append("=" * width)
        return "\n".join(out)


def _sparsity(name: str, h: CaptureHistories) -> str | None:
    if h.n_observed < MIN_STRATUM_CASES:
        return (
            f"Stratum {name!r} has only {h.n_observed} observed cases (fewer than {MIN_STRATUM_CASES}); "
            "its estimate is unreliable. Consider merging it with a neighbouring stratum."
        )
    t = h.n_lists
    overlapping = sum(h.overlap((i, j)) >= MIN_PAIR_OVERLAP for i in range(t) for j in range(i + 1, t))
    if overlapping == 0:
        return (
            f"Stratum {name!r}: no two lists have a case in common, so the dark figure is not identifiable."
        )
    return None


def estimate_strata(
    strata: Mapping[str, CaptureHistories],
    settings: MSESettings = DEFAULT_SETTINGS,
    progress: Progress | None = None,
) -> StrataResult:
    """Estimate each stratum separately and combine them into a total.

    Parameters
    ----------
    strata : mapping of str to CaptureHistories
        For example from :func:`read_strata`.
    settings : MSESettings
        Applied to every stratum (the seed is split between strata).
    progress : callable, optional
        ``progress(done, total)`` over all strata's bootstrap work.

    Warns
    -----
    SparseDataWarning
        For a stratum with fewer than 50 cases or without any overlapping lists.
    """
    names = list(strata)
    notes: list[str] = []
    for name in names:
        msg = _sparsity(name, strata[name])
        if msg:
            notes.append(msg)
            warnings.warn(msg, SparseDataWarning, stacklevel=2)
    seeds = np.random.SeedSequence(settings.seed).spawn(len(names))
    results: list[tuple[str, MSEResult]] = []
    for j, name in enumerate(names):
        seed_j = int(seeds[j].generate_state(1)[0])

        def sub(done: int, total: int, j: int = j) -> None:
            if progress is not None:
                progress(j * 1000 + int(1000 * done / max(total, 1)), 1000 * len(names))

        r = estimate(strata[name], replace(settings, seed=seed_j), sub if progress else None)
        results.append((name, r))
        notes.extend(f"[{name}] {w}" for w in r.warnings)
    total = sum(r.estimate for _, r in results)
    n_obs = sum(r.n_observed for _, r in results)
    level = settings.level
    if settings.ci == "bca":
        reps = np.sum([np.asarray(r.bootstrap.replicates if r.bootstrap else []) for _, r in results], axis=0)
        lim = bca_limits(reps, total, 0.0, level)
        interval = Interval(lim.lower, lim.upper, level, "bc_percentile")
        how = "bootstrap replicates summed over strata (bias-corrected percentile interval)"
    elif settings.ci == "none":
        interval = Interval(math.nan, math.nan, level, "none")
        how = "no interval"
    else:
        dark = sum(r.dark_figure for _, r in results)
        var = sum((r.dark_figure * r.diagnostics.se_log_dark) ** 2 for _, r in results)
        se = math.sqrt(var) / dark if dark > 0 else math.nan
        z = float(norm.ppf(0.5 + level / 2))
        interval = Interval(
            n_obs + dark * math.exp(-z * se), n_obs + dark * math.exp(z * se), level, "wald_log"
        )
        how = "independent strata: delta-method variance of the summed dark figure, log-normal interval"
    return StrataResult(tuple(results), total, n_obs, interval, how, tuple(notes))
