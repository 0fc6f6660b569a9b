"""Record linkage: vinculo against splink, clkhash and anonlink, in one run; writes docs/benchmarks/linkage.md.

Run from the repository root (parts with ``--only``, e.g. ``--only febrl4,multiscript``)::

    .venv/bin/python bench/bench_linkage.py
    .venv/bin/python bench/bench_linkage.py --only febrl4,febrl3,multiscript,pprl,scale,pprl_scale

Parts:

- ``febrl4``, ``febrl3``, ``multiscript``: the same generic splink 5 + DuckDB set-up an analyst
  writes from splink's tutorial (Jaro-Winkler on names, exact/Levenshtein on the birth date, exact
  city and postcode, Jaro-Winkler on the street, three blocking rules, lambda from a
  deterministic rule, u by random sampling, m by EM on two blocking passes, clusters at 0.9)
  beside ``vinculo link`` / ``vinculo dedupe`` through the CLI contract of issue 10, and
  ``vinculo encode`` + ``vinculo match`` (PPRL) on the same files. ``multiscript`` is the
  synthetic set of :mod:`vinculo.linkage.synthetic` (``--persons``, default 5000, seed 1).
- ``pprl``: clkhash encoding speed and anonlink's Dice kernel (comparisons/s, one core), run in
  the separate venv ``/tmp/pprl-ref`` (``python3.12 -m venv /tmp/pprl-ref && /tmp/pprl-ref/bin/pip
  install clkhash anonlink 'setuptools<81'``: anonlink imports ``pkg_resources``; ``--pprl-python``
  to point elsewhere), and clkhash + anonlink
  linking FEBRL4 and the multi-script set with an untuned schema at Dice 0.8.
- ``scale``: ``vinculo dedupe`` of a 1,000,000-record synthetic file (time, peak memory).
- ``pprl_scale``: ``vinculo encode`` of 100,000 + 100,000 records and ``vinculo match``.

A vinculo command that is missing (not yet merged) or fails is reported as "not available".
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vinculo import __version__
from vinculo.linkage import febrl, synthetic
from vinculo.linkage.evaluate import Quality, by_source_pair, pairwise

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "linkage.md"
PARTS = ("febrl4", "febrl3", "multiscript", "pprl", "scale", "pprl_scale")
SPLINK_THRESHOLD = 0.9
VINCULO = shutil.which("vinculo", path=str(Path(sys.executable).parent)) or "vinculo"  # --vinculo overrides
Key = tuple[str, str]


# --- a generic splink set-up ------------------------------------------------------------------
_DATE_FORMS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$"), (3, 2, 1)),
)


def _iso_date(text: str) -> str | None:
    """What an analyst's clean-up does: ISO, DD.MM.YYYY and DD/MM/YYYY to ISO, else null."""
    for pattern, (y, m, d) in _DATE_FORMS:
        match = pattern.match(text.strip())
        if match:
            try:
                return dt.date(int(match[y]), int(match[m]), int(match[d])).isoformat()
            except ValueError:
                return None
    return None


def _clean(value: str) -> str | None:
    value = " ".join(value.lower().split())
    return value or None


