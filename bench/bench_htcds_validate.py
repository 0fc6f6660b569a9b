"""Benchmark: read and validate synthetic HTCDS files; writes docs/benchmarks/htcds.md.

Each measurement runs in a fresh interpreter so peak memory (ru_maxrss) belongs to that step
alone. Run from the repository root:

    .venv/bin/python bench/bench_htcds_validate.py [--records 200000] [--xlsx-records 50000]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "htcds.md"

CHILD = r"""
import json, resource, sys, time, datetime as dt
from vinculo.htcds import SubmissionSettings, ValidationSettings, read_submission, validate_records
from vinculo.htcds.synthetic import generate
step, path, n, keep = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
vs = ValidationSettings(today=dt.date(2024, 6, 30))
t = time.perf_counter()
if step == "read":
    sub = read_submission(path, settings=SubmissionSettings(validation=vs, keep_records=keep))
    out = {"records": sub.n_records, "errors": sub.n_errors, "warnings": sub.n_warnings}
elif step == "validate_records":
    records = list(generate(n, seed=2024))
    t = time.perf_counter()
    issues = validate_records(records, settings=vs)
    out = {"records": n, "errors": sum(i.severity == "error" for i in issues)}
else:
    out = {"records": sum(1 for _ in generate(n, seed=2024))}
out["seconds"] = time.perf_counter() - t
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")]
out["peak_rss_mib"] = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def child(step: str, path: str, n: int, keep: bool) -> dict[str, float]:
    res = subprocess.run(
        [sys.executable, "-c", CHILD, step, path, str(n), "1" if keep else "0"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--xlsx-records", type=int, default=50_000)
    args = parser.parse_args()
    from vinculo.htcds import write_csv, write_xlsx
    from vinculo.htcds.synthetic import generate

    rows: list[tuple[str, int, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "synthetic.csv"
        xlsx_path = Path(tmp) / "synthetic.xlsx"
        t = time.perf_counter()
        write_csv(generate(args.records, seed=2024), csv_path)
        csv_write = time.perf_counter() - t
        t = time.perf_counter()
        write_xlsx(generate(args.xlsx_records, seed=2024), xlsx_path)
        xlsx_write = time.perf_counter() - t
        sizes = {"csv": csv_path.stat().st_size, "xlsx": xlsx_path.stat().st_size}
        rows.append(
            ("generate (synthetic.generate)", args.records, child("generate", "", args.records, False))
        )
        rows.append(("validate_records (in-memory dicts)", args.records,
                     child("validate_records", "", args.records, False)))  # fmt: skip
        rows.append(
            ("read_submission CSV, validate only", args.records, child("read", str(csv_path), 0, False))
        )
        rows.append(
            ("read_submission CSV, keep records", args.records, child("read", str(csv_path), 0, True))
        )
        rows.append(("read_submission XLSX, validate only", args.xlsx_records,
                     child("read", str(xlsx_path), 0, False)))  # fmt: skip
    lines = [
        "## HTCDS: reading and validating case data",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/bench_htcds_validate.py` on "
        f"{platform.machine()}, Python {platform.python_version()} (machine shared with other jobs; "
        "each step in a fresh interpreter; peak RSS is VmHWM and includes the interpreter and imports).",
        "",
        f"Input: synthetic records (`vinculo.htcds.synthetic.generate(n, seed=2024)`), CSV "
        f"{sizes['csv'] / 1e6:.1f} MB for {args.records:,} records (written in {csv_write:.1f} s), "
        f"XLSX {sizes['xlsx'] / 1e6:.1f} MB for {args.xlsx_records:,} records (written in {xlsx_write:.1f} s).",
        "",
        "| step | records | seconds | records/s | peak RSS (MiB) | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, n, r in rows:
        lines.append(
            f"| {label} | {n:,} | {r['seconds']:.1f} | {n / r['seconds']:,.0f} | "
            f"{r['peak_rss_mib']:.0f} | {int(r.get('errors', 0))} |"
        )
    lines += [
        "",
        "Target (issue): 200,000 records validated in well under 60 s with less than 1 GB of memory.",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
