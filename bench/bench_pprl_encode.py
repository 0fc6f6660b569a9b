"""PPRL encoding speed: vinculo's encoder in-process and through ``vinculo encode``, beside clkhash.

Run from the repository root (a few minutes; prints Markdown lines for docs/benchmarks/linkage.md)::

    .venv/bin/python bench/bench_pprl_encode.py [--repeats 5] [--pprl-python /tmp/pprl-ref/bin/python]

Measures, per 1,000 records, wall-clock and CPU seconds (CPU time is the fairer figure on a machine
shared with other jobs; the load average is printed with every line):

- ``encode_persons`` in this process on records already read and normalised (as clkhash's figure
  takes prepared strings), one process (below 20,000 records the encoder does not fork): the
  first call (cold phonetic-code caches) and the best of ``--repeats`` later calls, each with a
  fresh encoder (no keyed cache survives a call);
- ``vinculo encode`` of the same file through the CLI in a fresh process (start-up, reading and
  normalising the file and writing the ``.enc`` included), best of ``--repeats``;
- clkhash 0.18 (one worker: in-process below 10,000 records) on the same file with
  bench/_pprl_reference.py's schema, in its own venv (``python3.12 -m venv /tmp/pprl-ref &&
  /tmp/pprl-ref/bin/pip install clkhash anonlink 'setuptools<81'``), best of ``--repeats``.

Inputs: FEBRL4's two files (5,000 records each; no identity number) and the multi-script
synthetic set (:mod:`vinculo.linkage.synthetic`, seed 3).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_linkage import write_sources

from vinculo.linkage import febrl, synthetic

SECRET = b"bench secret shared by the agencies only"


def _best(func: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the fastest of ``repeats`` calls, each the minimum of its own."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def in_process(path: Path, repeats: int) -> dict[str, float]:
    """vinculo's encoder on the file's records, read beforehand."""
    from vinculo.linkage.pprl.encode import encode_persons
    from vinculo.linkage.sources import read_source

    persons = read_source(path, id_column="record_id").persons
    first = _best(lambda: encode_persons(persons, SECRET), 1)
    best = _best(lambda: encode_persons(persons, SECRET), repeats)
    return {
        "records": len(persons),
        "first": first[0],
        "first_cpu": first[1],
        "wall": best[0],
        "cpu": best[1],
    }


def through_cli(path: Path, work: Path, repeats: int) -> tuple[float, float]:
    """``vinculo encode`` of the file in a fresh process: (wall, CPU) seconds, best of ``repeats``."""
    key = work / "secret.key"
    key.write_bytes(os.urandom(48).hex().encode())
    command = [sys.executable, "-c", "from vinculo.cli import main; main()", "encode", str(path)]
    command += ["--id", "record_id", "--secret-file", str(key), "--out", str(work / "out.enc"), "--quiet"]

    def run() -> None:
        subprocess.run(command, check=True, capture_output=True)

    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), _children_cpu()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(_children_cpu() - cpu)
    return min(walls), min(cpus)


_CLKHASH = """
import json, sys, time, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, sys.argv[1])
import _pprl_reference as r
_ids, data = r._rows(sys.argv[2])
walls, cpus = [], []
for _ in range(int(sys.argv[3])):
    wall, cpu = time.perf_counter(), time.process_time()
    r._encode(data, 1)
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
print(json.dumps({"records": len(data), "wall": min(walls), "cpu": min(cpus)}))
"""


def clkhash(python: str, path: Path, repeats: int) -> dict[str, float] | None:
    if not Path(python).exists():
        return None
    bench = str(Path(__file__).parent)
    proc = subprocess.run(
        [python, "-c", _CLKHASH, bench, str(path), str(repeats)], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        print(f"clkhash failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}", file=sys.stderr)
        return None
    answer: dict[str, float] = json.loads(proc.stdout)
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pprl-python", default="/tmp/pprl-ref/bin/python")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        paths = write_sources(febrl.load("febrl4", identity=False).sources, work / "febrl4")
        data = synthetic.generate(1500, seed=3)
        rows = [dict(r) for rs in data.sources.values() for r in rs]
        columns = sorted({k for r in rows for k in r})
        rows = [{c: r.get(c, "") for c in columns} for r in rows]
        paths += write_sources({"multiscript_seed3": rows}, work / "synthetic")
        print(
            "| file | records | vinculo in-process: first call, wall (CPU) | best, wall (CPU) | "
            "`vinculo encode` (CLI), wall (CPU) | clkhash, one worker, wall (CPU) | load |"
        )
        print("|---|---|---|---|---|---|---|")
        for path in paths:
            v = in_process(path, args.repeats)
            per = 1000 / v["records"]
            cli = through_cli(path, work, args.repeats)
            ref = clkhash(args.pprl_python, path, args.repeats)
            ref_cell = "not run" if ref is None else f"{ref['wall'] * per:.4f} ({ref['cpu'] * per:.4f})"
            print(
                f"| {path.stem} | {v['records']:,} | {v['first'] * per:.4f} ({v['first_cpu'] * per:.4f}) | "
                f"{v['wall'] * per:.4f} ({v['cpu'] * per:.4f}) | {cli[0] * per:.3f} ({cli[1] * per:.3f}) | "
                f"{ref_cell} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )
    print(
        "\nSeconds per 1,000 records; clkhash encodes 5 fields without blocking keys, vinculo 17 fields "
        "(13 filled on FEBRL4) and 10 keyed blocking keys."
    )


if __name__ == "__main__":
    main()
