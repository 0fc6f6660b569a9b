"""The Dice kernel on packed bits, and candidate pairs from keyed blocking keys.

CLKs are ``n x w`` arrays of uint64; Dice is ``2 |a AND b| / (|a| + |b|)`` (0 when both are empty),
as float32. Each filter's popcount is computed once; per pair only ``|a AND b|`` is counted.

Two implementations give the same numbers:

* **compiled** (numba, :mod:`vinculo.linkage.pprl._native`): compiled once per filter width, the
  words of a pair in vector registers with the CPU's (vector) popcount, and all against all over
  ``b`` transposed (several records of ``b`` per instruction); the functions release the GIL, so
  large jobs run on one thread per core over shared inputs. Used for jobs of :data:`_NATIVE_FROM` pairs or more whenever numba imports
  (smaller jobs take less time in numpy than importing numba does).
* **numpy** (``np.bitwise_count``, numpy >= 2): the fallback where numba does not import, or when
  ``VINCULO_PPRL_KERNEL=numpy`` is set. ``np.bitwise_count`` holds the GIL, so large jobs are split
  over forked worker processes instead (:mod:`vinculo.linkage.pprl._parallel`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any

import numpy as np

from vinculo.linkage.pprl._parallel import can_fork, forked_map, shared_array, workers

__all__ = ["backend", "block_pairs", "dice_dense", "dice_pairs", "popcounts"]

_NATIVE: ModuleType | None = None
_NATIVE_TRIED = False


def _native() -> ModuleType | None:
    """The compiled kernel, or ``None`` (numba missing or ``VINCULO_PPRL_KERNEL=numpy``).

    Imported on first use: numba takes a moment to import, which ``vinculo encode`` need not pay.
    """
    global _NATIVE, _NATIVE_TRIED
    if os.environ.get("VINCULO_PPRL_KERNEL", "").strip().lower() == "numpy":
        return None
    if not _NATIVE_TRIED:
        _NATIVE_TRIED = True
        module: ModuleType | None
        try:
            from vinculo.linkage.pprl import _native as module
        except ImportError:
            module = None
        _NATIVE = module
    return _NATIVE


def backend() -> str:
    """``"numba"`` or ``"numpy"``: the implementation large jobs use here."""
    return "numpy" if _native() is None else "numba"


def _threaded(
    func: Callable[[int, int], None], bounds: Sequence[tuple[int, int]], done: Callable[[int], None] | None
) -> None:
    """``func(start, stop)`` for every range, on one thread per core (the compiled code drops the GIL)."""
    if len(bounds) < 2 or workers() < 2:
        for i, (start, stop) in enumerate(bounds):
            func(start, stop)
            if done is not None:
                done(i + 1)
        return
    with ThreadPoolExecutor(min(workers(), len(bounds))) as pool:
        for i, _ in enumerate(pool.map(lambda r: func(*r), bounds)):
            if done is not None:
                done(i + 1)


def _words(clks: np.ndarray) -> np.ndarray:
    return _one_type(np.ascontiguousarray(clks, dtype=np.uint64))


def _index(ix: np.ndarray) -> np.ndarray:
    return _one_type(np.ascontiguousarray(ix, dtype=np.int64))


def _one_type(array: np.ndarray) -> np.ndarray:
    """A writeable array: numba types read-only arrays (filters read from a file) apart, which
    would mean a second compilation."""
    return array if array.flags.writeable else array.copy()


_CHUNK = 32768
#: Pairs (dice_pairs) or comparisons (dice_dense) from which the numpy kernel shares the work out
#: over processes, and the compiled kernel over threads (threads cost far less to start).
_PARALLEL_FROM = 2_000_000
_THREADS_FROM = 200_000
#: Pairs or comparisons from which the compiled kernel is used: below, numpy finishes in less time
#: than importing numba and loading the compiled code take (about a second; the results are equal).
_NATIVE_FROM = 5_000_000


_LO = np.uint64(0x00FF00FF00FF00FF)
_ONES16 = np.uint64(0x0001000100010001)


def _row_bits(words: np.ndarray) -> np.ndarray:
    """Set bits per row of a 2-D uint64 array (int64).

    The per-word counts (uint8) are summed eight at a time as the bytes of one uint64 and then
    folded with a multiply (a SWAR sum), much faster in numpy than a reduction over a short axis.
    """
    w = words.shape[1]
    counts = np.bitwise_count(words)
    if w % 8 or w > 16 or not counts.flags.c_contiguous:
        return counts.sum(axis=1, dtype=np.int64)
    packed = counts.view(np.uint64)  # n x (w / 8), byte lanes <= 64
    lanes = packed[:, 0] if w == 8 else packed[:, 0] + packed[:, 1]  # byte lanes <= 128
    lanes = (lanes & _LO) + ((lanes >> np.uint64(8)) & _LO)  # 16-bit lanes <= 256
    return ((lanes * _ONES16) >> np.uint64(48)).astype(np.int64)


def popcounts(clks: np.ndarray) -> np.ndarray:
    """Number of set bits of each row (int64)."""
    return _row_bits(np.ascontiguousarray(clks))


def _pairs_part(
    a: np.ndarray,
    b: np.ndarray,
    pa: np.ndarray,
    pb: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    out: np.ndarray,
    bounds: tuple[int, int],
) -> None:
    for start in range(bounds[0], bounds[1], _CHUNK):
        stop = min(bounds[1], start + _CHUNK)
        li, ri = left[start:stop], right[start:stop]
        inter = _row_bits(np.bitwise_and(a[li], b[ri]))
        total = np.maximum(pa[li] + pb[ri], 1)  # both empty: no bit in common, Dice 0
        out[start:stop] = 2.0 * inter / total


def _split(n: int, parts: int) -> list[tuple[int, int]]:
    size = -(-n // parts) if n else 0
    return [(s, min(n, s + size)) for s in range(0, n, size)] if size else []


def dice_pairs(
    a: np.ndarray,
    b: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    *,
    progress: Callable[[float], None] | None = None,
) -> np.ndarray:
    """Dice of ``a[left[i]]`` and ``b[right[i]]`` for every i (float32)."""
    native = _native() if len(left) >= _NATIVE_FROM else None
    if native is not None:
        return _native_pairs(native, a, b, left, right, progress)
    pa, pb = popcounts(a), popcounts(b)
    n = len(left)
    parallel = n >= _PARALLEL_FROM and can_fork()
    out = shared_array((n,), np.float32) if parallel else np.empty(n, dtype=np.float32)
    parts = _split(n, 4 * workers() if parallel else 1)
    done = None if progress is None else (lambda k: progress(k / len(parts)))
    forked_map(_pairs_part, (a, b, pa, pb, left, right, out), parts, done=done)
    return np.array(out) if parallel else out


def _native_pairs(
    native: Any,
    a: np.ndarray,
    b: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    progress: Callable[[float], None] | None,
) -> np.ndarray:
    wa, wb = _words(a), _words(b)
    if wa.ndim != 2 or wb.ndim != 2 or wa.shape[1] != wb.shape[1]:
        raise ValueError("dice_pairs: a and b must be 2-D filters of the same length.")
    pa, pb = popcounts(wa), popcounts(wb)
    li, ri = _index(left), _index(right)
    n = len(li)
    if len(li) != len(ri):
        raise ValueError("dice_pairs: left and right must have the same length.")
    if n and (li.min() < 0 or li.max() >= len(wa) or ri.min() < 0 or ri.max() >= len(wb)):
        raise IndexError("dice_pairs: a pair index is out of range.")
    out = np.empty(n, dtype=np.float32)
    parts = _split(n, 4 * workers() if n >= _THREADS_FROM else 1)
    done = None if progress is None else (lambda k: progress(k / len(parts)))
    pair_range = native.kernels(wa.shape[1])[2]
    lu, ru = li.view(np.uint64), ri.view(np.uint64)  # checked in range above: no wrap-around needed
    _threaded(lambda s, e: pair_range(wa, wb, pa, pb, lu, ru, out, s, e), parts, done)
    return out


def _dense_part(
    a: np.ndarray, bt: np.ndarray, pa: np.ndarray, pb: np.ndarray, out: np.ndarray, rows: tuple[int, int]
) -> None:
    words, m = bt.shape
    chunk = 8192
    tmp = np.empty((words, chunk), dtype=np.uint64)
    cnt = np.empty((words, chunk), dtype=np.uint8)
    acc = np.empty(chunk, dtype=np.uint16)
    for j0 in range(0, m, chunk):
        block = bt[:, j0 : j0 + chunk]
        k = block.shape[1]
        t, c, s = tmp[:, :k], cnt[:, :k], acc[:k]
        for i in range(rows[0], rows[1]):
            np.bitwise_and(block, a[i][:, None], out=t)
            np.bitwise_count(t, out=c)
            np.add.reduce(c, axis=0, dtype=np.uint16, out=s)
            out[i, j0 : j0 + k] = s
        block_out = out[rows[0] : rows[1], j0 : j0 + k]
        block_out *= 2.0
        block_out /= np.maximum(pa[rows[0] : rows[1], None] + pb[None, j0 : j0 + k], 1)


def dice_dense(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """All-against-all Dice (``len(a) x len(b)``, float32): the kernel the benchmark times.

    Compiled: rows of ``a`` shared out over threads. numpy: ``b`` is transposed to word-major order
    so each step is one long vectorised pass; rows of ``a`` are shared out over forked worker
    processes (writing into shared memory) for large jobs.
    """
    native = _native() if len(a) * len(b) >= _NATIVE_FROM else None
    if native is not None:
        wa, wb = _words(a), _words(b)
        if wa.ndim != 2 or wb.ndim != 2 or wa.shape[1] != wb.shape[1]:
            raise ValueError("dice_dense: a and b must be 2-D filters of the same length.")
        pa_n, pb_n = popcounts(wa), popcounts(wb)
        dense = np.empty((len(wa), len(wb)), dtype=np.float32)
        rows = _split(len(wa), 4 * workers() if len(wa) * len(wb) >= _THREADS_FROM else 1)
        transposed, dense_rows, _ = native.kernels(wa.shape[1])
        other = np.ascontiguousarray(wb.T) if transposed else wb
        _threaded(lambda s, e: dense_rows(wa, other, pa_n, pb_n, dense, s, e), rows, None)
        return dense
    pa, pb = popcounts(a), popcounts(b)
    bt = np.ascontiguousarray(b.T)
    parallel = len(a) * len(b) >= _PARALLEL_FROM and can_fork()
    shape = (len(a), len(b))
    out = shared_array(shape, np.float32) if parallel else np.empty(shape, dtype=np.float32)
    forked_map(_dense_part, (a, bt, pa, pb, out), _split(len(a), workers() if parallel else 1))
    return out


def block_pairs(
    keys_a: np.ndarray, keys_b: np.ndarray | None, *, max_block: int = 250_000
) -> tuple[np.ndarray, np.ndarray, int]:
    """Candidate pairs ``(i, j)``: records of ``a`` and ``b`` sharing a non-zero blocking key.

    ``keys_b=None`` pairs ``a`` with itself (``i < j``). Blocks whose pair count exceeds
    ``max_block`` are skipped (a key that many records share says little); their number is returned.
    Each pair appears once.
    """
    self_join = keys_b is None
    kb_all = keys_a if keys_b is None else keys_b

    def flat(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n, t = keys.shape
        k = keys.ravel()
        idx = np.repeat(np.arange(n, dtype=np.int64), t)
        keep = k != 0
        k, idx = k[keep], idx[keep]
        order = np.argsort(k, kind="stable")
        return k[order], idx[order]

    def runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct keys of a sorted array, where each run starts, and its length."""
        starts = (
            np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
            if len(sorted_keys)
            else np.empty(0, np.int64)
        )
        counts = np.diff(np.r_[starts, len(sorted_keys)])
        return sorted_keys[starts], starts, counts

    ka, ia = flat(keys_a)
    kb, ib = (ka, ia) if self_join else flat(kb_all)
    ua, sa, ca = runs(ka)
    ub, sb, cb = (ua, sa, ca) if self_join else runs(kb)
    _, pa, pb = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    na, nb = ca[pa].astype(np.int64), cb[pb].astype(np.int64)
    size = na * nb
    big = size > max_block
    skipped = int(big.sum())
    keep = ~big & (size > 0)
    if self_join:
        keep &= na > 1
    starts_a, starts_b, na, nb, size = sa[pa][keep], sb[pb][keep], na[keep], nb[keep], size[keep]
    total = int(size.sum())
    if total == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, skipped
    block = np.repeat(np.arange(len(size)), size)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(size) - size, size)
    left = ia[starts_a[block] + offset // nb[block]]
    right = ib[starts_b[block] + offset % nb[block]]
    if self_join:
        lo, hi = np.minimum(left, right), np.maximum(left, right)
        keep_pairs = lo < hi
        left, right = lo[keep_pairs], hi[keep_pairs]
    width = np.int64(len(kb_all) if not self_join else len(keys_a))
    code = np.sort(left * width + right)
    code = code[np.r_[True, code[1:] != code[:-1]]]
    return code // width, code % width, skipped
