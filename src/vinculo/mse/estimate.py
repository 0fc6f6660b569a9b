"""The one entry point: ``estimate(histories, settings, progress) -> MSEResult``.

Also the thin per-method verbs ``fit_loglinear``, ``fit_main``, ``fit_stepwise``, ``fit_bic``
and ``search_models``; each runs the same pipeline so every method returns the same shape.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

from vinculo import __version__
from vinculo.errors import ConvergenceWarning, VinculoError, VinculoWarning
from vinculo.mse._design import Model, canonical, hierarchical_closure, model_names, parse_terms
from vinculo.mse._fit import ModelFit, fit_model
from vinculo.mse._histories import CaptureHistories
from vinculo.mse._select import SearchTable, Selector, search, stepwise
from vinculo.mse.bootstrap import acceleration, bca_limits, run_replicates
from vinculo.mse.existence import STATUS_MEANING
from vinculo.mse.profile import profile_interval
from vinculo.mse.result import (
    BootstrapSummary,
    CandidateModel,
    CellFit,
    Diagnostics,
    Interval,
    MSEResult,
    Provenance,
)
from vinculo.mse.settings import CI_METHODS, DEFAULT_SETTINGS, METHODS, MSESettings

__all__ = ["estimate", "fit_bic", "fit_loglinear", "fit_main", "fit_stepwise", "search_models"]

Progress = Callable[[int, int], None]

_BIC_SETTINGS = MSESettings(method="bic")
_ORDER_WORDS = {2: "two-way", 3: "three-way", 4: "four-way"}


def _check_settings(s: MSESettings) -> None:
    problems = []
    if s.method not in METHODS:
        problems.append(f"method={s.method!r} is not one of {', '.join(METHODS)}")
    if s.ci not in CI_METHODS:
        problems.append(f"ci={s.ci!r} is not one of {', '.join(CI_METHODS)}")
    if not 0 < s.level < 1:
        problems.append(f"level={s.level} must be between 0 and 1 (e.g. 0.95)")
    if not 0 <= s.pthresh <= 1:
        problems.append(f"pthresh={s.pthresh} must be between 0 and 1 (default 0.02)")
    if s.max_order < 1:
        problems.append(f"max_order={s.max_order} must be at least 1")
    if s.ci == "bca" and s.nboot < 10:
        problems.append(f"nboot={s.nboot} is too small for a BCa interval; use 1000")
    if s.ntop is not None and s.ntop < 1:
        problems.append(f"ntop={s.ntop} must be at least 1 (or None for all models)")
    if s.n_jobs is not None and s.n_jobs < 1:
        problems.append(f"n_jobs={s.n_jobs} must be at least 1 (or None for every core)")
    if problems:
        raise VinculoError(
            "Invalid MSE settings: " + "; ".join(problems) + ".",
            code="mse.bad_setting",
            fields={"problems": problems},
        )


def _emit(message: str, notes: list[str], category: type[VinculoWarning] = VinculoWarning) -> None:
    notes.append(message)
    warnings.warn(message, category, stacklevel=3)


def _saturation_error(h: CaptureHistories, model: Model, df: int) -> VinculoError:
    by_order: dict[int, int] = {}
    for t in model:
        by_order[len(t)] = by_order.get(len(t), 0) + 1
    what = " and ".join(
        f"{n} {_ORDER_WORDS.get(k, f'{k}-way')} interaction{'s' if n > 1 else ''}"
        for k, n in sorted(by_order.items())
    )
    top = max(by_order) if by_order else 1
    return VinculoError(
        f"Cannot fit {what} to {h.n_lists} lists: the model is saturated ({df} df).",
        code="mse.saturated_model",
        fields={"terms": list(model_names(model, h.lists)), "df": df},
        fix=f"Use max_order={top - 1} or fewer terms.",
    )


def _failed_model_error(h: CaptureHistories, f: ModelFit) -> VinculoError:
    names = model_names(f.model, h.lists)
    label = "[" + "][".join(names) + "]" if names else "the main-effects model"
    return VinculoError(
        f"{h.source}: model {label}: {STATUS_MEANING[f.status]} (existence status {f.status}).",
        code="mse.mle_not_exist" if f.status in (1, 3) else "mse.not_identifiable",
        fields={"terms": list(names), "status": f.status},
        fix="Drop the interaction terms between lists with few cases in common, or let vinculo choose "
        "the model (method='stepwise' or 'bic'), which skips such models.",
    )


def _wald(f: ModelFit, level: float) -> Interval:
    z = float(norm.ppf(0.5 + level / 2))
    se = f.se_log_dark
    return Interval(
        f.n_observed + f.dark * math.exp(-z * se), f.n_observed + f.dark * math.exp(z * se), level, "wald_log"
    )


def _candidate(h: CaptureHistories, table: SearchTable, i: int, level: float) -> CandidateModel:
    """Row ``i`` of the search table, with the model's own Wald interval."""
    fit = fit_model(h.n_lists, h.counts, table.models[i])
    wald = _wald(fit, level) if not fit.status else Interval(math.nan, math.nan, level, "none")
    return CandidateModel(
        model_names(table.models[i], h.lists),
        table.estimate[i],
        table.bic[i],
        table.aic[i],
        table.df[i],
        lower=wald.lower,
        upper=wald.upper,
    )


