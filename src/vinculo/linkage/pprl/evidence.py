"""Match probabilities from the Dice score *and* the pattern of agreeing keyed blocking keys.

Dice on a record-level CLK mixes all fields into one number, so a sibling (same surname, city,
street and phone, another given name and birth year) scores as high as the same person written
another way. The keyed blocking keys in the ``.enc`` files say more: two records either share a
key of a kind (the name code with the birth year, the birth date, the phone, ...), both have keys
of that kind and share none, or one of them has none. The platform sees these equalities anyway
(they are how candidates are found), so using them as evidence next to Dice discloses nothing new.

The model is Fellegi–Sunter's (1969) with latent classes fitted by EM (Winkler 1988), as in the
trusted mode, over these comparison vectors:

* the Dice score, in :data:`DICE_BINS` equal bins;
* for each *group* of blocking kinds (:data:`GROUPS`) the joint pattern of its kinds' levels. Kinds
  built from the same attributes (the name codes and the birth year; the postcode) are one
  variable, because their agreements are far from independent — modelled apart, one agreeing name
  code would be counted three times. Groups are taken as conditionally independent given the class.

Plain EM on such vectors can settle on another latent split than "same person", e.g. "same
family". What tells the two apart is the 1:1 constraint: a record has at most one match in each
other source, while it may have several relatives there. So each E-step caps, for every record and
every other source, the summed match probabilities of its candidates there at one (scaling them
down where the sum is larger) — a soft form of the 1:1 assignment (cf. Jaro 1989; Sadinle 2017).
EM starts from the Dice mixture's posteriors (:mod:`~vinculo.linkage.pprl.scores`), or, when the
Dice scores alone show no match component, from Dice at or above the fallback threshold.

Within-source pairs (duplicates) keep the fitted ``m``/``u`` but get their own prior (EM on the
prior alone), as with Dice alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DICE_BINS",
    "GROUPS",
    "EvidenceModel",
    "Layout",
    "cap_duplicates",
    "fit_evidence",
    "fit_within_prior",
    "one_to_one_excess",
    "pair_levels",
]

#: Equal-width bins of the Dice score (0.025 wide: finer than the spread of one person's scores).
DICE_BINS = 40
#: Blocking kinds that are compared jointly (built from shared attributes). A kind of the schema
#: in no group is its own group.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("names, birth date and postcode", ("name_year", "name_pair", "birth_date", "place_year", "name_place")),
    ("phone", ("phone",)),
    ("identity number", ("identity",)),
    ("street", ("street_city",)),
    ("e-mail", ("email",)),
)
#: Pseudo-count added to every cell of ``m`` and ``u`` (keeps unseen patterns finite).
_ALPHA = 0.5
_MAX_ITER = 200
_TOL = 1e-5


@dataclass(frozen=True)
class Layout:
    """How a schema's blocking slots become comparison variables: per group its kinds and slots."""

    names: tuple[str, ...]
    kinds: tuple[tuple[tuple[str, tuple[int, ...]], ...], ...]

    @classmethod
    def of(cls, blocking: Sequence[str]) -> Layout:
        slots: dict[str, list[int]] = {}
        for i, kind in enumerate(blocking):
            slots.setdefault(kind, []).append(i)
        names: list[str] = []
        kinds: list[tuple[tuple[str, tuple[int, ...]], ...]] = []
        placed: set[str] = set()
        for name, members in GROUPS:
            present = tuple((k, tuple(slots[k])) for k in members if k in slots)
            if present:
                names.append(name)
                kinds.append(present)
                placed.update(k for k, _ in present)
        for kind in slots:
            if kind not in placed:
                names.append(kind)
                kinds.append(((kind, tuple(slots[kind])),))
        return cls(tuple(names), tuple(kinds))

    def sizes(self) -> list[int]:
        """Categories of each variable: the Dice bins, then each group's joint patterns."""
        out = [DICE_BINS]
        for group in self.kinds:
            size = 1
            for _, slots in group:
                size *= len(slots) + 2
            out.append(size)
        return out

    def describe(self, variable: int, level: int) -> str:
        """A readable level: ``"0.600-0.625"`` or ``"name_year 1 agrees, birth_date missing"``."""
        if variable == 0:
            return f"{level / DICE_BINS:.3f}-{(level + 1) / DICE_BINS:.3f}"
        parts = []
        for kind, slots in reversed(self.kinds[variable - 1]):
            level, own = divmod(level, len(slots) + 2)
            text = "missing" if own == 0 else "differs" if own == 1 else "agrees"
            if len(slots) > 1 and own > 1:
                text = f"{own - 1} agree"
            parts.append(f"{kind} {text}")
        return ", ".join(reversed(parts))


