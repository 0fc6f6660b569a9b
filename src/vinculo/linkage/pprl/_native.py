"""The Dice kernel compiled with numba (imported by :mod:`vinculo.linkage.pprl.kernel` when numba is there).

Every function releases the GIL (``nogil``), so the kernel shares work out over threads, one per
core, without copying the filters. ``|a AND b|`` is LLVM's ``ctpop`` on each 64-bit word, which
LLVM turns into the CPU's vector popcount where there is one (AVX-512 VPOPCNTDQ, SVE, ...) and
into scalar ``popcnt`` otherwise. Compiled code is cached on disk (numba's cache: next to this file
when that is writable, else the user's cache directory, or ``NUMBA_CACHE_DIR``), so only the first
run on a machine pays the compilation; without a usable cache directory the functions are compiled
in every process instead.

The functions take exactly one type each (uint64 filters, int64 popcounts and indices, float32
out): the caller converts, so there is one compilation per function.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["dense_rows", "pair_range"]


def _popcount_typing(typingctx: Any, x: Any) -> Any:
    """Set bits of one uint64 (LLVM ``ctpop``), as int64 (sums stay integers: int64 + uint64 is float64)."""
    if x != types.uint64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return types.int64(types.uint64), codegen


_popcount: Any = intrinsic(_popcount_typing)


def _compile(func: Callable[..., Any]) -> Any:
    options: dict[str, Any] = {"nogil": True, "boundscheck": False, "error_model": "numpy"}
    try:
        return njit(cache=True, **options)(func)
    except RuntimeError:  # no writable cache directory anywhere: compile in each process
        warnings.warn(
            "vinculo: numba has no writable cache directory (set NUMBA_CACHE_DIR); "
            "the Dice kernel is compiled again in every process.",
            RuntimeWarning,
            stacklevel=2,
        )
        return njit(cache=False, **options)(func)


def _dense_rows(
    a: np.ndarray, b: np.ndarray, pa: np.ndarray, pb: np.ndarray, out: np.ndarray, r0: int, r1: int
) -> None:
    m, w = b.shape
    for i in range(r0, r1):
        p = pa[i]
        for j in range(m):
            s = 0
            for k in range(w):
                s += _popcount(a[i, k] & b[j, k])
            t = p + pb[j]
            # Both operands are exact in float32 and IEEE division rounds once: the same value as
            # numpy's float64 division rounded to float32 (p = 53 >= 2 * 24 + 2: no double rounding).
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
    w = a.shape[1]
    for n in range(r0, r1):
        i = left[n]
        j = right[n]
        s = 0
        for k in range(w):
            s += _popcount(a[i, k] & b[j, k])
        t = pa[i] + pb[j]
        out[n] = np.float32(2 * s) / np.float32(t) if t > 0 else np.float32(0.0)


dense_rows = _compile(_dense_rows)
pair_range = _compile(_pair_range)
