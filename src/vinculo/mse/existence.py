"""Existence and identifiability of the (extended) maximum likelihood estimate.

Fienberg & Rinaldo (2012): the MLE of a Poisson log-linear model with design ``A`` exists iff
the sufficient statistics ``t = A'y`` lie in the relative interior of the cone spanned by the rows
of ``A``, i.e. iff some strictly positive cell means ``x`` reproduce them. The linear program

    maximise s  subject to  A'x = A'y,  x_i >= s,  0 <= s <= 1,  x >= 0

has optimum ``s* > 0`` exactly when the MLE exists. Terms whose lists have no case in common
are first moved to -inf by removing the cells that contain them (Chan, Silverman & Vincent,
2021); the parameters are identifiable iff the remaining design has full column rank.

Status codes: 0 exists and identifiable; 1 no MLE; 2 not identifiable; 3 both.
The LP depends only on which cells are zero, so results are cached by that pattern.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog

from vinculo.mse._design import Model, model_names, parse_terms, reduced_design, zero_terms
from vinculo.mse._histories import CaptureHistories

__all__ = ["STATUS_MEANING", "ExistenceCheck", "check_existence"]

STATUS_MEANING = {
    0: "the MLE exists and is identifiable",
    1: "no (extended) MLE exists: some parameter estimates are infinite",
    2: "the MLE exists but the parameters are not identifiable (the design is rank deficient)",
    3: "no MLE exists and the parameters are not identifiable",
}


@dataclass(frozen=True, slots=True)
class ExistenceCheck:
    """Result of :func:`check_existence`.

    Attributes
    ----------
    status : int
        0 exists and identifiable; 1 no MLE; 2 not identifiable; 3 both.
    lp_value : float
        Optimum ``s*`` of the Fienberg-Rinaldo linear program (counts scaled to sum 1).
    rank, n_params : int
        Rank and number of columns of the design after removing empty-overlap cells.
    model_terms, empty_terms : tuple of str
        The model's terms, and those set to -inf because their lists do not overlap.
    """

    status: int
    lp_value: float
    rank: int
    n_params: int
    model_terms: tuple[str, ...]
    empty_terms: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.status == 0

    @property
    def message(self) -> str:
        terms = "[" + "][".join(self.model_terms) + "]" if self.model_terms else "main effects"
        return f"Model {terms}: {STATUS_MEANING[self.status]}."


@lru_cache(maxsize=65536)
def _lp_exists(n_lists: int, model: Model, empty: Model, zero_pattern: bytes) -> tuple[bool, float]:
    x, keep, _ = reduced_design(n_lists, model, empty)
    zero = np.frombuffer(zero_pattern, dtype=bool)[keep]
    if not zero.any():
        return True, 1.0
    # Support matters, values do not: use 1 on the positive cells.
    y = (~zero).astype(np.float64)
    y /= y.sum()
    n, _p = x.shape
    a_eq = np.hstack([x.T, np.zeros((x.shape[1], 1))])
    b_eq = x.T @ y
    a_ub = np.hstack([-np.eye(n), np.ones((n, 1))])
    b_ub = np.zeros(n)
    c = np.zeros(n + 1)
    c[-1] = -1.0
    res = linprog(
        c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * n + [(0, 1)], method="highs"
    )
    value = float(-res.fun) if res.status == 0 else 0.0
    return value > 1e-9, value


@lru_cache(maxsize=4096)
def _rank(n_lists: int, model: Model, empty: Model) -> tuple[int, int]:
    x, _, _ = reduced_design(n_lists, model, empty)
    return int(np.linalg.matrix_rank(x)), x.shape[1]


def design_rank(n_lists: int, model: Model, empty: Model) -> int:
    """Rank of the design after removing empty-overlap cells (cached)."""
    return _rank(n_lists, model, empty)[0]


def model_status(n_lists: int, model: Model, counts: npt.NDArray[np.int64]) -> int:
    """Status code of ``model`` for ``counts`` (cached; used inside searches and bootstraps)."""
    empty = zero_terms(counts, model)
    exists, _ = _lp_exists(n_lists, model, empty, (counts[1:] == 0).tobytes())
    rank, p = _rank(n_lists, model, empty)
    return (0 if exists else 1) + (0 if rank == p else 2)


def check_existence(histories: CaptureHistories, terms: Iterable[str] = ()) -> ExistenceCheck:
    """Check that a model's MLE exists and is identifiable for these histories.

    Parameters
    ----------
    histories : CaptureHistories
    terms : iterable of str
        Interaction terms such as ``["A:B", "B:C"]``; main effects are always included.

    Returns
    -------
    ExistenceCheck
        ``status`` 0 (exists, identifiable), 1 (no MLE), 2 (not identifiable), 3 (both).

    Examples
    --------
    >>> from vinculo.mse import read_histories
    >>> h = read_histories([{"A": 1, "B": 0, "C": 0, "count": 40}, {"A": 0, "B": 1, "C": 0, "count": 30},
    ...                     {"A": 0, "B": 0, "C": 1, "count": 20}, {"A": 1, "B": 1, "C": 0, "count": 6}])
    >>> check_existence(h, ["A:B"]).status
    1
    """
    from vinculo.mse._design import canonical

    model = canonical(parse_terms(terms, histories.lists))
    counts = histories.counts
    empty = zero_terms(counts, model)
    exists, value = _lp_exists(histories.n_lists, model, empty, (counts[1:] == 0).tobytes())
    rank, p = _rank(histories.n_lists, model, empty)
    status = (0 if exists else 1) + (0 if rank == p else 2)
    return ExistenceCheck(
        status,
        value,
        rank,
        p,
        model_names(model, histories.lists),
        model_names(empty, histories.lists),
    )