def cell_fits(h: CaptureHistories, fit: ModelFit) -> tuple[CellFit, ...]:
    """Observed and fitted count of each capture pattern (cells 1 .. 2**t - 1)."""
    return tuple(
        CellFit(
            tuple((cell >> i) & 1 for i in range(h.n_lists)),
            int(h.counts[cell]),
            float(fit.mu[cell - 1]),
        )
        for cell in range(1, 2**h.n_lists)
    )


def estimate(
    histories: CaptureHistories, settings: MSESettings = DEFAULT_SETTINGS, progress: Progress | None = None
) -> MSEResult:
    """Estimate the total population (observed cases plus dark figure).

    Parameters
    ----------
    histories : CaptureHistories
        From :func:`read_histories`.
    settings : MSESettings
        Method, model-selection and interval settings.
    progress : callable, optional
        Called as ``progress(done, total)`` during a bootstrap.

    Returns
    -------
    MSEResult

    Raises
    ------
    VinculoError
        Bad settings (``mse.bad_setting``), a fixed model that is saturated
        (``mse.saturated_model``) or has no (identifiable) MLE (``mse.mle_not_exist``,
        ``mse.not_identifiable``), or no model that can be fitted.

    Examples
    --------
    >>> from vinculo.mse import read_histories, estimate, MSESettings
    >>> h = read_histories([{"A": 1, "B": 0, "count": 60}, {"A": 0, "B": 1, "count": 40},
    ...                     {"A": 1, "B": 1, "count": 20}])
    >>> round(estimate(h, MSESettings(method="main")).estimate, 1)
    240.0
    """
    s = settings
    _check_settings(s)
    if s.method == "bayes":
        return _estimate_bayes(histories, s)
    h = histories
    t = h.n_lists
    counts = h.counts
    notes: list[str] = list(h.notes)
    table: SearchTable | None = None
    candidates: tuple[CandidateModel, ...] = ()
    order_added: tuple[str, ...] | None = None
    warm: dict[Model, npt.NDArray[np.float64]] = {}
    sel_candidates: tuple[Model, ...] | None = None

    if s.method == "fixed":
        model = parse_terms(s.terms, h.lists)
        closed = hierarchical_closure(model)
        if set(closed) != set(canonical(model)):
            missing = [
                n for n in model_names(closed, h.lists) if n not in model_names(canonical(model), h.lists)
            ]
            raise VinculoError(
                f"Model terms {', '.join(model_names(model, h.lists))} are not hierarchical: "
                f"{', '.join(missing)} must be included too.",
                code="mse.not_hierarchical",
                fix="Add the lower-order interactions of every higher-order term.",
            )
        model = canonical(model)
        chosen = fit_model(t, counts, model)
        if chosen.df <= 0:
            raise _saturation_error(h, model, chosen.df)
        if chosen.status:
            raise _failed_model_error(h, chosen)
    elif s.method == "main":
        chosen = fit_model(t, counts, ())
        if chosen.status:
            raise _failed_model_error(h, chosen)
    elif s.method == "stepwise":
        chosen, added, _skipped = stepwise(t, counts, s.pthresh)
        order_added = model_names(added, h.lists)
        path: Model = ()
        for term in added:
            path = canonical((*path, term))
            f = fit_model(t, counts, path)
            warm[path] = f.beta
    else:  # bic / aic
        table = search(t, counts, s.max_order, s.method)
        if not table.models:
            raise VinculoError(
                f"{h.source}: no model up to order {s.max_order} has an identifiable MLE with residual "
                "degrees of freedom.",
                code="mse.no_model",
                fix="Use method='main' or merge sparse lists.",
            )
        if table.n_failed or table.n_saturated:
            notes.append(
                f"{table.n_failed} model(s) without an (identifiable) MLE and {table.n_saturated} saturated "
                f"model(s) (0 df) were left out of the {s.method.upper()} search."
            )
        if table.search == "greedy":
            notes.append(
                f"{t} lists: the {s.method.upper()} search was greedy (forward-backward), not exhaustive."
            )
        chosen = fit_model(t, counts, table.models[0])
        candidates = tuple(
            _candidate(h, table, i, s.level)
            for i in range(min(max(s.n_candidates, s.ntop or 0), len(table.models)))
        )
        if s.ntop is not None:
            sel_candidates = table.models[: s.ntop]
            for m in sel_candidates:
                warm[m] = fit_model(t, counts, m).beta
    if chosen.status:
        raise _failed_model_error(h, chosen)
    warm[chosen.model] = chosen.beta
    if not chosen.converged:
        _emit(
            f"{h.source}: the fit of model {model_names(chosen.model, h.lists) or 'main effects'} did not converge "
            f"in {chosen.iterations} iterations; the estimate may be unreliable.",
            notes,
            ConvergenceWarning,
        )

    sel = Selector(
        s.method,
        t,
        chosen.model,
        s.pthresh,
        s.max_order,
        sel_candidates,
    )
    level = s.level
    boot_summary = None
    curve: tuple[tuple[float, float], ...] = ()
    if s.ci == "wald":
        interval = _wald(chosen, level)
    elif s.ci == "profile":
        lo, hi, curve = profile_interval(t, counts, chosen, level)
        interval = Interval(lo, hi, level, "profile")
        if not math.isfinite(hi):
            _emit(
                f"{h.source}: the profile likelihood does not fall below the cut-off above the estimate; "
                "the upper limit is infinite.",
                notes,
            )
    elif s.ci == "bca":
        if s.method in ("bic", "aic") and s.ntop is None and table is not None and len(table.models) > 4096:
            notes.append(
                f"The bootstrap repeats the full {len(table.models)}-model search in every replicate; "
                "set ntop (e.g. 10) to restrict it to the best models (Silverman, Chan & Vincent 2024)."
            )
        reps, jack, w = run_replicates(
            sel,
            counts,
            nboot=s.nboot,
            seed=s.seed,
            jackknife=True,
            warm=warm,
            n_jobs=s.n_jobs,
            progress=progress,
        )
        ahat = acceleration(jack, w)
        lim = bca_limits(reps, chosen.estimate, ahat, level)
        n_failed = int((~np.isfinite(reps)).sum())
        if n_failed > 0.01 * s.nboot:
            _emit(
                f"{h.source}: {n_failed} of {s.nboot} bootstrap replicates had no model with an MLE and were dropped.",
                notes,
            )
        interval = Interval(lim.lower, lim.upper, level, "bca")
        boot_summary = BootstrapSummary(tuple(float(r) for r in reps), ahat, lim.bias_correction, n_failed)
    else:
        interval = Interval(math.nan, math.nan, level, "none")

    terms = order_added if order_added is not None else model_names(chosen.model, h.lists)
    diagnostics = Diagnostics(
        deviance=chosen.deviance,
        aic=chosen.aic,
        bic=chosen.bic(),
        df=chosen.df,
        converged=chosen.converged,
        existence_status=chosen.status,
        loglik=chosen.loglik,
        n_params=chosen.n_params,
        iterations=chosen.iterations,
        empty_terms=model_names(chosen.empty, h.lists),
        se_log_dark=chosen.se_log_dark,
    )
    provenance = Provenance(
        vinculo_version=__version__,
        method=s.method,
        settings=s.to_dict(),
        input_sha256=h.sha256,
        seed=s.seed if s.ci == "bca" else None,
        source=h.source,
    )
    return MSEResult(
        estimate=chosen.estimate,
        n_observed=h.n_observed,
        interval=interval,
        lists=h.lists,
        model_terms=terms,
        diagnostics=diagnostics,
        provenance=provenance,
        candidates=candidates,
        warnings=tuple(notes),
        bootstrap=boot_summary,
        profile=curve,
        cells=cell_fits(h, chosen),
    )


