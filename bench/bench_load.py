"""Load benchmark: gunicorn on PostgreSQL with synthetic cases, driven by locust clients.

Seeds a database of its own (``vinculo_bench_load`` on 127.0.0.1:5432, user postgres, dropped at the
end) with the demo accounts and records, the packaged Global Report export and N synthetic HTCDS cases
(``vinculo.htcds.synthetic``), starts gunicorn with production settings (``bench/load/bench_settings.py``:
production's, served over plain HTTP on the loopback), warms every worker up, then runs locust headless
(``bench/load/locustfile.py``): visitors of public pages, signed-in analysts and API scripts, each
waiting 1-3 s between requests. Reports p50/p95/p99 and errors per group and per route, leaving out
the ramp-up, and writes ``docs/benchmarks/load.md`` (then run ``bench/assemble.py``).

Targets (issue 9): public pages p95 < 100 ms, signed-in pages and API p95 < 300 ms, 0 errors, with
200,000 cases, 50 clients, 5 minutes and 3 gunicorn workers. Needs the ``bench`` extra (locust and
gunicorn, pinned in constraints.txt): ``.venv/bin/pip install -c constraints.txt -e '.[bench]'``.
Run from the repository root:

    .venv/bin/python bench/bench_load.py [--cases 200000] [--clients 50] [--duration 300] [--workers 3]
        [--redis] [--note "..."]

``--redis`` puts cache, sessions and the job queue on the local Redis (``VINCULO_REDIS_URL``).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "load.md"
PG_NAME = "vinculo_bench_load"
GROUPS = ("public", "signed-in", "api")
TARGET_P95_MS = {"public": 100.0, "signed-in": 300.0, "api": 300.0}
FULL = {"cases": 200_000, "clients": 50, "duration": 300, "workers": 3}


def bench_env(folder: Path, redis: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VINCULO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench" / "load"), str(ROOT / "src")]),
            "VINCULO_SECRET_KEY": secrets.token_urlsafe(50),
            "VINCULO_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_NAME}",
            "VINCULO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "VINCULO_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "VINCULO_AUDIT_KEYS": secrets.token_urlsafe(48),
            "VINCULO_MEDIA_ROOT": str(folder / "media"),
            "VINCULO_STATIC_ROOT": str(folder / "static"),
            "VINCULO_SSL_REDIRECT": "false",
        }
    )
    if redis:
        env["VINCULO_REDIS_URL"] = os.environ.get("VINCULO_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
        env["VINCULO_REDIS_PREFIX"] = f"vinculo-bench-{secrets.token_hex(4)}"
    return env


def seed(cases: int, sessions: int, plan_path: str) -> None:
    """Runs in a fresh interpreter under the benchmark's settings: migrate, load, import, write the plan."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from vinculo.htcds import synthetic, write_csv
    from vinculo.web.accounts.actions import issue_token
    from vinculo.web.accounts.models import User
    from vinculo.web.cases import actions
    from vinculo.web.cases.models import CaseRecord
    from vinculo.web.cases.queries import choices
    from vinculo.web.core import demo
    from vinculo.web.evidence.models import GlotipRelease

    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    demo.load_demo()
    manager = User.objects.get(username="ngo.manager")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.csv"
        write_csv(synthetic.generate(cases, seed=2024), path)
        submission = actions.create_submission(
            actor=manager,
            data=path.read_bytes(),
            file_name="synthetic.csv",
            sensitivity="internal",
            background=False,
        )
        actions.import_submission(actor=manager, submission=submission)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyst = User.objects.get(username="ngo.analyst")
    outsider = User.objects.get(username="unodc.analyst")
    cookies = []
    for _ in range(sessions):
        client = Client()
        client.force_login(analyst)
        cookies.append(client.cookies["sessionid"].value)
    tokens = [issue_token(user=user, name="load benchmark")[1] for user in (outsider, analyst)]
    release = GlotipRelease.objects.order_by("-version").first()
    countries = sorted({row[0] for row in release.countries}) if release is not None else []
    wanted = {
        "country": {"PL", "RU", "US", "TH", "UG", "GB", "IT"},
        "citizenship": {"UA", "PH", "NG", "MD", "RO"},
    }
    filters = {dim: [c for c, _ in choices(dim) if c in codes] for dim, codes in wanted.items()}
    filters |= {"year": [str(y) for y in range(2005, 2023)], "sex": ["Feminine", "Masculine"]}
    plan = {
        "sessions": cookies,
        "tokens": tokens,
        "case_ids": list(
            CaseRecord.objects.filter(owner=manager.organisation)
            .order_by("?")
            .values_list("id", flat=True)[:500]
        ),
        "countries": countries,
        "filters": filters,
        "cases": CaseRecord.objects.count(),
        "seed_seconds": time.perf_counter() - t,
    }
    Path(plan_path).write_text(json.dumps(plan), encoding="utf-8")


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(sql)


