"""Clustering scored pairs: union-find at a threshold, deterministic ids, cannot-link guard."""

from __future__ import annotations

import random

import pytest

from vinculo.errors import VinculoError
from vinculo.linkage.clusters import cluster, cluster_guarded, pair_score
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


def test_a_guard_refuses_merges_and_its_pairs_replay_as_cannot_links() -> None:
    rng = random.Random(11)
    keys = [("S", str(i)) for i in range(80)]
    pairs = [ScoredPair(rng.choice(keys), rng.choice(keys), rng.random()) for _ in range(200)]
    parity = [i % 3 for i in range(len(keys))]  # records of other "colours" must not be together

    def guard(left: list[int], right: list[int]) -> tuple[int, int] | None:
        for a in left:
            for b in right:
                if parity[a] != parity[b]:
                    return min(a, b), max(a, b)
        return None

    out, named = cluster_guarded(keys, pairs, 0.5, guard=guard)
    members: dict[int, list[int]] = {}
    for i, k in enumerate(keys):
        members.setdefault(out[k], []).append(i)
    assert all(len({parity[i] for i in m}) == 1 for m in members.values())
    assert any(len(m) > 2 for m in members.values())  # the guard did let clusters form
    assert named and all(out[a] != out[b] for a, b in named)
    # The named pairs as plain cannot-links give the same clusters without the guard.
    assert cluster(keys, pairs, 0.5, cannot_link=named) == out
    # With a guard that never objects, the result is plain single linkage.
    assert cluster_guarded(keys, pairs, 0.5, guard=lambda _a, _b: None) == (cluster(keys, pairs, 0.5), [])


def test_a_guard_is_asked_only_about_the_clusters_a_link_would_join() -> None:
    # A chain of 2,000 records: single linkage makes one component of them all. A guard that
    # refuses every cluster above 4 records keeps each small, and is never shown a big one.
    keys = [("S", str(i)) for i in range(2000)]
    pairs = [ScoredPair(keys[i], keys[i + 1], 0.99 - (i % 7) * 0.01) for i in range(len(keys) - 1)]
    shown: list[int] = []

    def guard(left: list[int], right: list[int]) -> tuple[int, int] | None:
        shown.append(len(left) + len(right))
        return (min(left[0], right[0]), max(left[0], right[0])) if len(left) + len(right) > 4 else None

    out, named = cluster_guarded(keys, pairs, 0.9, guard=guard)
    sizes = {c: list(out.values()).count(c) for c in set(out.values())}
    assert max(sizes.values()) <= 4
    assert max(shown) <= 8
    assert len(shown) == len(pairs)  # each link asked once: a refused pair is remembered
    assert len(named) == len(pairs) - (len(keys) - len(sizes))
