"""Clusters of records that are the same person, from scored pairs.

Clustering is single linkage over the pairs whose score reaches the threshold (the connected
components of the match graph), built with a union-find. Pairs are taken strongest first, so
the result does not depend on the order the pairs come in, and an optional set of *cannot-link*
pairs (two records that were compared and found clearly different, such as two siblings) stops
a chain of weaker links from joining them: a merge that would put a cannot-link pair into one
cluster is refused. This is the constrained single linkage of Wagstaff et al. (2001, "COP").

Cluster ids are ``0..n-1`` numbered by the first record of each cluster in input order, so the
same input gives the same ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from vinculo.errors import VinculoError
from vinculo.linkage.model import ScoredPair

__all__ = ["Guard", "cluster", "cluster_guarded", "pair_score"]

Key = tuple[str, str]


def pair_score(pair: ScoredPair) -> float:
    """The score a pair is clustered on: the Dice similarity for PPRL pairs (``similarity`` is set),
    else the match probability. Thresholds are on the same scale (see ``LinkResult.threshold``)."""
    return pair.similarity if pair.similarity is not None else pair.probability


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:  # path compression
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> int:
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]
        return a


def _index(records: Sequence[Key]) -> dict[Key, int]:
    index: dict[Key, int] = {}
    for i, key in enumerate(records):
        if key in index:
            raise VinculoError(
                f"record {key[1]!r} of source {key[0]!r} is given twice to the clustering.",
                code="linkage.duplicate_record",
                fix="Pass each (source, record_id) once.",
            )
        index[key] = i
    return index


def _position(index: dict[Key, int], key: Key) -> int:
    try:
        return index[key]
    except KeyError:
        raise VinculoError(
            f"a pair names record {key[1]!r} of source {key[0]!r}, which is not among the records.",
            code="linkage.unknown_record",
            fix="Cluster the pairs with the records they were scored from.",
        ) from None


#: A guard between two clusters about to merge: given the members of each (positions in
#: ``records``), a pair (one position from each) that must not end in one cluster, or None.
Guard = Callable[[Sequence[int], Sequence[int]], tuple[int, int] | None]


def cluster(
    records: Sequence[Key],
    pairs: Iterable[ScoredPair],
    threshold: float,
    *,
    cannot_link: Iterable[tuple[Key, Key]] = (),
    score: Callable[[ScoredPair], float] = pair_score,
) -> dict[Key, int]:
    """Cluster records: every pair scoring at or above ``threshold`` links its two records.

    Parameters
    ----------
    records : sequence of (source, record_id)
        Every record, in input order (each once).
    pairs : iterable of ScoredPair
        Scored pairs; those below ``threshold`` are ignored.
    threshold : float
        The score at which a pair is a match (inclusive).
    cannot_link : iterable of ((source, record_id), (source, record_id))
        Pairs that must not end in one cluster; a link that would join them is skipped.
    score : callable
        The score of a pair, :func:`pair_score` by default.

    Returns
    -------
    dict
        ``(source, record_id) -> cluster id`` for every record, in input order; ids ``0..n-1``
        in order of each cluster's first record.

    Examples
    --------
    >>> p = [ScoredPair(("A", "1"), ("B", "7"), 0.99), ScoredPair(("A", "2"), ("B", "8"), 0.2)]
    >>> cluster([("A", "1"), ("A", "2"), ("B", "7"), ("B", "8")], p, 0.9)
    {('A', '1'): 0, ('A', '2'): 1, ('B', '7'): 0, ('B', '8'): 2}
    """
    return cluster_guarded(records, pairs, threshold, cannot_link=cannot_link, score=score)[0]


def cluster_guarded(
    records: Sequence[Key],
    pairs: Iterable[ScoredPair],
    threshold: float,
    *,
    guard: Guard | None = None,
    cannot_link: Iterable[tuple[Key, Key]] = (),
    score: Callable[[ScoredPair], float] = pair_score,
) -> tuple[dict[Key, int], list[tuple[Key, Key]]]:
    """:func:`cluster`, with a ``guard`` asked before each merge of two clusters.

    The guard sees the members of both clusters and names a pair of them that must not be in one
    cluster, or None; a named pair refuses the merge and becomes a cannot-link pair, so later
    links between the same two clusters are refused without asking again. The guard is asked
    only about clusters that a link would join, so its work follows the clusters actually
    formed (not the components the links alone would make, which chaining can make huge).

    Returns
    -------
    (dict, list)
        The clusters as :func:`cluster` gives them, and the pairs the guard named, in the order
        it named them. Clustering again with those pairs as ``cannot_link`` (and no guard) gives
        the same clusters.
    """
    keys = list(records)
    index = _index(keys)
    edges: list[tuple[float, int, int]] = []
    for pair in pairs:
        s = score(pair)
        if s >= threshold:
            a, b = _position(index, pair.left), _position(index, pair.right)
            if a != b:
                edges.append((-s, a, b) if a < b else (-s, b, a))
    # Strongest first (negated scores); ties in input order, so the outcome does not depend on
    # the pairs' order.
    edges.sort()

    uf = _UnionFind(len(keys))
    # For each root: the records (any cluster) its members must not be clustered with.
    conflicts: dict[int, set[int]] = {}

    def forbid(a: int, b: int) -> None:
        ra, rb = uf.find(a), uf.find(b)
        conflicts.setdefault(ra, set()).add(b)
        conflicts.setdefault(rb, set()).add(a)

    for left, right in cannot_link:
        a, b = _position(index, left), _position(index, right)
        if a != b:
            forbid(a, b)
    # Members per root, kept only when a guard needs them (the smaller list joins the larger).
    members: dict[int, list[int]] = {}
    named: list[tuple[Key, Key]] = []

    for _s, a, b in edges:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        ca, cb = conflicts.get(ra), conflicts.get(rb)
        # The conflict relation is symmetric between clusters, so checking one side suffices.
        if ca and cb:
            small, other = (ca, rb) if len(ca) <= len(cb) else (cb, ra)
            if any(uf.find(x) == other for x in small):
                continue
        if guard is not None:
            ma, mb = members.get(ra, [ra]), members.get(rb, [rb])
            bad = guard(ma, mb)
            if bad is not None:
                forbid(*bad)
                named.append((keys[bad[0]], keys[bad[1]]))
                continue
        root = uf.union(ra, rb)
        # The smaller set joins the larger in place (no copy of a large cluster's set per union).
        ca, cb = conflicts.pop(ra, None), conflicts.pop(rb, None)
        if ca and cb:
            merged = ca if len(ca) >= len(cb) else cb
            merged |= cb if merged is ca else ca
        else:
            merged = ca or cb or set()
        if merged:
            conflicts[root] = merged
        if guard is not None:
            big, little = (ma, mb) if len(ma) >= len(mb) else (mb, ma)
            members.pop(ra, None)
            members.pop(rb, None)
            big.extend(little)
            members[root] = big

    numbers: dict[int, int] = {}
    out: dict[Key, int] = {}
    for i, key in enumerate(keys):
        out[key] = numbers.setdefault(uf.find(i), len(numbers))
    return out, named