def _forget_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def _warm_up(base: str, plan: dict[str, Any], workers: int) -> None:
    """Every worker loads the Global Report release and compiles its templates before the clock starts."""
    from concurrent.futures import ThreadPoolExecutor

    paths = ["/", "/evidence/", "/evidence/countries/", "/evidence/flows/", "/programmes/"]
    paths += [f"/evidence/countries/{iso3}/" for iso3 in plan["countries"][:5]]

    def get(path: str) -> None:
        try:
            with urllib.request.urlopen(base + path, timeout=120) as response:
                response.read()
        except OSError:
            pass

    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(get, paths * workers * 2))


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarise(samples: list[list[Any]], start: float, warmup: float) -> dict[str, dict[str, Any]]:
    """Per group and per route: requests, errors, p50/p95/p99 (ms), leaving out the first ``warmup`` seconds."""
    kept = [s for s in samples if s[0] >= start + warmup]
    rows: dict[str, dict[str, Any]] = {}
    for key in [*GROUPS, *sorted({s[1] for s in kept})]:
        picked = [s for s in kept if s[1] == key or s[1].split(":", 1)[0] == key]
        times = [float(s[2]) for s in picked]
        rows[key] = {
            "requests": len(picked),
            "errors": sum(1 for s in picked if s[3]),
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
        }
    return rows


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def write_report(
    args: argparse.Namespace, plan: dict[str, Any], rows: dict[str, dict[str, Any]], run: dict[str, Any]
) -> None:
    full = all(getattr(args, k) >= v for k, v in FULL.items())
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Load: gunicorn on PostgreSQL under 50 clients",
        "",
        f"Measured {when} by `bench/bench_load.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores; load average {run['load_before']} before and {run['load_after']} after.",
        "",
    ]
    if full and args.note:
        lines += [f"**Note.** {args.note} This is the benchmark of record.", ""]
    elif not full:
        lines += [
            f"**Short validation run.** {args.note or ''} This run used "
            f"{plan['cases']:,} cases, {args.clients} clients and {args.duration} s (the benchmark of record: "
            f"{FULL['cases']:,} cases, {FULL['clients']} clients, {FULL['duration']} s, {FULL['workers']} workers); "
            "its figures validate the script, not the targets.",
            "",
        ]
    lines += [
        f"Set-up: gunicorn {run['gunicorn']} with {args.workers} sync workers, production settings over plain HTTP "
        f"on the loopback (`bench/load/bench_settings.py`), PostgreSQL at 127.0.0.1, "
        f"{'cache, sessions and jobs on Redis' if args.redis else 'local-memory cache, sessions in the database'}; "
        f"demo accounts and records, the packaged Global Report export and {plan['cases']:,} synthetic cases "
        f"(seeded in {plan['seed_seconds']:.0f} s). Locust {run['locust']} headless: {args.clients} clients "
        f"(public visitors : signed-in analysts : API scripts = 2 : 2 : 1), each waiting {args.wait} s between "
        f"requests, {args.duration} s in all; the first {args.warmup} s (ramp-up) are left out. "
        f"Throughput {run['rps']:.1f} requests/s. Locust, gunicorn and PostgreSQL share the machine's cores; "
        "an answer of 300 or more (a redirect to the sign-in page included) counts as an error.",
        "",
        "| group | requests | errors | p50 (ms) | p95 (ms) | p99 (ms) | target p95 | met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for group in GROUPS:
        r = rows[group]
        target = TARGET_P95_MS[group]
        met = r["requests"] > 0 and r["p95"] < target and r["errors"] == 0
        lines.append(
            f"| {group} | {r['requests']:,} | {r['errors']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} "
            f"| < {target:.0f} ms, 0 errors | {'yes' if met else 'no'} |"
        )
    lines += [
        "",
        "Per route:",
        "",
        "| route | requests | errors | p50 (ms) | p95 (ms) | p99 (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, r in rows.items():
        if key in GROUPS:
            continue
        lines.append(
            f"| `{key}` | {r['requests']:,} | {r['errors']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} |"
        )
    if run["errors_seen"]:
        lines += ["", "Errors seen (first of each kind):", ""]
        lines += [f"- {e}" for e in run["errors_seen"]]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


def _version(module: str) -> str:
    from importlib.metadata import version

    return version(module)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=FULL["cases"])
    parser.add_argument("--clients", type=int, default=FULL["clients"])
    parser.add_argument("--duration", type=int, default=FULL["duration"], help="seconds of load")
    parser.add_argument("--workers", type=int, default=FULL["workers"], help="gunicorn workers")
    parser.add_argument(
        "--warmup", type=int, default=None, help="seconds left out at the start (default 10%%)"
    )
    parser.add_argument("--wait", default="1-3", help="seconds each client waits between requests, MIN-MAX")
    parser.add_argument("--redis", action="store_true", help="cache, sessions and jobs on the local Redis")
    parser.add_argument("--note", default="", help="a sentence written above the figures")
    parser.add_argument("--seed", nargs=2, metavar=("CASES", "PLAN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(int(args.seed[0]), 50, args.seed[1])
        return
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
        raise SystemExit(
            "The load benchmark needs locust and gunicorn: .venv/bin/pip install -c constraints.txt -e '.[bench]'"
        )
    args.warmup = max(5, args.duration // 10) if args.warmup is None else args.warmup
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = bench_env(folder, args.redis)
        plan_path = folder / "plan.json"
        _postgres(f"DROP DATABASE IF EXISTS {PG_NAME}")
        _postgres(f"CREATE DATABASE {PG_NAME}")
        gunicorn: subprocess.Popen[bytes] | None = None
        try:
            print(f"seeding {args.cases:,} cases ...", flush=True)
            subprocess.run(
                [sys.executable, __file__, "--seed", str(args.cases), str(plan_path)],
                env=env,
                cwd=ROOT,
                check=True,
            )
            plan = json.loads(plan_path.read_text(encoding="utf-8"))
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            gunicorn = subprocess.Popen(
                [str(bindir / "gunicorn"), "vinculo.web.wsgi", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(args.workers), "--timeout", "120", "--log-level", "warning"],
                env=env, cwd=ROOT, start_new_session=True,
            )  # fmt: skip
            _wait_until_up(base + "/health")
            _warm_up(base, plan, args.workers)
            samples_path = folder / "samples.json"
            load_env = {**env, "VINCULO_LOAD_PLAN": str(plan_path), "VINCULO_LOAD_SAMPLES": str(samples_path),
                        "VINCULO_LOAD_WAIT": args.wait}  # fmt: skip
            load_before = _load_average()
            start = time.time()
            print(f"load: {args.clients} clients for {args.duration} s against {base} ...", flush=True)
            subprocess.run(
                [str(bindir / "locust"), "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless",
                 "--users", str(args.clients), "--spawn-rate", str(max(1, args.clients // 5)),
                 "--run-time", f"{args.duration}s", "--host", base, "--only-summary", "--loglevel", "WARNING",
                 "--exit-code-on-error", "0"],
                env=load_env, cwd=folder, check=True,
            )  # fmt: skip
            load_after = _load_average()
            samples = json.loads(samples_path.read_text(encoding="utf-8"))
        finally:
            if gunicorn is not None:
                os.killpg(gunicorn.pid, signal.SIGTERM)
                gunicorn.wait(timeout=60)
            _postgres(f"DROP DATABASE IF EXISTS {PG_NAME}")
            if args.redis:
                _forget_redis_keys(env["VINCULO_REDIS_URL"], env["VINCULO_REDIS_PREFIX"])
    rows = summarise(samples, start, args.warmup)
    kept = [s for s in samples if s[0] >= start + args.warmup]
    span = max(1.0, (max(s[0] for s in kept) - min(s[0] for s in kept)) if kept else 1.0)
    run = {
        "load_before": load_before,
        "load_after": load_after,
        "rps": len(kept) / span,
        "gunicorn": _version("gunicorn"),
        "locust": _version("locust"),
        "errors_seen": sorted({f"`{s[1]}`: HTTP {s[4] or 'no answer'}" for s in kept if s[3]})[:10],
    }
    for group in GROUPS:
        r = rows[group]
        print(f"{group:10} {r['requests']:7,} requests {r['errors']:4} errors "
              f"p50 {r['p50']:6.0f} ms  p95 {r['p95']:6.0f} ms  p99 {r['p99']:6.0f} ms")  # fmt: skip
    write_report(args, plan, rows, run)


if __name__ == "__main__":
    main()
