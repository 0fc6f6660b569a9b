"""Differentially private counts and cross-tables, with OpenDP's mechanisms.

:func:`dp_counts` counts records by any set of columns over a **declared domain** and releases
every cell of the cross-table (all combinations of the domain values, the empty "no attribute"
value included) with noise from OpenDP:

* ``mechanism="laplace"`` (default): OpenDP's ``make_count_by_categories`` then ``make_laplace``
  (discrete Laplace on integers), pure ε-DP;
* ``mechanism="gaussian"``: the same count then ``make_gaussian`` (discrete Gaussian), ρ-zCDP,
  also reported as (ε, δ)-DP for the given δ via OpenDP's ``make_zCDP_to_approxDP``.

**Neighbouring tables** differ by adding or removing one record. A multi-valued cell
(``;``-joined) makes its record count under each of its values, so a record contributes to
``prod(min(values, max_values[c]))`` cells. Its values beyond ``max_values[c]`` for a column
(default 1 for a declared domain, the codebook's largest combination for CTDC columns) are
dropped, keeping the first in domain order, so every record contributes to at most
``C = prod(max_values[c])`` cells. The contributions are fed to OpenDP as ``C`` rows per record
under the symmetric distance, so OpenDP itself checks the privacy map: ``d_in = C``; the noise
scale is OpenDP's smallest one for the requested ε (``binary_search_param``).

**The domain never comes from the private data unless the caller says so.** Taking the category
set from the table leaks (a rare category's very name discloses that someone has it). Domains
come from ``domains=`` (for example the codebook), else from CTDC's published value sets for
the CTDC victim-perpetrator columns (:func:`vinculo.release.vp_domains`); an unknown column is
refused unless ``observed_domain_is_public=True``, which takes the observed categories as
public and says so in ``warnings``. A value outside the declared domain is refused with its row
(the message goes to the data holder, who may see the data, never into the release).

**Error bars**: ``accuracy`` is OpenDP's ``discrete_laplacian_scale_to_accuracy`` (or the
Gaussian one) at ``alpha`` (0.05: 95 %): a raw noisy cell is within ``accuracy`` of the true
count with probability ``1 - alpha``. Each released cell shows ``[max(0, count - accuracy),
count + accuracy]``.

**Post-processing** (free under DP, it never sees the data): the noisy cells are projected in
least squares onto the non-negative tables whose grand total is the (rounded, non-negative)
noisy total, then rounded to integers keeping that total (largest remainders, ties broken by
``seed``). Every margin is the sum of its cells, so margins and the grand total add up across
the table. OpenDP's noise itself is not seedable (it uses a cryptographic source, by design).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from vinculo.errors import Issue, Location, VinculoError, VinculoWarning

__all__ = [
    "MAX_EPSILON",
    "CountCell",
    "CountsResult",
    "DomainWarning",
    "dp_counts",
    "project_consistent",
]

#: Larger ε is refused: e^20 ≈ 5e8 is the factor by which one record may change the odds of
#: any output, i.e. no meaningful privacy.
MAX_EPSILON = 20.0
#: Largest ρ accepted for zCDP (about ε = 20 for δ = 1e-9).
MAX_RHO = 5.0
#: Largest number of cells in one cross-table.
MAX_CELLS = 1_000_000

Mechanism = Literal["laplace", "gaussian"]


class DomainWarning(VinculoWarning):
    """A column's categories were taken from the private data (declared public by the caller)."""


@dataclass(frozen=True, slots=True)
class CountCell:
    """One released cell: the ``by`` values (``""`` = no attribute) and its DP count."""

    key: tuple[str, ...]
    count: int
    lower: int
    upper: int
    noisy: int

    def to_dict(self, columns: Sequence[str]) -> dict[str, Any]:
        return {
            **dict(zip(columns, self.key, strict=True)),
            "count": self.count,
            "lower": self.lower,
            "upper": self.upper,
            "noisy": self.noisy,
        }


