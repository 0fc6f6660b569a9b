"""Model choice, shared by the point estimate and every bootstrap/jackknife replicate.

A :class:`Selector` is a small picklable description of "how to choose the model"; calling
:func:`select` with a count vector returns the chosen :class:`ModelFit`. Bootstraps call it in
worker processes, so it carries no data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt
from scipy.special import gammainc, gammaincc

from vinculo.errors import VinculoError
from vinculo.mse._batch import fit_batch
from vinculo.mse._design import Model, Term, all_terms, canonical, cell_bits, term_mask
from vinculo.mse._fit import ModelFit, fit_model

IntArray = npt.NDArray[np.int64]

MAX_MODELS = 2**17  # exhaustive search limit; beyond it a greedy search is used
EXHAUSTIVE_MAX_LISTS = 6


@dataclass(frozen=True, slots=True)
class Selector:
    method: str  # "main", "fixed", "stepwise", "bic", "aic"
    n_lists: int
    model: Model = ()
    pthresh: float = 0.02
    max_order: int = 2
    candidates: tuple[Model, ...] | None = None  # ntop restriction for bic/aic


@dataclass(frozen=True, slots=True)
class SearchTable:
    """All models of a search: terms, criteria and estimates (best first)."""

    models: tuple[Model, ...]
    bic: tuple[float, ...]
    aic: tuple[float, ...]
    estimate: tuple[float, ...]
    df: tuple[int, ...]
    n_failed: int  # models without an (identifiable) MLE, excluded
    n_saturated: int  # models with no residual degrees of freedom, excluded
    search: str  # "exhaustive" or "greedy"


# --- stepwise (Chan, Silverman & Vincent 2021) -------------------------------------------


def poisson_pvalues(
    observed: npt.NDArray[np.float64], expected: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """One-sided Poisson p-values in the direction of the departure.

    ``min(P(X >= o), P(X <= o))`` for ``X ~ Poisson(e)``: large overlaps signal positive and
    small (or empty) overlaps negative dependence between two lists.
    """
    o = observed
    e = np.maximum(expected, 1e-300)
    upper = np.where(o > 0, gammainc(np.maximum(o, 1e-300), e), 1.0)  # P(X >= o)
    lower = gammaincc(o + 1.0, e)  # P(X <= o)
    return np.asarray(np.minimum(upper, lower), dtype=np.float64)


def stepwise(
    n_lists: int, counts: IntArray, pthresh: float, warm: dict[Model, npt.NDArray[np.float64]] | None = None
) -> tuple[ModelFit, tuple[Term, ...], int]:
    """Forward selection of two-list effects; returns the fit, terms in order added, #skipped."""
    cells = cell_bits(n_lists)
    y = counts[1:].astype(np.float64)
    pairs = list(combinations(range(n_lists), 2))
    contains = np.stack([(cells & term_mask(p)) == term_mask(p) for p in pairs], axis=1).astype(np.float64)
    observed = y @ contains
    model: Model = ()
    added: list[Term] = []
    skipped = 0
    fit = fit_model(n_lists, counts, model, None if warm is None else warm.get(model))
    while pthresh > 0:
        expected = fit.mu @ contains
        pv = poisson_pvalues(observed, expected)
        z = np.abs(observed - expected) / np.sqrt(np.maximum(expected, 1e-12))
        order = sorted((float(pv[j]), -float(z[j]), j) for j in range(len(pairs)) if pairs[j] not in model)
        chosen = None
        for p, _, j in order:
            if p >= pthresh:
                break
            trial = canonical((*model, pairs[j]))
            f = fit_model(n_lists, counts, trial, None if warm is None else warm.get(trial))
            if f.status == 0:
                chosen = (pairs[j], f)
                break
            skipped += 1
        if chosen is None:
            break
        added.append(chosen[0])
        model = canonical((*model, chosen[0]))
        fit = chosen[1]
    return fit, tuple(added), skipped


# --- exhaustive / greedy information-criterion search (Silverman, Chan & Vincent 2024) -----


