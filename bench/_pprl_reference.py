"""clkhash + anonlink reference runs for bench/bench_linkage.py (runs in its own venv, no vinculo).

Reads a JSON job on stdin and writes a JSON answer on stdout:

- ``{"mode": "speed", "file": CSV, "repeats": 3}``: clkhash encoding time of the file's records
  (one worker and the default pool) and anonlink's accelerated Dice kernel on the encodings
  against themselves on one core (comparisons per second, at threshold 0.8);
- ``{"mode": "link", "files": [CSV, ...], "threshold": 0.8}``: encode every file with an untuned
  schema (clkhash's example settings: 1024 bits, character bigrams at 15 bits per token, the
  birth date as positional unigrams at 30 bits) and link them with anonlink's candidate generation
  and greedy multi-party solver; returns ``{"clusters": [[source, record_id, cluster], ...]}``.
"""

from __future__ import annotations

import csv
import json
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

import anonlink  # noqa: E402
from clkhash import clk  # noqa: E402
from clkhash.schema import from_json_dict  # noqa: E402

FIELDS = ("prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_MailingCity", "prs_MailingPostalCode")
SECRET = "bench secret shared by the parties only"


def _feature(identifier: str, bits: int, positional: bool = False, n: int = 2) -> dict[str, object]:
    comparison: dict[str, object] = {"type": "ngram", "n": n}
    if positional:
        comparison["positional"] = True
    return {
        "identifier": identifier,
        "format": {"type": "string", "encoding": "utf-8"},
        "hashing": {
            "comparison": comparison,
            "strategy": {"bitsPerToken": bits},
            "hash": {"type": "doubleHash"},
        },
    }


SCHEMA = from_json_dict(
    {
        "version": 3,
        "clkConfig": {
            "l": 1024,
            "kdf": {
                "type": "HKDF",
                "hash": "SHA256",
                "salt": "SCbL2zHNnmsckfzchsNkZY9XoHk96P/G5nUBrM7ybymlEFsMV6PAeDZCNp3rfNUPCtLDMOGQHG4pCQpfhiHCyA==",
                "info": "c2NoZW1hX2V4YW1wbGU=",
                "keySize": 64,
            },
        },
        "features": [
            _feature("first", 15),
            _feature("family", 15),
            _feature("dob", 30, positional=True, n=1),
            _feature("city", 15),
            _feature("postcode", 15, positional=True, n=1),
        ],
    }
)


def _rows(path: str) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = [r["record_id"] for r in rows]
    data = [[" ".join((r.get(f) or "").lower().split()) for f in FIELDS] for r in rows]
    return ids, data


def _encode(data: list[list[str]], workers: int | None) -> list[object]:
    return clk.generate_clks(data, SCHEMA, SECRET, validate=False, max_workers=workers)


def speed(job: dict[str, object]) -> dict[str, object]:
    _ids, data = _rows(str(job["file"]))
    repeats = int(job.get("repeats", 3))  # type: ignore[call-overload]
    one, pool = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        clks = _encode(data, 1)
        one.append(time.perf_counter() - t)
        t = time.perf_counter()
        _encode(data, None)
        pool.append(time.perf_counter() - t)
    sim = anonlink.similarities.dice_coefficient_accelerated
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        sim((clks, clks), 0.8)
        times.append(time.perf_counter() - t)
    return {
        "records": len(data),
        "encode_one_worker_s": min(one),
        "encode_pool_s": min(pool),
        "dice_s": min(times),
        "comparisons": len(clks) ** 2,
    }


def link(job: dict[str, object]) -> dict[str, object]:
    files = [str(f) for f in job["files"]]  # type: ignore[attr-defined]
    threshold = float(job.get("threshold", 0.8))  # type: ignore[arg-type]
    start = time.perf_counter()
    ids, clks = [], []
    for f in files:
        i, data = _rows(f)
        ids.append(i)
        clks.append(_encode(data, None))
    encoded = time.perf_counter() - start
    candidates = anonlink.candidate_generation.find_candidate_pairs(
        clks, anonlink.similarities.dice_coefficient_accelerated, threshold
    )
    groups = anonlink.solving.greedy_solve(candidates)
    seconds = time.perf_counter() - start
    names = [Path(f).stem for f in files]
    cluster_of: dict[tuple[int, int], int] = {}
    for g, group in enumerate(groups):
        for d, r in group:
            cluster_of[d, r] = g
    out, next_id = [], len(groups)
    for d, name in enumerate(names):
        for r, rid in enumerate(ids[d]):
            c = cluster_of.get((d, r))
            if c is None:
                c, next_id = next_id, next_id + 1
            out.append([name, rid, c])
    return {"clusters": out, "seconds": seconds, "encode_s": encoded}


if __name__ == "__main__":
    job = json.load(sys.stdin)
    answer = speed(job) if job["mode"] == "speed" else link(job)
    json.dump(answer, sys.stdout)
