"""The Dice kernel compiled with numba (imported by :mod:`vinculo.linkage.pprl.kernel` when numba is there).

Every function releases the GIL (``nogil``), so the kernel shares work out over threads, one per
core, without copying the filters. Compiled code is cached on disk (numba's cache: next to this
file when that is writable, else the user's cache directory, or ``NUMBA_CACHE_DIR``), so only the
first run on a machine pays the compilation; without a usable cache directory the functions are
compiled in every process instead.

:func:`kernels` gives the two functions for one filter width ``w`` (64-bit words), compiled for
that width: with the word count a compile-time constant, LLVM lays the words of a filter out in
vector registers and uses the CPU's vector popcount where there is one (AVX-512 VPOPCNTDQ, SVE,
...; scalar ``popcnt`` or a byte-table popcount otherwise):

* ``dense_rows`` (all against all) takes ``b`` transposed (``w x m``, word-major): the loop over
  ``b``'s records is the innermost one, so one vector instruction handles 8 records of ``b`` (with
  512-bit registers) against one row of ``a`` held in registers, the divisions included, and
  nothing is summed across a register. ``b`` is taken in column blocks that stay in the L2 cache.
* ``pair_range`` (a list of pairs) loads each pair's two filters as ``w``-word vectors, ANDs,
  popcounts and sums them in registers, and prefetches the filter of the pair 16 ahead (pairs
  come sorted by left record, so the right records are the ones read out of order).

Widths above :data:`UNROLLED_WORDS` use one generic compilation (a loop over the words).

The functions take exactly one type each (uint64 filters; int64 popcounts; indices as uint64, the
caller having checked they are in range, so no negative-index wrap-around is compiled in; float32
out): the caller converts, so there is one compilation per function and width.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["UNROLLED_WORDS", "kernels"]

#: Widths (64-bit words; 2,048 bits) up to which the kernel is compiled for the exact width.
UNROLLED_WORDS = 32
#: Pairs ahead whose right filter ``pair_range`` prefetches (measured: 8-16 best, 32 no better
#: than none, on a 2-core AMD EPYC with 10,000 filters of 1,024 bits on the right).
_PREFETCH = 16

_I64 = ir.IntType(64)
_I32 = ir.IntType(32)


def _popcount_typing(typingctx: Any, x: Any) -> Any:
    """Set bits of one uint64 (LLVM ``ctpop``), as int64 (sums stay integers: int64 + uint64 is float64)."""
    if x != types.uint64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return types.int64(types.uint64), codegen


_popcount: Any = intrinsic(_popcount_typing)


def _declare(module: Any, name: str, ret: Any, params: list[Any]) -> Any:
    found = module.globals.get(name)
    return found if found is not None else ir.Function(module, ir.FunctionType(ret, params), name=name)


def _rows_of(arr: Any) -> bool:
    """Whether a numba type is a C-contiguous 2-D uint64 array (rows are ``w`` consecutive words)."""
    return isinstance(arr, types.Array) and arr.ndim == 2 and arr.layout == "C" and arr.dtype == types.uint64


def _row_pointer(context: Any, builder: Any, arrty: Any, arr: Any, row: Any, words: int) -> Any:
    """Address of row ``row`` of a C-contiguous 2-D uint64 array of ``words`` columns."""
    data = context.make_array(arrty)(context, builder, arr).data
    return builder.gep(data, [builder.mul(row, ir.Constant(_I64, words))])


def _and_count_typing(typingctx: Any, a: Any, i: Any, b: Any, j: Any, w: Any) -> Any:
    """``|a[i] AND b[j]|`` for C-contiguous ``n x w`` uint64 arrays, ``w`` a compile-time constant:
    one ``<w x i64>`` load per filter, ``and``, ``llvm.ctpop`` and ``llvm.vector.reduce.add``."""
    if not isinstance(w, types.IntegerLiteral) or w.literal_value < 1 or not (_rows_of(a) and _rows_of(b)):
        return None
    words = int(w.literal_value)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        aty, _, bty, _, _ = signature.args
        vector = ir.VectorType(_I64, words)

        def load(arrty: Any, arr: Any, row: Any) -> Any:
            pointer = _row_pointer(context, builder, arrty, arr, row, words)
            return builder.load(builder.bitcast(pointer, vector.as_pointer()), align=8)

        both = builder.and_(load(aty, args[0], args[1]), load(bty, args[2], args[3]))
        module = builder.module
        counts = builder.call(_declare(module, f"llvm.ctpop.v{words}i64", vector, [vector]), [both])
        add = _declare(module, f"llvm.vector.reduce.add.v{words}i64", _I64, [vector])
        return builder.call(add, [counts])

    return types.int64(a, i, b, j, w), codegen


_and_count: Any = intrinsic(_and_count_typing)


def _prefetch_typing(typingctx: Any, a: Any, i: Any, w: Any) -> Any:
    """A hint to load row ``a[i]`` (``w`` words) into the cache (``llvm.prefetch``; no effect on results)."""
    if not isinstance(w, types.IntegerLiteral) or w.literal_value < 1 or not _rows_of(a):
        return None
    words = int(w.literal_value)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        i8p = ir.IntType(8).as_pointer()
        fetch = _declare(builder.module, "llvm.prefetch.p0i8", ir.VoidType(), [i8p, _I32, _I32, _I32])
        row = builder.bitcast(_row_pointer(context, builder, signature.args[0], args[0], args[1], words), i8p)
        for offset in range(0, 8 * words, 64):  # every cache line of the row: read, keep, data
            line = builder.gep(row, [ir.Constant(_I64, offset)])
            builder.call(fetch, [line, ir.Constant(_I32, 0), ir.Constant(_I32, 3), ir.Constant(_I32, 1)])
        return context.get_dummy_value()

    return types.none(a, i, w), codegen


_prefetch_row: Any = intrinsic(_prefetch_typing)


def _compile(func: Callable[..., Any], *signature: Any) -> Any:
    """``func`` compiled (lazily, or now for the given signature) with numba's disk cache."""
    options: dict[str, Any] = {"nogil": True, "boundscheck": False, "error_model": "numpy"}
    jit: Any = njit  # numba's stubs do not take a signature as *args
    try:
        return jit(*signature, cache=True, **options)(func)
    except RuntimeError as exc:  # no writable cache directory anywhere: compile in each process
        if "cannot cache" not in str(exc) and "no locator" not in str(exc):
            raise
        warnings.warn(
            "vinculo: numba has no writable cache directory (set NUMBA_CACHE_DIR); "
            "the Dice kernel is compiled again in every process.",
            RuntimeWarning,
            stacklevel=2,
        )
        return jit(*signature, cache=False, **options)(func)