def hierarchical_masks(n_lists: int, max_order: int) -> tuple[list[Term], npt.NDArray[np.bool_]] | None:
    """Every hierarchical model up to ``max_order`` as boolean masks over the terms.

    Returns ``None`` if there are more than ``MAX_MODELS`` models.
    """
    terms = all_terms(n_lists, max_order)
    pairs = [t for t in terms if len(t) == 2]
    if len(pairs) > 17:
        return None
    if max_order <= 2:
        k = len(pairs)
        masks = ((np.arange(2**k)[:, None] >> np.arange(k)) & 1).astype(bool)
        return terms, masks
    index = {t: j for j, t in enumerate(terms)}
    out: list[list[bool]] = []

    def extend(level: int, chosen: set[Term]) -> None:
        if len(out) > MAX_MODELS:
            return
        level_terms = [t for t in terms if len(t) == level]
        if level > max_order or not level_terms:
            row = [False] * len(terms)
            for t in chosen:
                row[index[t]] = True
            out.append(row)
            return
        allowed = [t for t in level_terms if all(s in chosen for s in combinations(t, level - 1))]
        for r in range(2 ** len(allowed)):
            sub = {allowed[i] for i in range(len(allowed)) if r >> i & 1}
            extend(level + 1, chosen | sub)

    for r in range(2 ** len(pairs)):
        chosen: set[Term] = {pairs[i] for i in range(len(pairs)) if r >> i & 1}
        extend(3, chosen)
        if len(out) > MAX_MODELS:
            return None
    return terms, np.array(out, dtype=bool)


def _criterion(loglik: float, n_params: int, n_obs: int, which: str) -> float:
    pen = math.log(max(n_obs, 2)) if which == "bic" else 2.0
    return -2.0 * loglik + pen * n_params


def greedy_search(n_lists: int, counts: IntArray, max_order: int, which: str) -> list[ModelFit]:
    """Forward-backward search by BIC/AIC over hierarchical models (for many lists)."""
    n_obs = int(counts.sum())
    terms = all_terms(n_lists, max_order)
    current = fit_model(n_lists, counts, ())
    seen: dict[Model, ModelFit] = {(): current}

    def score(f: ModelFit) -> float:
        return _criterion(f.loglik, f.n_params, n_obs, which) if f.status == 0 and f.df > 0 else math.inf

    improved = True
    while improved:
        improved = False
        moves: list[Model] = []
        for t in terms:
            if t in current.model:
                if not any(set(t) < set(u) for u in current.model):
                    moves.append(tuple(u for u in current.model if u != t))
            elif all(s in current.model for s in combinations(t, len(t) - 1)) or len(t) == 2:
                moves.append(canonical((*current.model, t)))
        best = current
        for m in moves:
            if m not in seen:
                seen[m] = fit_model(n_lists, counts, m)
            if score(seen[m]) < score(best) - 1e-9:
                best = seen[m]
        if best is not current:
            current = best
            improved = True
    return sorted((f for f in seen.values() if f.status == 0 and f.df > 0), key=score)


def search(n_lists: int, counts: IntArray, max_order: int, which: str) -> SearchTable:
    """Fit every hierarchical model (exhaustive up to 6 lists, greedy beyond) and rank them."""
    if max_order < 1:
        raise VinculoError(f"max_order must be at least 1, found {max_order}.", code="mse.bad_setting")
    max_order = min(max_order, n_lists)
    n_obs = int(counts.sum())
    enumerated = hierarchical_masks(n_lists, max_order) if n_lists <= EXHAUSTIVE_MAX_LISTS else None
    if enumerated is None:
        fits = greedy_search(n_lists, counts, max_order, which)
        return SearchTable(
            tuple(f.model for f in fits),
            tuple(_criterion(f.loglik, f.n_params, n_obs, "bic") for f in fits),
            tuple(_criterion(f.loglik, f.n_params, n_obs, "aic") for f in fits),
            tuple(f.estimate for f in fits),
            tuple(f.df for f in fits),
            0,
            0,
            "greedy",
        )
    terms, masks = enumerated
    res = fit_batch(n_lists, counts, terms, masks)
    ok = (res.status == 0) & (res.df > 0)
    bic = -2.0 * res.loglik + res.n_params * math.log(max(n_obs, 2))
    aic = -2.0 * res.loglik + 2.0 * res.n_params
    crit = np.where(ok, bic if which == "bic" else aic, np.inf)
    idx = np.flatnonzero(ok)
    idx = idx[np.argsort(crit[idx], kind="stable")]
    models = tuple(tuple(t for t, inm in zip(terms, masks[b], strict=True) if inm) for b in idx)
    return SearchTable(
        models,
        tuple(float(v) for v in bic[idx]),
        tuple(float(v) for v in aic[idx]),
        tuple(float(n_obs + math.exp(v)) for v in res.log_dark[idx]),
        tuple(int(v) for v in res.df[idx]),
        int((res.status != 0).sum()),
        int(((res.status == 0) & (res.df <= 0)).sum()),
        "exhaustive",
    )