def _kind_level(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 = a side has no key of the kind, 1 = both have and none agrees, 1 + n = n keys agree."""
    has = (a != 0).any(axis=1) & (b != 0).any(axis=1)
    agree = np.zeros(len(a), dtype=np.int64)
    for i in range(a.shape[1]):
        for j in range(b.shape[1]):
            agree += (a[:, i] == b[:, j]) & (a[:, i] != 0)
    return np.where(has, 1 + np.minimum(agree, a.shape[1]), 0)


def pair_levels(
    layout: Layout,
    tokens_a: np.ndarray,
    tokens_b: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    dice: np.ndarray,
) -> np.ndarray:
    """Each pair's comparison vector (``n x variables`` int): the Dice bin, then each group's pattern.

    Slots of one kind (two name-year keys, say) are compared as sets, so a given name in one record
    that is the family name in the other still agrees.
    """
    # int16 when every variable has fewer than 32,768 levels (the default schema's largest group
    # has 432): 15.6 million pairs then take 220 MB
    dtype = np.int16 if max(layout.sizes()) < 2**15 else np.int64
    out = np.empty((len(left), 1 + len(layout.kinds)), dtype=dtype)
    out[:, 0] = np.clip((np.asarray(dice, dtype=np.float64) * DICE_BINS).astype(np.int64), 0, DICE_BINS - 1)
    for g, group in enumerate(layout.kinds, start=1):
        code = np.zeros(len(left), dtype=np.int64)
        for _, slots in group:
            cols = list(slots)
            # the kind's columns first, then the pairs' rows (not every key of every pair)
            code = code * (len(slots) + 2) + _kind_level(tokens_a[:, cols][left], tokens_b[:, cols][right])
        out[:, g] = code
    return out


@dataclass(frozen=True)
class EvidenceModel:
    """Fitted ``m`` (matches) and ``u`` (non-matches) of each variable, and the match prior."""

    layout: Layout
    prior: float
    m: tuple[np.ndarray, ...]
    u: tuple[np.ndarray, ...]
    iterations: int
    seen: tuple[np.ndarray, ...] = ()

    def weights(self, levels: np.ndarray) -> np.ndarray:
        """Per pair and variable the match weight ``ln(m/u)`` (natural log)."""
        return np.stack(
            [
                np.log(m[levels[:, v]] / u[levels[:, v]])
                for v, (m, u) in enumerate(zip(self.m, self.u, strict=True))
            ],
            axis=1,
        )

    def log_odds(self, levels: np.ndarray, prior: float | None = None) -> np.ndarray:
        """Each pair's log-odds of a match: the summed weights plus the prior's log-odds. Summed
        one variable at a time from per-level tables (8 bytes per pair, not 8 per variable)."""
        p = self.prior if prior is None else prior
        total = np.full(len(levels), _logit(p))
        for v, (m, u) in enumerate(zip(self.m, self.u, strict=True)):
            total += np.log(m / u)[levels[:, v]]
        return total

    def posterior(self, levels: np.ndarray, prior: float | None = None) -> np.ndarray:
        """The match probability of each pair."""
        out: np.ndarray = _sigmoid(self.log_odds(levels, prior))
        return out

    def explain(self, levels: np.ndarray, dice: np.ndarray) -> list[tuple[tuple[str, str, float], ...]]:
        """Each pair's waterfall: (variable, level, match weight in bits) per variable; the Dice
        variable's level is the pair's Dice score itself. The entries of the other variables
        depend on the level only and are shared between pairs (millions of pairs, few levels)."""
        names = ("Dice", *self.layout.names)
        tables = [np.log2(m / u) for m, u in zip(self.m, self.u, strict=True)]
        cache: dict[tuple[int, int], tuple[str, str, float]] = {}
        out = []
        for row, d in zip(levels.tolist(), np.asarray(dice).tolist(), strict=True):
            parts = [("Dice", f"{d:.3f}", round(float(tables[0][row[0]]), 3))]
            for v, level in enumerate(row[1:], start=1):
                entry = cache.get((v, level))
                if entry is None:
                    entry = (names[v], self.layout.describe(v, level), round(float(tables[v][level]), 3))
                    cache[(v, level)] = entry
                parts.append(entry)
            out.append(tuple(parts))
        return out

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary for the report: the match weight (bits) of every level seen."""
        names = ("Dice", *self.layout.names)
        bits = {
            name: {
                self.layout.describe(v, int(level)): round(float(np.log2(m[level] / u[level])), 3)
                for level in np.flatnonzero(seen)
            }
            for v, (name, m, u, seen) in enumerate(zip(names, self.m, self.u, self.seen, strict=True))
        }
        return {"prior": self.prior, "iterations": float(self.iterations), "match_weights_bits": bits}


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return float(np.log(p) - np.log1p(-p))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(x, -700, 700)))
    return out


