"""Clustering scored pairs: union-find at a threshold, deterministic ids, cannot-link guard."""

from __future__ import annotations

import random

import pytest

from vinculo.errors import VinculoError
from vinculo.linkage.clusters import cluster, pair_score
from vinculo.linkage.model import ScoredPair


def _pair(a: str, b: str, p: float, sim: float | None = None) -> ScoredPair:
    sa, ra = a.split(":")
    sb, rb = b.split(":")
    return ScoredPair((sa, ra), (sb, rb), p, similarity=sim)


RECORDS = [("A", "1"), ("A", "2"), ("A", "3"), ("B", "1"), ("B", "2"), ("C", "1")]


def test_every_record_appears_exactly_once_in_input_order() -> None:
    out = cluster(RECORDS, [_pair("A:1", "B:1", 0.99)], 0.9)
    assert list(out) == RECORDS


def test_pairs_at_or_above_the_threshold_link_and_below_do_not() -> None:
    pairs = [_pair("A:1", "B:1", 0.9), _pair("A:2", "B:2", 0.8999)]
    out = cluster(RECORDS, pairs, 0.9)
    assert out[("A", "1")] == out[("B", "1")]
    assert out[("A", "2")] != out[("B", "2")]


def test_ids_are_numbered_by_first_record_in_input_order() -> None:
    out = cluster(RECORDS, [_pair("C:1", "A:3", 0.95), _pair("B:2", "A:2", 0.99)], 0.9)
    assert out == {("A", "1"): 0, ("A", "2"): 1, ("A", "3"): 2, ("B", "1"): 3, ("B", "2"): 1, ("C", "1"): 2}
    assert sorted(set(out.values())) == list(range(len(set(out.values()))))


def test_links_are_transitive_across_three_sources_and_within_a_source() -> None:
    pairs = [_pair("A:1", "B:1", 0.95), _pair("B:1", "C:1", 0.97), _pair("A:1", "A:3", 0.92)]
    out = cluster(RECORDS, pairs, 0.9)
    assert out[("A", "1")] == out[("B", "1")] == out[("C", "1")] == out[("A", "3")]
    assert len(set(out.values())) == 3


def test_result_does_not_depend_on_the_order_of_the_pairs() -> None:
    rng = random.Random(7)
    keys = [(s, str(i)) for s in "ABC" for i in range(30)]
    pairs = [ScoredPair(rng.choice(keys), rng.choice(keys), rng.random()) for _ in range(120)]
    cannot = [(rng.choice(keys), rng.choice(keys)) for _ in range(15)]
    first = cluster(keys, pairs, 0.6, cannot_link=cannot)
    for _ in range(5):
        rng.shuffle(pairs)
        assert cluster(keys, pairs, 0.6, cannot_link=cannot) == first


def test_cannot_link_stops_a_chain_through_weaker_links() -> None:
    # A:1 and A:2 are siblings (compared, clearly different); B:1 is weakly like both.
    pairs = [_pair("A:1", "B:1", 0.97), _pair("A:2", "B:1", 0.93)]
    without = cluster(RECORDS, pairs, 0.9)
    assert without[("A", "1")] == without[("A", "2")]
    out = cluster(RECORDS, pairs, 0.9, cannot_link=[(("A", "1"), ("A", "2"))])
    # The stronger link wins, the weaker one that would chain the siblings is refused.
    assert out[("A", "1")] == out[("B", "1")]
    assert out[("A", "2")] != out[("A", "1")]


def test_cannot_link_is_checked_between_whole_clusters() -> None:
    pairs = [
        _pair("A:1", "B:1", 0.99),  # cluster {A1, B1}
        _pair("A:2", "C:1", 0.98),  # cluster {A2, C1}
        _pair("B:1", "C:1", 0.95),  # would join them, but A1 cannot link to A2
        _pair("A:3", "B:2", 0.91),
    ]
    out = cluster(RECORDS, pairs, 0.9, cannot_link=[(("A", "1"), ("A", "2"))])
    assert out[("A", "1")] == out[("B", "1")]
    assert out[("A", "2")] == out[("C", "1")]
    assert out[("A", "1")] != out[("A", "2")]
    assert out[("A", "3")] == out[("B", "2")]


def test_pprl_pairs_are_clustered_on_their_similarity() -> None:
    pair = _pair("A:1", "B:1", 0.1, sim=0.85)
    assert pair_score(pair) == 0.85
    assert cluster(RECORDS, [pair], 0.8)[("A", "1")] == cluster(RECORDS, [pair], 0.8)[("B", "1")]
    out = cluster(RECORDS, [pair], 0.9)
    assert out[("A", "1")] != out[("B", "1")]


def test_a_pair_naming_an_unknown_record_is_an_error() -> None:
    with pytest.raises(VinculoError) as err:
        cluster(RECORDS, [_pair("A:1", "Z:9", 0.99)], 0.9)
    assert err.value.code == "linkage.unknown_record"


def test_a_record_given_twice_is_an_error() -> None:
    with pytest.raises(VinculoError) as err:
        cluster([("A", "1"), ("A", "1")], [], 0.9)
    assert err.value.code == "linkage.duplicate_record"


def test_no_records_give_no_clusters() -> None:
    assert cluster([], [], 0.5) == {}


def test_components_match_a_brute_force_reference() -> None:
    rng = random.Random(3)
    keys = [("S", str(i)) for i in range(60)]
    pairs = [ScoredPair(rng.choice(keys), rng.choice(keys), rng.random()) for _ in range(80)]
    out = cluster(keys, pairs, 0.7)
    # Reference: repeated relabelling until stable (transitive closure).
    label = {k: i for i, k in enumerate(keys)}
    changed = True
    while changed:
        changed = False
        for p in pairs:
            if p.probability >= 0.7 and label[p.left] != label[p.right]:
                low = min(label[p.left], label[p.right])
                label[p.left] = label[p.right] = low
                changed = True
    for a in keys:
        for b in keys:
            assert (out[a] == out[b]) == (label[a] == label[b])
