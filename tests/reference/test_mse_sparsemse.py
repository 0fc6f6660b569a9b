"""vinculo.mse against published and R-package numbers.

Sources (rows of ``shared/data/mse/reference.csv`` and ``existence.csv``):
Chan, Silverman & Vincent (2021) JASA 116:1297, sec. 4.1 and Tables 2-3; R SparseMSE 2.0.1
``estimatepopulation.0()``/``estimatepopulation()``; Silverman, Chan & Vincent (2024) Stat. Comput.
34:44, Table 3. The ``dataset`` column is the file stem (NewOrl = the 185-case version).

BCa limits are Monte-Carlo quantities: R's reference is one draw with R's random numbers.
The 2021 stepwise intervals have a strong bias correction (z0 about -0.5 to -1.2), so their
lower limits sit at the 0.002-0.0001 quantile of 1000 replicates, whose seed-to-seed spread is
larger than 3 %. Those rows are checked (slow) against the spread of our limits over 8 seeds;
the BIC row (Korea) is checked at +-3 % in the default run.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from vinculo.mse import MSESettings, check_existence, estimate, read_histories


def shared_mse() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "mse"
        if candidate.is_dir():
            return candidate
    return None


ROOT = shared_mse()
pytestmark = pytest.mark.skipif(
    ROOT is None, reason="shared/data/mse is not available next to the repository"
)


def rows(name: str) -> list[dict[str, str]]:
    if ROOT is None:
        return []
    with (ROOT / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def settings_for(row: dict[str, str], ci: str | None = None, seed: int | None = None) -> MSESettings:
    opts: dict[str, Any] = {}
    for part in row["settings"].split(";"):
        if "=" in part:
            key, value = (p.strip() for p in part.split("=", 1))
            opts[key] = value
    ci_method = ci or ("bca" if row["ci_method"] == "bca" else "wald")
    return MSESettings(
        method=row["method"],  # type: ignore[arg-type]
        pthresh=float(opts.get("pthresh", 0.02)),
        ci=ci_method,  # type: ignore[arg-type]
        nboot=int(opts.get("nboot", 1000)),
        ntop=int(opts["ntop"]) if "ntop" in opts else None,
        seed=seed if seed is not None else int(opts.get("seed", 1234)),
        level=float(row["ci_level"]),
    )


REFERENCE = rows("reference.csv")
WALD = [r for r in REFERENCE if r["ci_method"] == "wald_log"]
BCA = [r for r in REFERENCE if r["ci_method"] == "bca"]


def label(row: dict[str, str]) -> str:
    return f"{row['dataset']}-{row['method']}-{row['ci_method']}"


@pytest.mark.parametrize("row", REFERENCE, ids=label)
def test_point_estimate_and_selected_terms_match_the_reference(row: dict[str, str]) -> None:
    assert ROOT is not None
    h = read_histories(ROOT / f"{row['dataset']}.csv")
    r = estimate(h, settings_for(row, ci="wald"))
    expected_terms = {t for t in row["terms"].split(";") if t}
    assert set(r.model_terms) == expected_terms
    assert r.estimate == pytest.approx(float(row["estimate"]), rel=5e-4)
    assert r.diagnostics.existence_status == 0


@pytest.mark.parametrize("row", WALD, ids=label)
def test_wald_interval_matches_the_reference(row: dict[str, str]) -> None:
    assert ROOT is not None
    r = estimate(read_histories(ROOT / f"{row['dataset']}.csv"), settings_for(row))
    assert r.interval.lower == pytest.approx(float(row["ci_lower"]), rel=1e-3)
    assert r.interval.upper == pytest.approx(float(row["ci_upper"]), rel=1e-3)


@pytest.mark.parametrize("row", [r for r in BCA if r["method"] == "bic"], ids=label)
def test_bic_bootstrap_bca_interval_matches_the_reference(row: dict[str, str]) -> None:
    assert ROOT is not None
    r = estimate(read_histories(ROOT / f"{row['dataset']}.csv"), settings_for(row))
    assert r.interval.lower == pytest.approx(float(row["ci_lower"]), rel=0.03)
    assert r.interval.upper == pytest.approx(float(row["ci_upper"]), rel=0.03)


@pytest.mark.slow
@pytest.mark.parametrize("row", BCA, ids=label)
def test_bca_reference_lies_within_the_monte_carlo_spread_of_our_intervals(row: dict[str, str]) -> None:
    assert ROOT is not None
    h = read_histories(ROOT / f"{row['dataset']}.csv")
    base = settings_for(row).seed
    lows, highs = [], []
    for k in range(8):
        r = estimate(h, settings_for(row, seed=base + k))
        lows.append(r.interval.lower)
        highs.append(r.interval.upper)
    assert min(lows) * 0.97 <= float(row["ci_lower"]) <= max(lows) * 1.03
    assert min(highs) * 0.97 <= float(row["ci_upper"]) <= max(highs) * 1.03


def parse_model(text: str, lists: tuple[str, ...]) -> list[str]:
    """``[12][13][3]`` (1-based list numbers) to terms ``["A:B", "A:C"]``."""
    terms = []
    for group in re.findall(r"\[(\d+)\]", text):
        if len(group) >= 2:
            terms.append(":".join(lists[int(ch) - 1] for ch in group))
    return terms


@pytest.mark.parametrize("row", rows("existence.csv"), ids=lambda r: f"{r['dataset']}{r['model']}")
def test_existence_status_matches_chan_silverman_vincent_table_3(row: dict[str, str]) -> None:
    assert ROOT is not None
    h = read_histories(ROOT / f"{row['dataset']}.csv")
    check = check_existence(h, parse_model(row["model"], h.lists))
    assert check.status == int(row["status"])
