"""Benchmark the GLOTIP evidence core: import (CSV and xlsx) and profile building.

Run: ``.venv/bin/python bench/bench_glotip.py`` (writes docs/benchmarks/glotip.md).
Targets: import of the full export well under 15 s; one country profile in a few ms.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vinculo.evidence import (
    build_area_profile,
    build_country_profile,
    flow_matrix_rows,
    packaged_export_path,
    read_glotip,
)
from vinculo.population import load_population

ROOT = Path(__file__).resolve().parents[1]


def find_shared(name: str) -> Path | None:
    for parent in Path(__file__).resolve().parents:
        p = parent / "shared" / "data" / "glotip" / name
        if p.exists():
            return p
    return None


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), result


def ms(seconds: float, digits: int = 0) -> str:
    return f"{seconds * 1000:.{digits}f} ms"


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    csv_path = packaged_export_path()
    med, best, res = timed(lambda: read_glotip(csv_path), 5)
    rows.append(("import packaged CSV (.csv.gz, 58,769 rows)", f"{med:.2f} s", f"{best:.2f} s"))
    xlsx = find_shared("data_glotip_2025-04-14.xlsx")
    if xlsx is not None:
        med, best, _ = timed(lambda: read_glotip(xlsx), 3)
        rows.append(("import published xlsx (openpyxl read-only)", f"{med:.2f} s", f"{best:.2f} s"))
    ds = res.dataset
    pop = load_population()
    # the first profile also builds the flow index that every later profile reuses
    med, best, _ = timed(lambda: (ds.cache.clear(), build_country_profile(ds, "NLD", population=pop)), 5)
    rows.append(("first country profile (NLD, builds flow index)", ms(med, 1), ms(best, 1)))
    med, best, _ = timed(lambda: build_country_profile(ds, "NLD", population=pop), 50)
    rows.append(("one country profile (NLD, warm)", f"{med * 1000:.2f} ms", f"{best * 1000:.2f} ms"))
    med, best, _ = timed(lambda: [build_country_profile(ds, c, population=pop) for c in ds.countries], 3)
    rows.append((f"all {len(ds.countries)} country profiles", ms(med), ms(best)))
    med, best, _ = timed(lambda: build_area_profile(ds, "region", "Europe", population=pop), 5)
    rows.append(("regional overview (Europe)", f"{med * 1000:.0f} ms", f"{best * 1000:.0f} ms"))
    med, best, _ = timed(lambda: build_area_profile(ds, "world", population=pop), 3)
    rows.append(("global overview", f"{med * 1000:.0f} ms", f"{best * 1000:.0f} ms"))
    med, best, out = timed(lambda: flow_matrix_rows(ds), 5)
    rows.append((f"origin-destination rows ({len(out):,} flows)", ms(med), ms(best)))

    lines = [
        "## GLOTIP evidence (vinculo.evidence)",
        "",
        f"Measured with `bench/bench_glotip.py` on {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()} (2 shared cores). "
        "Median and best of repeated runs.",
        "",
        "| operation | median | best |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        "Targets: import of the full export under 15 s; one country profile in a few ms.",
        "",
    ]
    out_path = ROOT / "docs" / "benchmarks" / "glotip.md"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
