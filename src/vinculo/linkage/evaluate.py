"""Quality of a linkage against the truth: pairwise precision, recall and F1, distinct persons.

A *pair* is two records placed in the same cluster. A predicted pair is a true positive when both
records belong to the same true person. Pairs are counted from cluster sizes and from the
contingency of (cluster, true person), never by listing them, so a million records cost one pass:

- predicted pairs = sum over clusters of C(size, 2);
- true pairs = sum over true persons of C(size, 2);
- true positives = sum over (cluster, person) cells of C(count, 2).

Per source pair (``by_source_pair``), a pair between a record of source ``s`` and one of ``t``
(``s != t``) counts in ``(s, t)``; pairs within one source (duplicates in one list) count in
``(s, s)``; for cross pairs, C(., 2) becomes the product of the two sources' counts.

Conventions: precision is 1.0 when nothing was linked and recall 1.0 when there is nothing to
find (no error was made), and F1 is 0.0 when both precision and recall are 0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass

from vinculo.errors import Issue, VinculoError

__all__ = ["Quality", "by_source_pair", "pairwise"]

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Quality:
    """Pairwise quality of clusters against the truth.

    Attributes
    ----------
    precision, recall, f1 : float
        Over record pairs (see the module docstring for the conventions on empty sets).
    tp, fp, fn : int
        True positive, false positive and false negative pairs.
    n_clusters : int
        Distinct persons found (clusters).
    n_true : int
        Distinct persons in the truth.
    """

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    n_clusters: int
    n_true: int

    @property
    def persons_error(self) -> float:
        """Relative error of the number of distinct persons: ``(n_clusters - n_true) / n_true``."""
        return (self.n_clusters - self.n_true) / self.n_true if self.n_true else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {**asdict(self), "persons_error": self.persons_error}

    def summary(self) -> str:
        return (
            f"P {self.precision:.4f}  R {self.recall:.4f}  F1 {self.f1:.4f}  "
            f"(tp {self.tp:,}, fp {self.fp:,}, fn {self.fn:,}); "
            f"persons {self.n_clusters:,} found / {self.n_true:,} true ({self.persons_error:+.1%})"
        )


def _quality(tp: int, predicted: int, true: int, n_clusters: int, n_true: int) -> Quality:
    fp, fn = predicted - tp, true - tp
    precision = tp / predicted if predicted else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(precision, recall, f1, tp, fp, fn, n_clusters, n_true)


def _check(clusters: Mapping[Key, Hashable], truth: Mapping[Key, Hashable]) -> None:
    if len(clusters) == len(truth) and all(k in truth for k in clusters):
        return
    only_clusters = sum(1 for k in clusters if k not in truth)
    only_truth = sum(1 for k in truth if k not in clusters)
    issues = []
    if only_clusters:
        issues.append(
            Issue("linkage.evaluate_mismatch", f"{only_clusters:,} clustered records are not in the truth.")
        )
    if only_truth:
        issues.append(
            Issue("linkage.evaluate_mismatch", f"{only_truth:,} records of the truth have no cluster.")
        )
    raise VinculoError(
        "The clusters and the truth do not hold the same records "
        f"({only_clusters:,} only in the clusters, {only_truth:,} only in the truth).",
        code="linkage.evaluate_mismatch",
        issues=issues,
        fix="Evaluate the clusters of exactly the records the truth describes (same source names and record ids).",
    )


def _c2(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(clusters: Mapping[Key, Hashable], truth: Mapping[Key, Hashable]) -> Quality:
    """Pairwise precision, recall and F1 of ``clusters`` against ``truth``.

    Parameters
    ----------
    clusters : mapping of (source, record_id) to cluster id
        Every record exactly once (as :attr:`vinculo.linkage.LinkResult.clusters`).
    truth : mapping of (source, record_id) to person id
        The same records.

    Returns
    -------
    Quality

    Raises
    ------
    VinculoError
        ``linkage.evaluate_mismatch`` when the two do not hold the same records.

    Examples
    --------
    >>> truth = {("a", "1"): "p", ("b", "1"): "p", ("b", "2"): "q"}
    >>> q = pairwise({("a", "1"): 0, ("b", "1"): 0, ("b", "2"): 0}, truth)
    >>> q.tp, q.fp, q.fn, round(q.precision, 3), q.recall
    (1, 2, 0, 0.333, 1.0)
    """
    _check(clusters, truth)
    cluster_sizes = Counter(clusters.values())
    true_sizes = Counter(truth.values())
    cells = Counter((c, truth[k]) for k, c in clusters.items())
    tp = sum(_c2(n) for n in cells.values())
    predicted = sum(_c2(n) for n in cluster_sizes.values())
    true = sum(_c2(n) for n in true_sizes.values())
    return _quality(tp, predicted, true, len(cluster_sizes), len(true_sizes))


def _pair_counts(groups: Mapping[Hashable, Counter[str]]) -> dict[tuple[str, str], int]:
    """For groups of records counted per source: pairs per (source, source) inside the groups."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for per_source in groups.values():
        items = sorted(per_source.items())
        for i, (s, n) in enumerate(items):
            if n > 1:
                out[s, s] += _c2(n)
            for t, m in items[i + 1 :]:
                out[s, t] += n * m
    return out


def by_source_pair(
    clusters: Mapping[Key, Hashable], truth: Mapping[Key, Hashable]
) -> dict[tuple[str, str], Quality]:
    """:func:`pairwise` restricted to the pairs between two sources (``(s, s)``: within ``s``).

    Keys are ``(s, t)`` with ``s <= t``; every pair of sources that has a true or a predicted
    pair appears. ``n_clusters`` and ``n_true`` count the clusters and persons with a record in
    ``s`` or ``t``.
    """
    _check(clusters, truth)
    by_cluster: dict[Hashable, Counter[str]] = defaultdict(Counter)
    by_person: dict[Hashable, Counter[str]] = defaultdict(Counter)
    by_cell: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for key, c in clusters.items():
        p = truth[key]
        by_cluster[c][key[0]] += 1
        by_person[p][key[0]] += 1
        by_cell[c, p][key[0]] += 1
    predicted = _pair_counts(by_cluster)
    true = _pair_counts(by_person)
    tp = _pair_counts(by_cell)
    out = {}
    for st in sorted(set(predicted) | set(true)):
        wanted = set(st)
        n_c = sum(1 for per in by_cluster.values() if wanted & per.keys())
        n_t = sum(1 for per in by_person.values() if wanted & per.keys())
        out[st] = _quality(tp.get(st, 0), predicted.get(st, 0), true.get(st, 0), n_c, n_t)
    return out