@dataclass(frozen=True)
class CountsResult:
    """A DP cross-table. Holds no record; every number in it is differentially private."""

    columns: tuple[str, ...]
    cells: tuple[CountCell, ...]
    mechanism: str
    epsilon: float
    delta: float
    rho: float | None
    scale: float
    sensitivity: int
    max_values: dict[str, int]
    accuracy: float
    alpha: float
    total: int
    domains: dict[str, tuple[str, ...]]
    domain_sources: dict[str, str]
    warnings: tuple[str, ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)

    def margin(self, columns: Sequence[str]) -> dict[tuple[str, ...], int]:
        """Sums of the released cells over ``columns`` (a subset of ``self.columns``)."""
        positions = [self.columns.index(c) for c in columns]
        out: dict[tuple[str, ...], int] = {}
        for cell in self.cells:
            key = tuple(cell.key[p] for p in positions)
            out[key] = out.get(key, 0) + cell.count
        return out

    def summary(self) -> str:
        """A fixed-width report: the mechanism and its parameters, then one line per cell."""
        privacy = f"epsilon = {self.epsilon:g}" + (
            f", delta = {self.delta:g}, rho = {self.rho:g}" if self.rho is not None else " (pure DP)"
        )
        lines = [
            f"DP counts by {', '.join(self.columns)}",
            f"Mechanism: {self.mechanism}; {privacy}",
            f"Noise scale {self.scale:g}, sensitivity {self.sensitivity} (add/remove one record); "
            f"{100 * (1 - self.alpha):g} % error bar +/- {math.floor(self.accuracy)}",
            f"Total {self.total}",
        ]
        width = [
            max(len(c), *(len(k[i] or "(none)") for k in (cell.key for cell in self.cells)))
            for i, c in enumerate(self.columns)
        ]
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(self.columns, width, strict=True)) + "     count  95% range"
        )
        for cell in self.cells:
            key = "  ".join((v or "(none)").ljust(w) for v, w in zip(cell.key, width, strict=True))
            lines.append(f"{key}  {cell.count:>8}  {cell.lower}-{cell.upper}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": list(self.columns),
            "mechanism": self.mechanism,
            "epsilon": self.epsilon,
            "delta": self.delta,
            "rho": self.rho,
            "scale": self.scale,
            "sensitivity": self.sensitivity,
            "max_values": self.max_values,
            "accuracy": self.accuracy,
            "confidence": 1 - self.alpha,
            "total": self.total,
            "domain_sources": self.domain_sources,
            "warnings": list(self.warnings),
            "provenance": self.provenance,
            "cells": [cell.to_dict(self.columns) for cell in self.cells],
        }


