"""Work on every core with forked worker processes.

``np.bitwise_count`` and numpy's reductions hold the GIL (measured: two threads run no faster than
one), so the numpy Dice kernel and the encoder share work out over processes (the compiled kernel
releases the GIL and uses threads instead). Workers are forked: they
inherit the inputs (a module global set just before the fork) without copying or pickling them,
and send back only their results. Forking is only safe while this process runs no other thread
and only where ``fork`` exists; elsewhere the work runs here, in order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

__all__ = ["can_fork", "forked_map", "shared_array", "workers"]

_STATE: tuple[Callable[..., Any], tuple[Any, ...]] | None = None


def workers() -> int:
    """Workers (processes or threads) to use: the cores, at most 8; ``VINCULO_PPRL_WORKERS`` sets
    another number (e.g. 1 on a machine shared with other jobs)."""
    wanted = os.environ.get("VINCULO_PPRL_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return min(64, int(wanted))
    return max(1, min(8, os.cpu_count() or 1))


def can_fork() -> bool:
    return (
        workers() > 1 and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
    )


def _call(part: Any) -> Any:
    assert _STATE is not None
    func, shared = _STATE
    return func(*shared, part)


def shared_array(shape: tuple[int, ...], dtype: type | np.dtype[Any]) -> np.ndarray:
    """A zeroed array in anonymous shared memory: forked workers write their results into it."""
    import mmap

    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if size == 0:
        return np.zeros(shape, dtype=dtype)
    return np.frombuffer(mmap.mmap(-1, size), dtype=dtype).reshape(shape)


def forked_map[T](
    func: Callable[..., T],
    shared: tuple[Any, ...],
    parts: Sequence[Any],
    *,
    done: Callable[[int], None] | None = None,
) -> list[T]:
    """``[func(*shared, part) for part in parts]``, the parts on forked workers when possible."""
    global _STATE
    if len(parts) < 2 or not can_fork():
        out = []
        for i, part in enumerate(parts):
            out.append(func(*shared, part))
            if done is not None:
                done(i + 1)
        return out
    _STATE = (func, shared)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(workers(), len(parts)), mp_context=context) as pool:
            results = []
            for i, result in enumerate(pool.map(_call, parts)):
                results.append(result)
                if done is not None:
                    done(i + 1)
            return results
    finally:
        _STATE = None
