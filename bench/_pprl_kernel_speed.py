"""vinculo's PPRL kernel and encoder speed, for bench/bench_linkage.py (runs in vinculo's venv).

Reads a JSON job on stdin, writes a JSON answer on stdout. The caller sets the environment
(``VINCULO_PPRL_KERNEL``, ``VINCULO_PPRL_WORKERS``, ``NUMBA_CACHE_DIR``) per run, so each
configuration is measured in a fresh process:

- ``{"mode": "kernel", "clks": NPY, "pairs": N, "repeats": 3}``: Dice comparisons per second on the
  filters in NPY (the first and second halves against each other), all against all and over
  ``N`` pairs in blocked order (sorted by left record, random right record), best of ``repeats``
  (wall and CPU seconds, the CPU including threads and worker processes);
  also the seconds to import the kernel and to make its first call (compiling or loading the cache);
- ``{"mode": "encode", "file": CSV, "repeats": 3}``: seconds of ``encode_persons`` for the file's
  records (read and normalised beforehand), best of ``repeats``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable

import numpy as np


def _cpu() -> float:
    """CPU seconds of this process, its threads and its finished child processes."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _best(func: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the fastest of ``repeats`` calls."""
    runs = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), _cpu()
        func()
        runs.append((time.perf_counter() - wall, _cpu() - cpu))
    return min(runs)


def kernel_speed(job: dict[str, object]) -> dict[str, object]:
    start = time.perf_counter()
    from vinculo.linkage.pprl import kernel

    backend = kernel.backend()
    imported = time.perf_counter() - start
    clks = np.load(str(job["clks"]))
    half = len(clks) // 2
    a, b = clks[:half], clks[half : 2 * half]
    start = time.perf_counter()
    small, kernel._NATIVE_FROM = kernel._NATIVE_FROM, 0  # the first call: compile or load the cache
    kernel.dice_dense(a[:2], b[:2])
    kernel.dice_pairs(a, b, np.arange(2), np.arange(2))
    kernel._NATIVE_FROM = small
    first = time.perf_counter() - start
    repeats = int(job.get("repeats", 3))  # type: ignore[call-overload]
    dense = _best(lambda: kernel.dice_dense(a, b), repeats)
    rng = np.random.default_rng(0)
    n = int(job["pairs"])  # type: ignore[call-overload]
    left = np.sort(rng.integers(0, len(a), n))
    right = rng.integers(0, len(b), n)
    pairs = _best(lambda: kernel.dice_pairs(a, b, left, right), repeats)
    return {
        "backend": backend,
        "import_s": imported,
        "first_call_s": first,
        "dense_comparisons": len(a) * len(b),
        "dense_s": dense[0],
        "dense_cpu_s": dense[1],
        "pairs": n,
        "pairs_s": pairs[0],
        "pairs_cpu_s": pairs[1],
    }


def encode_speed(job: dict[str, object]) -> dict[str, object]:
    from vinculo.linkage.pprl.encode import encode_persons
    from vinculo.linkage.sources import read_source

    persons = read_source(str(job["file"]), id_column="record_id").persons
    repeats = int(job.get("repeats", 3))  # type: ignore[call-overload]
    secret = b"bench secret shared by the agencies only"
    wall, cpu = _best(lambda: encode_persons(persons, secret), repeats)
    return {"records": len(persons), "encode_s": wall, "encode_cpu_s": cpu}


def main() -> None:
    job = json.loads(sys.stdin.read())
    answer = kernel_speed(job) if job["mode"] == "kernel" else encode_speed(job)
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
