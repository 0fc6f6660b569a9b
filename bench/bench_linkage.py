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
  the separate venv ``/tmp/pprl-ref`` (``python3 -m venv /tmp/pprl-ref && /tmp/pprl-ref/bin/pip
  install clkhash anonlink``; ``--pprl-python`` to point elsewhere), and clkhash + anonlink
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
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from vinculo import __version__
from vinculo.linkage import febrl, synthetic
from vinculo.linkage.evaluate import Quality, pairwise

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "linkage.md"
PARTS = ("febrl4", "febrl3", "multiscript", "pprl", "scale", "pprl_scale")
SPLINK_THRESHOLD = 0.9
VINCULO = shutil.which("vinculo", path=str(Path(sys.executable).parent)) or "vinculo"
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
