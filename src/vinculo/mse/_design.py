"""Model terms and design matrices for Poisson log-linear capture models.

A term is a sorted tuple of list indices (``(0, 4)`` is the two-list effect of lists 0 and 4).
A model is a tuple of terms of order >= 2; the intercept and all main effects are always in.
Design matrices depend only on the number of lists and the terms, so they are cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from vinculo.errors import VinculoError

Term = tuple[int, ...]
Model = tuple[Term, ...]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def term_mask(term: Term) -> int:
    mask = 0
    for i in term:
        mask |= 1 << i
    return mask


def canonical(model: Iterable[Term]) -> Model:
    """Sort terms by order, then lexicographically; drop duplicates."""
    return tuple(sorted({tuple(sorted(t)) for t in model}, key=lambda t: (len(t), t)))


def term_name(term: Term, lists: Sequence[str]) -> str:
    return ":".join(lists[i] for i in sorted(term))


def model_names(model: Iterable[Term], lists: Sequence[str]) -> tuple[str, ...]:
    return tuple(term_name(t, lists) for t in model)


def parse_terms(terms: Iterable[str | Sequence[str] | Sequence[int]], lists: Sequence[str]) -> Model:
    """Turn ``"A:E"`` strings, name tuples or index tuples into a model; validate names.

    Raises
    ------
    VinculoError
        ``mse.unknown_term`` if a name is not a list, or a term has fewer than two lists.
    """
    index = {name: i for i, name in enumerate(lists)}
    out: list[Term] = []
    for term in terms:
        parts: Sequence[str | int] = term.split(":") if isinstance(term, str) else list(term)
        idx: list[int] = []
        for p in parts:
            if isinstance(p, int | np.integer) and not isinstance(p, bool):
                if not 0 <= int(p) < len(lists):
                    raise VinculoError(
                        f"Model term {term!r}: list number {p} is out of range 0..{len(lists) - 1}.",
                        code="mse.unknown_term",
                    )
                idx.append(int(p))
            else:
                name = str(p).strip()
                if name not in index:
                    raise VinculoError(
                        f"Model term {term!r}: {name!r} is not a list; the lists are {', '.join(lists)}.",
                        code="mse.unknown_term",
                        fix='Write terms as list names joined by ":", e.g. "' + ":".join(lists[:2]) + '".',
                    )
                idx.append(index[name])
        if len(set(idx)) < 2:
            raise VinculoError(
                f"Model term {term!r} names fewer than two distinct lists; main effects are always included.",
                code="mse.unknown_term",
                fix="Give interaction terms only, e.g. " + ":".join(lists[:2]) + ".",
            )
        out.append(tuple(sorted(set(idx))))
    return tuple(dict.fromkeys(out))


def hierarchical_closure(model: Iterable[Term]) -> Model:
    """Add every lower-order interaction implied by the terms (keeps the model hierarchical)."""
    out: set[Term] = set()
    for t in model:
        for k in range(2, len(t) + 1):
            out.update(combinations(t, k))
    return canonical(out)


def all_terms(n_lists: int, max_order: int) -> list[Term]:
    return [t for k in range(2, max_order + 1) for t in combinations(range(n_lists), k)]


@lru_cache(maxsize=64)
def cell_bits(n_lists: int) -> npt.NDArray[np.int64]:
    """Observed cells 1 .. 2**t - 1."""
    return np.arange(1, 2**n_lists, dtype=np.int64)


@lru_cache(maxsize=4096)
def design(n_lists: int, model: Model) -> FloatArray:
    """Design matrix over the observed cells: intercept, main effects, then ``model`` terms."""
    cells = cell_bits(n_lists)
    cols = [np.ones(cells.size)]
    cols += [((cells >> i) & 1).astype(np.float64) for i in range(n_lists)]
    for t in model:
        m = term_mask(t)
        cols.append(((cells & m) == m).astype(np.float64))
    x = np.column_stack(cols)
    x.setflags(write=False)
    return x


def zero_terms(counts: npt.NDArray[np.int64], model: Model) -> Model:
    """Terms of the model whose lists have no case in common (their effect is -inf)."""
    cells = np.arange(counts.size)
    out = []
    for t in model:
        m = term_mask(t)
        if counts[(cells & m) == m].sum() == 0:
            out.append(t)
    return tuple(out)


def reduced_design(n_lists: int, model: Model, empty: Model) -> tuple[FloatArray, BoolArray, list[int]]:
    """Design after removing the cells that contain an empty-overlap term.

    Returns the reduced design (kept cells x kept columns), the boolean mask of kept cells over
    cells 1..2**t-1, and the kept column indices of the full design.
    """
    x = design(n_lists, model)
    cells = cell_bits(n_lists)
    keep = np.ones(cells.size, dtype=bool)
    for t in empty:
        m = term_mask(t)
        keep &= (cells & m) != m
    xr = x[keep]
    cols = [j for j in range(x.shape[1]) if xr[:, j].any()]
    return xr[:, cols], keep, cols
