from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.stats import binom

from vinculo.errors import VinculoError
from vinculo.mse import (
    MSESettings,
    estimate,
    fit_bic,
    fit_loglinear,
    fit_main,
    fit_stepwise,
    histories_from_counts,
    search_models,
)


def simulate_independent(rng: np.random.Generator, n: int, p: list[float]) -> np.ndarray:
    """Counts of every capture history for n cases caught independently with probabilities p."""
    t = len(p)
    cells = np.arange(2**t)
    probs = np.ones(2**t)
    for i, pi in enumerate(p):
        on = (cells >> i) & 1
        probs *= np.where(on == 1, pi, 1 - pi)
    counts = rng.multinomial(n, probs)
    counts[0] = 0
    return counts


def test_two_list_main_effects_estimate_is_lincoln_petersen() -> None:
    h = histories_from_counts(["A", "B"], [0, 60, 40, 20])
    r = fit_main(h)
    assert r.estimate == pytest.approx(120 + 60 * 40 / 20)
    assert r.dark_figure == pytest.approx(120)
    assert r.diagnostics.df == 0 or r.diagnostics.df >= 0


def test_a_fixed_model_reports_its_terms_in_header_order() -> None:
    h = histories_from_counts(["A", "B", "C"], [0, 30, 25, 8, 20, 6, 5, 2])
    r = fit_loglinear(h, ["C:A"])
    assert r.model_terms == ("A:C",)
    assert r.diagnostics.existence_status == 0
    assert r.diagnostics.converged


def test_a_saturated_model_is_refused_with_advice() -> None:
    h = histories_from_counts(["A", "B", "C"], [0, 30, 25, 8, 20, 6, 5, 2])
    with pytest.raises(VinculoError) as err:
        fit_loglinear(h, ["A:B", "A:C", "B:C"])
    assert err.value.code == "mse.saturated_model"
    assert str(err.value) == (
        "Cannot fit 3 two-way interactions to 3 lists: the model is saturated (0 df). Use max_order=1 or fewer terms."
    )


def test_a_model_without_mle_is_an_error_naming_the_model() -> None:
    counts = [0] * 8
    counts[0b001], counts[0b010], counts[0b100], counts[0b011] = 40, 30, 20, 6
    h = histories_from_counts(["A", "B", "C"], counts)
    with pytest.raises(VinculoError) as err:
        fit_loglinear(h, ["A:B"])
    assert err.value.code == "mse.mle_not_exist"
    assert "[A:B]" in str(err.value)


def test_a_non_hierarchical_model_is_refused() -> None:
    h = histories_from_counts(["A", "B", "C", "D"], list(range(16)))
    with pytest.raises(VinculoError) as err:
        fit_loglinear(h, ["A:B:C"])
    assert err.value.code == "mse.not_hierarchical"


def test_unknown_list_names_in_terms_are_refused() -> None:
    h = histories_from_counts(["A", "B", "C"], [0, 30, 25, 8, 20, 6, 5, 2])
    with pytest.raises(VinculoError) as err:
        fit_loglinear(h, ["A:Z"])
    assert err.value.code == "mse.unknown_term"


def test_bad_settings_are_collected_into_one_error() -> None:
    h = histories_from_counts(["A", "B"], [0, 60, 40, 20])
    with pytest.raises(VinculoError) as err:
        estimate(h, MSESettings(level=1.5, pthresh=-1))
    assert err.value.code == "mse.bad_setting"
    assert "level" in str(err.value) and "pthresh" in str(err.value)


def test_stepwise_recovers_a_planted_interaction() -> None:
    rng = np.random.default_rng(7)
    t = 4
    cells = np.arange(2**t)
    odds = [math.log(p / (1 - p)) for p in (0.2, 0.25, 0.3, 0.15)]
    logmu = np.log(5000) + sum(np.where((cells >> i) & 1, o, 0.0) for i, o in enumerate(odds))
    ab = ((cells & 0b11) == 0b11).astype(float)
    mu = np.exp(logmu + 1.2 * ab)
    counts = rng.poisson(mu)
    counts[0] = 0
    h = histories_from_counts(["A", "B", "C", "D"], counts)
    r = fit_stepwise(h)
    assert "A:B" in r.model_terms
    truth = float(mu.sum())  # expected total population, unobserved cell included
    assert abs(r.estimate - truth) / truth < 0.05


