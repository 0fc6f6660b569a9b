"""Profile-likelihood interval for the population of one fitted model.

The dark figure is ``exp(beta_0)`` (the intercept is the log mean of the unobserved cell). For
each trial value ``v`` of ``beta_0`` the other parameters are refitted with ``beta_0 = v`` held
as an offset; ``D(v) = 2 (l_max - l(v))`` is compared with the chi-squared(1) quantile
(Cormack 1992, for log-linear capture models). The interval is the set ``D(v) <= q``, mapped to
``N = n_observed + exp(v)``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq
from scipy.stats import chi2

from vinculo.mse._design import reduced_design
from vinculo.mse._fit import ModelFit
from vinculo.mse._newton import newton

__all__ = ["profile_interval"]


def profile_interval(
    n_lists: int,
    counts: npt.NDArray[np.int64],
    fit: ModelFit,
    level: float,
    n_points: int = 41,
) -> tuple[float, float, tuple[tuple[float, float], ...]]:
    """Return ``(lower, upper, curve)``; curve points are ``(N, deviance increase)``."""
    x, keep, _ = reduced_design(n_lists, fit.model, fit.empty)
    y = counts[1:].astype(np.float64)[keep]
    rest = x[:, 1:]
    b0 = float(fit.beta[0])
    q = float(chi2.ppf(level, 1))
    se = fit.se_log_dark if math.isfinite(fit.se_log_dark) and fit.se_log_dark > 0 else 1.0
    cache: dict[float, float] = {}
    start = [fit.beta[1:].copy()]

    def dev(v: float) -> float:
        if v in cache:
            return cache[v]
        off = np.full(y.size, v)
        r = newton(rest, y, start[0], offset=off)
        d = max(0.0, 2.0 * (fit.loglik - r.loglik))
        cache[v] = d
        return d

    def bound(direction: int) -> float:
        step = se
        lo = b0
        for _ in range(60):
            hi = b0 + direction * step
            if dev(hi) > q:
                return float(brentq(lambda v: dev(v) - q, min(lo, hi), max(lo, hi), xtol=1e-10))
            lo = hi
            step *= 1.6
            if abs(hi - b0) > 40:
                break
        return math.inf * direction

    vlo, vhi = bound(-1), bound(1)
    n = fit.n_observed
    lower = n + math.exp(vlo) if math.isfinite(vlo) else float(n)
    upper = n + math.exp(vhi) if math.isfinite(vhi) else math.inf
    a = vlo if math.isfinite(vlo) else b0 - 4 * se
    b = vhi if math.isfinite(vhi) else b0 + 4 * se
    pad = 0.25 * (b - a)
    curve = tuple((n + math.exp(v), dev(float(v))) for v in np.linspace(a - pad, b + pad, n_points))
    return lower, upper, curve