def fit_loglinear(
    histories: CaptureHistories, terms: Iterable[str] = (), settings: MSESettings = DEFAULT_SETTINGS
) -> MSEResult:
    """Fit one given model (main effects plus ``terms``), e.g. ``fit_loglinear(h, ["A:E"])``."""
    return estimate(histories, replace(settings, method="fixed", terms=tuple(terms)))


def fit_main(histories: CaptureHistories, settings: MSESettings = DEFAULT_SETTINGS) -> MSEResult:
    """Fit the main-effects (independence) model."""
    return estimate(histories, replace(settings, method="main"))


def fit_stepwise(
    histories: CaptureHistories, settings: MSESettings = DEFAULT_SETTINGS, progress: Progress | None = None
) -> MSEResult:
    """Forward stepwise selection of two-list effects (Chan, Silverman & Vincent 2021)."""
    return estimate(histories, replace(settings, method="stepwise"), progress)


def fit_bic(
    histories: CaptureHistories,
    settings: MSESettings = _BIC_SETTINGS,
    progress: Progress | None = None,
) -> MSEResult:
    """Best model by BIC (or AIC if ``settings.method == "aic"``) over all hierarchical models."""
    method = settings.method if settings.method in ("bic", "aic") else "bic"
    return estimate(histories, replace(settings, method=method), progress)