def test_known_population_is_recovered_and_wald_intervals_cover_it_at_nominal_rate() -> None:
    rng = np.random.default_rng(20240601)
    n_true, n_sim = 2000, 200
    p = [0.2, 0.3, 0.25, 0.15]
    covered = 0
    estimates = []
    for _ in range(n_sim):
        h = histories_from_counts(["A", "B", "C", "D"], simulate_independent(rng, n_true, p))
        r = fit_main(h)
        estimates.append(r.estimate)
        covered += r.interval.lower <= n_true <= r.interval.upper
    assert abs(np.mean(estimates) - n_true) / n_true < 0.01
    lo, hi = binom.ppf([0.001, 0.999], n_sim, 0.95)
    assert lo <= covered <= hi


def test_bic_search_lists_the_best_models_best_first() -> None:
    rng = np.random.default_rng(3)
    h = histories_from_counts(["A", "B", "C", "D"], simulate_independent(rng, 3000, [0.3, 0.2, 0.25, 0.3]))
    r = fit_bic(h)
    bics = [c.bic for c in r.candidates]
    assert bics == sorted(bics)
    assert r.diagnostics.bic == pytest.approx(bics[0])
    assert r.model_terms == r.candidates[0].terms
    table = search_models(h)
    assert len(table) == 64  # every subset of the 6 pairs of 4 lists has an MLE here
    aic = fit_bic(h, MSESettings(method="aic"))
    assert aic.diagnostics.aic == pytest.approx(min(c.aic for c in search_models(h, criterion="aic")))


def test_result_is_json_safe_and_reports_provenance() -> None:
    h = histories_from_counts(["A", "B", "C"], [0, 30, 25, 8, 20, 6, 5, 2])
    r = fit_main(h, MSESettings(ci="profile"))
    data = json.loads(json.dumps(r.to_dict()))
    assert data["provenance"]["input_sha256"] == h.sha256
    assert data["provenance"]["settings"]["ci"] == "profile"
    assert data["interval"]["method"] == "profile"
    assert data["profile"]
    assert "Estimated population" in r.summary()
    assert "<table>" in r._repr_html_()


def test_bayes_through_estimate_reports_the_posterior_in_the_common_result_shape() -> None:
    from vinculo.mse import BayesSettings, fit_bayes

    h = histories_from_counts(["A", "B", "C"], [0, 30, 25, 8, 20, 6, 5, 2])
    r = estimate(h, MSESettings(method="bayes", level=0.9))
    direct = fit_bayes(h.counts_msb(), h.lists, BayesSettings(level=0.9))
    assert r.estimate == direct.estimate
    assert (r.interval.lower, r.interval.upper, r.interval.level) == (
        direct.interval.lower,
        direct.interval.upper,
        0.9,
    )
    assert r.interval.method == "bayes_credible"
    assert r.model_terms == tuple(direct.top_graph)
    assert r.provenance.method == "bayes"
    assert r.to_dict()["n_observed"] == h.n_observed


def test_cells_give_observed_and_fitted_counts_with_the_margins_of_the_data() -> None:
    counts = [0, 30, 25, 8, 20, 6, 5, 2]
    h = histories_from_counts(["A", "B", "C"], counts)
    r = fit_main(h)
    assert [c.pattern for c in r.cells] == [
        (1, 0, 0),
        (0, 1, 0),
        (1, 1, 0),
        (0, 0, 1),
        (1, 0, 1),
        (0, 1, 1),
        (1, 1, 1),
    ]
    assert [c.observed for c in r.cells] == counts[1:]
    # A Poisson log-linear fit reproduces its sufficient statistics: the total and each list's count.
    assert sum(c.fitted for c in r.cells) == pytest.approx(sum(counts))
    for i in range(3):
        observed = sum(c.observed for c in r.cells if c.pattern[i])
        assert sum(c.fitted for c in r.cells if c.pattern[i]) == pytest.approx(observed)
    # Independence does not reproduce the A and B overlap exactly.
    assert r.cells[2].fitted != pytest.approx(r.cells[2].observed)
    assert json.loads(json.dumps(r.to_dict()))["cells"][0] == {
        "pattern": [1, 0, 0],
        "observed": 30,
        "fitted": pytest.approx(r.cells[0].fitted),
    }


def test_each_candidate_carries_the_wald_interval_of_its_own_model() -> None:
    h = histories_from_counts(["A", "B", "C"], [0, 30, 25, 8, 20, 6, 5, 2])
    r = fit_bic(h, MSESettings(method="bic", ci="wald", level=0.9))
    assert len(r.candidates) >= 2
    for c in r.candidates:
        own = fit_loglinear(h, list(c.terms), MSESettings(method="fixed", ci="wald", level=0.9))
        assert c.estimate == pytest.approx(own.estimate)
        assert (c.lower, c.upper) == (pytest.approx(own.interval.lower), pytest.approx(own.interval.upper))
        assert c.lower < c.estimate < c.upper
