"""The result object every MSE method returns (STYLE.md section 2)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BootstrapSummary",
    "CandidateModel",
    "CellFit",
    "Diagnostics",
    "Interval",
    "MSEResult",
    "Provenance",
]


def _num(x: float | None) -> float | None:
    """JSON-safe float: NaN and infinities become None."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


@dataclass(frozen=True, slots=True)
class Interval:
    """A confidence interval for the total population."""

    lower: float
    upper: float
    level: float
    method: str  # "wald_log", "profile", "bca", "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower": _num(self.lower),
            "upper": _num(self.upper),
            "level": self.level,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class Diagnostics:
    """Fit diagnostics of the chosen model.

    ``existence_status``: 0 MLE exists and is identifiable, 1 no MLE, 2 not identifiable, 3 both.
    ``empty_terms``: model terms whose lists have no case in common (set to -inf, their cells
    removed). ``n_params`` counts them, as AIC and BIC do.
    """

    deviance: float
    aic: float
    bic: float
    df: int
    converged: bool
    existence_status: int
    loglik: float = math.nan
    n_params: int = 0
    iterations: int = 0
    empty_terms: tuple[str, ...] = ()
    se_log_dark: float = math.nan

    def to_dict(self) -> dict[str, Any]:
        return {
            "deviance": _num(self.deviance),
            "aic": _num(self.aic),
            "bic": _num(self.bic),
            "df": self.df,
            "converged": self.converged,
            "existence_status": self.existence_status,
            "loglik": _num(self.loglik),
            "n_params": self.n_params,
            "iterations": self.iterations,
            "empty_terms": list(self.empty_terms),
            "se_log_dark": _num(self.se_log_dark),
        }


@dataclass(frozen=True, slots=True)
class CandidateModel:
    """One row of the model-search table.

    ``lower``/``upper``: the model's own Wald interval (log scale) at the result's level, so the
    candidates can be compared with their uncertainty; NaN when it cannot be computed.
    """

    terms: tuple[str, ...]
    estimate: float
    bic: float
    aic: float
    df: int
    lower: float = math.nan
    upper: float = math.nan

    def to_dict(self) -> dict[str, Any]:
        return {
            "terms": list(self.terms),
            "estimate": _num(self.estimate),
            "bic": _num(self.bic),
            "aic": _num(self.aic),
            "df": self.df,
            "lower": _num(self.lower),
            "upper": _num(self.upper),
        }


@dataclass(frozen=True, slots=True)
class CellFit:
    """One observed capture pattern: its count and the chosen model's fitted count.

    ``pattern`` has one 0/1 entry per list, in header order (1: on the list).
    """

    pattern: tuple[int, ...]
    observed: int
    fitted: float

    def to_dict(self) -> dict[str, Any]:
        return {"pattern": list(self.pattern), "observed": self.observed, "fitted": _num(self.fitted)}


