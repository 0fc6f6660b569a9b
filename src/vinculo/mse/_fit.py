"""Fit one log-linear model to capture histories (internal; public wrappers in loglinear.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vinculo.mse._design import Model, reduced_design, zero_terms
from vinculo.mse._newton import newton
from vinculo.mse.existence import design_rank, model_status

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ModelFit:
    """Everything the methods need from one fitted model (no raw data beyond cell means)."""

    model: Model
    empty: Model
    status: int
    beta: FloatArray
    cov: FloatArray
    mu: FloatArray  # fitted means over cells 1..2**t-1 (0 where removed)
    loglik: float
    deviance: float
    n_params: int  # parameters counted for AIC/BIC, including the -inf ones
    df: int
    converged: bool
    iterations: int
    n_observed: int

    @property
    def dark(self) -> float:
        return math.exp(float(self.beta[0]))

    @property
    def estimate(self) -> float:
        return self.n_observed + self.dark

    @property
    def se_log_dark(self) -> float:
        v = float(self.cov[0, 0])
        return math.sqrt(v) if v >= 0 else math.nan

    @property
    def aic(self) -> float:
        return -2.0 * self.loglik + 2.0 * self.n_params

    def bic(self) -> float:
        return -2.0 * self.loglik + self.n_params * math.log(max(self.n_observed, 1))


def fit_model(
    n_lists: int,
    counts: npt.NDArray[np.int64],
    model: Model,
    beta_start: FloatArray | None = None,
    check: bool = True,
) -> ModelFit:
    """Fit ``model``; terms with empty overlap go to -inf (their cells are removed).

    If ``check`` and the model fails the existence/identifiability test, the fit is not attempted
    and ``status`` is non-zero (the caller decides whether that is an error or a skipped model).
    """
    empty = zero_terms(counts, model)
    x, keep, _ = reduced_design(n_lists, model, empty)
    y = counts[1:].astype(np.float64)
    n_params = 1 + n_lists + len(model)
    df = int(keep.sum()) - x.shape[1]
    nobs = int(counts.sum())
    status = 0
    if check and design_rank(n_lists, model, empty) < x.shape[1]:
        status = model_status(n_lists, model, counts)
    res = None
    if status == 0:
        start = None if beta_start is None or beta_start.size != x.shape[1] else beta_start
        if start is None and n_lists == 2 and not model and (y > 0).all():
            # Closed form of the two-list main-effects model (Lincoln-Petersen).
            b0 = math.log(y[0] * y[1] / y[2])
            start = np.array([b0, math.log(y[0]) - b0, math.log(y[1]) - b0])
        res = newton(x, y[keep], start)
        settled = res.converged and float(np.max(np.abs(res.beta))) < 25.0
        if check and not settled:
            # A finite stationary point proves existence; otherwise ask the linear program.
            status = model_status(n_lists, model, counts)
    if status or res is None:
        nan = np.full(x.shape[1], np.nan)
        return ModelFit(
            model, empty, status, nan, np.full((nan.size, nan.size), np.nan), np.zeros_like(y),
            math.nan, math.nan, n_params, df, False, 0, nobs,
        )  # fmt: skip
    mu = np.zeros_like(y)
    mu[keep] = res.mu
    return ModelFit(
        model, empty, 0, res.beta, res.cov, mu, res.loglik, res.deviance, n_params, df,
        res.converged, res.iterations, nobs,
    )  # fmt: skip