def _check_budget(mechanism: str, epsilon: float | None, rho: float | None, delta: float) -> None:
    if mechanism not in ("laplace", "gaussian"):
        raise VinculoError(
            f"Unknown mechanism {mechanism!r}.", code="release.bad_mechanism", fix="Use laplace or gaussian."
        )
    if mechanism == "laplace":
        if epsilon is None or isinstance(epsilon, bool) or not math.isfinite(float(epsilon)) or epsilon <= 0:
            raise VinculoError(
                f"ε must be a number greater than 0, not {epsilon!r}"
                + (
                    ": ε = 0 would mean no information at all."
                    if epsilon is not None and epsilon <= 0
                    else "."
                ),
                code="release.bad_epsilon",
                fix="Give --epsilon, e.g. 1 (smaller is more private and noisier).",
            )
        if epsilon > MAX_EPSILON:
            raise VinculoError(
                f"ε = {epsilon:g} is too large to call private: above {MAX_EPSILON:g} one record may "
                f"change the odds of an output by a factor e^ε (more than {math.exp(MAX_EPSILON):.0e}).",
                code="release.bad_epsilon",
                fix=f"Use an ε between 0 and {MAX_EPSILON:g}; 0.1 to 2 is usual.",
            )
    else:
        if rho is None or isinstance(rho, bool) or not math.isfinite(float(rho)) or rho <= 0 or rho > MAX_RHO:
            raise VinculoError(
                f"ρ must be a number in (0, {MAX_RHO:g}], not {rho!r}.",
                code="release.bad_rho",
                fix="Give ρ, e.g. 0.5 (smaller is more private and noisier).",
            )
        if not 0 < delta < 1e-3:
            raise VinculoError(
                f"δ must be in (0, 0.001), not {delta!r}.",
                code="release.bad_delta",
                fix="Use a δ far below 1/n, e.g. 1e-9.",
            )


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _resolve_domains(
    rows: Sequence[Mapping[str, str]],
    by: Sequence[str],
    domains: Mapping[str, Sequence[str]] | None,
    observed_domain_is_public: bool,
) -> tuple[dict[str, tuple[str, ...]], dict[str, str], list[str]]:
    from vinculo.release._generate import vp_domains

    codebook = vp_domains()
    out: dict[str, tuple[str, ...]] = {}
    sources: dict[str, str] = {}
    notes: list[str] = []
    for column in by:
        if domains and column in domains:
            values = [str(v).strip() for v in domains[column] if str(v).strip()]
            joined = [v for v in values if ";" in v]
            if joined:
                raise VinculoError(
                    f'The domain of "{column}" has {joined[0]!r}: ";" joins values in a cell, so a '
                    "domain value cannot contain it.",
                    code="release.bad_domain",
                    fix="List the single values; a record with several counts under each.",
                )
            out[column] = tuple(dict.fromkeys(values))
            sources[column] = "declared"
        elif column in codebook:
            out[column] = codebook[column]
            sources[column] = "CTDC codebook"
        elif observed_domain_is_public:
            seen = sorted({v for row in rows for v in _split(row.get(column) or "")})
            out[column] = tuple(seen)
            sources[column] = "observed (declared public)"
            notes.append(
                f'The categories of column "{column}" were read from the data and declared public; '
                "the release shows which categories occur."
            )
        else:
            raise VinculoError(
                f'Column "{column}" has no declared domain: its categories would be read from the '
                "private data, and a rare category's very name can disclose someone.",
                code="release.no_domain",
                fields={"column": column},
                fix=f'Declare its values (--domain "{column}=A,B,C"), or, if its categories are '
                "public, pass --public-categories.",
            )
    return out, sources, notes


def _default_max_values(column: str, source: str, domain: Sequence[str]) -> int:
    if source == "CTDC codebook":
        from vinculo.release._generate import vp_marginals

        return max((len(_split(v)) for v in vp_marginals()[column] if v), default=1)
    return 1