def _cap_one_to_one(w: np.ndarray, groups: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Scale down the probabilities of each (record, other source) group whose sum exceeds its cap."""
    factor = np.ones(len(w))
    for g, cap in groups:
        total = np.bincount(g, weights=w)
        factor = np.minimum(factor, cap / np.maximum(total[g], cap))
    out: np.ndarray = w * factor
    return out


def cap_duplicates(w: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Within-source pairs' match probabilities with each record's sum capped at one (scaled
    down where larger): a record has at most one other record of the same person in its source,
    as the cross-source cap assumes. A record among many namesakes or relatives that all look
    alike keeps no probable duplicate; one with a single close candidate keeps it. (Without the
    cap, 2 x 30,000 multi-script records got 1.09 million within-source links for 2,696 true
    duplicates and pairwise F1 0.21; with within-source links left out, 0.68.)"""
    ones = np.ones(len(w))
    return _cap_one_to_one(w, [(left, ones), (right, ones)])


def _m_step(
    levels: np.ndarray, w: np.ndarray, sizes: Sequence[int], counts: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``m`` and ``u`` of each variable from the pairs' match probabilities ``w`` (each row
    standing for ``counts`` pairs), with :data:`_ALPHA` added to every cell."""
    ms, us = [], []
    for v, size in enumerate(sizes):
        c1 = np.bincount(levels[:, v], weights=w * counts, minlength=size) + _ALPHA
        c0 = np.bincount(levels[:, v], weights=(1.0 - w) * counts, minlength=size) + _ALPHA
        ms.append(c1 / c1.sum())
        us.append(c0 / c0.sum())
    return ms, us


def fit_evidence(
    layout: Layout,
    levels: np.ndarray,
    start: np.ndarray,
    groups: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    max_prior: float = 1.0,
) -> EvidenceModel | None:
    """EM for the latent-class model on the cross-source candidates' comparison vectors.

    ``start`` holds each pair's initial match probability; ``groups`` label each pair's record on
    either side together with the other side's source (the 1:1 cap, see the module docstring);
    ``max_prior`` bounds the share of matches. ``None`` when fewer than 30 pairs or no match
    remains.
    """
    if len(levels) < 30 or float(start.sum()) < 1.0:
        return None
    sizes = layout.sizes()
    seen = tuple(np.bincount(levels[:, v], minlength=size) > 0 for v, size in enumerate(sizes))
    w = _cap_one_to_one(np.clip(start.astype(np.float64), 0.0, 1.0), groups)
    counts: np.ndarray = np.ones(len(levels))
    if not groups:
        # Without the cap a pair's probability depends on its pattern only: EM on the distinct
        # patterns, each weighted by how many pairs show it (the start must be one per pattern).
        levels, first, counts = np.unique(levels, axis=0, return_index=True, return_counts=True)
        w = w[first]
    counts = counts.astype(np.float64)
    total = float(counts.sum())
    ms, us = _m_step(levels, w, sizes, counts)
    prior = min(float((w * counts).sum()) / total, max_prior)
    it = 0
    for it in range(1, _MAX_ITER + 1):  # noqa: B007 (the count is reported)
        log_ratio = sum(np.log(ms[v][levels[:, v]] / us[v][levels[:, v]]) for v in range(len(sizes)))
        new = _cap_one_to_one(_sigmoid(np.asarray(log_ratio) + _logit(prior)), groups)
        if float((new * counts).sum()) < 1.0:
            return None
        change = float(np.abs(new - w).max())
        w = new
        ms, us = _m_step(levels, w, sizes, counts)
        prior = min(float((w * counts).sum()) / total, max_prior)
        if change < _TOL:
            break
    return EvidenceModel(layout=layout, prior=prior, m=tuple(ms), u=tuple(us), iterations=it, seen=seen)


def one_to_one_excess(
    model: EvidenceModel, levels: np.ndarray, groups: Sequence[tuple[np.ndarray, np.ndarray]]
) -> float:
    """How far the model's match probabilities break the cap: the summed probability above each
    (record, other source) group's cap, as a share of all the probability."""
    w = model.posterior(levels)
    over = 0.0
    for g, cap in groups:
        total = np.bincount(g, weights=w)
        first = np.zeros(len(total))
        first[g] = cap
        over += float(np.maximum(total - first, 0.0).sum())
    return over / max(float(w.sum()), 1.0)


def fit_within_prior(model: EvidenceModel, levels: np.ndarray, *, max_iter: int = 200) -> float:
    """EM for the prior alone, ``m``/``u`` fixed (for within-source candidates), at most the
    cross-source prior.

    The bound: duplicates within a source are rarer than matches across sources, and with ``m``
    and ``u`` fitted on cross-source pairs the prior is the only free parameter, so it absorbs
    whatever the within-source candidates' patterns do not share with the cross-source ones.
    Unbounded, on 2 x 30,000 records of the multi-script generator (1.95 million within-source
    candidates, mostly relatives and namesakes, 2,696 true duplicates) it rose to 0.75 and linked
    1.46 million within-source pairs (docs/linkage/pprl.md). The log-likelihood is concave in the
    prior, so the bounded maximum is the unbounded one clipped.
    """
    if len(levels) == 0:
        return 0.0
    # a pair's weight depends on its pattern only: iterate over the distinct weights
    ratio, counts = np.unique(model.log_odds(levels, 0.5), return_counts=True)
    share = counts / counts.sum()
    prior = model.prior
    for _ in range(max_iter):
        new = min(float((_sigmoid(ratio + _logit(prior)) * share).sum()), model.prior)
        if abs(new - prior) < 1e-9:
            return new
        prior = new
    return prior
