"""Speed of vinculo.mse against R SparseMSE 2.0.1; writes docs/benchmarks/mse.md.

Run from the repository root::

    .venv/bin/python bench/bench_mse.py

Work measured (the same work as R's default ``estimatepopulation()``): stepwise selection
(pthresh 0.02), 1000 bootstrap replicates each re-running the stepwise selection, the jackknife
for the acceleration, and the BCa interval. R timings are those quoted in the issue (R SparseMSE
2.0.1, default settings); the target is 20x faster. Also timed: the exhaustive BIC search over all
2**15 hierarchical models of order <= 2 for the 6-list data sets (target < 5 s).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

from vinculo import __version__
from vinculo.mse import MSESettings, estimate, read_histories, search_models

R_SECONDS = {"NewOrl_5": 18.0, "Western": 26.0, "UKdat_5": 66.0}
SEARCH_TARGET = 5.0
REPEATS = 3


def data_dir() -> Path:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "mse"
        if candidate.is_dir():
            return candidate
    sys.exit("shared/data/mse not found next to the repository")


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    root = data_dir()
    lines = [
        "## Multiple systems estimation (`vinculo.mse`)",
        "",
        f"vinculo {__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other jobs (load average {os.getloadavg()[0]:.1f} at the start, "
        "{load_end} at the end). "
        f"Each time is the median of {REPEATS} runs; the first run of each row (cold: design-matrix caches "
        "empty, worker processes started) is shown separately. Produced by `bench/bench_mse.py`.",
        "",
        "### Stepwise selection with 1000-replicate BCa bootstrap (R `estimatepopulation()` defaults)",
        "",
        "| data | workers | cold (s) | median (s) | R SparseMSE 2.0.1 (s) | speed-up | target 20x |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r_sec in R_SECONDS.items():
        h = read_histories(root / f"{name}.csv")
        for jobs in (1, 2):
            s = MSESettings(method="stepwise", ci="bca", nboot=1000, seed=1234, n_jobs=jobs)
            times = [timed(lambda s=s, h=h: estimate(h, s)) for _ in range(REPEATS)]
            med = statistics.median(times)
            ratio = r_sec / med
            row = (
                f"| {name} | {jobs} | {times[0]:.2f} | {med:.2f} | {r_sec:.0f} | {ratio:.0f}x | "
                f"{'yes' if ratio >= 20 else 'NO'} |"
            )
            print(row, flush=True)
            lines.append(row)
    lines += [
        "",
        "### Exhaustive BIC search, all hierarchical models up to order 2",
        "",
        "| data | lists | models | cold (s) | median (s) | target |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("UKdat", "Ned"):
        h = read_histories(root / f"{name}.csv")
        times = [timed(lambda h=h: search_models(h, max_order=2)) for _ in range(REPEATS)]
        med = statistics.median(times)
        t = h.n_lists
        row = (
            f"| {name} | {t} | {2 ** (t * (t - 1) // 2)} | {times[0]:.2f} | {med:.2f} | "
            f"< {SEARCH_TARGET:.0f} s: {'yes' if med < SEARCH_TARGET else 'NO'} |"
        )
        print(row, flush=True)
        lines.append(row)
    lines.append("")
    lines[2] = lines[2].replace("{load_end}", f"{os.getloadavg()[0]:.1f}")
    out = Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "mse.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
