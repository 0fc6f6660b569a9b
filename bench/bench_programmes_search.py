"""Speed of the programmes search with facets; writes docs/benchmarks/programmes.md.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, as for the tests)::

    .venv/bin/python bench/bench_programmes_search.py            # both backends, 20,000 programmes
    .venv/bin/python bench/bench_programmes_search.py --n 2000   # quicker

Each backend runs in its own process on its own database (PostgreSQL ``vinculo_bench_programmes``,
dropped and re-created; SQLite a file in the temporary directory). ``--n`` synthetic programmes
(``vinculo.registry.generate_programmes``, 4 in 5 published) are stored with bulk inserts and
indexed with the same ``index_programme`` the action functions call. Then a mix of faceted searches
is timed as an anonymous visitor sees them: the search (text match, facet filters, count, facet
counts) plus the first page of 20 results. Target: p95 under 150 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 150.0
QUERIES: list[dict[str, Any]] = [
    {"text": "shelter survivors"},
    {"text": "protección víctimas", "pillar": ("protection",)},
    {"text": "enfants", "region": ("Africa",)},
    {"text": "حماية"},
    {"text": "labour inspection", "form": ("forced_labour",), "year_from": 2010, "year_to": 2015},
    {"pillar": ("prosecution",), "rating": ("strong", "moderate")},
    {"region": ("Europe",), "target": ("migrants",)},
    {"country": ("NGA", "GHA"), "pillar": ("prevention",)},
    {"text": "traffick", "region": ("Asia",), "rating": ("moderate",)},
    {},
]


def _setup(backend: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "vinculo.web.settings.test"
    os.environ["VINCULO_TEST_DATABASE"] = "postgres" if backend == "postgres" else "sqlite"
    from django.conf import settings

    if backend == "postgres":
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS vinculo_bench_programmes")
            conn.execute("CREATE DATABASE vinculo_bench_programmes")
        settings.DATABASES["default"]["NAME"] = "vinculo_bench_programmes"
    else:
        path = Path(tempfile.gettempdir()) / "vinculo_bench_programmes.sqlite3"
        path.unlink(missing_ok=True)
        settings.DATABASES["default"]["NAME"] = str(path)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _load(n: int) -> float:
    from django.db import transaction

    from vinculo.registry import generate_programmes
    from vinculo.web.accounts.models import Organisation, OrganisationKind, Role, User
    from vinculo.web.core.models import Country
    from vinculo.web.programmes import search
    from vinculo.web.programmes.demo import demo_countries
    from vinculo.web.programmes.models import Programme, ProgrammeTranslation

    start = time.perf_counter()
    org = Organisation.objects.create(name="Bench org (synthetic)", kind=OrganisationKind.CIVIL_SOCIETY)
    user = User.objects.create(username="bench", organisation=org, role=Role.DATA_MANAGER)
    countries = {c.iso3: c for c in Country.objects.all()}
    rows = generate_programmes(n, demo_countries(), seed=20_000)
    through = Programme.countries.through
    for chunk in range(0, n, 2000):
        with transaction.atomic():
            batch = rows[chunk : chunk + 2000]
            objs = Programme.objects.bulk_create(
                Programme(
                    owner=org,
                    created_by=user,
                    synthetic=True,
                    status="published" if (chunk + k) % 5 else "draft",
                    **{
                        key: r[key]
                        for key in (
                            "title",
                            "problem_statement",
                            "objectives",
                            "activities",
                            "lessons_learned",
                            "original_language",
                            "start_date",
                            "end_date",
                            "budget_amount",
                            "budget_currency",
                            "pillars",
                            "forms",
                            "target_groups",
                            "evidence_rating",
                            "evidence_rationale",
                            "funding_other",
                        )
                    },
                )
                for k, r in enumerate(batch)
            )
            through.objects.bulk_create(
                through(programme_id=p.pk, country_id=countries[c].pk)
                for p, r in zip(objs, batch, strict=True)
                for c in r["countries"]
            )
            ProgrammeTranslation.objects.bulk_create(
                ProgrammeTranslation(programme=p, language=lang, **texts)
                for p, r in zip(objs, batch, strict=True)
                for lang, texts in r["translations"].items()
            )
            for p in Programme.objects.filter(pk__in=[o.pk for o in objs]).prefetch_related("translations"):
                search.index_programme(p)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - start


def _measure(repeats: int) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser

    from vinculo.web.accounts import access
    from vinculo.web.programmes.models import Programme
    from vinculo.web.programmes.search import SearchParams, search_programmes

    anonymous = AnonymousUser()
    times: list[float] = []
    per_query: list[dict[str, Any]] = []
    for query in QUERIES:
        params = SearchParams(**query)
        samples = []
        total = 0
        for _ in range(repeats):
            start = time.perf_counter()
            outcome = search_programmes(
                access.access_curated_visible(anonymous, Programme.objects.all()), params
            )
            ids = list(outcome.ids[:20])
            page = list(Programme.objects.filter(pk__in=ids).prefetch_related("countries", "translations"))
            samples.append((time.perf_counter() - start) * 1000)
            total = outcome.total
            assert len(page) == min(20, total)
        times += samples
        per_query.append(
            {"query": query, "total": total, "median_ms": statistics.median(samples), "max_ms": max(samples)}
        )
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "max": times[-1],
        "samples": len(times),
        "per_query": per_query,
    }


def run_backend(backend: str, n: int, repeats: int) -> dict[str, Any]:
    _setup(backend)
    load = _load(n)
    _measure(2)  # warm the caches
    result = _measure(repeats)
    from django.db import connection

    result.update({"backend": backend, "n": n, "load_s": load, "server": connection.vendor})
    if backend == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            result["server"] = "PostgreSQL " + cursor.fetchone()[0]
    else:
        import sqlite3

        result["server"] = "SQLite " + sqlite3.sqlite_version
    return result


def _describe(query: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in query.items()) or "(no filter)"


def write_report(results: list[dict[str, Any]], path: Path) -> None:
    from vinculo import __version__

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "## Programmes and practices: faceted search (`vinculo.web.programmes`)",
        "",
        f"vinculo {__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other jobs (load average {load:.1f} at the end). "
        "Produced by `bench/bench_programmes_search.py`. Each figure is the time of one search as an "
        "anonymous visitor runs it (text match, facet filters, count, all facet counts) plus fetching "
        "the first page of 20 results with their countries and translations.",
        "",
        "| backend | programmes | load + index (s) | searches timed | p50 (ms) | p95 (ms) | max (ms) | target p95 < 150 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        target = ("yes" if r["p95"] < TARGET_MS else "no") if r["backend"] == "postgres" else "(not a target)"
        lines.append(
            f"| {r['server']} | {r['n']:,} | {r['load_s']:.0f} | {r['samples']} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['max']:.1f} | {target} |"
        )
    for r in results:
        lines += [
            "",
            f"### {r['server']}: per query (median of the repeats)",
            "",
            "| query | matches | median (ms) | max (ms) |",
            "|---|---|---|---|",
        ]
        for q in r["per_query"]:
            lines.append(
                f"| {_describe(q['query'])} | {q['total']:,} | {q['median_ms']:.1f} | {q['max_ms']:.1f} |"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--backend", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--json", action="store_true", help="print one backend's result as JSON (internal)")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(run_backend(args.backend, args.n, args.repeats)))
        return
    backends = ["postgres", "sqlite"] if args.backend == "both" else [args.backend]
    results = []
    for backend in backends:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--backend",
                backend,
                "--n",
                str(args.n),
                "--repeats",
                str(args.repeats),
                "--json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{backend}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms ({result['n']} programmes)")
        results.append(result)
    report = Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "programmes.md"
    write_report(results, report)
    print(f"Wrote {report}")


if __name__ == "__main__":
    main()
