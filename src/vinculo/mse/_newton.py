"""Newton-Raphson for one Poisson log-linear model (the inner loop of every method).

The log-likelihood is concave, so Newton with the Fisher information (= observed information
for the canonical log link) and step halving converges in a handful of iterations from the
one-step IRLS start. Kept small and allocation-light: bootstraps call it ~10^4 times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

FloatArray = npt.NDArray[np.float64]

MAX_ITER = 100
TOL = 1e-10


@dataclass(frozen=True, slots=True)
class NewtonFit:
    beta: FloatArray
    cov: FloatArray  # inverse Fisher information
    mu: FloatArray
    loglik: float
    deviance: float
    converged: bool
    iterations: int


def poisson_loglik(y: FloatArray, mu: FloatArray) -> float:
    pos = y > 0
    return float(np.sum(y[pos] * np.log(mu[pos])) - mu.sum() - gammaln(y + 1.0).sum())


def poisson_deviance(y: FloatArray, mu: FloatArray) -> float:
    pos = y > 0
    return float(2.0 * (np.sum(y[pos] * np.log(y[pos] / mu[pos])) - (y - mu).sum()))


def start_values(x: FloatArray, y: FloatArray, offset: FloatArray | None = None) -> FloatArray:
    """One IRLS step from mu = y + 0.5 (a good, always-finite start)."""
    mu = y + 0.5
    eta = np.log(mu)
    z = eta + (y - mu) / mu
    if offset is not None:
        z = z - offset
    xw = x * mu[:, None]
    h = xw.T @ x
    try:
        return np.asarray(np.linalg.solve(h, xw.T @ z), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.asarray(np.linalg.lstsq(h, xw.T @ z, rcond=None)[0], dtype=np.float64)


def newton(
    x: FloatArray,
    y: FloatArray,
    beta: FloatArray | None = None,
    offset: FloatArray | None = None,
    max_iter: int = MAX_ITER,
) -> NewtonFit:
    """Maximise the Poisson log-likelihood of counts ``y`` with log-means ``x @ beta + offset``."""
    if beta is None:
        beta = start_values(x, y, offset)
    beta = np.array(beta, dtype=np.float64)
    off = 0.0 if offset is None else offset
    eta = x @ beta + off
    mu = np.exp(eta)
    ll = float(y @ eta - mu.sum())
    converged = False
    it = 0
    h = np.eye(x.shape[1])
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` is reported
        grad = x.T @ (y - mu)
        h = (x.T * mu) @ x
        try:
            step = np.linalg.solve(h, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(h, grad, rcond=None)[0]
        t = 1.0
        for _ in range(30):
            nb = beta + t * step
            neta = x @ nb + off
            if neta.max() > 700:
                t *= 0.5
                continue
            nmu = np.exp(neta)
            nll = float(y @ neta - nmu.sum())
            if nll >= ll - 1e-12 * (abs(ll) + 1.0):
                break
            t *= 0.5
        else:
            break
        beta, eta, mu = nb, neta, nmu
        if float(np.max(np.abs(beta))) > 60.0:
            break  # running off to infinity: the MLE does not exist
        change = nll - ll
        ll = nll
        if abs(change) <= TOL * (abs(ll) + 1.0) and float(np.max(np.abs(t * step))) < 1e-6:
            converged = True
            break
    h = (x.T * mu) @ x
    try:
        cov = np.linalg.inv(h)
    except np.linalg.LinAlgError:
        cov = np.full_like(h, np.nan)
    return NewtonFit(beta, cov, mu, poisson_loglik(y, mu), poisson_deviance(y, mu), converged, it)
