"""Multiple systems estimation: capture histories in, population estimates out.

Poisson log-linear models for sparse capture data (Chan, Silverman & Vincent 2021), model
choice by stepwise p-values or by BIC/AIC over all hierarchical models (Silverman, Chan &
Vincent 2024), existence checks (Fienberg & Rinaldo 2012), Wald, profile-likelihood and BCa
bootstrap intervals, and strata estimated separately and combined.

Examples
--------
>>> from vinculo.mse import MSESettings, estimate, read_histories
>>> h = read_histories([{"A": 1, "B": 0, "count": 60}, {"A": 0, "B": 1, "count": 40},
...                     {"A": 1, "B": 1, "count": 20}])
>>> r = estimate(h, MSESettings(method="main"))
>>> round(r.estimate), r.n_observed
(240, 120)
"""

from vinculo.mse._histories import (
    MAX_LISTS,
    CaptureHistories,
    histories_from_counts,
    histories_from_records,
    read_histories,
    read_strata,
)
from vinculo.mse._lists import histories_from_lists
from vinculo.mse.bayes import (
    BayesResult,
    BayesSettings,
    CredibleInterval,
    GraphProbability,
    NegativeBinomialPrior,
    decomposable_graphs,
    fit_bayes,
    is_chordal,
)
from vinculo.mse.bootstrap import bca_limits
from vinculo.mse.estimate import estimate, fit_bic, fit_loglinear, fit_main, fit_stepwise, search_models
from vinculo.mse.existence import STATUS_MEANING, ExistenceCheck, check_existence
from vinculo.mse.result import (
    BootstrapSummary,
    CandidateModel,
    CellFit,
    Diagnostics,
    Interval,
    MSEResult,
    Provenance,
)
from vinculo.mse.settings import MSESettings
from vinculo.mse.strata import StrataResult, estimate_strata

__all__ = [
    "MAX_LISTS",
    "STATUS_MEANING",
    "BayesResult",
    "BayesSettings",
    "BootstrapSummary",
    "CandidateModel",
    "CaptureHistories",
    "CellFit",
    "CredibleInterval",
    "Diagnostics",
    "ExistenceCheck",
    "GraphProbability",
    "Interval",
    "MSEResult",
    "MSESettings",
    "NegativeBinomialPrior",
    "Provenance",
    "StrataResult",
    "bca_limits",
    "check_existence",
    "decomposable_graphs",
    "estimate",
    "estimate_strata",
    "fit_bayes",
    "fit_bic",
    "fit_loglinear",
    "fit_main",
    "fit_stepwise",
    "histories_from_counts",
    "histories_from_lists",
    "histories_from_records",
    "is_chordal",
    "read_histories",
    "read_strata",
    "search_models",
]
