"""Tests of vinculo.mse.bayes (Madigan & York 1997 model averaging over decomposable graphs)."""

from __future__ import annotations

import csv
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.special import gammaln, logsumexp

from vinculo.errors import SparseDataWarning, VinculoError
from vinculo.mse.bayes import (
    BayesResult,
    BayesSettings,
    NegativeBinomialPrior,
    decomposable_graphs,
    fit_bayes,
    is_chordal,
)


def shared_mse_file(name: str) -> Path:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "mse" / name
        if candidate.is_file():
            return candidate
    pytest.skip(f"shared/data/mse/{name} is not available next to the repository")


def read_counts(name: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Read a shared capture-history CSV into a 2**k vector (first list = most significant bit)."""
    with shared_mse_file(name).open(newline="") as fh:
        rows = list(csv.reader(fh))
    lists = tuple(rows[0][:-1])
    k = len(lists)
    counts = np.zeros(2**k)
    for row in rows[1:]:
        index = int("".join(row[:k]), 2)
        counts[index] += float(row[k])
    return counts, lists


# ---------------------------------------------------------------------------------------------
# Graph enumeration
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("k", "expected"), [(1, 1), (2, 2), (3, 8), (4, 61), (5, 822)])
def test_number_of_decomposable_graphs_matches_the_known_counts(k: int, expected: int) -> None:
    # OEIS A058862: labelled chordal graphs on n nodes: 1, 2, 8, 61, 822, ...
    assert len(decomposable_graphs(k)) == expected


def test_four_cycle_is_not_chordal_and_a_chord_makes_it_chordal() -> None:
    cycle = [(0, 1), (1, 2), (2, 3), (0, 3)]
    assert not is_chordal(4, cycle)
    assert is_chordal(4, [*cycle, (1, 3)])
    assert not is_chordal(5, [(0, 1), (1, 2), (2, 3), (3, 4), (0, 4)])


@pytest.mark.parametrize("k", [3, 4, 5])
def test_every_graph_has_a_valid_junction_tree(k: int) -> None:
    for g in decomposable_graphs(k):
        assert set().union(*map(set, g.cliques)) == set(range(k))
        assert len(g.separators) == len(g.cliques) - 1
        # every edge lies in a clique, every clique is complete
        edges = set(g.edges)
        for a, b in g.edges:
            assert any(a in c and b in c for c in g.cliques)
        for c in g.cliques:
            assert all(pair in edges for pair in itertools.combinations(c, 2))
        # for a chordal graph sum |C| - sum |S| = k (each vertex counted once in a junction tree)
        assert sum(map(len, g.cliques)) - sum(map(len, g.separators)) == k


# ---------------------------------------------------------------------------------------------
# Published values
# ---------------------------------------------------------------------------------------------
def test_three_list_example_reproduces_madigan_and_york() -> None:
    """Madigan & York (1997) Biometrika 84:19-31, 3-list example, as checked in the dga package.

    Source: R package dga 2.0.2, tests/testthat/test-BMAfunctions.R, test "3 lists example against
    Madigan and York": delta = 1, negative binomial prior on N with a = 13.14, b = 55.17,
    Nmissing = 1..300. Published: top model posterior probability 0.37; Bayes estimator
    E[1/N]/E[1/N^2] = 731 for the top model and for the average; posterior mode 729 (top model)
    and 728 (average).
    """
    counts, lists = read_counts("MadiganYork_3.csv")
    settings = BayesSettings(
        n_prior=NegativeBinomialPrior(a=13.14, b=55.17), delta=1.0, min_missing=1, max_missing=300
    )
    res = fit_bayes(counts, lists, settings)
    top = res.graph_probabilities[0]
    assert round(top.probability, 2) == 0.37
    assert round(top.bayes_estimate) == 731
    assert top.mode == 729
    assert round(res.bayes_estimate) == 731
    assert res.mode == 728
    assert res.n_observed == 626


def test_five_list_example_runs_with_the_dga_readme_settings() -> None:
    """MadiganYork_5.csv with the dga README settings (delta = 0.5, Nmissing = 1..300).

    No published numbers are available for this run; check internal consistency.
    """
    counts, lists = read_counts("MadiganYork_5.csv")
    res = fit_bayes(counts, lists, BayesSettings(delta=0.5, min_missing=1, max_missing=300))
    assert res.n_observed == 537
    assert len(res.graph_probabilities) == 822
    assert sum(g.probability for g in res.graph_probabilities) == pytest.approx(1.0, abs=1e-9)
    assert sum(res.missing_probabilities) == pytest.approx(1.0, abs=1e-9)
    assert res.interval.lower <= res.median <= res.interval.upper
    assert 537 < res.interval.lower
    assert res.interval.upper < 537 + 300


# ---------------------------------------------------------------------------------------------
# An independent computation of the 3-list posterior, straight from the paper's formulas
# ---------------------------------------------------------------------------------------------
def log_dirichlet_marginal(
    table: dict[tuple[int, ...], float], alpha_cell: float, total_alpha: float
) -> float:
    n = sum(table.values())
    out = gammaln(total_alpha) - gammaln(total_alpha + n)
    for count in table.values():
        out += gammaln(alpha_cell + count) - gammaln(alpha_cell)
    return float(out)


def marginal(cells: dict[tuple[int, ...], float], keep: tuple[int, ...]) -> dict[tuple[int, ...], float]:
    out: dict[tuple[int, ...], float] = {}
    for cell, count in cells.items():
        key = tuple(cell[i] for i in keep)
        out[key] = out.get(key, 0.0) + count
    return out


# The 8 graphs on 3 vertices as (cliques, separators), written out by hand.
THREE_LIST_GRAPHS: dict[tuple[str, ...], tuple[list[tuple[int, ...]], list[tuple[int, ...]]]] = {
    (): ([(0,), (1,), (2,)], [(), ()]),
    ("A:B",): ([(0, 1), (2,)], [()]),
    ("A:C",): ([(0, 2), (1,)], [()]),
    ("B:C",): ([(1, 2), (0,)], [()]),
    ("A:B", "A:C"): ([(0, 1), (0, 2)], [(0,)]),
    ("A:B", "B:C"): ([(0, 1), (1, 2)], [(1,)]),
    ("A:C", "B:C"): ([(0, 2), (1, 2)], [(2,)]),
    ("A:B", "A:C", "B:C"): ([(0, 1, 2)], []),
}


def test_three_list_posterior_matches_a_direct_computation_from_the_formulas() -> None:
    observed: dict[tuple[int, ...], float] = {
        (0, 0, 1): 6.0,
        (0, 1, 0): 9.0,
        (0, 1, 1): 3.0,
        (1, 0, 0): 11.0,
        (1, 0, 1): 4.0,
        (1, 1, 0): 5.0,
    }
    observed[(1, 1, 1)] = 2.0
    n_obs = sum(observed.values())
    delta = 0.25
    grid = range(0, 400)
    logpost: dict[tuple[str, ...], list[float]] = {}
    for name, (cliques, seps) in THREE_LIST_GRAPHS.items():
        values = []
        for m in grid:
            cells = {c: observed.get(c, 0.0) for c in itertools.product((0, 1), repeat=3)}
            cells[(0, 0, 0)] = float(m)
            n = n_obs + m
            lp = -math.log(n) + gammaln(n + 1) - gammaln(m + 1)
            for c in cliques:
                lp += log_dirichlet_marginal(marginal(cells, c), delta * 2 ** (3 - len(c)), delta * 8)
            for s in seps:
                lp -= log_dirichlet_marginal(marginal(cells, s), delta * 2 ** (3 - len(s)), delta * 8)
            values.append(lp)
        logpost[name] = values
    total = logsumexp([logsumexp(v) for v in logpost.values()])
    expected = {name: math.exp(logsumexp(v) - total) for name, v in logpost.items()}

    counts = np.zeros(8)
    for cell, count in observed.items():
        counts[int("".join(map(str, cell)), 2)] = count
    res = fit_bayes(counts, ("A", "B", "C"), BayesSettings(delta=delta, max_missing=399))
    got = {g.edges: g.probability for g in res.graph_probabilities}
    assert set(got) == set(expected)
    for name, prob in expected.items():
        assert got[name] == pytest.approx(prob, rel=1e-9, abs=1e-14)
    averaged = np.exp(logsumexp(np.array(list(logpost.values())), axis=0) - total)
    assert np.allclose(res.missing_probabilities, averaged, rtol=1e-9, atol=1e-15)


# ---------------------------------------------------------------------------------------------
# Simulated data with a known N
# ---------------------------------------------------------------------------------------------
def simulate(n: int, probs: list[float], seed: int, dependence: float = 0.0) -> np.ndarray:
    """Capture histories of n cases; with dependence > 0 list 1 copies list 0 that often."""
    rng = np.random.default_rng(seed)
    k = len(probs)
    caught = rng.random((n, k)) < np.array(probs)
    if dependence:
        copy = rng.random(n) < dependence
        caught[copy, 1] = caught[copy, 0]
    index = caught @ (1 << np.arange(k - 1, -1, -1))
    return np.bincount(index, minlength=2**k).astype(float)


def test_independent_lists_recover_the_true_population_size() -> None:
    true_n = 3000
    counts = simulate(true_n, [0.2, 0.3, 0.25, 0.35], seed=11)
    res = fit_bayes(counts, ("A", "B", "C", "D"))
    assert res.interval.lower <= true_n <= res.interval.upper
    assert abs(res.estimate - true_n) / true_n < 0.1
    assert res.top_graph == ()  # independence is the most probable graph


def test_dependent_lists_are_detected_and_n_still_recovered() -> None:
    true_n = 3000
    counts = simulate(true_n, [0.3, 0.3, 0.3], seed=5, dependence=0.5)
    res = fit_bayes(counts, ("A", "B", "C"))
    p_edge = sum(g.probability for g in res.graph_probabilities if "A:B" in g.edges)
    assert p_edge > 0.99
    assert res.interval.lower <= true_n <= res.interval.upper


# ---------------------------------------------------------------------------------------------
# Properties of the result
# ---------------------------------------------------------------------------------------------
def test_relabelling_lists_does_not_change_the_posterior_of_n() -> None:
    counts, lists = read_counts("MadiganYork_5.csv")
    perm = [3, 0, 4, 2, 1]  # new list j is old list perm[j]
    permuted = np.zeros_like(counts)
    for index, count in enumerate(counts):
        bits = [(index >> (4 - j)) & 1 for j in range(5)]
        new_bits = [bits[perm[j]] for j in range(5)]
        permuted[int("".join(map(str, new_bits)), 2)] = count
    settings = BayesSettings(max_missing=400)
    a = fit_bayes(counts, lists, settings)
    b = fit_bayes(permuted, tuple(lists[p] for p in perm), settings)
    assert np.allclose(a.missing_probabilities, b.missing_probabilities, rtol=1e-8, atol=1e-15)


@pytest.mark.parametrize("prior", ["one_over_n", "rissanen", "uniform", NegativeBinomialPrior(2.0, 400.0)])
def test_probabilities_sum_to_one_under_every_prior(prior: object) -> None:
    counts, lists = read_counts("MadiganYork_3.csv")
    res = fit_bayes(counts, lists, BayesSettings(n_prior=prior))  # type: ignore[arg-type]
    assert sum(res.missing_probabilities) == pytest.approx(1.0, abs=1e-9)
    assert sum(g.probability for g in res.graph_probabilities) == pytest.approx(1.0, abs=1e-9)
    assert res.interval.lower <= res.median <= res.interval.upper
    assert res.interval.method == "bayes_credible"
    assert res.warnings == ()


def test_the_ignored_first_cell_does_not_change_the_result() -> None:
    counts, lists = read_counts("MadiganYork_3.csv")
    other = counts.copy()
    other[0] = 99_999
    a = fit_bayes(counts, lists, BayesSettings(max_missing=500))
    b = fit_bayes(other, lists, BayesSettings(max_missing=500))
    assert a.missing_probabilities == b.missing_probabilities


def test_default_delta_is_two_to_the_minus_k() -> None:
    counts, lists = read_counts("MadiganYork_5.csv")
    res = fit_bayes(counts, lists, BayesSettings(max_missing=200))
    assert res.diagnostics["delta"] == 2.0**-5


def test_wider_level_gives_a_wider_interval() -> None:
    counts, lists = read_counts("MadiganYork_3.csv")
    narrow = fit_bayes(counts, lists, BayesSettings(level=0.5)).interval
    wide = fit_bayes(counts, lists, BayesSettings(level=0.99)).interval
    assert wide.lower <= narrow.lower and narrow.upper <= wide.upper


def test_result_is_frozen_and_serialisable() -> None:
    counts, lists = read_counts("MadiganYork_3.csv")
    res = fit_bayes(counts, lists, BayesSettings(n_prior=NegativeBinomialPrior(13.14, 55.17)))
    assert isinstance(res, BayesResult)
    with pytest.raises(AttributeError):
        res.estimate = 1.0  # type: ignore[misc]
    data = json.loads(json.dumps(res.to_dict()))
    assert data["interval"]["method"] == "bayes_credible"
    assert data["lists"] == list(lists)
    assert data["top_graph"] == list(res.top_graph)
    assert res.model_terms == res.top_graph
    assert data["provenance"]["input_checksum"]
    assert "Madigan" in res.summary()
    assert res._repr_html_().startswith("<pre>")


def test_edges_are_named_with_list_names() -> None:
    counts, lists = read_counts("MadiganYork_3.csv")
    res = fit_bayes(counts, lists)
    all_edges = {e for g in res.graph_probabilities for e in g.edges}
    assert all_edges == {"L1:L2", "L1:L3", "L2:L3"}


def test_unconstrained_population_warns_about_the_grid_tail() -> None:
    # no case is on more than one list: the data say nothing about the overlap, N is unbounded
    counts = np.zeros(8)
    counts[[1, 2, 4]] = [30, 40, 50]
    with pytest.warns(SparseDataWarning, match="grid"):
        res = fit_bayes(counts, ("A", "B", "C"), BayesSettings(max_missing=2000))
    assert res.warnings and "grid" in res.warnings[0]


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("counts", "lists", "code"),
    [
        (np.zeros(4), ("A", "B"), "mse.bayes_list_count"),
        (np.zeros(64), tuple("ABCDEF"), "mse.bayes_list_count"),
        (np.ones(7), ("A", "B", "C"), "mse.invalid_counts"),
        (np.array([0, 1, 2, 3, -1, 2, 2, 2.0]), ("A", "B", "C"), "mse.invalid_counts"),
        (np.array([0, 1, 2, 3, 1.5, 2, 2, 2]), ("A", "B", "C"), "mse.invalid_counts"),
        (np.zeros(8), ("A", "B", "C"), "mse.no_cases"),
        (np.ones(8), ("A", "A", "C"), "mse.invalid_lists"),
    ],
)
def test_bad_input_raises_a_vinculo_error(counts: np.ndarray, lists: tuple[str, ...], code: str) -> None:
    with pytest.raises(VinculoError) as info:
        fit_bayes(counts, lists)
    assert info.value.code == code


@pytest.mark.parametrize(
    "settings",
    [
        BayesSettings(level=1.0),
        BayesSettings(delta=0.0),
        BayesSettings(min_missing=10, max_missing=5),
        BayesSettings(n_prior=NegativeBinomialPrior(0.0, 1.0)),
        BayesSettings(n_prior="jeffreys"),  # type: ignore[arg-type]
    ],
)
def test_invalid_settings_raise_a_vinculo_error(settings: BayesSettings) -> None:
    with pytest.raises(VinculoError) as info:
        fit_bayes(np.ones(8), ("A", "B", "C"), settings)
    assert info.value.code == "mse.invalid_setting"
