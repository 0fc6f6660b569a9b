"""Fit many log-linear models at once (exhaustive BIC/AIC search).

All candidate models are sub-models of one full design ``X`` (cells x parameters): a model is a
column mask (which interaction terms are in) and a cell mask (cells removed because a term in
the model has no observed overlap). Newton's method runs on the whole batch with stacked
linear algebra: ``X' diag(mu_b) X`` for every model b is one matrix product ``mu @ O`` with
``O[c] = outer(X[c], X[c])``; the stacked systems are solved by one ``numpy.linalg.solve`` call.

A model whose Newton iterations converge to a finite stationary point has an MLE (the
log-likelihood is strictly concave); the few that do not converge are checked with the
Fienberg-Rinaldo linear program and, if their MLE exists, refitted one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from vinculo.mse._design import Model, Term, design, term_mask
from vinculo.mse._fit import fit_model

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

CHUNK = 2048
MAX_ITER = 60


@dataclass(frozen=True, slots=True)
class BatchFit:
    """Per-model results, aligned with the rows of ``masks``."""

    loglik: FloatArray
    log_dark: FloatArray
    se_log_dark: FloatArray
    status: npt.NDArray[np.int64]
    n_params: npt.NDArray[np.int64]
    df: npt.NDArray[np.int64]
    converged: BoolArray


def _newton_chunk(
    x: FloatArray,
    outer: FloatArray,
    y: FloatArray,
    cellkeep: FloatArray,
    colmask: FloatArray,
    beta: FloatArray,
) -> tuple[FloatArray, FloatArray, BoolArray, FloatArray]:
    b, p = beta.shape
    eye = np.eye(p)
    pad = (1.0 - colmask)[:, :, None] * eye[None]
    cm2 = colmask[:, :, None] * colmask[:, None, :]
    ll = np.full(b, -np.inf)
    eta = beta @ x.T
    mu = np.exp(np.minimum(eta, 700.0)) * cellkeep
    ll = (y * eta * cellkeep).sum(1) - mu.sum(1)
    done = np.zeros(b, dtype=bool)
    active = np.arange(b)
    for _ in range(MAX_ITER):
        if active.size == 0:
            break
        whole = active.size == b
        sel = slice(None) if whole else active
        bb = beta[sel]
        m = mu[sel]
        grad = (y[None, :] - m) @ x
        grad *= colmask[sel]
        h = (m @ outer).reshape(-1, p, p)
        h *= cm2[sel]
        h += pad[sel]
        try:
            step = np.linalg.solve(h, grad[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            step = np.stack([np.linalg.lstsq(hh, g, rcond=None)[0] for hh, g in zip(h, grad, strict=True)])
        t = np.ones(active.size)
        ck = cellkeep[sel]
        old = ll[sel]
        for _ in range(30):
            nb = bb + t[:, None] * step
            neta = nb @ x.T
            nmu = np.exp(np.minimum(neta, 700.0)) * ck
            nll = (y * neta * ck).sum(1) - nmu.sum(1)
            bad = ~(nll >= old - 1e-12 * (np.abs(old) + 1.0))
            if not bad.any():
                break
            t = np.where(bad, t * 0.5, t)
        beta[active] = nb
        mu[active] = nmu
        ll[active] = nll
        small = (
            (np.abs(nll - old) <= 1e-10 * (np.abs(nll) + 1.0))
            & (np.abs(t[:, None] * step).max(1) < 1e-6)
            & (t >= 0.5)
        )
        done[active[small]] = True
        active = active[~small]
    m = mu
    h = (m @ outer).reshape(-1, p, p) * cm2 + pad
    try:
        var0 = np.linalg.solve(h, np.broadcast_to(eye[:, :1], (b, p, 1)).copy())[:, 0, 0]
    except np.linalg.LinAlgError:
        var0 = np.full(b, np.nan)
    return beta, ll, done, var0


def _newton_args(
    a: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray],
) -> tuple[FloatArray, FloatArray, BoolArray, FloatArray]:
    return _newton_chunk(*a)


def fit_batch(n_lists: int, counts: npt.NDArray[np.int64], terms: list[Term], masks: BoolArray) -> BatchFit:
    """Fit every model ``{terms[j] : masks[b, j]}`` (intercept and main effects always in).

    Runs in this process: the large matrix products already use the BLAS thread pool (both
    cores); splitting chunks over forked processes was measured to be slower (the BLAS threads
    of the workers oversubscribe the cores).
    """
    full: Model = tuple(terms)
    x = design(n_lists, full)
    n_cells, p = x.shape
    p0 = 1 + n_lists
    y = counts[1:].astype(np.float64)
    cells = np.arange(1, 2**n_lists)
    contains = np.stack([(cells & term_mask(t)) == term_mask(t) for t in terms], axis=1)  # (C, T)
    empty = np.array([counts[1:][contains[:, j]].sum() == 0 for j in range(len(terms))], dtype=bool)
    outer = np.einsum("ci,cj->cij", x, x).reshape(n_cells, p * p)
    nb = masks.shape[0]
    colmask = np.ones((nb, p))
    colmask[:, p0:] = masks & ~empty[None, :]
    removed = (masks & empty[None, :]).astype(np.float64) @ contains.T.astype(np.float64) > 0
    cellkeep = (~removed).astype(np.float64)
    n_params = p0 + masks.sum(1)
    df = cellkeep.sum(1).astype(np.int64) - colmask.sum(1).astype(np.int64)
    # Identifiability: the Gram matrix of the kept design must be non-singular.
    status = np.zeros(nb, dtype=np.int64)
    has_empty = removed.any(1)
    if has_empty.any():
        idx = np.flatnonzero(has_empty)
        for s in range(0, idx.size, CHUNK):
            part = idx[s : s + CHUNK]
            g = (cellkeep[part] @ outer).reshape(-1, p, p)
            cm = colmask[part]
            g = g * cm[:, :, None] * cm[:, None, :] + (1.0 - cm)[:, :, None] * np.eye(p)[None]
            ev = np.linalg.eigvalsh(g)
            status[part[ev[:, 0] < 1e-9 * ev[:, -1]]] = 2
    # Warm start from the main-effects fit.
    main = fit_model(n_lists, counts, (), check=False)
    loglik = np.full(nb, np.nan)
    log_dark = np.full(nb, np.nan)
    se = np.full(nb, np.nan)
    conv = np.zeros(nb, dtype=bool)
    todo = np.flatnonzero(status == 0)
    parts = [todo[s : s + CHUNK] for s in range(0, todo.size, CHUNK)]
    start = np.zeros(p)
    start[:p0] = main.beta[:p0]
    args = [(x, outer, y, cellkeep[part], colmask[part], np.tile(start, (part.size, 1))) for part in parts]
    results = [_newton_args(a) for a in args]
    for part, (beta, ll, done, var0) in zip(parts, results, strict=True):
        loglik[part] = ll - gammaln(y + 1.0).sum()
        log_dark[part] = beta[:, 0]
        se[part] = np.sqrt(np.maximum(var0, 0.0))
        # A finite stationary point proves the MLE exists; diverging fits can look settled
        # but have huge coefficients, and are sent to the LP check below.
        conv[part] = done & (np.abs(beta).max(1) < 25.0)
    # Models whose Newton did not settle: decide existence by LP, refit those that exist.
    for b in np.flatnonzero((status == 0) & ~conv):  # few: each costs an LP and a Newton fit
        model = tuple(t for t, inm in zip(terms, masks[b], strict=True) if inm)
        f = fit_model(n_lists, counts, model)
        if f.status:
            status[b] = f.status
            loglik[b] = log_dark[b] = se[b] = np.nan
        else:
            loglik[b], log_dark[b], se[b], conv[b] = f.loglik, float(f.beta[0]), f.se_log_dark, f.converged
    return BatchFit(loglik, log_dark, se, status, n_params.astype(np.int64), df, conv)
