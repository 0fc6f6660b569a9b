"""Benchmark: check and import synthetic HTCDS case files into SQLite and PostgreSQL, then time counts.

Writes docs/benchmarks/cases.md. Each database runs in a fresh interpreter so its peak memory
(VmHWM) belongs to that run alone. PostgreSQL is used at 127.0.0.1:5432 as user postgres (trust
auth); the benchmark creates and drops its own database ``vinculo_bench_cases``. Run from the
repository root:

    .venv/bin/python bench/bench_cases_import.py [--records 200000] [--queries 200] [--db sqlite,postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "cases.md"
PG_NAME = "vinculo_bench_cases"


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(db: str, path: str, queries: int, folder: str) -> dict[str, object]:
    """Runs inside a fresh interpreter: migrate, import twice, then time filtered counts."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "vinculo.web.settings.test"
    import vinculo.web.settings.test as cfg

    if db == "postgres":
        cfg.DATABASES = {
            "default": {"ENGINE": "django.db.backends.postgresql", "NAME": PG_NAME, "USER": "postgres",
                        "HOST": "127.0.0.1", "PORT": "5432", "PASSWORD": ""}
        }  # fmt: skip
    else:
        cfg.DATABASES = {
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(folder) / "bench.sqlite3")}
        }
    cfg.LOGGING = {"version": 1, "disable_existing_loggers": False}
    import django

    django.setup()
    import random

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from vinculo.web.accounts import actions as accounts
    from vinculo.web.accounts.models import Role
    from vinculo.web.cases import actions
    from vinculo.web.cases.queries import CaseFilter, choices, counted_cases

    call_command("migrate", interactive=False, verbosity=0)
    org = accounts.create_organisation(
        actor=None, name="Bench Shelter (synthetic)", short_name="BENCH", kind="civil_society"
    )
    other = accounts.create_organisation(
        actor=None, name="Bench Partner", short_name="BP", kind="civil_society"
    )
    manager = accounts.create_user(
        actor=None, username="bench.manager", password="x" * 16, organisation=org, role=Role.DATA_MANAGER
    )
    outsider = accounts.create_user(
        actor=None, username="bench.analyst", password="x" * 16, organisation=other, role=Role.ANALYST
    )
    data = Path(path).read_bytes()
    out: dict[str, object] = {"db": db, "vendor": connection.vendor, "file_mib": len(data) / 2**20}

    t = time.perf_counter()
    submission = actions.create_submission(
        actor=manager, data=data, file_name="synthetic.csv", sensitivity="internal", background=False
    )
    out["check_s"] = time.perf_counter() - t
    out["records"] = submission.n_records
    out["errors"] = submission.n_errors
    t = time.perf_counter()
    result = actions.import_submission(actor=manager, submission=submission)
    out["import_s"] = time.perf_counter() - t
    out["created"] = result.n_created
    del data
    t = time.perf_counter()
    again = actions.create_submission(
        actor=manager,
        data=Path(path).read_bytes(),
        file_name="synthetic.csv",
        sensitivity="internal",
        background=False,
    )
    second = actions.import_submission(actor=manager, submission=again)
    out["reimport_s"] = time.perf_counter() - t
    out["reimport_created"] = second.n_created
    out["reimport_unchanged"] = second.n_unchanged
    if db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    rng = random.Random(2024)
    dims = {
        "country": [c for c, _ in choices("country") if c in {"PL", "RU", "US", "TH", "UG", "GB", "IT"}],
        "citizenship": [c for c, _ in choices("citizenship") if c in {"UA", "PH", "NG", "MD", "RO"}],
        "year": [str(y) for y in range(2005, 2023)],
        "sex": ["Feminine", "Masculine"],
        "age_group": [label for _c, label in choices("age_group")],
        "exploitation": ["ForcedLabour", "SexualExploitation", "ForcedBegging"],
        "control": ["DebtBondage", "PhysicalAbuse", "WithholdsDocuments"],
        "recruitment": ["AtWork", "ThroughOnlineSocialNetworks"],
        "industry": ["F_Construction", "A_AgricultureForestryAndFishing"],
    }
    filters = []
    for _ in range(queries):
        picked = rng.sample(sorted(dims), rng.choice((1, 2)))
        filters.append({d: rng.choice(dims[d]) for d in picked})

    def p95(samples: list[float]) -> float:
        ordered = sorted(samples)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000

    orm: list[float] = []
    for params in filters:
        t = time.perf_counter()
        counted_cases(outsider, CaseFilter.from_params(params)).count()
        orm.append(time.perf_counter() - t)
    client = Client()
    client.force_login(outsider)
    api: list[float] = []
    warm: list[float] = []
    picked_dims = [rng.choice(sorted(dims)) for _ in filters]
    for params, dim in zip(filters, picked_dims, strict=True):
        cache.clear()  # cold: nothing cached
        t = time.perf_counter()
        response = client.get("/api/cases/counts", {**params, "dimensions": dim})
        api.append(time.perf_counter() - t)
        assert response.status_code == 200, response.content
        t = time.perf_counter()  # warm: the same request again
        response = client.get("/api/cases/counts", {**params, "dimensions": dim})
        warm.append(time.perf_counter() - t)
        assert response.status_code == 200, response.content
    # The case: every dimension, no filter (the counts page and the API's default).
    every_cold: list[float] = []
    every_warm: list[float] = []
    for _ in range(5):
        cache.clear()
        t = time.perf_counter()
        assert client.get("/api/cases/counts").status_code == 200
        every_cold.append(time.perf_counter() - t)
    for _ in range(50):
        t = time.perf_counter()
        assert client.get("/api/cases/counts").status_code == 200
        every_warm.append(time.perf_counter() - t)
    out["count_p50_ms"] = sorted(orm)[len(orm) // 2] * 1000
    out["count_p95_ms"] = p95(orm)
    out["api_p50_ms"] = sorted(api)[len(api) // 2] * 1000
    out["api_p95_ms"] = p95(api)
    out["api_warm_p50_ms"] = sorted(warm)[len(warm) // 2] * 1000
    out["api_warm_p95_ms"] = p95(warm)
    out["every_cold_ms"] = sorted(every_cold)[len(every_cold) // 2] * 1000
    out["every_warm_p50_ms"] = sorted(every_warm)[len(every_warm) // 2] * 1000
    out["every_warm_p95_ms"] = p95(every_warm)
    out["queries"] = queries
    out["peak_rss_mib"] = _peak_mib()
    return out


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--worker", nargs=3, metavar=("DB", "CSV", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        db, path, folder = args.worker
        print(json.dumps(worker(db, path, args.queries, folder)))
        return

    sys.path.insert(0, str(ROOT / "src"))
    from vinculo.htcds import synthetic, write_csv

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.csv"
        t = time.perf_counter()
        write_csv(synthetic.generate(args.records, seed=2024), path)
        written = time.perf_counter() - t
        for db in [d.strip() for d in args.db.split(",") if d.strip()]:
            if db == "postgres":
                _postgres(f"DROP DATABASE IF EXISTS {PG_NAME}")
                _postgres(f"CREATE DATABASE {PG_NAME}")
            try:
                res = subprocess.run(
                    [sys.executable, __file__, "--queries", str(args.queries), "--worker", db, str(path), folder],
                    capture_output=True, text=True, check=False, cwd=ROOT,
                )  # fmt: skip
            finally:
                if db == "postgres":
                    _postgres(f"DROP DATABASE IF EXISTS {PG_NAME}")
            if res.returncode:
                raise SystemExit(f"{db} run failed:\n{res.stderr[-4000:]}")
            row = json.loads(res.stdout.strip().splitlines()[-1])
            print(row, flush=True)
            rows.append(row)
    lines = [
        "## Case data: checking and importing HTCDS files",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/bench_cases_import.py` on {platform.machine()}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores shared with other jobs. Input: "
        f"{args.records:,} synthetic records (`vinculo.htcds.synthetic.generate(n, seed=2024)`) as one CSV file "
        f"({rows[0]['file_mib']:.1f} MiB, written in {written:.1f} s). Each database runs in a fresh interpreter; "
        "peak RSS is VmHWM of that interpreter (Django, the check, the import and the queries).",
        "",
        "Check = `create_submission` (read, validate, encrypt and store the upload). Import = `import_submission` "
        "(re-read, encrypt identifiers, insert in batches of 2,000 with one prepared `executemany` statement, one "
        "transaction). Re-import = the same file submitted and imported again (idempotent: nothing created). "
        "On 20,000 records, Django's `bulk_create` took 4.4 s (SQLite) and 3.9 s (PostgreSQL) to import where "
        "`executemany` takes 1.5 s and 2.6 s: most of `bulk_create`'s time went to compiling SQL per field and row.",
        "",
        "| database | records | check (s) | import (s) | check + import (s) | re-import (s) | created | re-import created | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['vendor']} | {r['records']:,} | {r['check_s']:.1f} | {r['import_s']:.1f} | "
            f"{r['check_s'] + r['import_s']:.1f} | {r['reimport_s']:.1f} | {r['created']:,} | "
            f"{r['reimport_created']:,} | {r['peak_rss_mib']:.0f} |"
        )
    lines += [
        "",
        f"Filtered counts over the imported (internal) records, as an analyst of another organisation, who "
        f"sees them in aggregates only (access filter, consent and small-cell check included), "
        f"{rows[0]['queries']} random filters on one or two dimensions. Cold = the counts cache cleared before "
        "each request; warm = the same requests again (answered from the cache, which is keyed by the "
        "caller's access scope, the filters and a mark of the data's state):",
        "",
        "| database | count() p50 (ms) | count() p95 (ms) | GET /api/cases/counts cold p50 (ms) | cold p95 (ms) | warm p50 (ms) | warm p95 (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['vendor']} | {r['count_p50_ms']:.1f} | {r['count_p95_ms']:.1f} | {r['api_p50_ms']:.1f} | "
            f"{r['api_p95_ms']:.1f} | {r['api_warm_p50_ms']:.1f} | {r['api_warm_p95_ms']:.1f} |"
        )
    lines += [
        "",
        "Every dimension, no filter (`GET /api/cases/counts`, the counts page's query; the issue measured "
        "0.45 s at 50,000 cases): cold median of 5, warm over 50 requests:",
        "",
        "| database | cold (ms) | warm p50 (ms) | warm p95 (ms) |",
        "|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['vendor']} | {r['every_cold_ms']:.1f} | {r['every_warm_p50_ms']:.1f} | {r['every_warm_p95_ms']:.1f} |"
        )
    lines += [
        "",
        "The API figure is one request: total count, the exact-or-suppressed check, the breakdowns "
        "and the audit entry.",
        "",
        "Targets (issue): check and import of 200,000 records in under 60 s with less than 1 GB of memory on "
        "each database; filtered counts in under 300 ms at the 95th percentile.",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