def best_of(
    n_lists: int,
    counts: IntArray,
    models: tuple[Model, ...],
    which: str,
    warm: dict[Model, npt.NDArray[np.float64]] | None,
) -> ModelFit | None:
    """Best model by BIC/AIC among ``models`` (the ntop restriction); None if none can be fitted."""
    n_obs = int(counts.sum())
    best: ModelFit | None = None
    best_score = math.inf
    for m in models:
        f = fit_model(n_lists, counts, m, None if warm is None else warm.get(m))
        if f.status or f.df <= 0:
            continue
        s = _criterion(f.loglik, f.n_params, n_obs, which)
        if s < best_score:
            best, best_score = f, s
    return best


def _drop_empty_lists(sel: Selector, counts: IntArray) -> tuple[Selector, IntArray] | None:
    """Remove lists with no cases (a resampled table can lose a small list); None if none are empty.

    A list with no cases carries no information; its main effect would be -inf. The table over the
    remaining lists is the sub-table of cells without the empty lists, and models lose the terms
    that involve them.
    """
    t = sel.n_lists
    cells = np.arange(counts.size)
    keep = [i for i in range(t) if counts[(cells >> i) & 1 == 1].sum() > 0]
    if len(keep) == t:
        return None
    new_index = {old: k for k, old in enumerate(keep)}
    sub = np.zeros(2 ** len(keep), dtype=np.int64)
    for c in range(counts.size):
        if counts[c] and all((c >> i) & 1 == 0 or i in new_index for i in range(t)):
            sub[sum(1 << new_index[i] for i in keep if (c >> i) & 1)] += counts[c]

    def project(model: Model) -> Model:
        return canonical(
            tuple(new_index[i] for i in term) for term in model if all(i in new_index for i in term)
        )

    cands = None if sel.candidates is None else tuple(dict.fromkeys(project(m) for m in sel.candidates))
    return Selector(sel.method, len(keep), project(sel.model), sel.pthresh, sel.max_order, cands), sub


def select(
    sel: Selector, counts: IntArray, warm: dict[Model, npt.NDArray[np.float64]] | None = None
) -> ModelFit | None:
    """Choose and fit the model for ``counts``; None if no model can be fitted."""
    reduced = _drop_empty_lists(sel, counts)
    if reduced is not None:
        sel, counts = reduced
        warm = None
        if sel.n_lists < 2:
            return None
    if sel.method == "main":
        f = fit_model(sel.n_lists, counts, (), None if warm is None else warm.get(()))
    elif sel.method == "fixed":
        f = fit_model(sel.n_lists, counts, sel.model, None if warm is None else warm.get(sel.model))
    elif sel.method == "stepwise":
        f = stepwise(sel.n_lists, counts, sel.pthresh, warm)[0]
    elif sel.method in ("bic", "aic"):
        if sel.candidates is not None:
            return best_of(sel.n_lists, counts, sel.candidates, sel.method, warm)
        table = search(sel.n_lists, counts, sel.max_order, sel.method)
        if not table.models:
            return None
        f = fit_model(sel.n_lists, counts, table.models[0])
    else:  # pragma: no cover - guarded by estimate()
        raise ValueError(sel.method)
    return f if f.status == 0 else None
