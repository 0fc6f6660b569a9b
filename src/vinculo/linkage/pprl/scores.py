"""The match threshold from the data: a two-component mixture of the candidates' Dice scores.

Candidate pairs (records sharing a blocking key) are a mixture of matches and non-matches. Their
Dice scores are modelled as two normal components, fitted by EM (Dempster et al. 1977) with no
labels — the PPRL analogue of the Fellegi–Sunter EM in the trusted mode. A pair's match
probability is its posterior under the mixture (made non-decreasing in Dice, as it must be), and
pairs link where that probability reaches 1/2. Within one source duplicates are far rarer than
matches across sources, so within-source pairs keep the same two components but get their own
prior, fitted by EM on the within-source candidates: with no duplicates the prior goes to zero and
no within-source pair links. When the scores show no second component (too few pairs, or a match
mean within three standard deviations of the non-match mean, as when no record has a match in the
other sources), :data:`FALLBACK_THRESHOLD` is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FALLBACK_THRESHOLD", "ScoreModel", "fit_prior", "fit_scores"]

#: Dice on the hardened filters used when the scores cannot be modelled. Unrelated records agree on
#: about half their bits after rule 90 (Dice near 0.45); 0.7 is well clear of that.
FALLBACK_THRESHOLD = 0.7
_GRID = np.linspace(0.0, 1.0, 2001)
_SAMPLE = 200_000


@dataclass(frozen=True)
class ScoreModel:
    """Normal components of non-matches (``mu0, sd0``) and matches (``mu1, sd1``), and the prior."""

    prior: float
    mu0: float
    sd0: float
    mu1: float
    sd1: float
    iterations: int

    def posterior(self, dice: np.ndarray, prior: float | None = None) -> np.ndarray:
        """Match probability of each score; non-decreasing in the score."""
        curve = self._curve(self.prior if prior is None else prior)
        out: np.ndarray = np.interp(np.asarray(dice, dtype=np.float64), _GRID, curve)
        return out

    def threshold(self, prior: float | None = None, level: float = 0.5) -> float:
        """The smallest Dice whose match probability reaches ``level`` (``inf`` if none does)."""
        curve = self._curve(self.prior if prior is None else prior)
        above = np.nonzero(curve >= level)[0]
        return float(_GRID[above[0]]) if len(above) else float("inf")

    def _curve(self, prior: float) -> np.ndarray:
        if prior <= 0.0:
            return np.zeros_like(_GRID)
        log1 = np.log(prior) - np.log(self.sd1) - 0.5 * ((_GRID - self.mu1) / self.sd1) ** 2
        log0 = (
            np.log1p(-min(prior, 1 - 1e-12)) - np.log(self.sd0) - 0.5 * ((_GRID - self.mu0) / self.sd0) ** 2
        )
        post = 1.0 / (1.0 + np.exp(np.clip(log0 - log1, -700, 700)))
        post[_GRID < self.mu0] = 0.0
        return np.maximum.accumulate(post)

    def to_dict(self) -> dict[str, float]:
        return {
            "prior": self.prior,
            "mu0": self.mu0,
            "sd0": self.sd0,
            "mu1": self.mu1,
            "sd1": self.sd1,
            "iterations": float(self.iterations),
        }


def _normal(x: np.ndarray, mu: float, sd: float) -> np.ndarray:
    return np.exp(-0.5 * ((x - mu) / sd) ** 2) / sd


def fit_scores(
    dice: np.ndarray, *, max_prior: float = 1.0, max_iter: int = 500, tol: float = 1e-7
) -> ScoreModel | None:
    """Fit the two-component mixture by EM; ``None`` when the scores show no match component.

    ``max_prior`` bounds the share of matches: across sources a record has at most one match in
    each other source, so at most ``sum(min(n_i, n_j))`` of the candidate pairs can be matches.
    Without the bound EM may split a wide non-match distribution in two.
    """
    x = np.asarray(dice, dtype=np.float64)
    if len(x) < 30:
        return None
    if len(x) > _SAMPLE:  # a fixed-seed random sample estimates the mixture as well, far faster
        x = np.random.default_rng(0).choice(x, _SAMPLE, replace=False)
    floor = 1e-3
    prior = min(0.5, max_prior)
    mu0, mu1 = float(np.quantile(x, 0.25)), float(np.quantile(x, 0.95))
    sd0 = sd1 = max(float(x.std()) / 2, floor)
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        p1 = prior * _normal(x, mu1, sd1)
        p0 = (1 - prior) * _normal(x, mu0, sd0)
        w = p1 / np.maximum(p1 + p0, 1e-300)
        sw = float(w.sum())
        if sw < 1e-9 or sw > len(x) - 1e-9:
            return None
        new_prior = min(sw / len(x), max_prior)
        new_mu1 = float((w * x).sum() / sw)
        new_mu0 = float(((1 - w) * x).sum() / (len(x) - sw))
        sd1 = max(float(np.sqrt((w * (x - new_mu1) ** 2).sum() / sw)), floor)
        sd0 = max(float(np.sqrt(((1 - w) * (x - new_mu0) ** 2).sum() / (len(x) - sw))), floor)
        delta = abs(new_prior - prior) + abs(new_mu1 - mu1) + abs(new_mu0 - mu0)
        prior, mu0, mu1 = new_prior, new_mu0, new_mu1
        if delta < tol:
            break
    if mu1 < mu0:
        prior, mu0, mu1, sd0, sd1 = 1 - prior, mu1, mu0, sd1, sd0
    if mu1 - mu0 < 3 * sd0:  # no component clear of the non-matches (3 standard deviations)
        return None
    return ScoreModel(prior=prior, mu0=mu0, sd0=sd0, mu1=mu1, sd1=sd1, iterations=it)


def fit_prior(model: ScoreModel, dice: np.ndarray, *, max_iter: int = 200) -> float:
    """EM for the prior alone, the components fixed (for within-source candidates)."""
    x = np.asarray(dice, dtype=np.float64)
    if len(x) == 0:
        return 0.0
    f1, f0 = _normal(x, model.mu1, model.sd1), _normal(x, model.mu0, model.sd0)
    prior = model.prior
    for _ in range(max_iter):
        p1 = prior * f1
        new = float((p1 / np.maximum(p1 + (1 - prior) * f0, 1e-300)).mean())
        if abs(new - prior) < 1e-9:
            return new
        prior = new
    return prior
