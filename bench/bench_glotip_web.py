"""Benchmark the Global Report evidence pages over the full real export, on SQLite and PostgreSQL.

Run: ``.venv/bin/python bench/bench_glotip_web.py`` (writes docs/benchmarks/glotip_web.md).
Each backend runs in its own process with the test settings (``VINCULO_TEST_DATABASE=postgres``
for PostgreSQL at 127.0.0.1:5432) in a throw-away test database. Target: a country profile page
under 200 ms at the 95th percentile.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def find_shared(name: str) -> Path | None:
    for parent in Path(__file__).resolve().parents:
        p = parent / "shared" / "data" / "glotip" / name
        if p.exists():
            return p
    return None


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def summary(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50": statistics.median(times) * 1000,
        "p95": pct(times, 0.95) * 1000,
        "max": max(times) * 1000,
    }


def run_backend() -> dict[str, Any]:
    """Runs inside the child process: create a test database, import, time the pages."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinculo.web.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from vinculo.web.evidence import services
        from vinculo.web.evidence.actions import import_release

        path = find_shared("data_glotip_2025-04-14__derived.csv.gz")
        if path is None:
            from vinculo.evidence import packaged_export_path

            path = packaged_export_path()
        out: dict[str, Any] = {"vendor": connection.vendor}
        t = time.perf_counter()
        release = import_release(path, None).release
        out["import_s"] = time.perf_counter() - t
        out["records"] = release.n_records
        services.clear_cache()
        t = time.perf_counter()
        loaded = services.loaded_release(release)
        out["load_s"] = time.perf_counter() - t
        codes = sorted(loaded.dataset.countries)
        client = Client()
        passes = []
        for _ in range(2):
            times = []
            for code in codes:
                t = time.perf_counter()
                response = client.get(f"/evidence/countries/{code}/")
                times.append(time.perf_counter() - t)
                assert response.status_code == 200, code
            passes.append(summary(times))
        out["page_first"], out["page_again"] = passes
        times = []
        for code in codes:
            t = time.perf_counter()
            response = client.get(f"/api/evidence/countries/{code}/profile")
            times.append(time.perf_counter() - t)
            assert response.status_code == 200
        out["api"] = summary(times)
        singles = {}
        for label, url in (
            ("evidence home (world overview)", "/evidence/"),
            ("country list (199)", "/evidence/countries/"),
            ("region page (Europe)", "/evidence/regions/Europe/"),
            ("global page", "/evidence/world/"),
            ("flows page (all years)", "/evidence/flows/"),
            ("OD matrix CSV download (all flows)", "/evidence/flows/matrix.csv"),
        ):
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                response = client.get(url)
                runs.append(time.perf_counter() - t)
                assert response.status_code == 200, url
            singles[label] = (runs[0] * 1000, statistics.median(runs[1:]) * 1000)
        out["singles"] = singles
        return out
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    if "--child" in sys.argv:
        print(json.dumps(run_backend()))
        return
    results = {}
    for backend in ("sqlite", "postgres"):
        env = dict(
            os.environ, VINCULO_TEST_DATABASE=backend, DJANGO_SETTINGS_MODULE="vinculo.web.settings.test"
        )
        proc = subprocess.run(
            [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            print(f"{backend}: failed\n{proc.stderr[-2000:]}")
            continue
        results[backend] = json.loads(proc.stdout.strip().splitlines()[-1])
    lines = [
        "## Global Report evidence pages (vinculo.web.evidence)",
        "",
        f"Measured with `bench/bench_glotip_web.py` on {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()} (2 shared cores), Django test client, "
        "full 2025 export (58,045 figures, 199 countries), test settings (DEBUG off). "
        "Target: a country profile page under 200 ms at the 95th percentile.",
        "",
        "| operation | " + " | ".join(results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label: str, fn: Any) -> None:
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in results.values()) + " |")

    row("import the export (one transaction)", lambda r: f"{r['import_s']:.2f} s")
    row("load the release from the database (once per release)", lambda r: f"{r['load_s']:.2f} s")
    row(
        "country profile page, first visit of each country: p50 / p95 / max",
        lambda r: (
            f"{r['page_first']['p50']:.0f} / {r['page_first']['p95']:.0f} / {r['page_first']['max']:.0f} ms"
        ),
    )
    row(
        "country profile page, again: p50 / p95 / max",
        lambda r: (
            f"{r['page_again']['p50']:.0f} / {r['page_again']['p95']:.0f} / {r['page_again']['max']:.0f} ms"
        ),
    )
    row(
        "API country profile JSON: p50 / p95",
        lambda r: f"{r['api']['p50']:.0f} / {r['api']['p95']:.0f} ms",
    )
    first = next(iter(results.values()), None)
    for label in first["singles"] if first else []:
        row(
            f"{label}: first / again",
            lambda r, label=label: f"{r['singles'][label][0]:.0f} / {r['singles'][label][1]:.0f} ms",
        )
    lines += [
        "",
        "The dataset of a release is read from the database once and kept in memory (keyed by release "
        "id and checksum); profiles, and the charts and tables of each page and language (the last "
        "300), are cached with it, so only the first visit of a page builds them. The first visit of "
        "all is slower (template compilation).",
        "",
    ]
    out_path = ROOT / "docs" / "benchmarks" / "glotip_web.md"
    out_path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
