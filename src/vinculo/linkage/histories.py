"""Capture histories from a linkage result: which lists (sources) each person is on.

Each cluster is one person; its capture history is the set of sources its records come from
(within-source duplicates count once). The table is what :mod:`vinculo.mse` estimates from, so
it is built with :func:`vinculo.mse.histories_from_records` and agrees exactly with the clusters.

Strata: a cluster's stratum is the most frequent non-empty value of the key among its records
(ties: the value seen first in input order); a cluster with no value is in stratum ``"unknown"``.

Linkage errors bias the estimate (missed links inflate it, false links deflate it), so
:func:`threshold_sensitivity` re-clusters the result's scored pairs at other thresholds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from vinculo.errors import VinculoError
from vinculo.linkage.clusters import cluster
from vinculo.linkage.model import LinkResult

if TYPE_CHECKING:
    # vinculo.mse imports scipy (some seconds on a busy machine): it is loaded only when a
    # capture-history table is built, not for re-clustering (``vinculo link`` without --histories).
    from vinculo.mse import CaptureHistories

__all__ = ["UNKNOWN_STRATUM", "capture_histories", "histories_rows", "threshold_sensitivity"]

UNKNOWN_STRATUM = "unknown"

Key = tuple[str, str]


def _memberships(
    sources: Sequence[str], clusters: Mapping[Key, int]
) -> tuple[list[int], dict[int, list[Key]]]:
    """Cluster ids in order of first appearance and each cluster's records."""
    members: dict[int, list[Key]] = {}
    for key, cid in clusters.items():
        members.setdefault(cid, []).append(key)
    known = set(sources)
    for key in clusters:
        if key[0] not in known:
            raise VinculoError(
                f"record {key[1]!r} names source {key[0]!r}, which is not one of the result's sources "
                f"({', '.join(sources)}).",
                code="linkage.unknown_source",
                fix="Build capture histories from the result the clusters came from.",
            )
    return list(members), members


def _lists_of(records: Iterable[Key], sources: Sequence[str]) -> list[str]:
    present = {s for s, _ in records}
    return [s for s in sources if s in present]


def _stratum(records: Sequence[Key], strata: Mapping[Key, Mapping[str, str]], by: str) -> str:
    values = [str(strata.get(k, {}).get(by, "") or "") for k in records]
    counts = Counter(v for v in values if v)
    if not counts:
        return UNKNOWN_STRATUM
    best = max(counts.values())
    return next(v for v in values if counts.get(v) == best)


def _histories(
    sources: Sequence[str],
    clusters: Mapping[Key, int],
    strata: Mapping[Key, Mapping[str, str]],
    by: str | None,
) -> CaptureHistories | dict[str, CaptureHistories]:
    from vinculo.mse import histories_from_records

    order, members = _memberships(sources, clusters)
    if by is None:
        return histories_from_records(
            (_lists_of(members[c], sources) for c in order), sources, source="linkage result"
        )
    groups: dict[str, list[list[str]]] = {}
    for c in order:
        groups.setdefault(_stratum(members[c], strata, by), []).append(_lists_of(members[c], sources))
    return {
        value: histories_from_records(groups[value], sources, source=f"linkage result [{by}={value}]")
        for value in sorted(groups)
    }


def capture_histories(
    result: LinkResult, *, by: str | None = None
) -> CaptureHistories | dict[str, CaptureHistories]:
    """The capture-history table of a linkage result, or one table per stratum.

    Parameters
    ----------
    result : LinkResult
        A linkage result with at least two sources.
    by : str, optional
        A strata key (``"sex"``, ``"age_group"``, ``"exploitation"``, ``"year"``); the tables are
        returned by stratum value, sorted.

    Raises
    ------
    VinculoError
        ``mse.too_few_lists`` for one source; ``mse.empty_list`` when a stratum has no person on
        some list (the message names the stratum).

    Examples
    --------
    >>> r = LinkResult(sources=("A", "B"), clusters={("A", "1"): 0, ("A", "2"): 1, ("B", "9"): 0})
    >>> capture_histories(r).rows()
    [((1, 0), 1), ((1, 1), 1)]
    """
    return _histories(result.sources, result.clusters, result.strata, by)


