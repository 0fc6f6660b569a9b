"""Settings for multiple systems estimation: frozen dataclasses with defaults and no logic."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["CI_METHODS", "DEFAULT_SETTINGS", "METHODS", "MSESettings"]

Method = Literal["stepwise", "bic", "aic", "main", "fixed", "bayes"]
CIMethod = Literal["wald", "profile", "bca", "none"]

METHODS: tuple[str, ...] = ("stepwise", "bic", "aic", "main", "fixed", "bayes")
CI_METHODS: tuple[str, ...] = ("wald", "profile", "bca", "none")


@dataclass(frozen=True, slots=True)
class MSESettings:
    """How to estimate the population from capture histories.

    Attributes
    ----------
    method : {"stepwise", "bic", "aic", "main", "fixed", "bayes"}
        Model choice. ``stepwise``: forward selection of two-list effects by Poisson p-values
        (Chan, Silverman & Vincent 2021). ``bic``/``aic``: best model over all hierarchical models
        up to ``max_order`` (Silverman, Chan & Vincent 2024). ``main``: main effects only.
        ``fixed``: the model given by ``terms``. ``bayes``: Bayesian model averaging
        (``vinculo.mse.bayes``).
    terms : tuple of str
        Interaction terms of the ``fixed`` model, e.g. ``("A:B", "B:C")``.
    pthresh : float
        Stepwise p-value threshold (default 0.02 as in the 2021 paper).
    max_order : int
        Highest interaction order in the ``bic``/``aic`` search (1 = main effects only).
    ci : {"wald", "profile", "bca", "none"}
        Interval: Wald on the log dark figure, profile likelihood for the chosen model, or the
        BCa bootstrap that repeats model selection in every replicate.
    nboot : int
        Bootstrap replicates for ``ci="bca"``.
    ntop : int or None
        Bootstrap of ``bic``/``aic``: choose only among the ``ntop`` best models of the original
        data in each replicate (2024 paper). ``None``: all models.
    seed : int
        Seed of the numpy random generator; replicate ``i`` uses child ``i`` of
        ``SeedSequence(seed)``, so results do not depend on the number of workers.
    level : float
        Confidence level of the interval.
    n_jobs : int or None
        Worker processes for the bootstrap; ``None`` uses every core, 1 runs in this process.
    n_candidates : int
        How many of the best models the ``bic``/``aic`` result lists.
    """

    method: Method = "stepwise"
    terms: tuple[str, ...] = ()
    pthresh: float = 0.02
    max_order: int = 2
    ci: CIMethod = "wald"
    nboot: int = 1000
    ntop: int | None = None
    seed: int = 1234
    level: float = 0.95
    n_jobs: int | None = None
    n_candidates: int = 10

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["terms"] = list(self.terms)
        return data


DEFAULT_SETTINGS = MSESettings()
"""The defaults (stepwise, pthresh 0.02, Wald interval); shared, immutable."""