_U2 = types.Array(types.uint64, 2, "C")
_U1 = types.Array(types.uint64, 1, "C")
_I1 = types.Array(types.int64, 1, "C")
#: The one type of each kernel (the caller converts its inputs to it).
_DENSE_TYPE = types.void(_U2, _U2, _I1, _I1, types.Array(types.float32, 2, "C"), types.int64, types.int64)
_PAIRS_TYPE = types.void(
    _U2, _U2, _I1, _I1, _U1, _U1, types.Array(types.float32, 1, "C"), types.int64, types.int64
)


# Both operands of each division are exact in float32 and IEEE division rounds once: the same
# value as numpy's float64 division rounded to float32 (p = 53 >= 2 * 24 + 2: no double rounding).
# No fastmath anywhere: it would allow a reciprocal in place of the division.


def _dense_rows(
    a: np.ndarray, b: np.ndarray, pa: np.ndarray, pb: np.ndarray, out: np.ndarray, r0: int, r1: int
) -> None:
    """Generic width: rows ``r0:r1`` of ``a`` against every row of ``b`` (``m x w``)."""
    m, w = b.shape
    for i in range(r0, r1):
        p = pa[i]
        for j in range(np.uint64(m)):
            s = 0
            for k in range(w):
                s += _popcount(a[i, k] & b[j, k])
            t = p + pb[j]
            out[i, j] = np.float32(2 * s) / np.float32(t) if t > 0 else np.float32(0.0)