def splink_generic(
    sources: Mapping[str, Sequence[Mapping[str, str]]], *, link_only: bool = False
) -> tuple[dict[Key, int], float]:
    """Link (and dedupe) ``sources`` with a tutorial-style splink 5 DuckDB model; clusters, seconds."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    db_api = DuckDBAPI()
    columns = {
        "first_name": "prs_FirstName",
        "surname": "prs_SecondName",
        "dob": "prs_Birthdate",
        "city": "prs_MailingCity",
        "postcode": "prs_MailingPostalCode",
        "street": "prs_MailingStreet",
        "sex": "prs_Gender",
        "citizenship": "prs_Citizenship",
        "phone": "prs_MobilePhone",
        "email": "prs_Email",
        "id_number": "prs_IdentityNumber",
    }
    present = {c for c, f in columns.items() if any(r.get(f) for rows in sources.values() for r in rows)}
    frames = []
    for name, rows in sources.items():
        data: dict[str, list[str | None]] = {"unique_id": [f"{name}|{r['record_id']}" for r in rows]}
        for column in sorted(present):
            values = [r.get(columns[column], "") for r in rows]
            if column == "dob":
                data[column] = [_iso_date(v) for v in values]
            elif column == "phone":
                data[column] = [re.sub(r"\D", "", v) or None for v in values]
            else:
                data[column] = [_clean(v) for v in values]
        frames.append(db_api.register(pd.DataFrame(data), dataset_display_name=name))
    link_type = "dedupe_only" if len(frames) == 1 else "link_only" if link_only else "link_and_dedupe"
    comparisons = {
        "first_name": cl.JaroWinklerAtThresholds("first_name", [0.92, 0.8]),
        "surname": cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]),
        "dob": cl.LevenshteinAtThresholds("dob", [1, 2]),
        "city": cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        "postcode": cl.ExactMatch("postcode"),
        "street": cl.JaroWinklerAtThresholds("street", [0.9]),
        "sex": cl.ExactMatch("sex"),
        "citizenship": cl.ExactMatch("citizenship"),
        "phone": cl.ExactMatch("phone"),
        "email": cl.ExactMatch("email"),
        "id_number": cl.ExactMatch("id_number"),
    }
    settings = SettingsCreator(
        link_type=link_type,
        comparisons=[comparisons[c] for c in columns if c in present],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("dob"),
            block_on("postcode"),
            block_on("surname", "city"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=SPLINK_THRESHOLD)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=SPLINK_THRESHOLD
    )
    table = clustered.as_pandas_dataframe()
    seconds = time.perf_counter() - start
    ids: dict[str, int] = {}
    clusters: dict[Key, int] = {}
    for uid, cid in zip(table["unique_id"], table["cluster_id"], strict=True):
        source, record_id = str(uid).split("|", 1)
        clusters[source, record_id] = ids.setdefault(str(cid), len(ids))
    return clusters, seconds


# --- running commands -------------------------------------------------------------------------
_LAUNCHER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
    "s = time.perf_counter() - t\n"
    "sys.stderr.write(r.stderr[-2000:])\n"
    "print(f'{r.returncode} {s} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')\n"
)


class Run:
    """One command's outcome: seconds, peak resident memory (MB), or why it is not available."""

    def __init__(self, ok: bool, seconds: float = 0.0, peak_mb: float = 0.0, why: str = "") -> None:
        self.ok, self.seconds, self.peak_mb, self.why = ok, seconds, peak_mb, why


def run(args: Sequence[str]) -> Run:
    """Run a command in a fresh launcher process, so its peak memory is its own."""
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *args], capture_output=True, text=True, check=False
    )
    try:
        code, seconds, rss = proc.stdout.split()
    except ValueError:
        return Run(False, why=f"launcher failed: {proc.stderr.strip()[-300:]}")
    if code != "0":
        last = proc.stderr.strip().splitlines()[-1:] or ["(no message)"]
        return Run(False, why=f"exit {code}: {last[0][:200]}")
    return Run(True, float(seconds), int(rss) / 1024)


def vinculo_available(command: str) -> str:
    """ "" when ``vinculo COMMAND`` exists, else the reason it does not."""
    proc = subprocess.run([VINCULO, command, "--help"], capture_output=True, text=True, check=False)
    return "" if proc.returncode == 0 else f"no `vinculo {command}` command yet"


def read_clusters(path: Path) -> dict[Key, int]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["source"], r["record_id"]): int(r["cluster_id"]) for r in csv.DictReader(fh)}