def dp_counts(
    records: Iterable[Mapping[str, str]],
    by: Sequence[str],
    *,
    epsilon: float | None = None,
    mechanism: Mechanism = "laplace",
    rho: float | None = None,
    delta: float = 1e-9,
    domains: Mapping[str, Sequence[str]] | None = None,
    observed_domain_is_public: bool = False,
    max_values: int | Mapping[str, int] | None = None,
    alpha: float = 0.05,
    seed: int | None = None,
    name: str = "<input>",
    row_numbers: Sequence[int] | None = None,
) -> CountsResult:
    """Release the DP counts of ``records`` by the columns ``by`` (see the module docstring).

    Parameters
    ----------
    records : iterable of mappings
        ``{column: cell}``; a cell is ``""`` (no attribute), one value, or ``;``-joined values.
    by : sequence of str
        One or more columns; the table has every combination of their domains (``""`` too).
    epsilon : float
        Pure-DP budget for ``mechanism="laplace"`` (0 < ε <= 20).
    mechanism : "laplace" or "gaussian"
        Discrete Laplace (ε-DP) or discrete Gaussian (ρ-zCDP, also reported as (ε, δ)).
    rho, delta : float
        For ``"gaussian"``: the zCDP budget ρ and the δ at which ε is reported.
    domains : mapping, optional
        Declared (public) values of each column; CTDC columns default to the codebook.
    observed_domain_is_public : bool
        Take the observed categories of undeclared columns as public (warns).
    max_values : int or mapping, optional
        Bound on the values one record contributes per column (see the module docstring).
    alpha : float
        1 - confidence of the error bars (0.05 gives 95 %).
    seed : int, optional
        Seeds the tie-breaks of the integer rounding only; the noise is never seeded.
    name : str
        File name shown in messages.
    row_numbers : sequence of int, optional
        The file's row number of each record, for messages (default: 2, 3, ... after a header).
    """
    import opendp.prelude as dp

    dp.enable_features("contrib")
    _check_budget(mechanism, epsilon, rho, delta)
    by = tuple(by)
    if not by:
        raise VinculoError(
            "No column to count by.", code="release.no_columns", fix="Give --by COLUMN[,COLUMN]."
        )
    if len(set(by)) != len(by):
        raise VinculoError(
            f"A column is named twice in {', '.join(by)}.",
            code="release.duplicate_column",
            fix="Name each once.",
        )
    if not 0 < alpha < 1:
        raise VinculoError(f"alpha must be in (0, 1), not {alpha!r}.", code="release.bad_alpha")
    rows = list(records)
    doms, sources, notes = _resolve_domains(rows, by, domains, observed_domain_is_public)
    bounds: dict[str, int] = {}
    for column in by:
        if isinstance(max_values, Mapping) and column in max_values:
            bounds[column] = int(max_values[column])
        elif isinstance(max_values, int) and not isinstance(max_values, bool):
            bounds[column] = max_values
        else:
            bounds[column] = _default_max_values(column, sources[column], doms[column])
        if bounds[column] < 1:
            raise VinculoError(
                f'max_values for "{column}" must be at least 1.', code="release.bad_max_values"
            )
    # Each column's levels: "" (no attribute) first, then the domain in its declared order.
    levels = {column: ("", *doms[column]) for column in by}
    sizes = [len(levels[c]) for c in by]
    n_cells = math.prod(sizes)
    if n_cells > MAX_CELLS:
        raise VinculoError(
            f"The table by {', '.join(by)} would have {n_cells:,} cells (at most {MAX_CELLS:,}).",
            code="release.too_many_cells",
            fix="Count by fewer columns or coarser categories.",
        )
    index = {column: {value: i for i, value in enumerate(levels[column])} for column in by}
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(by))]
    issues: list[Issue] = []
    pseudo: list[int] = []
    numbers = list(row_numbers) if row_numbers is not None else list(range(2, len(rows) + 2))
    for row_number, row in zip(numbers, rows, strict=True):
        per_column: list[list[int]] = []
        for column in by:
            values = _split(row.get(column) or "")
            codes = []
            for value in values:
                code = index[column].get(value)
                if code is None:
                    if len(issues) < 20:
                        issues.append(
                            Issue(
                                "release.value_outside_domain",
                                f'"{value}" is not in the declared domain of "{column}".',
                                Location(file=name, row=row_number, column=column),
                                value=value,
                                expected=", ".join(doms[column]),
                            )
                        )
                    continue
                codes.append(code)
            codes = sorted(set(codes))[: bounds[column]] or [0]
            per_column.append(codes)
        for combo in itertools.product(*per_column):
            pseudo.append(sum(code * stride for code, stride in zip(combo, strides, strict=True)))
    if issues:
        raise VinculoError(
            f"{name}: values outside the declared domain.",
            code="release.value_outside_domain",
            issues=issues,
            fix="Add the values to the column's domain (--domain), or correct the cells.",
        )
    sensitivity = math.prod(bounds.values())
    space = (dp.vector_domain(dp.atom_domain(T=dp.i64)), dp.symmetric_distance())
    categories = list(range(n_cells))
    if mechanism == "laplace":
        assert epsilon is not None
        count = dp.t.make_count_by_categories(*space, categories=categories, null_category=False)
        scale, meas = _calibrate(
            lambda s: count >> dp.m.then_laplace(scale=s), sensitivity / epsilon, sensitivity, epsilon
        )
        eps_used, delta_used, rho_used = float(meas.map(sensitivity)), 0.0, None
        accuracy = float(dp.discrete_laplacian_scale_to_accuracy(scale, alpha))
    else:
        assert rho is not None
        count = dp.t.make_count_by_categories(
            *space, categories=categories, null_category=False, MO=dp.L2Distance[int]
        )
        guess = sensitivity / math.sqrt(2 * rho)
        scale, meas = _calibrate(lambda s: count >> dp.m.then_gaussian(scale=s), guess, sensitivity, rho)
        rho_used = float(meas.map(sensitivity))
        approx: Any = dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(meas), delta=delta)
        eps_used, delta_used = (float(x) for x in approx.map(sensitivity))
        accuracy = float(dp.discrete_gaussian_scale_to_accuracy(scale, alpha))
    noisy = np.asarray(meas(pseudo), dtype=np.float64)
    released = project_consistent(noisy, seed=seed)
    half = math.floor(accuracy)
    cells = tuple(
        CountCell(
            key=key,
            count=int(released[i]),
            lower=max(0, int(released[i]) - half),
            upper=int(released[i]) + half,
            noisy=int(noisy[i]),
        )
        for i, key in enumerate(itertools.product(*(levels[c] for c in by)))
    )
    for note in notes:
        warnings.warn(note, DomainWarning, stacklevel=2)
    return CountsResult(
        columns=by,
        cells=cells,
        mechanism="discrete Laplace (OpenDP make_laplace)"
        if mechanism == "laplace"
        else "discrete Gaussian (OpenDP make_gaussian), zCDP",
        epsilon=eps_used,
        delta=delta_used,
        rho=rho_used,
        scale=float(scale),
        sensitivity=sensitivity,
        max_values=bounds,
        accuracy=accuracy,
        alpha=alpha,
        total=int(released.sum()),
        domains={c: levels[c] for c in by},
        domain_sources=sources,
        warnings=tuple(notes),
        provenance={"opendp": _opendp_version(), "neighbouring": "add/remove one record", "seed": seed},
    )


