"""Glue between uploaded text and ``vinculo.mse``: parse, check and describe settings."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

from vinculo.errors import VinculoError
from vinculo.mse import CaptureHistories, MSESettings, read_histories, read_strata

MAX_BYTES = 1_000_000


def safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[:100].strip("._")
    return cleaned or "histories.csv"


def decode_upload(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise VinculoError(
            f"{name}: the file is {len(data):,} bytes; capture-history tables are at most {MAX_BYTES:,} bytes.",
            code="estimates.file_too_large",
            fix="Upload the table of capture histories with counts, not case records.",
        )
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            if "\x00" not in text:
                return text
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def histories_from_text(text: str, name: str) -> CaptureHistories:
    """Parse a capture-history CSV; errors name the uploaded file, row and column."""
    with tempfile.TemporaryDirectory(prefix="vinculo-mse-") as folder:
        path = Path(folder) / safe_name(name)
        path.write_text(text, encoding="utf-8")
        return read_histories(path)


def strata_from_text(text: str, name: str, by: str) -> dict[str, CaptureHistories]:
    """Parse a capture-history CSV with a stratum column into one table per stratum."""
    with tempfile.TemporaryDirectory(prefix="vinculo-mse-") as folder:
        path = Path(folder) / safe_name(name)
        path.write_text(text, encoding="utf-8")
        return read_strata(path, by)


def parse_tables(text: str, name: str, by: str = "") -> tuple[tuple[str, ...], int]:
    """Check the upload; return its lists and number of observed cases (summed over strata)."""
    if by:
        strata = strata_from_text(text, name, by)
        first = next(iter(strata.values()))
        return first.lists, sum(h.n_observed for h in strata.values())
    histories = histories_from_text(text, name)
    return histories.lists, histories.n_observed


def settings_from_dict(data: dict[str, Any]) -> MSESettings:
    values = dict(data)
    values["terms"] = tuple(values.get("terms", ()))
    # Web jobs run inside one worker process; the bootstrap uses both cores itself.
    return MSESettings(**values)


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rates_for(result: dict[str, Any] | None, iso3: str | None, year: int | None) -> dict[str, Any] | None:
    """The stored estimate and its interval per 100,000 population (SDG 16.2.2), from UN WPP 2022.

    None when the estimate has no country and year; ``{"error": ...}`` when WPP has no figure for them.
    """
    if not result or not iso3 or not year:
        return None
    from vinculo.population import rate_per_100k

    interval = result.get("interval") or {}
    try:
        point = rate_per_100k(float(result["estimate"]), iso3, year)
        bounds = {
            name: rate_per_100k(float(interval[name]), iso3, year).value
            for name in ("lower", "upper")
            if isinstance(interval.get(name), int | float)
        }
    except VinculoError as exc:
        return {"error": str(exc)}
    return {
        "estimate": point.value,
        "ci_lower": bounds.get("lower"),
        "ci_upper": bounds.get("upper"),
        "population": point.population,
        "year": point.year,
        "source": point.source,
    }