def histories_rows(result: LinkResult, *, by: str | None = None) -> list[dict[str, object]]:
    """The capture-history table as rows: one 0/1 column per source (input order) and ``count``.

    One row per observed pattern (no all-zero row), in the order of the pattern's bit mask
    (the first source is the lowest bit), as :meth:`CaptureHistories.rows` gives them. With
    ``by``, a first column named ``by`` holds the stratum and patterns are counted per stratum.
    Works for a single source too (one row: every person on it).
    """
    sources = result.sources
    order, members = _memberships(sources, result.clusters)
    bit = {s: i for i, s in enumerate(sources)}
    counts: Counter[tuple[str, int]] = Counter()
    for c in order:
        mask = 0
        for s in _lists_of(members[c], sources):
            mask |= 1 << bit[s]
        value = _stratum(members[c], result.strata, by) if by is not None else ""
        counts[(value, mask)] += 1
    rows: list[dict[str, object]] = []
    for value, mask in sorted(counts):
        row: dict[str, object] = {by: value} if by is not None else {}
        row.update({s: (mask >> i) & 1 for i, s in enumerate(sources)})
        row["count"] = counts[(value, mask)]
        rows.append(row)
    return rows


def _cannot_link(result: LinkResult) -> list[tuple[Key, Key]]:
    raw = result.parameters.get("cannot_link", ())
    out: list[tuple[Key, Key]] = []
    if isinstance(raw, list | tuple):
        for item in raw:
            s1, r1, s2, r2 = (str(x) for x in item)
            out.append(((s1, r1), (s2, r2)))
    return out


def recluster(result: LinkResult, threshold: float) -> dict[Key, int]:
    """The result's records clustered again from its pairs at another ``threshold``.

    Only pairs kept in the result (scores at or above ``review_band[0]``) can link, so a threshold
    below the review band's lower end is refused. The cannot-link pairs the result was clustered
    with (``parameters["cannot_link"]``) apply again, so re-clustering at the result's own
    threshold gives back its clusters.
    """
    low = result.review_band[0]
    if threshold < low:
        raise VinculoError(
            f"cannot re-cluster at threshold {threshold:g}: the result keeps only pairs scoring "
            f"at least {low:g}.",
            code="linkage.threshold_below_band",
            fix=f"Use thresholds of at least {low:g}, or run the linkage again with that threshold.",
        )
    return cluster(list(result.clusters), result.pairs, threshold, cannot_link=_cannot_link(result))


def threshold_sensitivity(
    result: LinkResult, thresholds: Iterable[float]
) -> list[tuple[float, CaptureHistories]]:
    """Capture histories at other match thresholds (a stricter and a looser one, say).

    Each threshold re-clusters the result's pairs (:func:`recluster`); the returned tables can be
    estimated side by side to show how much the estimate depends on the threshold.

    Examples
    --------
    >>> from vinculo.linkage.model import ScoredPair
    >>> r = LinkResult(sources=("A", "B"), clusters={("A", "1"): 0, ("B", "9"): 1},
    ...                pairs=(ScoredPair(("A", "1"), ("B", "9"), 0.7),), threshold=0.9,
    ...                review_band=(0.5, 0.9))
    >>> [(t, h.rows()) for t, h in threshold_sensitivity(r, [0.6, 0.95])]
    [(0.6, [((1, 1), 1)]), (0.95, [((1, 0), 1), ((0, 1), 1)])]
    """
    from vinculo.mse import CaptureHistories

    out: list[tuple[float, CaptureHistories]] = []
    for t in thresholds:
        clusters = recluster(result, t)
        h = _histories(result.sources, clusters, result.strata, None)
        assert isinstance(h, CaptureHistories)
        out.append((t, h))
    return out
