"""``vinculo release kanon``: write a k-anonymous (and ℓ-diverse) copy of a case file.

``vinculo release kanon FILE --k 11 --quasi COL1,COL2 [--sensitive COL [--l 2]] --out OUT.csv``
reads FILE (CSV, XLSX or JSON), generalises the quasi-identifiers with the least information
loss (see docs/methods/release.md), removes the rows of classes that stay too small (at most
``--max-suppression`` of them), drops protected identifiers, and writes OUT.csv with the input's
other columns in their order and its cell conventions (empty = no attribute, ``;`` joins the
values of a multi-valued cell). OUT is written to a temporary file and renamed, only on success.

Exit status: 0 when OUT was written; 2 when the file or an option cannot be used (unknown or
protected column, k below 2 or above the number of rows, an empty file, a quasi-identifier with
one value per row, no generalisation that reaches k).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from vinculo.cli.linkage import _Unusable
from vinculo.errors import VinculoError

__all__ = ["kanon"]


def _check_out(file: Path, out: Path) -> None:
    try:
        same = out.resolve() == file.resolve()
    except OSError:
        same = False
    if same:
        raise VinculoError(
            f"{out}: the output would overwrite the input file.",
            code="release.output_is_input",
            fix="Write the release to another file.",
        )
    if not out.parent.exists():
        raise VinculoError(
            f"{out}: the folder {out.parent} does not exist.",
            code="release.output_is_input",
            fix="Create the folder first or write the output elsewhere.",
        )


def _hierarchies(specs: tuple[str, ...], spec_file: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if spec_file is not None:
        try:
            doc = json.loads(spec_file.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise VinculoError(
                f"{spec_file.name}: cannot read the hierarchy spec ({exc}).",
                code="release.bad_hierarchy",
                fix='Give a JSON object: {"COLUMN": "KIND"} or {"COLUMN": [{"value": "label"}, ...]}.',
            ) from None
        if not isinstance(doc, dict):
            raise VinculoError(
                f"{spec_file.name}: the hierarchy spec is not a JSON object.",
                code="release.bad_hierarchy",
                fix='Give a JSON object: {"COLUMN": "KIND"} or {"COLUMN": [{"value": "label"}, ...]}.',
            )
        out.update(doc)
    for spec in specs:
        column, sep, kind = spec.rpartition("=")
        if not sep or not column.strip():
            raise VinculoError(
                f"--hierarchy {spec!r} is not COLUMN=KIND.",
                code="release.bad_hierarchy",
                fix="Write for example --hierarchy age=age or --hierarchy nationality=country.",
            )
        out[column.strip()] = kind.strip()
    return out


@click.command("kanon")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--k", "k", type=int, default=11, show_default=True, help="Smallest equivalence class released."
)
@click.option("--quasi", required=True, help="Quasi-identifier columns, comma-separated.")
@click.option("--sensitive", default=None, help="A column every class must vary in (distinct ℓ-diversity).")
@click.option("--l", "ell", type=int, default=None, help="ℓ for --sensitive (default 2).")
@click.option(
    "--max-suppression",
    type=float,
    default=0.02,
    show_default=True,
    help="Largest share of rows that may be removed.",
)
@click.option(
    "--hierarchy",
    "hierarchy",
    multiple=True,
    metavar="COLUMN=KIND",
    help="Force a hierarchy kind: age, age_band, date, year, country, numeric, categorical (repeatable).",
)
@click.option(
    "--hierarchy-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help='JSON hierarchy spec: {"COLUMN": "KIND"} or {"COLUMN": [{"value": "label"}, {"label": "coarser"}]}.',
)
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The CSV to write."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="The report printed on stdout.",
)
def kanon(
    file: Path,
    k: int,
    quasi: str,
    sensitive: str | None,
    ell: int | None,
    max_suppression: float,
    hierarchy: tuple[str, ...],
    hierarchy_file: Path | None,
    out: Path,
    output_format: str,
) -> None:
    """Write a k-anonymous copy of FILE (CSV, XLSX or JSON) to --out and print what was lost."""
    from vinculo.release import KAnonSettings, anonymise, read_release_table, write_release_csv

    try:
        _check_out(file, out)
        settings = KAnonSettings(
            quasi_identifiers=tuple(q.strip() for q in quasi.split(",") if q.strip()),
            k=k,
            sensitive=sensitive.strip() if sensitive else None,
            l_diversity=ell,
            max_suppression=max_suppression,
            hierarchies=_hierarchies(hierarchy, hierarchy_file),
        )
        table = read_release_table(file)
        result = anonymise(table, settings)
        write_release_csv(out, result.table.columns, result.table.rows)
    except VinculoError as exc:
        if output_format == "json":
            click.echo(json.dumps({"ok": False, "status": 2, **exc.to_dict()}, indent=2, default=str))
            raise SystemExit(2) from None
        raise _Unusable(exc) from None
    if output_format == "json":
        click.echo(json.dumps({"ok": True, "out": str(out), **result.report.to_dict()}, indent=2))
    else:
        click.echo(result.report.summary())
        click.echo(f"Released {result.report.rows_released:,} row(s) to {out}.")