@dataclass(frozen=True, slots=True)
class BootstrapSummary:
    """Bootstrap replicate estimates (numbers only) and the BCa constants."""

    replicates: tuple[float, ...]
    acceleration: float
    bias_correction: float
    n_failed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "replicates": [_num(r) for r in self.replicates],
            "acceleration": _num(self.acceleration),
            "bias_correction": _num(self.bias_correction),
            "n_failed": self.n_failed,
        }


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a result came from; enough to rerun it."""

    vinculo_version: str
    method: str
    settings: dict[str, Any]
    input_sha256: str
    seed: int | None
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "vinculo_version": self.vinculo_version,
            "method": self.method,
            "settings": dict(self.settings),
            "input_sha256": self.input_sha256,
            "seed": self.seed,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class MSEResult:
    """Population estimate from multiple systems estimation.

    Attributes
    ----------
    estimate : float
        Estimated total population N-hat (observed cases plus dark figure).
    n_observed : int
        Observed cases.
    interval : Interval
        Confidence interval for the total population.
    lists : tuple of str
        List names in header order.
    model_terms : tuple of str
        Interaction terms of the chosen model, e.g. ``("A:E",)`` (names in header order).
        Stepwise results list them in the order they were added.
    diagnostics : Diagnostics
    candidates : tuple of CandidateModel
        For ``bic``/``aic``: the best models, best first.
    warnings : tuple of str
    provenance : Provenance
    bootstrap : BootstrapSummary or None
        Replicate estimates when the interval is a bootstrap one.
    profile : tuple of (float, float)
        ``(total population, deviance increase)`` points of the profile likelihood, if computed.
    cells : tuple of CellFit
        Observed and fitted count of every capture pattern under the chosen model (empty for the
        Bayesian method, which averages over models).
    """

    estimate: float
    n_observed: int
    interval: Interval
    lists: tuple[str, ...]
    model_terms: tuple[str, ...]
    diagnostics: Diagnostics
    provenance: Provenance
    candidates: tuple[CandidateModel, ...] = ()
    warnings: tuple[str, ...] = ()
    bootstrap: BootstrapSummary | None = None
    profile: tuple[tuple[float, float], ...] = field(default=())
    cells: tuple[CellFit, ...] = ()

    @property
    def dark_figure(self) -> float:
        """Estimated number of cases on no list."""
        return self.estimate - self.n_observed

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (NaN and infinities become ``None``)."""
        return {
            "estimate": _num(self.estimate),
            "n_observed": self.n_observed,
            "dark_figure": _num(self.dark_figure),
            "interval": self.interval.to_dict(),
            "lists": list(self.lists),
            "model_terms": list(self.model_terms),
            "diagnostics": self.diagnostics.to_dict(),
            "candidates": [c.to_dict() for c in self.candidates],
            "warnings": list(self.warnings),
            "provenance": self.provenance.to_dict(),
            "bootstrap": None if self.bootstrap is None else self.bootstrap.to_dict(),
            "profile": [[_num(a), _num(b)] for a, b in self.profile],
            "cells": [c.to_dict() for c in self.cells],
        }

    def _lines(self) -> list[tuple[str, str]]:
        iv = self.interval
        d = self.diagnostics
        pct = f"{100 * iv.level:g}%"
        rows = [
            ("Method", self.provenance.method),
            ("Lists", ", ".join(self.lists)),
            ("Model terms", ", ".join(self.model_terms) or "(main effects only)"),
            ("Observed cases", f"{self.n_observed:,}"),
            ("Estimated dark figure", f"{self.dark_figure:,.1f}"),
            ("Estimated population", f"{self.estimate:,.1f}"),
            (f"{pct} interval ({iv.method})", f"{iv.lower:,.1f} to {iv.upper:,.1f}"),
            ("Deviance / df", f"{d.deviance:.3f} / {d.df}"),
            ("AIC / BIC", f"{d.aic:.3f} / {d.bic:.3f}"),
            ("MLE status", f"{d.existence_status} ({'ok' if d.existence_status == 0 else 'failed'})"),
            ("Converged", "yes" if d.converged else "NO"),
        ]
        if d.empty_terms:
            rows.append(("Terms set to -inf", ", ".join(d.empty_terms)))
        if self.bootstrap is not None:
            b = self.bootstrap
            rows.append(("Bootstrap replicates", f"{len(b.replicates)} (failed {b.n_failed})"))
            rows.append(("BCa z0 / acceleration", f"{b.bias_correction:.4f} / {b.acceleration:.4f}"))
        rows.append(("Input sha256", self.provenance.input_sha256[:16] + "..."))
        rows.append(("Seed", str(self.provenance.seed)))
        return rows

    def summary(self) -> str:
        """Fixed-width text report."""
        width = 78
        out = ["=" * width, "Multiple systems estimation".center(width), "=" * width]
        for k, v in self._lines():
            out.append(f"{k:<28}{v:>50}" if len(v) <= 50 else f"{k:<28}{v}")
        if self.candidates:
            out.append("-" * width)
            out.append(f"{'Best models':<40}{'BIC':>12}{'AIC':>12}{'estimate':>14}")
            for c in self.candidates:
                terms = ", ".join(c.terms) or "(main)"
                if len(terms) > 39:
                    terms = terms[:36] + "..."
                out.append(f"{terms:<40}{c.bic:>12.2f}{c.aic:>12.2f}{c.estimate:>14,.1f}")
        if self.warnings:
            out.append("-" * width)
            out.extend(f"Warning: {w}" for w in self.warnings)
        out.append("=" * width)
        return "\n".join(out)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self._lines()
        )
        warn = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings)
        cands = ""
        if self.candidates:
            body = "".join(
                f"<tr><td>{html.escape(', '.join(c.terms) or '(main)')}</td><td>{c.bic:.2f}</td>"
                f"<td>{c.aic:.2f}</td><td>{c.estimate:,.1f}</td></tr>"
                for c in self.candidates
            )
            cands = (
                "<table><thead><tr><th>Model</th><th>BIC</th><th>AIC</th><th>Estimate</th></tr></thead>"
                f"<tbody>{body}</tbody></table>"
            )
        return (
            f"<div class='vinculo-mse'><strong>Multiple systems estimation</strong><table>{rows}</table>"
            f"{cands}{'<ul>' + warn + '</ul>' if warn else ''}</div>"
        )
