"""Link several agencies' encodings at the platform: blocking, Dice, a multi-party greedy solver.

1. Candidate pairs: records that share a keyed blocking key, for every pair of sources and within
   each source (duplicates).
2. Dice similarity of the candidates' hardened CLKs (:mod:`vinculo.linkage.pprl.kernel`).
3. Greedy solver over all pairs at or above the threshold, best first (the greedy multi-party
   solver of the literature, e.g. anonlink's, extended to within-source duplicates). A pair
   across sources joins the clusters of its two records unless both already hold a record of the
   same source — so a cluster keeps at most one record per source (the 1:1 assignment,
   generalised to many parties). A within-source pair (a duplicate; it has its own, stricter
   threshold, see :mod:`~vinculo.linkage.pprl.scores`) only joins a lone record to a cluster,
   never two clusters. And any merge needs support: at least half of the record pairs across the
   two clusters must reach their threshold, so chains A-B-C-D of different persons,
   each step plausible, do not form one cluster.
4. Clusters are numbered by :func:`vinculo.linkage.clusters.cluster` when that module is installed
   (the trusted mode's numbering), else by an equivalent local union-find.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from vinculo.errors import VinculoError
from vinculo.linkage.model import LinkResult, ScoredPair
from vinculo.linkage.pprl._errors import input_error
from vinculo.linkage.pprl.evidence import (
    EvidenceModel,
    Layout,
    cap_duplicates,
    fit_evidence,
    fit_within_prior,
    one_to_one_excess,
    pair_levels,
)
from vinculo.linkage.pprl.fileformat import EncodedSource
from vinculo.linkage.pprl.kernel import block_pairs, dice_pairs
from vinculo.linkage.pprl.scores import FALLBACK_THRESHOLD, ScoreModel, fit_prior, fit_scores

__all__ = ["LINK_PROBABILITY", "REVIEW_LOW", "REVIEW_WIDTH", "match_encodings"]

#: Dice scores in ``[threshold - REVIEW_WIDTH, threshold)`` are listed for clerical review (when
#: records link on Dice alone: ``--threshold``, or no evidence model could be fitted).
REVIEW_WIDTH = 0.05
#: Pairs link where their match probability reaches this (the Bayes decision for equal costs)...
LINK_PROBABILITY = 0.5
#: ... and pairs from this probability up to it are listed for clerical review.
REVIEW_LOW = 0.1
#: Cross-source candidate pairs beyond which records are linked on Dice alone (the evidence model
#: is not yet validated there; see ``_fit_evidence``).
_EM_PAIRS = 1_000_000


def _check(files: Sequence[EncodedSource]) -> None:
    if len(files) < 2:
        what = files[0].file if files else "no file"
        raise input_error(
            what,
            "linkage.pprl.one_source",
            f"linking needs the encodings of at least two sources; got {len(files)}.",
            "Give one .enc file per agency (two or more).",
        )
    first = files[0]
    seen: dict[str, str] = {}
    for f in files:
        if f.schema.fingerprint != first.schema.fingerprint:
            raise input_error(
                f.file,
                "linkage.pprl.schema_mismatch",
                f"encoded with another schema than {first.file}.",
                "Every agency must encode with the same vinculo version and schema.",
            )
        if f.secret_check != first.secret_check:
            raise input_error(
                f.file,
                "linkage.pprl.secret_mismatch",
                f"encoded with another secret than {first.file}.",
                "Every agency must encode with the same shared secret file; encode again with it.",
            )
        if f.name in seen:
            raise input_error(
                f.file,
                "linkage.pprl.duplicate_source",
                f"its source name {f.name!r} is also the source name in {seen[f.name]}.",
                "Give each agency's input file its own name before encoding (the name becomes the source).",
            )
        seen[f.name] = f.file


def _local_cluster(
    records: Sequence[tuple[str, str]], links: Sequence[ScoredPair]
) -> dict[tuple[str, str], int]:
    parent = {r: r for r in records}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in links:
        a, b = find(p.left), find(p.right)
        if a != b:
            parent[b] = a
    ids: dict[tuple[str, str], int] = {}
    out: dict[tuple[str, str], int] = {}
    for r in records:
        out[r] = ids.setdefault(find(r), len(ids))
    return out


def _number(records: Sequence[tuple[str, str]], links: Sequence[ScoredPair]) -> dict[tuple[str, str], int]:
    try:
        from vinculo.linkage import clusters  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return _local_cluster(records, links)
    result: dict[tuple[str, str], int] = clusters.cluster(records, links, 0.0)
    return result


def match_encodings(
    files: Sequence[EncodedSource],
    *,
    threshold: float | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> LinkResult:
    """Clusters of records that are the same person, from encodings only (mode ``"pprl"``).

    Parameters
    ----------
    files : sequence of EncodedSource
        As :func:`~vinculo.linkage.pprl.fileformat.read_encodings` returns them; two or more, all
        with the same schema and secret, in input order (the capture-history columns).
    threshold : float, optional
        Dice at and above which records of different sources are linked. By default it is where
        the match probability fitted from the scores reaches 1/2 (:mod:`~vinculo.linkage.pprl.scores`).
        Within-source pairs link only where their own (stricter) probability reaches 1/2 as well.
    progress : callable, optional
        Called as ``progress(stage, fraction)``.

    Returns
    -------
    LinkResult
        ``pairs`` hold the Dice (``similarity``) and the fitted match probability (``probability``)
        of every candidate pair at or above ``review_band[0]``.
    """
    _check(files)
    if threshold is not None and not 0.0 < float(threshold) <= 1.0:
        raise VinculoError(
            f"threshold {threshold} is outside (0, 1].",
            code="linkage.pprl.bad_threshold",
            fix="Give a Dice similarity between 0 and 1, e.g. 0.7, or leave it out.",
        )
    n_files = len(files)
    tasks = [(i, j) for i in range(n_files) for j in range(i, n_files)]
    layout = Layout.of(files[0].schema.blocking)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool, np.ndarray]] = []
    skipped = 0
    offsets = np.cumsum([0] + [len(f) for f in files])
    for t, (i, j) in enumerate(tasks):
        a, b = files[i], files[j]
        left, right, skip = block_pairs(a.tokens, None if i == j else b.tokens)
        skipped += skip
        if len(left):
            dice = dice_pairs(a.clks, b.clks, left, right)
            levels = pair_levels(layout, a.tokens, b.tokens, left, right, dice)
            found.append((left + offsets[i], right + offsets[j], dice, i == j, levels))
        if progress is not None:
            progress("compare", (t + 1) / len(tasks))
    cross = np.concatenate([d for _, _, d, w, _ in found if not w] or [np.empty(0, np.float32)])
    within = np.concatenate([d for _, _, d, w, _ in found if w] or [np.empty(0, np.float32)])
    most = sum(min(len(files[i]), len(files[j])) for i, j in tasks if i != j)
    max_prior = min(1.0, most / max(1, len(cross)))
    model = fit_scores(cross, max_prior=max_prior)
    records = [(f.name, rid) for f in files for rid in f.ids]
    source_of = np.repeat(np.arange(n_files), [len(f) for f in files])
    if threshold is None:
        evidence = _fit_evidence(layout, found, model, source_of, n_files, max_prior)
        if evidence is not None:
            return _link_on_evidence(files, records, source_of, found, evidence, model, skipped, progress)
    within_prior = fit_prior(model, within) if model is not None else 0.0
    if model is not None:
        fitted = model.threshold()
        # Duplicates within a source are far rarer than matches across sources (their own prior);
        # none is linked when the model expects less than one among the candidates.
        within_fitted = model.threshold(within_prior) if within_prior * len(within) >= 1.0 else float("inf")
    else:
        fitted = within_fitted = FALLBACK_THRESHOLD
    cross_t = fitted if threshold is None else float(threshold)
    within_t = max(cross_t, within_fitted)
    if not np.isfinite(cross_t):
        cross_t = FALLBACK_THRESHOLD
    low = max(0.0, cross_t - REVIEW_WIDTH)

    lefts, rights, dices, probs, link_at = [], [], [], [], []
    for left, right, dice, is_within, _ in found:
        keep = dice >= (max(low, within_t - REVIEW_WIDTH) if is_within else low)
        lefts.append(left[keep])
        rights.append(right[keep])
        dices.append(dice[keep])
        if model is not None:
            probs.append(model.posterior(dice[keep], within_prior if is_within else None))
        else:
            probs.append(dice[keep].astype(np.float64))
        link_at.append(np.full(int(keep.sum()), within_t if is_within else cross_t))
    if dices:
        left_all, right_all = np.concatenate(lefts), np.concatenate(rights)
        dice_all, prob_all, at_all = np.concatenate(dices), np.concatenate(probs), np.concatenate(link_at)
    else:
        left_all = right_all = np.empty(0, dtype=np.int64)
        dice_all, prob_all, at_all = np.empty(0, np.float32), np.empty(0), np.empty(0)
    order = np.lexsort((right_all, left_all, -dice_all))
    left_all, right_all, dice_all, prob_all, at_all = (
        left_all[order],
        right_all[order],
        dice_all[order],
        prob_all[order],
        at_all[order],
    )
    links, refused = _solve(records, source_of, left_all, right_all, dice_all, dice_all >= at_all)
    if progress is not None:
        progress("cluster", 1.0)
    clusters = _number(records, links)
    pairs = tuple(
        ScoredPair(records[a], records[b], probability=p, similarity=d)
        for a, b, d, p in zip(
            left_all.tolist(),
            right_all.tolist(),
            dice_all.astype(np.float64).tolist(),
            prob_all.tolist(),
            strict=True,
        )
    )
    return LinkResult(
        sources=tuple(f.name for f in files),
        clusters=clusters,
        pairs=pairs,
        threshold=cross_t,
        review_band=(low, cross_t),
        mode="pprl",
        parameters={
            "schema_fingerprint": files[0].schema.fingerprint,
            "similarity": "dice",
            "score": "dice",
            "threshold": cross_t,
            "threshold_fitted": fitted if np.isfinite(fitted) else None,
            "within_source_threshold": within_t if np.isfinite(within_t) else None,
            "score_model": model.to_dict() if model is not None else None,
            "within_source_prior": within_prior,
            "blocking": list(files[0].schema.blocking),
            "candidate_pairs": int(len(cross) + len(within)),
            "skipped_blocks": skipped,
            "links": len(links),
            "solver": "greedy multi-party: best first, one record per source per cluster, "
            "except through a within-source link",
            "cannot_link": _cannot_link(
                records, clusters, refused, source_of, left_all, right_all, dice_all, within_t
            ),
        },
    )


def _fit_evidence(
    layout: Layout,
    found: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray, bool, np.ndarray]],
    model: ScoreModel | None,
    source_of: np.ndarray,
    n_files: int,
    max_prior: float,
) -> EvidenceModel | None:
    """The Dice + blocking-key model fitted on the cross-source candidates (see ``evidence``).

    1. EM with the 1:1 cap, started from the Dice mixture's posteriors (or from Dice at the
       fallback threshold when the scores alone show no match component);
    2. again with each cap raised by the duplicates expected in that source (a source that holds
       some persons twice has, for them, two true matches of one record elsewhere);
    3. EM without the cap, started from that fit: kept instead when it is about as consistent with
       one match per record and source (:func:`one_to_one_excess` at most twice step 2's) — it
       then fits the data better; where it drifted to another split (same family, same names), its
       excess is many times larger.
    """
    cross = [(a, b, d, lv) for a, b, d, w, lv in found if not w]
    if not cross or not layout.kinds:
        return None
    if sum(len(c[0]) for c in cross) > _EM_PAIRS:
        # Not validated beyond this. On 2 x 100,000 multi-script records a model fitted on a
        # sample linked far too much (F1 0.14 against 0.36 with Dice alone); the cause found on
        # 2 x 30,000 records was the within-source linking (bounded and capped since: F1 0.13 ->
        # 0.70 there, Dice alone 0.45; docs/linkage/pprl.md), but the larger set was not rerun.
        return None
    left = np.concatenate([c[0] for c in cross])
    right = np.concatenate([c[1] for c in cross])
    dice = np.concatenate([c[2] for c in cross])
    levels = np.concatenate([c[3] for c in cross])
    start = model.posterior(dice) if model is not None else (dice >= FALLBACK_THRESHOLD).astype(np.float64)
    # Each record with each other source: at most one match there (the cap of the E-step).
    sides = [(left, source_of[right]), (right, source_of[left])]
    ids = [np.unique(rec * n_files + src, return_inverse=True)[1] for rec, src in sides]
    first = fit_evidence(layout, levels, start, [(g, np.ones(len(g))) for g in ids], max_prior=max_prior)
    if first is None:
        return None
    extra = _duplicates_per_record(first, found, source_of, n_files)
    caps = [(g, 1.0 + extra[src]) for g, (_, src) in zip(ids, sides, strict=True)]
    capped = fit_evidence(layout, levels, start, caps, max_prior=max_prior) or first
    free = fit_evidence(layout, levels, capped.posterior(levels), [], max_prior=max_prior)
    if free is not None and one_to_one_excess(free, levels, caps) <= 2.0 * one_to_one_excess(
        capped, levels, caps
    ):
        return free
    return capped


def _duplicates_per_record(
    model: EvidenceModel,
    found: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray, bool, np.ndarray]],
    source_of: np.ndarray,
    n_files: int,
) -> np.ndarray:
    """Per source, the other records of the same person per record: twice the within-source
    candidates that would link under ``model`` (each source with its own prior), per record, at
    most one. Counted, not summed: on millions of within-source namesakes the many small
    probabilities would add up to dozens of "duplicates" per record and lift the cap altogether."""
    extra = np.zeros(n_files)
    for a, b, _, is_within, levels in found:
        if is_within and len(levels):
            prior = fit_within_prior(model, levels)
            prob = cap_duplicates(model.posterior(levels, prior), a, b)
            extra[source_of[a[0]]] += 2.0 * float((prob >= LINK_PROBABILITY).sum())
    sizes = np.bincount(source_of, minlength=n_files)
    out: np.ndarray = np.minimum(extra / np.maximum(sizes, 1), 1.0)
    return out


def _link_on_evidence(
    files: Sequence[EncodedSource],
    records: Sequence[tuple[str, str]],
    source_of: np.ndarray,
    found: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray, bool, np.ndarray]],
    evidence: EvidenceModel,
    model: ScoreModel | None,
    skipped: int,
    progress: Callable[[str, float], None] | None,
) -> LinkResult:
    """Cluster on the evidence model's match probabilities: pairs link where it reaches 1/2.

    The pairs carry the probability and its waterfall (``weights``: the Dice score and each
    group of blocking keys with its match weight in bits) and no ``similarity``, so they are
    clustered on the probability (:func:`vinculo.linkage.clusters.pair_score`) like trusted pairs.
    """
    within_levels = [lv for _, _, _, w, lv in found if w]
    n_within = sum(len(lv) for lv in within_levels)
    within_prior = fit_within_prior(evidence, np.concatenate(within_levels)) if within_levels else 0.0
    if within_prior * n_within < 1.0:
        within_prior = 0.0  # less than one duplicate expected: none is linked
    lefts, rights, dices, probs, levels_kept = [], [], [], [], []
    for left, right, dice, is_within, levels in found:
        prob = evidence.posterior(levels, within_prior if is_within else None)
        if is_within:
            prob = cap_duplicates(prob, left, right) if within_prior > 0.0 else np.zeros(len(prob))
        keep = prob >= REVIEW_LOW
        lefts.append(left[keep])
        rights.append(right[keep])
        dices.append(dice[keep])
        probs.append(prob[keep])
        levels_kept.append(levels[keep])
    left_all = np.concatenate(lefts) if lefts else np.empty(0, dtype=np.int64)
    right_all = np.concatenate(rights) if rights else np.empty(0, dtype=np.int64)
    dice_all = np.concatenate(dices) if dices else np.empty(0, np.float32)
    prob_all = np.concatenate(probs) if probs else np.empty(0)
    level_all = np.concatenate(levels_kept) if levels_kept else np.empty((0, 1), dtype=np.int64)
    # The order re-clustering uses (clusters.cluster): probability, then the records' positions.
    order = np.lexsort((right_all, left_all, -prob_all))
    left_all, right_all, dice_all, prob_all, level_all = (
        left_all[order],
        right_all[order],
        dice_all[order],
        prob_all[order],
        level_all[order],
    )
    links, refused = _solve(records, source_of, left_all, right_all, prob_all, prob_all >= LINK_PROBABILITY)
    if progress is not None:
        progress("cluster", 1.0)
    clusters = _number(records, links)
    pairs = tuple(
        ScoredPair(records[a], records[b], probability=p, weights=w)
        for a, b, p, w in zip(
            left_all.tolist(),
            right_all.tolist(),
            prob_all.tolist(),
            evidence.explain(level_all, dice_all),
            strict=True,
        )
    )
    n_candidates = sum(len(d) for _, _, d, _, _ in found)
    return LinkResult(
        sources=tuple(f.name for f in files),
        clusters=clusters,
        pairs=pairs,
        threshold=LINK_PROBABILITY,
        review_band=(REVIEW_LOW, LINK_PROBABILITY),
        mode="pprl",
        parameters={
            "schema_fingerprint": files[0].schema.fingerprint,
            "similarity": "dice",
            "score": "match probability: Dice and agreeing blocking keys (Fellegi-Sunter, EM)",
            "threshold": LINK_PROBABILITY,
            "threshold_fitted": None,
            "within_source_threshold": LINK_PROBABILITY,
            "score_model": model.to_dict() if model is not None else None,
            "evidence_model": evidence.to_dict(),
            "within_source_prior": within_prior,
            "blocking": list(files[0].schema.blocking),
            "candidate_pairs": int(n_candidates),
            "skipped_blocks": skipped,
            "links": len(links),
            "solver": "greedy multi-party: best first, one record per source per cluster, "
            "except through a within-source link",
            "cannot_link": _cannot_link(
                records, clusters, refused, source_of, left_all, right_all, dice_all, 0.0
            ),
        },
    )


def _cannot_link(
    records: Sequence[tuple[str, str]],
    clusters: dict[tuple[str, str], int],
    refused: Sequence[tuple[int, int]],
    source_of: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    dice: np.ndarray,
    within_t: float,
) -> list[list[str]]:
    """Pairs that scored high enough to link but must stay apart, as ``[s1, r1, s2, r2]``.

    The solver's refusals and the within-source pairs under the within-source threshold, kept only
    when their records did end in different clusters: single linkage with these cannot-link pairs
    (:func:`vinculo.linkage.clusters.cluster`) then gives back exactly the solver's clusters.
    """
    candidates = list(refused) + [
        (a, b)
        for a, b, d in zip(left.tolist(), right.tolist(), dice.tolist(), strict=True)
        if source_of[a] == source_of[b] and d < within_t
    ]
    return [[*records[a], *records[b]] for a, b in candidates if clusters[records[a]] != clusters[records[b]]]


def _solve(
    records: Sequence[tuple[str, str]],
    source_of: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    score: np.ndarray,
    linkable: np.ndarray,
) -> tuple[list[ScoredPair], list[tuple[int, int]]]:
    """The greedy multi-party solver (see the module docstring).

    ``left, right, score`` are all kept pairs (at or above the review band), best first;
    ``linkable`` marks those at or above their threshold. Returns the accepted links and the
    refused ones (kept as cannot-link pairs, so re-clustering agrees).
    """
    n = len(records)
    parent = list(range(n))
    sources: list[set[int]] = [{int(source_of[i])} for i in range(n)]
    members: list[list[int]] = [[i] for i in range(n)]
    close = set(zip(left[linkable].tolist(), right[linkable].tolist(), strict=True))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def supported(xs: list[int], ys: list[int]) -> bool:
        """At least half the record pairs across the two clusters score at or above their threshold."""
        hits = sum(1 for x in xs for y in ys if (min(x, y), max(x, y)) in close)
        return 2 * hits >= len(xs) * len(ys)

    accepted: list[ScoredPair] = []
    refused: list[tuple[int, int]] = []
    for a, b, s in zip(
        left[linkable].tolist(), right[linkable].tolist(), score[linkable].tolist(), strict=True
    ):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        shared = sources[ra] & sources[rb]
        if source_of[a] == source_of[b]:
            # A duplicate within a source joins a lone record to a cluster, never two clusters.
            ok = min(len(members[ra]), len(members[rb])) == 1 and shared == {int(source_of[a])}
        else:
            ok = not shared
        if not ok or not supported(members[ra], members[rb]):
            refused.append((a, b))
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        sources[ra] |= sources[rb]
        members[ra].extend(members[rb])
        members[rb] = []
        accepted.append(ScoredPair(records[a], records[b], probability=s, similarity=s))
    return accepted, refused
