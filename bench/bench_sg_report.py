"""Benchmark the SG report (vinculo.web.reports) over the demo data and the full real GLOTIP export.

Run: ``.venv/bin/python bench/bench_sg_report.py`` (writes docs/benchmarks/reports.md).

For each backend a child process gets its own database: SQLite in a temporary VINCULO_VAR_DIR, and
PostgreSQL (database ``vinculo_bench_reports`` at 127.0.0.1:5432, created and dropped here) when
``psql`` can reach the server. The child loads the demo data (``vinculo demo --no-serve``: migrations,
demo records and the full packaged 2025 export), then times building the report and rendering it
to HTML and to PDF with WeasyPrint. Target: the full SG report renders to PDF in under 30 s.
"""

from __future__ import annotations

import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_DB = "vinculo_bench_reports"
TARGET_S = 30.0


def run_child() -> dict[str, Any]:
    """Runs inside the child process, with the database chosen by the environment."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinculo.web.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    out: dict[str, Any] = {"vendor": connection.vendor}
    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo_data", stdout=io.StringIO())
    out["demo_s"] = time.perf_counter() - t

    from vinculo.web.evidence.models import GlotipFigure
    from vinculo.web.evidence.services import clear_cache
    from vinculo.web.reports.render import pdf_document, render_html
    from vinculo.web.reports.services import build_report, sg_years

    out["figures"] = GlotipFigure.objects.count()
    clear_cache()
    t = time.perf_counter()
    report = build_report("sg", 2024, "en")
    out["build_cold_s"] = time.perf_counter() - t
    # The year whose report holds the most numbers (the demo's Trust Fund and estimates are in 2024).
    sizes = {
        y: len(r.values()) for y in sg_years() or [2024] if (r := build_report("sg", y, "en")) is not None
    }
    year = max(sizes, key=lambda y: (sizes[y], y))
    out["year"] = year
    report = build_report("sg", year, "en")
    assert report is not None
    out["numbers"] = len(report.values())
    out["sections"] = len(report.sections)
    for language in ("en", "es", "ar", "zh-hans"):
        t = time.perf_counter()
        report = build_report("sg", year, language)
        build = time.perf_counter() - t
        assert report is not None
        t = time.perf_counter()
        html = render_html(report)
        html_s = time.perf_counter() - t
        t = time.perf_counter()
        document = pdf_document(report)
        pdf = document.write_pdf()
        pdf_s = time.perf_counter() - t
        out[language] = {
            "build_s": build,
            "html_s": html_s,
            "html_bytes": len(html.encode("utf-8")),
            "pdf_s": pdf_s,
            "pdf_bytes": len(pdf),
            "pages": len(document.pages),
        }
    cycle = 2025
    t = time.perf_counter()
    appraisal = build_report("appraisal", cycle, "en")
    assert appraisal is not None
    document = pdf_document(appraisal)
    document.write_pdf()
    out["appraisal_pdf_s"] = time.perf_counter() - t
    out["appraisal_pages"] = len(document.pages)
    return out


def child(env: dict[str, str]) -> dict[str, Any] | None:
    result = subprocess.run(
        [sys.executable, __file__, "--child"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def psql(sql: str) -> bool:
    if shutil.which("psql") is None:
        return False
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0


def main() -> None:
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="vinculo-bench-reports-") as var:
        env = {**os.environ, "VINCULO_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "vinculo.web.settings.dev"}
        env.pop("VINCULO_DATABASE_URL", None)
        found = child(env)
        if found:
            results["sqlite"] = found
        if psql(f"DROP DATABASE IF EXISTS {PG_DB}") and psql(f"CREATE DATABASE {PG_DB}"):
            pg_env = {**env, "VINCULO_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_DB}"}
            found = child(pg_env)
            if found:
                results["postgres"] = found
            psql(f"DROP DATABASE IF EXISTS {PG_DB}")
    write(results)


def write(results: dict[str, dict[str, Any]]) -> None:
    backends = list(results)
    if not backends:
        raise SystemExit("No backend could be measured.")
    first = results[backends[0]]

    def row(label: str, get: Any) -> str:
        return f"| {label} | " + " | ".join(get(results[b]) for b in backends) + " |"

    lines = [
        "## Reports (vinculo.web.reports)",
        "",
        f"Measured with `bench/bench_sg_report.py` on CPython {platform.python_version()}, {platform.machine()} "
        f"(2 shared cores): demo data loaded by `vinculo demo --no-serve` (the full 2025 GLOTIP export, "
        f"{first['figures']:,} figures) in a fresh database, SG report for {first['year']} "
        f"({first['sections']} sections, {first['numbers']} numbers), WeasyPrint with DejaVu fonts. "
        f"Target: the full SG report renders to PDF in under {TARGET_S:.0f} s.",
        "",
        "| operation | " + " | ".join(backends) + " |",
        "|---|" + "---|" * len(backends),
        row("load the demo data (migrate + demo, once)", lambda r: f"{r['demo_s']:.1f} s"),
        row("build the report, cold (reads the GLOTIP release)", lambda r: f"{r['build_cold_s']:.2f} s"),
    ]
    for language in ("en", "es", "ar", "zh-hans"):
        lines += [
            row(
                f"[{language}] build the report (release in memory)",
                lambda r, lg=language: f"{r[lg]['build_s']:.2f} s",
            ),
            row(
                f"[{language}] render HTML",
                lambda r, lg=language: (
                    f"{r[lg]['html_s'] * 1000:.0f} ms ({r[lg]['html_bytes'] / 1024:.0f} KiB)"
                ),
            ),
            row(
                f"[{language}] render PDF (WeasyPrint)",
                lambda r, lg=language: (
                    f"{r[lg]['pdf_s']:.2f} s ({r[lg]['pages']} pages, {r[lg]['pdf_bytes'] / 1024:.0f} KiB)"
                ),
            ),
        ]
    lines.append(
        row(
            "appraisal report 2025: build + PDF",
            lambda r: f"{r['appraisal_pdf_s']:.2f} s ({r['appraisal_pages']} pages)",
        )
    )
    worst = max(
        r[lg]["build_s"] + r[lg]["pdf_s"] for r in results.values() for lg in ("en", "es", "ar", "zh-hans")
    )
    lines += [
        "",
        f"Slowest build + PDF of the SG report: {worst:.2f} s (target {TARGET_S:.0f} s). The PDF is rendered on "
        "request and cached per report, year, language and data checksum, so a second download of the same "
        "report costs only the build. Chinese text has no glyphs in DejaVu: a CJK font must be installed "
        "on the server for a readable zh-hans PDF.",
        "",
    ]
    path = ROOT / "docs" / "benchmarks" / "reports.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(run_child()))
    else:
        main()