def search_models(
    histories: CaptureHistories, max_order: int = 2, criterion: str = "bic"
) -> tuple[CandidateModel, ...]:
    """Every hierarchical model up to ``max_order`` with an identifiable MLE, best first.

    Exhaustive for up to 6 lists (all ``2**15`` pairwise models of 6 lists: about 2 s);
    a greedy forward-backward search beyond 6 lists or past ``2**17`` models.
    """
    if criterion not in ("bic", "aic"):
        raise VinculoError(f"criterion={criterion!r} must be 'bic' or 'aic'.", code="mse.bad_setting")
    table = search(histories.n_lists, histories.counts, max_order, criterion)
    return tuple(
        CandidateModel(
            model_names(m, histories.lists), table.estimate[i], table.bic[i], table.aic[i], table.df[i]
        )
        for i, m in enumerate(table.models)
    )


def _estimate_bayes(h: CaptureHistories, s: MSESettings) -> MSEResult:
    """Bayesian model averaging (vinculo.mse.bayes) reported in the common result shape.

    The estimate is the posterior median, the interval the equal-tailed credible interval, and
    the model terms those of the most probable decomposable graph.
    """
    from vinculo.mse.bayes import BayesSettings, fit_bayes

    bayes = fit_bayes(h.counts_msb(), h.lists, BayesSettings(level=s.level))
    nan = math.nan
    return MSEResult(
        estimate=bayes.estimate,
        n_observed=h.n_observed,
        interval=Interval(
            bayes.interval.lower, bayes.interval.upper, bayes.interval.level, bayes.interval.method
        ),
        lists=h.lists,
        model_terms=tuple(bayes.top_graph),
        diagnostics=Diagnostics(deviance=nan, aic=nan, bic=nan, df=0, converged=True, existence_status=0),
        provenance=Provenance(
            vinculo_version=__version__,
            method="bayes",
            settings=s.to_dict(),
            input_sha256=h.sha256,
            seed=None,
            source=h.source,
        ),
        warnings=tuple(h.notes) + tuple(bayes.warnings),
    )
