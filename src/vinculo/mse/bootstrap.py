"""Bootstrap with model re-selection, jackknife acceleration and BCa intervals.

Following Chan, Silverman & Vincent (2021, sec. 3.3): each replicate resamples the ``n`` observed
cases with replacement (a multinomial draw of the cell counts with probabilities
``count / n``), and the *whole* procedure (model selection included) is rerun on it. The acceleration comes from the jackknife over
cases: removing one case from cell ``c`` gives the same estimate for every case in that cell,
so one refit per non-empty cell, weighted by its count, suffices. BCa limits follow Efron (1987)
and DiCiccio & Efron (1996): ``z0 = Phi^-1(share of replicates below the estimate)``, limits at
the adjusted levels ``Phi(z0 + (z0 + z_q) / (1 - a (z0 + z_q)))``, replicate quantiles by the
median-unbiased rule (Hyndman & Fan 1996, type 8).

Replicate ``i`` draws from ``numpy.random.default_rng(SeedSequence(seed, spawn_key=(i,)))``
(the ``i``-th child of ``SeedSequence(seed)``), so results do not depend on how replicates are
shared between worker processes.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

from vinculo.mse._design import Model
from vinculo.mse._select import Selector, select

__all__ = ["BCaLimits", "bca_limits", "bootstrap_replicates", "jackknife_replicates"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Progress = Callable[[int, int], None]
Warm = dict[Model, FloatArray]

PARALLEL_MIN_TASKS = 200


def _replicate(sel: Selector, counts: IntArray, seed: int, i: int, warm: Warm | None) -> float:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
    n = int(counts.sum())
    draw = rng.multinomial(n, counts / n).astype(np.int64)
    f = select(sel, draw, warm)
    return math.nan if f is None else f.estimate


def _jack(sel: Selector, counts: IntArray, cell: int, warm: Warm | None) -> float:
    c = counts.copy()
    c[cell] -= 1
    f = select(sel, c, warm)
    return math.nan if f is None else f.estimate


def _run_chunk(
    sel: Selector, counts: IntArray, seed: int, boot: list[int], jack: list[int], warm: Warm | None
) -> tuple[list[int], list[float], list[int], list[float]]:
    b = [_replicate(sel, counts, seed, i, warm) for i in boot]
    j = [_jack(sel, counts, c, warm) for c in jack]
    return boot, b, jack, j


def _executor(n_jobs: int) -> Executor:
    """A process pool whose workers are forked from this process.

    Forking is fast (no re-import, works from scripts without a ``__main__`` guard). Python 3.12
    warns about forking a process that has threads (numpy's BLAS pool); the workers only run
    pure numpy/scipy code on their arguments, so that warning is silenced here.
    """
    return ProcessPoolExecutor(max_workers=n_jobs, mp_context=get_context("fork"))


def resolve_jobs(n_jobs: int | None) -> int:
    return max(1, (os.cpu_count() or 1) if n_jobs is None else n_jobs)


def run_replicates(
    sel: Selector,
    counts: IntArray,
    *,
    nboot: int,
    seed: int,
    jackknife: bool,
    warm: Warm | None = None,
    n_jobs: int | None = None,
    progress: Progress | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Bootstrap and jackknife estimates.

    Returns ``(replicates, jackknife estimates per non-empty cell, their weights = counts)``.
    """
    cells = [int(c) for c in np.flatnonzero(counts) if c > 0] if jackknife else []
    total = nboot + len(cells)
    boot = np.full(nboot, np.nan)
    jack = np.full(len(cells), np.nan)
    jobs = resolve_jobs(n_jobs)
    done = 0
    if progress is not None:
        progress(0, total)
    if jobs <= 1 or total < PARALLEL_MIN_TASKS:
        step = max(1, total // 50)
        for i in range(nboot):
            boot[i] = _replicate(sel, counts, seed, i, warm)
            done += 1
            if progress is not None and (done % step == 0 or done == total):
                progress(done, total)
        for k, c in enumerate(cells):
            jack[k] = _jack(sel, counts, c, warm)
            done += 1
            if progress is not None and (done % step == 0 or done == total):
                progress(done, total)
        return boot, jack, counts[cells].astype(np.float64)
    n_chunks = max(4 * jobs, min(40, total // 10))
    tasks: list[tuple[list[int], list[int]]] = [([], []) for _ in range(n_chunks)]
    for i in range(nboot):
        tasks[i % n_chunks][0].append(i)
    for k, c in enumerate(cells):
        tasks[(nboot + k) % n_chunks][1].append(c)
    position = {c: k for k, c in enumerate(cells)}
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*multi-threaded.*fork", category=DeprecationWarning)
            ex = _executor(jobs)
            futures = [ex.submit(_run_chunk, sel, counts, seed, b, j, warm) for b, j in tasks if b or j]
        with ex:
            for fut in as_completed(futures):
                bi, bv, jc, jv = fut.result()
                boot[bi] = bv
                for c, v in zip(jc, jv, strict=True):
                    jack[position[c]] = v
                done += len(bi) + len(jc)
                if progress is not None:
                    progress(done, total)
    except (BrokenProcessPool, OSError):  # pragma: no cover - e.g. no fork on this platform
        return run_replicates(
            sel, counts, nboot=nboot, seed=seed, jackknife=jackknife, warm=warm, n_jobs=1, progress=progress
        )
    return boot, jack, counts[cells].astype(np.float64)


def bootstrap_replicates(
    sel: Selector, counts: IntArray, nboot: int, seed: int, n_jobs: int | None = None
) -> FloatArray:
    """Bootstrap estimates only (no jackknife)."""
    return run_replicates(sel, counts, nboot=nboot, seed=seed, jackknife=False, n_jobs=n_jobs)[0]


def jackknife_replicates(sel: Selector, counts: IntArray) -> tuple[FloatArray, FloatArray]:
    """Leave-one-case-out estimates per non-empty cell and the cell counts as weights."""
    _, jack, w = run_replicates(sel, counts, nboot=0, seed=0, jackknife=True, n_jobs=1)
    return jack, w


@dataclass(frozen=True, slots=True)
class BCaLimits:
    lower: float
    upper: float
    bias_correction: float
    acceleration: float


def acceleration(jack: FloatArray, weights: FloatArray) -> float:
    """Jackknife acceleration ``sum w d^3 / (6 (sum w d^2)^1.5)``, ``d = mean - theta_(i)``."""
    ok = np.isfinite(jack)
    j, w = jack[ok], weights[ok]
    if w.sum() == 0:
        return 0.0
    mean = float((w * j).sum() / w.sum())
    d = mean - j
    den = float((w * d**2).sum())
    return 0.0 if den <= 0 else float((w * d**3).sum() / (6.0 * den**1.5))


def bca_limits(replicates: FloatArray, estimate: float, ahat: float, level: float) -> BCaLimits:
    """BCa limits from replicate estimates, the original estimate and the acceleration."""
    reps = np.sort(replicates[np.isfinite(replicates)])
    if reps.size == 0:
        return BCaLimits(math.nan, math.nan, math.nan, ahat)
    frac = float(np.mean(reps < estimate))
    frac = min(max(frac, 0.5 / reps.size), 1 - 0.5 / reps.size)
    z0 = float(norm.ppf(frac))
    alpha = (1.0 - level) / 2.0
    out = []
    for q in (alpha, 1.0 - alpha):
        zq = float(norm.ppf(q))
        adj = float(norm.cdf(z0 + (z0 + zq) / (1.0 - ahat * (z0 + zq))))
        out.append(float(np.quantile(reps, adj, method="median_unbiased")))
    return BCaLimits(out[0], out[1], z0, ahat)
