"""Glue between uploaded text and ``vinculo.mse``: parse, check and describe settings."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

from vinculo.errors import VinculoError, VinculoWarning
from vinculo.mse import CaptureHistories, MSESettings, histories_from_lists, read_histories, read_strata

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
    """Check the upload; return its lists and number of observed cases (summed over strata).

    Warnings (merged duplicate rows, rows on no list) are not refusals: the estimation job reads the
    table again and records them with its result.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VinculoWarning)
        if by:
            strata = strata_from_text(text, name, by)
            if not strata:
                raise VinculoError(
                    f"{name}: the table has no data rows.",
                    code="mse.empty_table",
                    fix="Add one row per capture history (0/1 list columns and a count).",
                )
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


ID_COLUMNS = ("id", "case_id", "record_id", "identifier", "pseudonym")


def list_identifiers(text: str, name: str) -> tuple[str, list[str]]:
    """The list name (the file name without extension) and the case identifiers of one list file.

    The file is a CSV with a header; the identifiers are in the column named id, case_id, record_id,
    identifier or pseudonym, or in the only column.
    """
    list_name = Path(name).stem.strip() or name
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise VinculoError(
            f"{name}: the CSV is malformed ({exc}).",
            code="estimates.malformed_list_file",
            fix="Save the list as a CSV with one case identifier per row; check its quotes.",
        ) from None
    if not rows:
        raise VinculoError(
            f"{name}: the file is empty.",
            code="estimates.empty_list_file",
            fix="Upload a CSV with a header and one case identifier per row.",
        )
    header = [h.strip().casefold() for h in rows[0]]
    column = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    if column is None:
        if len(header) != 1:
            raise VinculoError(
                f"{name}: no identifier column; found columns {', '.join(rows[0])}.",
                code="estimates.no_id_column",
                fix=f"Name the column of case identifiers one of: {', '.join(ID_COLUMNS)}.",
            )
        column = 0
    return list_name, [row[column] for row in rows[1:] if len(row) > column]


def histories_from_list_files(files: list[tuple[str, str]]) -> tuple[str, str]:
    """Match the identifiers of the list files and return (capture-history CSV, source name).

    Only the counts of the capture histories are kept; the identifiers are discarded here.
    """
    ids_by_list: dict[str, list[str]] = {}
    for text, name in files:
        list_name, ids = list_identifiers(text, name)
        if list_name in ids_by_list:
            raise VinculoError(
                f"Two files give the list {list_name!r}.",
                code="estimates.duplicate_list",
                fix="Give each list file its own name: the file name is the list name.",
            )
        ids_by_list[list_name] = ids
    source = "lists: " + ", ".join(name for _t, name in files)
    histories = histories_from_lists(ids_by_list, source=source[:200])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*histories.lists, "count"])
    for bits, count in histories.rows():
        writer.writerow([*bits, count])
    return out.getvalue(), source[:200]
