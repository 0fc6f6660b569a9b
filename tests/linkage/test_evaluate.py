"""Pairwise linkage quality: hand-worked examples and an O(n²) reference on random clusterings."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vinculo.errors import VinculoError
from vinculo.linkage.evaluate import Quality, by_source_pair, pairwise

Key = tuple[str, str]


def test_a_worked_example_of_precision_recall_and_f1() -> None:
    # Truth: p = {a1, b1, c1}, q = {a2, b2}, r = {c2}  -> true pairs: 3 + 1 = 4.
    truth = {
        ("a", "1"): "p",
        ("b", "1"): "p",
        ("c", "1"): "p",
        ("a", "2"): "q",
        ("b", "2"): "q",
        ("c", "2"): "r",
    }
    # Found: {a1, b1}, {c1, a2, b2}, {c2}  -> predicted pairs 1 + 3 = 4; true positives a1-b1, a2-b2 = 2.
    clusters = {("a", "1"): 0, ("b", "1"): 0, ("c", "1"): 1, ("a", "2"): 1, ("b", "2"): 1, ("c", "2"): 2}
    q = pairwise(clusters, truth)
    assert (q.tp, q.fp, q.fn) == (2, 2, 2)
    assert q.precision == pytest.approx(0.5)
    assert q.recall == pytest.approx(0.5)
    assert q.f1 == pytest.approx(0.5)
    assert (q.n_clusters, q.n_true) == (3, 3)
    assert q.persons_error == 0.0


def test_merging_everything_has_full_recall_and_low_precision() -> None:
    truth = {("s", str(i)): f"p{i // 2}" for i in range(6)}  # 3 persons with 2 records each
    q = pairwise(dict.fromkeys(truth, 0), truth)
    assert (q.tp, q.fp, q.fn) == (3, 12, 0)
    assert q.recall == 1.0
    assert q.precision == pytest.approx(3 / 15)
    assert q.f1 == pytest.approx(2 * 0.2 / 1.2)
    assert q.persons_error == pytest.approx((1 - 3) / 3)


def test_singletons_link_nothing_so_precision_is_one_and_recall_zero() -> None:
    truth = {("s", str(i)): f"p{i // 2}" for i in range(4)}
    q = pairwise({k: i for i, k in enumerate(truth)}, truth)
    assert (q.tp, q.fp, q.fn) == (0, 0, 2)
    assert (q.precision, q.recall, q.f1) == (1.0, 0.0, 0.0)
    assert q.persons_error == pytest.approx(1.0)


def test_nothing_to_find_and_nothing_found_is_perfect() -> None:
    truth = {("s", "1"): "p", ("s", "2"): "q"}
    q = pairwise({("s", "1"): 0, ("s", "2"): 1}, truth)
    assert (q.precision, q.recall, q.f1) == (1.0, 1.0, 1.0)


def test_clusters_and_truth_must_hold_the_same_records() -> None:
    truth = {("s", "1"): "p", ("s", "2"): "p"}
    with pytest.raises(VinculoError) as err:
        pairwise({("s", "1"): 0, ("t", "9"): 0}, truth)
    assert err.value.code == "linkage.evaluate_mismatch"
    assert "1 only in the clusters, 1 only in the truth" in str(err.value)


def test_per_source_pair_figures_split_cross_and_within_source_pairs() -> None:
    truth = {("a", "1"): "p", ("a", "2"): "p", ("b", "1"): "p", ("b", "2"): "q"}
    clusters = {("a", "1"): 0, ("a", "2"): 1, ("b", "1"): 0, ("b", "2"): 0}
    figures = by_source_pair(clusters, truth)
    assert set(figures) == {("a", "a"), ("a", "b"), ("b", "b")}
    assert (figures["a", "a"].tp, figures["a", "a"].fp, figures["a", "a"].fn) == (0, 0, 1)  # a1-a2 missed
    # a1-b1 found, a1-b2 wrong, a2-b1 missed
    assert (figures["a", "b"].tp, figures["a", "b"].fp, figures["a", "b"].fn) == (1, 1, 1)
    assert (figures["b", "b"].tp, figures["b", "b"].fp, figures["b", "b"].fn) == (0, 1, 0)  # b1-b2 wrong
    assert figures["a", "b"].n_true == 2 and figures["a", "a"].n_clusters == 2


def _reference(clusters: dict[Key, int], truth: dict[Key, int]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for x, y in combinations(sorted(truth), 2):
        same_c, same_t = clusters[x] == clusters[y], truth[x] == truth[y]
        tp += same_c and same_t
        fp += same_c and not same_t
        fn += same_t and not same_c
    return tp, fp, fn


def _reference_by_pair(
    clusters: dict[Key, int], truth: dict[Key, int]
) -> dict[tuple[str, str], tuple[int, int, int]]:
    out: dict[tuple[str, str], list[int]] = {}
    for x, y in combinations(sorted(truth), 2):
        st_ = (min(x[0], y[0]), max(x[0], y[0]))
        same_c, same_t = clusters[x] == clusters[y], truth[x] == truth[y]
        if same_c or same_t:
            cell = out.setdefault(st_, [0, 0, 0])
            cell[0] += same_c and same_t
            cell[1] += same_c and not same_t
            cell[2] += same_t and not same_c
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


records = st.lists(
    st.tuples(st.sampled_from("abc"), st.integers(0, 6), st.integers(0, 5), st.integers(0, 5)),
    max_size=40,
    unique_by=lambda t: (t[0], t[1]),
)


@settings(max_examples=200, deadline=None)
@given(records)
def test_pair_counts_agree_with_listing_every_pair(rows: list[tuple[str, int, int, int]]) -> None:
    clusters = {(s, str(r)): c for s, r, c, _ in rows}
    truth = {(s, str(r)): t for s, r, _, t in rows}
    q = pairwise(clusters, truth)
    assert (q.tp, q.fp, q.fn) == _reference(clusters, truth)
    assert q.n_clusters == len(set(clusters.values()))
    assert q.n_true == len(set(truth.values()))
    assert 0.0 <= q.precision <= 1.0 and 0.0 <= q.recall <= 1.0 and 0.0 <= q.f1 <= 1.0
    figures = by_source_pair(clusters, truth)
    assert {k: (v.tp, v.fp, v.fn) for k, v in figures.items()} == _reference_by_pair(clusters, truth)
    assert sum(v.tp for v in figures.values()) == q.tp
    assert sum(v.fp for v in figures.values()) == q.fp


def test_quality_reports_itself() -> None:
    q = Quality(0.5, 0.25, 1 / 3, 1, 1, 3, 10, 8)
    assert q.to_dict()["persons_error"] == pytest.approx(0.25)
    assert "P 0.5000  R 0.2500  F1 0.3333" in q.summary()
    assert "+25.0%" in q.summary()
