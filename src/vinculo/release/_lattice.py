"""The lattice search behind :func:`vinculo.release.anonymise` (see :mod:`vinculo.release._kanon`).

Everything here works on counts of distinct (QI cells, sensitive value) combinations, never on
rows: :func:`prepare` builds them, :func:`search` finds the node with the least loss.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from vinculo.release._hierarchies import Hierarchy
from vinculo.release._table import ReleaseTable, split_cell

if TYPE_CHECKING:
    from vinculo.release._kanon import KAnonSettings

__all__ = ["Data", "column_loss", "count_classes", "diversity", "prepare", "search"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


# --- counting -----------------------------------------------------------------------------


@dataclass
class Data:
    """Distinct (QI cells..., sensitive) combinations with their row counts."""

    codes: IntArray  # (n_combos, q): per QI, the index of the cell among the column's distinct cells
    sens: IntArray  # (n_combos,): sensitive value index, -1 for empty (or no sensitive column)
    counts: IntArray  # (n_combos,)
    level_codes: list[list[IntArray]]  # [qi][level] distinct cell index -> label index
    level_sizes: list[list[int]]  # [qi][level] number of labels
    level_loss: list[list[FloatArray]]  # [qi][level] distinct cell index -> loss of its label
    row_combo: IntArray | None = None  # per input row, its combination
    _labels: dict[tuple[int, int], npt.NDArray[np.int32]] = field(default_factory=dict)
    _totals: dict[tuple[int, int], float] = field(default_factory=dict)

    def labels(self, j: int, level: int) -> npt.NDArray[np.int32]:
        """Per combination the label index of QI ``j`` at ``level`` (computed once)."""
        found = self._labels.get((j, level))
        if found is None:
            found = self.level_codes[j][level][self.codes[:, j]].astype(np.int32)
            self._labels[(j, level)] = found
        return found

    def total_loss(self, j: int, level: int) -> float:
        """The generalisation loss of QI ``j`` at ``level`` summed over all rows."""
        found = self._totals.get((j, level))
        if found is None:
            found = float((self.level_loss[j][level][self.codes[:, j]] * self.counts).sum())
            self._totals[(j, level)] = found
        return found


def _classes(data: Data, node: Sequence[int], qis: Sequence[int]) -> tuple[IntArray, int]:
    """Per combo its equivalence-class index at ``node`` (levels of the QIs ``qis``), and the class count."""
    key = np.zeros(len(data.counts), dtype=np.int64)
    span = 1
    for j, level in zip(qis, node, strict=True):
        size = data.level_sizes[j][level]
        if size == 1:
            continue
        if span * size >= 2**62:
            _, key = np.unique(key, return_inverse=True)
            span = int(key.max()) + 1
        key = key * size + data.labels(j, level)
        span *= size
    if span <= max(4 * len(key), 1 << 16):  # small enough to count by key directly
        return key, span
    uniq, inverse = np.unique(key, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1), len(uniq)


def count_classes(
    data: Data, node: Sequence[int], qis: Sequence[int], k: int, ell: int
) -> tuple[IntArray, npt.NDArray[np.bool_], IntArray]:
    """Per combo its class, per class whether it fails k (or ℓ), and the class sizes."""
    cls, n = _classes(data, node, qis)
    sizes = np.bincount(cls, weights=data.counts, minlength=n).astype(np.int64)
    bad = sizes < k
    if ell > 1:
        present = data.sens >= 0
        distinct = diversity(cls[present], data.sens[present], n, max(int(data.sens.max()), 0) + 1)
        bad |= distinct < ell
    return cls, bad, sizes


def diversity(cls: IntArray, sens: IntArray, n: int, base: int) -> IntArray:
    """Per class (0 .. n-1) the number of distinct sensitive values among its combinations."""
    if n * base <= 1 << 24:
        seen = np.zeros(n * base, dtype=bool)
        seen[cls * base + sens] = True
        return seen.reshape(n, base).sum(axis=1).astype(np.int64)
    pairs = np.unique(cls * base + sens)
    return np.bincount(pairs // base, minlength=n).astype(np.int64)


def _suppressed(data: Data, node: Sequence[int], qis: Sequence[int], k: int, ell: int) -> int:
    cls, bad, _ = count_classes(data, node, qis, k, ell)
    return int(data.counts[bad[cls]].sum())


def prepare(
    table: ReleaseTable, settings: KAnonSettings, hierarchies: Sequence[Hierarchy]
) -> tuple[Data, list[list[str]]]:
    qi_index = [table.columns.index(q) for q in settings.quasi_identifiers]
    distinct: list[dict[str, int]] = [{} for _ in qi_index]
    n = len(table)
    matrix = np.empty((n, len(qi_index) + 1), dtype=np.int64)
    sens_index = table.columns.index(settings.sensitive) if settings.sensitive else None
    sens_values: dict[str, int] = {}
    sens_of: dict[str, int] = {}  # raw cell -> index of its value (a set, sorted), -1 when empty
    for r, row in enumerate(table.rows):
        for j, c in enumerate(qi_index):
            matrix[r, j] = distinct[j].setdefault(row[c], len(distinct[j]))
        if sens_index is None:
            matrix[r, -1] = -1
            continue
        raw = row[sens_index]
        if raw not in sens_of:
            values = split_cell(raw)
            cell = ";".join(sorted(set(values)))
            sens_of[raw] = sens_values.setdefault(cell, len(sens_values)) if values else -1
        matrix[r, -1] = sens_of[raw]
    radix = [len(d) for d in distinct] + [len(sens_values) + 1]
    if math.prod(radix) < 2**62:  # one integer per row: far faster to sort than rows
        key = np.zeros(n, dtype=np.int64)
        for j, size in enumerate(radix):
            key = key * size + matrix[:, j] + (1 if j == len(radix) - 1 else 0)
        _, first, inverse, counts = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
        combos = matrix[first]
    else:
        combos, inverse, counts = np.unique(matrix, axis=0, return_inverse=True, return_counts=True)
    level_codes: list[list[IntArray]] = []
    level_sizes: list[list[int]] = []
    level_loss: list[list[FloatArray]] = []
    cells = [list(d) for d in distinct]
    for j, h in enumerate(hierarchies):
        m = len(cells[j])
        codes_j: list[IntArray] = []
        sizes_j: list[int] = []
        loss_j: list[FloatArray] = []
        for level in range(h.top + 1):
            labels = [h.generalise(c, level) for c in cells[j]]
            ids: dict[str, int] = {}
            code = np.array([ids.setdefault(lab, len(ids)) for lab in labels], dtype=np.int64)
            cover = np.bincount(code, minlength=len(ids))
            codes_j.append(code)
            sizes_j.append(len(ids))
            loss_j.append((cover[code] - 1) / (m - 1) if m > 1 else np.zeros(m))
        level_codes.append(codes_j)
        level_sizes.append(sizes_j)
        level_loss.append(loss_j)
    data = Data(
        codes=combos[:, :-1].astype(np.int64),
        sens=combos[:, -1].astype(np.int64),
        counts=counts.astype(np.int64),
        level_codes=level_codes,
        level_sizes=level_sizes,
        level_loss=level_loss,
    )
    data.row_combo = inverse.reshape(-1).astype(np.int64)
    return data, cells


def column_loss(data: Data, node: Sequence[int], keep: npt.NDArray[np.bool_], n: int) -> list[float]:
    """Per QI its loss at ``node``: generalisation loss of the kept rows, 1 for each removed row."""
    gone = np.flatnonzero(~keep)
    weights = data.counts[gone]
    suppressed = int(weights.sum())
    out = []
    for j, level in enumerate(node):
        removed = float((data.level_loss[j][level][data.codes[gone, j]] * weights).sum())
        out.append((data.total_loss(j, level) - removed + suppressed) / n)
    return out


# --- the search ---------------------------------------------------------------------------


def search(
    data: Data, hierarchies: Sequence[Hierarchy], n: int, k: int, ell: int, budget: int
) -> tuple[tuple[int, ...] | None, int, int]:
    q = len(hierarchies)
    ranges = [range(h.min_level, h.top + 1) for h in hierarchies]
    # mean generalisation loss of each QI at each level, over all rows
    level_mean = [
        np.array([data.total_loss(j, lv) / n for lv in range(h.top + 1)]) for j, h in enumerate(hierarchies)
    ]
    axes = [np.arange(r.start, r.stop, dtype=np.int8) for r in ranges]
    grids = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, q)  # itertools.product's order
    total = len(grids)
    bound: FloatArray = np.sum([level_mean[j][grids[:, j]] for j in range(q)], axis=0) / q
    candidate = np.ones(total, dtype=bool)
    pair_data: dict[tuple[int, int], npt.NDArray[np.bool_]] = {}
    counted = 0
    if q > 2:  # a node is acceptable only if each two-QI projection is
        for a, b in itertools.combinations(range(q), 2):
            ok = np.zeros((hierarchies[a].top + 1, hierarchies[b].top + 1), dtype=bool)
            sub = _project(data, (a, b))
            for la in ranges[a]:
                for lb in ranges[b]:
                    # generalising a QI of an acceptable node keeps it acceptable
                    if (la > ranges[a].start and ok[la - 1, lb]) or (lb > ranges[b].start and ok[la, lb - 1]):
                        ok[la, lb] = True
                        continue
                    ok[la, lb] = _suppressed(sub, (la, lb), (0, 1), k, ell) <= budget
                    counted += 1
            pair_data[(a, b)] = ok
            candidate &= ok[grids[:, a], grids[:, b]]
    qis = tuple(range(q))
    best: tuple[int, ...] | None = None
    best_loss = math.inf

    def count(node: tuple[int, ...]) -> float | None:
        """The node's loss, or None when it is not acceptable (then every node below it is marked)."""
        nonlocal counted, candidate
        counted += 1
        cls, bad, _ = count_classes(data, node, qis, k, ell)
        keep = ~bad[cls]
        if int(data.counts[~keep].sum()) > budget:
            candidate &= ~(grids <= np.array(node, dtype=np.int8)).all(axis=1)
            return None
        return sum(column_loss(data, node, keep, n)) / q

    def offer(node: tuple[int, ...], loss: float) -> None:
        nonlocal best, best_loss
        if (
            best is None
            or loss < best_loss - 1e-12
            or (loss <= best_loss + 1e-12 and (sum(node), node) < (sum(best), best))
        ):
            best, best_loss = node, loss

    # a first solution: walk down from the top, one level of one QI at a time, to the cheapest
    # acceptable child, until no child is acceptable
    node = tuple(h.top for h in hierarchies)
    loss = count(node)
    if loss is None:
        return None, total, counted
    offer(node, loss)
    while True:
        children = []
        for j in range(q):
            if node[j] > hierarchies[j].min_level:
                child = (*node[:j], node[j] - 1, *node[j + 1 :])
                found = count(child) if candidate[_index(child, ranges)] else None
                if found is not None:
                    offer(child, found)
                    children.append((found, child))
        if not children:
            break
        node = min(children)[1]
    # then every node whose bound can beat it, from the top down: an unacceptable node rules out
    # all the nodes below it before they are reached
    for idx in np.argsort(-bound, kind="stable"):
        if bound[idx] > best_loss + 1e-12 or not candidate[idx]:
            continue
        node = tuple(int(v) for v in grids[idx])
        found = count(node)
        if found is not None:
            offer(node, found)
    return best, total, counted


def _index(node: tuple[int, ...], ranges: Sequence[range]) -> int:
    """The row of ``node`` in the grid of all nodes (in ``itertools.product(*ranges)`` order)."""
    idx = 0
    for level, r in zip(node, ranges, strict=True):
        idx = idx * len(r) + (level - r.start)
    return idx


def _project(data: Data, qis: tuple[int, ...]) -> Data:
    """The counts of ``data`` on some QIs only (with the sensitive value)."""
    key = data.sens + 1
    span = int(key.max()) + 1
    for j in qis:
        size = len(data.level_codes[j][0])
        key = key + data.codes[:, j] * span
        span *= size
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    counts = np.bincount(inverse.reshape(-1), weights=data.counts).astype(np.int64)
    return Data(
        codes=data.codes[first][:, list(qis)],
        sens=data.sens[first],
        counts=counts,
        level_codes=[data.level_codes[j] for j in qis],
        level_sizes=[data.level_sizes[j] for j in qis],
        level_loss=[data.level_loss[j] for j in qis],
    )