def _pair_range(
    a: np.ndarray,
    b: np.ndarray,
    pa: np.ndarray,
    pb: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    out: np.ndarray,
    r0: int,
    r1: int,
) -> None:
    """Generic width: Dice of pairs ``r0:r1`` (``left``/``right`` uint64, in range)."""
    w = a.shape[1]
    for n in range(np.uint64(r0), np.uint64(r1)):
        i = left[n]
        j = right[n]
        s = 0
        for k in range(w):
            s += _popcount(a[i, k] & b[j, k])
        t = pa[i] + pb[j]
        out[n] = np.float32(2 * s) / np.float32(t) if t > 0 else np.float32(0.0)


def _fixed_width(words: int) -> tuple[Any, Any]:
    """The two kernels with the width a constant (closure variables are constants to numba, and
    part of its cache key, so each width has its own cache entry)."""
    block = max(256, 16384 // words)  # columns of b per pass: 128 KB of filters, in the L2 cache
    ahead = np.uint64(_PREFETCH)  # unsigned, as the pair number (int64 + uint64 would be float64)

    def dense_rows(
        a: np.ndarray, bt: np.ndarray, pa: np.ndarray, pb: np.ndarray, out: np.ndarray, r0: int, r1: int
    ) -> None:
        """Rows ``r0:r1`` of ``a`` (``n x words``) against every column of ``bt`` (``words x m``)."""
        m = bt.shape[1]
        for j0 in range(0, m, block):
            j1 = min(m, j0 + block)
            for i in range(r0, r1):
                p = pa[i]
                for j in range(np.uint64(j0), np.uint64(j1)):  # unsigned: no wrap-around test
                    s = 0
                    for k in range(words):  # unrolled: a[i] stays in registers
                        s += _popcount(a[i, k] & bt[k, j])
                    t = p + pb[j]
                    out[i, j] = np.float32(2 * s) / np.float32(t) if t > 0 else np.float32(0.0)

    def pair_range(
        a: np.ndarray,
        b: np.ndarray,
        pa: np.ndarray,
        pb: np.ndarray,
        left: np.ndarray,
        right: np.ndarray,
        out: np.ndarray,
        r0: int,
        r1: int,
    ) -> None:
        """Dice of pairs ``r0:r1`` (``left``/``right`` uint64, in range)."""
        stop = np.uint64(r1)
        for n in range(np.uint64(r0), stop):
            i = left[n]
            j = right[n]
            if n + ahead < stop:
                _prefetch_row(b, right[n + ahead], words)
            s = _and_count(a, i, b, j, words)
            t = pa[i] + pb[j]
            out[n] = np.float32(2 * s) / np.float32(t) if t > 0 else np.float32(0.0)

    return dense_rows, pair_range


_KERNELS: dict[int, tuple[bool, Any, Any]] = {}


def kernels(words: int) -> tuple[bool, Any, Any]:
    """``(transposed, dense_rows, pair_range)`` for filters of ``words`` 64-bit words.

    ``transposed``: whether ``dense_rows`` takes ``b`` transposed (``words x m``, C order) rather
    than as ``m x words``. The width's own kernels are compiled (or loaded from the cache) here,
    for their one type; should that fail (an LLVM without one of the intrinsics used), the
    generic loop is used, with a warning: the same numbers, slower.
    """
    found = _KERNELS.get(words)
    if found is None:
        found = (False, _GENERIC_DENSE, _GENERIC_PAIRS)
        if 1 <= words <= UNROLLED_WORDS:
            dense, pairs = _fixed_width(words)
            try:
                found = (True, _compile(dense, _DENSE_TYPE), _compile(pairs, _PAIRS_TYPE))
            except Exception as exc:  # numba's and LLVM's errors have no common base class
                warnings.warn(
                    f"vinculo: the Dice kernel for {words}-word filters did not compile "
                    f"({type(exc).__name__}); the generic, slower kernel is used.",
                    RuntimeWarning,
                    stacklevel=2,
                )
        _KERNELS[words] = found
    return found


_GENERIC_DENSE = _compile(_dense_rows)
_GENERIC_PAIRS = _compile(_pair_range)