def write_sources(sources: Mapping[str, Sequence[Mapping[str, str]]], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in sources.items():
        path = folder / f"{name}.csv"
        columns = list(rows[0]) if rows else ["record_id"]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        paths.append(path)
    return paths


class Row:
    """One line of a results table."""

    def __init__(
        self,
        data: str,
        method: str,
        records: int,
        quality: Quality | None,
        r: Run,
        note: str = "",
        clusters: Mapping[Key, int] | None = None,
    ) -> None:
        self.data, self.method, self.records, self.quality, self.run = data, method, records, quality, r
        self.note, self.clusters = note, clusters

    def markdown(self) -> str:
        if not self.run.ok:
            return f"| {self.data} | {self.method} | {self.records:,} | not available ({self.run.why}) | | | | | |"
        q = self.quality
        figures = (
            f"{q.precision:.4f} | {q.recall:.4f} | {q.f1:.4f} | {q.n_clusters:,} / {q.n_true:,} ({q.persons_error:+.1%})"
            if q
            else " | | |"
        )
        peak = f"{self.run.peak_mb:,.0f}" if self.run.peak_mb else "–"
        note = f" {self.note}" if self.note else ""
        return f"| {self.data} | {self.method}{note} | {self.records:,} | {figures} | {self.run.seconds:.1f} | {peak} |"


TABLE_HEAD = [
    "| data | method | records | precision | recall | F1 | persons found / true | time (s) | peak MB |",
    "|---|---|---|---|---|---|---|---|---|",
]


def vinculo_trusted(paths: Sequence[Path], work: Path) -> tuple[Run, dict[Key, int] | None]:
    command = "dedupe" if len(paths) == 1 else "link"
    why = vinculo_available(command)
    if why:
        return Run(False, why=why), None
    out = work / f"vinculo-{command}-clusters.csv"
    r = run([VINCULO, command, *map(str, paths), "--id", "record_id", "--out", str(out), "--quiet"])
    return r, read_clusters(out) if r.ok else None


def vinculo_pprl(paths: Sequence[Path], work: Path) -> tuple[Run, Run, dict[Key, int] | None]:
    why = vinculo_available("encode") or vinculo_available("match")
    if why:
        return Run(False, why=why), Run(False, why=why), None
    key = work / "secret.key"
    key.write_bytes(os.urandom(48).hex().encode())
    encoded: list[str] = []
    total = Run(True)
    for path in paths:
        enc = work / f"{path.stem}.enc"
        r = run(
            [
                VINCULO,
                "encode",
                str(path),
                "--id",
                "record_id",
                "--secret-file",
                str(key),
                "--out",
                str(enc),
                "--quiet",
            ]
        )
        if not r.ok:
            return r, Run(False, why="encoding failed"), None
        total.seconds += r.seconds
        total.peak_mb = max(total.peak_mb, r.peak_mb)
        encoded.append(str(enc))
    out = work / "vinculo-match-clusters.csv"
    m = run([VINCULO, "match", *encoded, "--out", str(out), "--quiet"])
    return total, m, read_clusters(out) if m.ok else None


def reference_python(path: str) -> str:
    """ "" when the clkhash/anonlink venv works, else the reason."""
    if not Path(path).exists():
        return f"{path} not found (python3.12 -m venv /tmp/pprl-ref && /tmp/pprl-ref/bin/pip install clkhash anonlink 'setuptools<81')"
    proc = subprocess.run(
        [path, "-W", "ignore", "-c", "import clkhash, anonlink"], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        return "clkhash/anonlink do not import: " + (proc.stderr.strip().splitlines() or ["?"])[-1][:200]
    return ""


def reference(python: str, job: Mapping[str, object]) -> dict[str, Any]:
    script = Path(__file__).with_name("_pprl_reference.py")
    proc = subprocess.run(
        [python, "-W", "ignore", str(script)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["?"])[-1])
    answer: dict[str, Any] = json.loads(proc.stdout)
    return answer


# --- the parts --------------------------------------------------------------------------------
def compare(
    label: str,
    sources: Mapping[str, Sequence[Mapping[str, str]]],
    truth: Mapping[Key, str],
    work: Path,
    python: str,
    *,
    link_only: bool = False,
) -> list[Row]:
    n = sum(len(r) for r in sources.values())
    rows = []
    print(f"{label}: splink (generic set-up) ...", flush=True)
    clusters, seconds = splink_generic(sources, link_only=link_only)
    rows.append(
        Row(
            label,
            "splink 5 DuckDB, generic",
            n,
            pairwise(clusters, truth),
            Run(True, seconds),
            clusters=clusters,
        )
    )
    print(rows[-1].markdown(), flush=True)
    paths = write_sources(sources, work)
    r, found = vinculo_trusted(paths, work)
    q = pairwise(found, truth) if found is not None else None
    rows.append(Row(label, f"`vinculo {'dedupe' if len(paths) == 1 else 'link'}`", n, q, r, clusters=found))
    print(rows[-1].markdown(), flush=True)
    if len(paths) < 2:
        print("(one file: PPRL links two or more agencies' files; no PPRL rows)", flush=True)
        return rows
    why = reference_python(python)
    if why:
        rows.append(Row(label, "clkhash + anonlink", n, None, Run(False, why=why)))
    else:
        cleaned = {
            name: [{**r, "prs_Birthdate": _iso_date(r.get("prs_Birthdate", "")) or ""} for r in rs]
            for name, rs in sources.items()
        }  # the same date clean-up as the splink set-up
        ref_paths = write_sources(cleaned, work / "reference")
        answer = reference(python, {"mode": "link", "files": [str(p) for p in ref_paths], "threshold": 0.8})
        anon = {(src, rid): c for src, rid, c in answer["clusters"]}
        method = "clkhash + anonlink, untuned, Dice 0.8"
        rows.append(Row(label, method, n, pairwise(anon, truth), Run(True, answer["seconds"]), clusters=anon))
    print(rows[-1].markdown(), flush=True)
    enc, match, found = vinculo_pprl(paths, work)
    if enc.ok and match.ok and found is not None:
        both = Run(True, enc.seconds + match.seconds, max(enc.peak_mb, match.peak_mb))
        note = f"(encode {enc.seconds:.1f} s)"
        rows.append(
            Row(label, "`vinculo encode` + `match`", n, pairwise(found, truth), both, note, clusters=found)
        )
    else:
        rows.append(Row(label, "`vinculo encode` + `match`", n, None, enc if not enc.ok else match))
    print(rows[-1].markdown(), flush=True)
    return rows


def source_pair_table(rows: Sequence[Row], truth: Mapping[Key, str]) -> list[str]:
    """F1 per pair of lists (and within each list) for every method that ran."""
    ran = [r for r in rows if r.clusters is not None]
    figures = [by_source_pair(r.clusters, truth) for r in ran if r.clusters is not None]
    if not figures:
        return []
    keys = sorted(set().union(*figures))
    lines = [
        "",
        "Per pair of lists (F1; a list with itself: the duplicates within it):",
        "",
        "| lists | " + " | ".join(r.method for r in ran) + " |",
        "|---|" + "---|" * len(ran),
    ]
    for key in keys:
        name = key[0] if key[0] == key[1] else f"{key[0]} x {key[1]}"
        cells = [f"{f[key].f1:.3f}" if key in f else "" for f in figures]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def _speed_job(job: Mapping[str, object], env: Mapping[str, str]) -> dict[str, Any]:
    """One measurement of bench/_pprl_kernel_speed.py in a fresh process of this venv."""
    script = Path(__file__).with_name("_pprl_kernel_speed.py")
    proc = subprocess.run(
        [sys.executable, str(script)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )
    if proc.returncode:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["?"])[-1])
    answer: dict[str, Any] = json.loads(proc.stdout)
    return answer


def vinculo_kernel_speed(
    work: Path, febrl_file: Path, size: int = 10_000, pairs: int = 100_000_000
) -> list[str]:
    """vinculo's Dice kernel (compiled and numpy, 1 and 2 workers) and encoder, each in a fresh process."""
    import numpy as np

    from vinculo.linkage.pprl.encode import encode_persons
    from vinculo.linkage.sources import read_source

    folder = work / "kernel"
    data = synthetic.generate(size * 13 // 10, seed=7)  # about 1.6 records per person: 2 x size records
    rows = _one_file(data.sources, 2 * size)
    (csv_path,) = write_sources({"kernel": rows}, folder)
    people = read_source(csv_path, id_column="record_id").persons
    clks, _ = encode_persons(people, os.urandom(32))
    clk_file = folder / "clks.npy"
    np.save(clk_file, clks)
    half = len(clks) // 2
    cache = folder / "numba-cache"
    job = {"mode": "kernel", "clks": str(clk_file), "pairs": pairs, "repeats": 3}
    runs = {}
    # First a fresh cache directory (compiles), then the same one (loads the compiled code).
    for label, env in (
        ("numba, 2 workers, empty cache", {"NUMBA_CACHE_DIR": str(cache), "VINCULO_PPRL_KERNEL": ""}),
        (
            "numba, 2 workers",
            {"NUMBA_CACHE_DIR": str(cache), "VINCULO_PPRL_KERNEL": "", "VINCULO_PPRL_WORKERS": "2"},
        ),
        (
            "numba, 1 worker",
            {"NUMBA_CACHE_DIR": str(cache), "VINCULO_PPRL_KERNEL": "", "VINCULO_PPRL_WORKERS": "1"},
        ),
        ("numpy, 2 workers", {"VINCULO_PPRL_KERNEL": "numpy", "VINCULO_PPRL_WORKERS": "2"}),
        ("numpy, 1 worker", {"VINCULO_PPRL_KERNEL": "numpy", "VINCULO_PPRL_WORKERS": "1"}),
    ):
        try:
            runs[label] = _speed_job(job, env)
        except RuntimeError as exc:
            runs[label] = {"error": str(exc)}
    lines = [
        "",
        f"vinculo's Dice kernel on real encodings ({half:,} x {half:,} records of the multi-script set, "
        f"seed 7, {clks.shape[1] * 64} bits), each configuration in a fresh process, best of 3; "
        f"load average {os.getloadavg()[0]:.1f} when it ran:",
        "",
        f"| kernel | backend | dense {half:,} x {half:,}: comparisons/s (per CPU second) | {pairs:,} blocked pairs: pairs/s (per CPU second) | import (s) | first call (s) |",
        "|---|---|---|---|---|---|",
    ]
    for label, r in runs.items():
        if "error" in r:
            lines.append(f"| {label} | failed: {r['error'][:120]} | | | | |")
            continue
        lines.append(
            f"| {label} | {r['backend']} | {r['dense_comparisons'] / r['dense_s']:.3g} "
            f"({r['dense_comparisons'] / max(r['dense_cpu_s'], 1e-9):.3g}) | "
            f"{r['pairs'] / r['pairs_s']:.3g} ({r['pairs'] / max(r['pairs_cpu_s'], 1e-9):.3g}) | "
            f"{r['import_s']:.2f} | {r['first_call_s']:.2f} |"
        )
    lines.append(
        "\n*Import*: the kernel module and numba. *First call*: compiling the kernel into an empty numba "
        "cache, or loading it from the cache (every later process). *Per CPU second*: comparisons per "
        "second of CPU time used (threads and worker processes included): on a machine shared with other "
        "jobs, the wall-clock rate with 2 workers can fall far below twice this. "
        "Target: >= 4e8 comparisons/s on 2 cores."
    )
    try:
        r = _speed_job({"mode": "encode", "file": str(febrl_file), "repeats": 3}, {})
        cell = f"{1000 * r['encode_s'] / r['records']:.4f} s ({1000 * r['encode_cpu_s'] / r['records']:.4f} CPU s)"
    except RuntimeError as exc:
        cell = f"failed ({str(exc)[:80]})"
    lines.append(
        "\nvinculo's encoder in-process (`encode_persons`, records already read and normalised, as clkhash's "
        f"figure above takes prepared strings; one process below 20,000 records), per 1,000 FEBRL4 records: {cell}."
    )
    return lines


def part_pprl_speed(python: str, work: Path) -> list[str]:
    lines = ["", "### PPRL kernels", ""]
    why = reference_python(python)
    data = febrl.load("febrl4", identity=False)
    paths = write_sources(data.sources, work / "speed")
    if why:
        lines.append(f"clkhash + anonlink: not available ({why}).")
    else:
        a = reference(python, {"mode": "speed", "file": str(paths[0]), "repeats": 3})
        per_k = 1000 / a["records"]
        lines += [
            "| measure | clkhash / anonlink | target for vinculo |",
            "|---|---|---|",
            f"| encode 1,000 records, one worker (s) | {a['encode_one_worker_s'] * per_k:.3f} | 2x faster |",
            f"| encode 1,000 records, default worker pool (s) | {a['encode_pool_s'] * per_k:.3f} | |",
            f"| Dice comparisons/s, one core (anonlink accelerated kernel, 5,000 x 5,000) | {a['comparisons'] / a['dice_s']:.3g} | >= 4e8 on 2 cores |",
            "",
            f"clkhash {_ref_version(python, 'clkhash')} and anonlink {_ref_version(python, 'anonlink')} on Python "
            f"{_ref_version(python, 'sys')} (in their own venv; anonlink imports `pkg_resources`, so that venv also "
            "needs `setuptools<81`).",
        ]
    lines += vinculo_kernel_speed(work, paths[0])
    why_v = vinculo_available("encode")
    if why_v:
        lines.append(f"\n`vinculo encode`: {why_v}.")
    else:
        key = work / "speed" / "secret.key"
        key.write_bytes(os.urandom(48).hex().encode())
        r = run(
            [
                VINCULO,
                "encode",
                str(paths[0]),
                "--id",
                "record_id",
                "--secret-file",
                str(key),
                "--out",
                str(work / "speed" / "a.enc"),
                "--quiet",
            ]
        )
        lines.append(
            "\n`vinculo encode` of the same 5,000 records through the CLI (process start, reading and "
            "normalising the file included): "
            + (
                f"{r.seconds:.2f} s ({r.seconds / 5:.3f} s per 1,000)."
                if r.ok
                else f"not available ({r.why})."
            )
        )
    return lines


def _ref_version(python: str, module: str) -> str:
    code = (
        "import sys; print(sys.version.split()[0])"
        if module == "sys"
        else f"import {module}; print({module}.__version__)"
    )
    proc = subprocess.run([python, "-W", "ignore", "-c", code], capture_output=True, text=True, check=False)
    return proc.stdout.strip() or "?"


def _one_file(sources: Mapping[str, Sequence[Mapping[str, str]]], limit: int) -> list[dict[str, str]]:
    rows = [dict(r) for rs in sources.values() for r in rs]
    return rows[:limit]


def part_scale(work: Path) -> list[str]:
    lines = ["", "### 1,000,000-record deduplication (synthetic, one file)", ""]
    why = vinculo_available("dedupe")
    if why:
        return [*lines, f"`vinculo dedupe` of 1,000,000 records: not available ({why})."]
    print("scale: generating ~1,000,000 synthetic records ...", flush=True)
    s = synthetic.generate(620_000, seed=11)
    rows = _one_file(s.sources, 1_000_000)
    truth = {
        ("synthetic_1m", r["record_id"]): s.truth[a, r["record_id"]]
        for a, rs in s.sources.items()
        for r in rs
    }
    keep = {r["record_id"] for r in rows}
    truth = {k: v for k, v in truth.items() if k[1] in keep}
    paths = write_sources({"synthetic_1m": rows}, work / "scale")
    del s
    r, found = vinculo_trusted(paths, work / "scale")
    q = pairwise(found, truth) if found is not None else None
    lines += TABLE_HEAD
    lines.append(Row("synthetic 1M", "`vinculo dedupe`", len(rows), q, r).markdown())
    lines.append("")
    lines.append(
        f"Targets: < 120 s on 2 cores, < 4,096 MB. Met: {'yes' if r.ok and r.seconds < 120 and r.peak_mb < 4096 else 'NO'}."
    )
    return lines


def part_pprl_scale(work: Path) -> list[str]:
    lines = ["", "### PPRL at scale: 100,000 x 100,000 encodings", ""]
    why = vinculo_available("encode") or vinculo_available("match")
    if why:
        return [*lines, f"`vinculo encode` + `vinculo match` of 2 x 100,000 records: not available ({why})."]
    print("pprl_scale: generating two lists of 100,000 synthetic records ...", flush=True)
    s = synthetic.generate(165_000, seed=12, agencies=("list_a", "list_b"))
    sources = {a: rows[:100_000] for a, rows in s.sources.items()}
    keep = {(a, r["record_id"]) for a, rows in sources.items() for r in rows}
    truth = {k: v for k, v in s.truth.items() if k in keep}
    paths = write_sources(sources, work / "pprl_scale")
    enc, match, found = vinculo_pprl(paths, work / "pprl_scale")
    q = pairwise(found, truth) if found is not None else None
    if not (enc.ok and match.ok):
        lines.append(
            f"`vinculo encode` + `vinculo match`: not available ({(enc if not enc.ok else match).why})."
        )
        return lines
    lines += TABLE_HEAD
    lines.append(
        Row(
            "synthetic 2 x 100k",
            "`vinculo match`",
            sum(map(len, sources.values())),
            q,
            match,
            f"(encode both: {enc.seconds:.1f} s)",
        ).markdown()
    )
    lines.append("")
    lines.append(f"Target: match < 60 s. Met: {'yes' if match.seconds < 60 else 'NO'}.")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    global VINCULO
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated parts of: {', '.join(PARTS)}"
    )
    parser.add_argument(
        "--persons", type=int, default=5000, help="persons in the multi-script set (default 5000)"
    )
    parser.add_argument(
        "--pprl-python", default="/tmp/pprl-ref/bin/python", help="python of the clkhash/anonlink venv"
    )
    parser.add_argument("--out", default=str(OUT), help="markdown file to write")
    parser.add_argument("--vinculo", default=VINCULO, help="the vinculo executable (default: this venv's)")
    args = parser.parse_args(argv)
    VINCULO = args.vinculo
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    load_start = os.getloadavg()[0]
    lines = [
        "## Record linkage (`vinculo.linkage`)",
        "",
        f"vinculo {__version__}, Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores "
        f"shared with other jobs (load average {load_start:.1f} at the start, {{load_end}} at the end), "
        f"{dt.date.today().isoformat()}. Produced by `bench/bench_linkage.py --only {','.join(parts)}`. "
        "Every method gets the same input files; quality is pairwise (pairs of records placed in one cluster) "
        "against the truth (`vinculo.linkage.evaluate`). splink's set-up is the generic one an analyst writes "
        f"from its tutorial (see the script), clustered at match probability {SPLINK_THRESHOLD}; vinculo runs "
        "through its CLI with no tuning flag. Times include reading the files; vinculo's include starting "
        "the process.",
    ]
    quality_rows: list[Row] = []
    per_pair: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-linkage-") as tmp:
        work = Path(tmp)
        if "febrl4" in parts:
            d = febrl.load("febrl4", identity=False)
            quality_rows += compare(
                "FEBRL4 (no id number)", d.sources, d.truth, work / "febrl4", args.pprl_python, link_only=True
            )
        if "febrl3" in parts:
            d = febrl.load("febrl3", identity=False)
            quality_rows += compare(
                "FEBRL3 (no id number)", d.sources, d.truth, work / "febrl3", args.pprl_python
            )
            d = febrl.load("febrl3", identity=True)
            quality_rows += compare(
                "FEBRL3 (all fields)", d.sources, d.truth, work / "febrl3-all", args.pprl_python
            )
        if "multiscript" in parts:
            s = synthetic.generate(args.persons, seed=1)
            multi = compare(
                f"multi-script ({args.persons:,} persons, seed 1)",
                s.sources,
                s.truth,
                work / "multiscript",
                args.pprl_python,
            )
            quality_rows += multi
            per_pair = source_pair_table(multi, s.truth)
        if quality_rows:
            lines += [
                "",
                "### Quality and time, side by side",
                "",
                *TABLE_HEAD,
                *(r.markdown() for r in quality_rows),
            ]
            lines += [
                "",
                "Targets (issue 10): FEBRL4 P/R at least splink's published 0.9998 / 0.996; FEBRL3 >= 0.9998 / 0.985; "
                "PPRL on FEBRL4 P >= 0.999, R >= 0.99; multi-script F1 >= 0.90 trusted and >= 0.85 from encodings, "
                "persons within 5 % of the truth. FEBRL3 is one file: privacy-preserving linkage (anonlink, "
                "`vinculo match`) links the files of two or more agencies, so FEBRL3 has no PPRL rows. A vinculo "
                'row reads "not available" when that command is not in the checkout the bench ran in.',
                *per_pair,
            ]
        if "pprl" in parts:
            lines += part_pprl_speed(args.pprl_python, work)
        if "scale" in parts:
            lines += part_scale(work)
        if "pprl_scale" in parts:
            lines += part_pprl_scale(work)
    lines.append("")
    lines[2] = lines[2].replace("{load_end}", f"{os.getloadavg()[0]:.1f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