def _calibrate(make: Callable[[float], Any], guess: float, d_in: int, d_out: float) -> tuple[float, Any]:
    """The measurement at the textbook scale ``guess``, widened until OpenDP's own privacy map
    says it spends at most ``d_out`` for ``d_in`` (floating-point rounding may need a nudge)."""
    scale = guess
    for _ in range(50):
        meas = make(scale)
        if meas.map(d_in) <= d_out:
            return scale, meas
        scale *= 1 + 1e-9 * 2**_
    raise VinculoError("OpenDP could not calibrate the noise scale.", code="release.calibration_failed")


def _opendp_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("opendp")
    except PackageNotFoundError:  # pragma: no cover - opendp imported above
        return "unknown"


def project_consistent(
    noisy: Sequence[float] | NDArray[np.float64], *, seed: int | None = None
) -> NDArray[np.int64]:
    """Post-process noisy cells into a consistent integer table.

    Least-squares projection onto ``{x >= 0, sum(x) = T}`` with ``T = max(0, round(sum(noisy)))``
    (the Euclidean projection onto a scaled simplex: ``x = max(0, noisy - tau)``), then rounding
    to integers that keep the total ``T`` (floors, plus one for the largest remainders; ties in a
    random order from ``seed``). Uses only the noisy values, so it costs no privacy.
    """
    y = np.asarray(noisy, dtype=np.float64)
    if y.size == 0:
        return np.zeros(0, dtype=np.int64)
    total = max(0, round(float(y.sum())))
    if total == 0:
        return np.zeros(y.size, dtype=np.int64)
    # Projection onto the simplex of size `total` (sort-based, exact).
    ordered = np.sort(y)[::-1]
    cumulative = np.cumsum(ordered) - total
    ranks = np.arange(1, y.size + 1)
    support = ordered - cumulative / ranks > 0
    last = int(np.nonzero(support)[0][-1])
    tau = cumulative[last] / (last + 1)
    x = np.maximum(y - tau, 0.0)
    floors = np.floor(x + 1e-9).astype(np.int64)
    remainder = int(total - floors.sum())
    if remainder > 0:
        rng = np.random.default_rng(seed)
        fractions = x - floors
        order = np.lexsort((rng.random(y.size), -fractions))
        floors[order[:remainder]] += 1
    elif remainder < 0:  # only from floating error: take back from the largest cells
        order = np.argsort(-x, kind="stable")
        floors[order[:-remainder]] -= 1
    result: NDArray[np.int64] = floors
    return result
