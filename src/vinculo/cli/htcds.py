"""``vinculo validate``: check a case-data file against HTCDS 2.0 from the command line.

Exit status: 0 when the file is valid (warnings allowed), 1 when it has errors, 2 when it
cannot be used at all (unreadable, bad encoding, encrypted or truncated workbook, missing
sheet, bad mapping file). Register on the main group with ``main.add_command(validate)``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from vinculo.errors import VinculoError, format_issues
from vinculo.htcds import SubmissionSettings, ValidationSettings, load_mapping, read_submission
from vinculo.readers import ReaderSettings

__all__ = ["InputError", "validate"]


class InputError(click.ClickException):
    """An unusable input file: exit status 2, message in the ``file: what, fix`` form."""

    exit_code = 2

    def __init__(self, error: VinculoError) -> None:
        super().__init__(f"{error.code}: {error}")
        self.error = error


@click.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV or JSON mapping file: source column -> HTCDS field, optional value recodes.",
)
@click.option("--sheet", help="Workbook sheet to read (default: the first sheet with HTCDS columns).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per issue; json: the full result.",
)
@click.option(
    "--date-order",
    type=click.Choice(["DMY", "MDY", "ask"]),
    default="ask",
    show_default=True,
    help="How to read numeric dates such as 03/04/2021: day first, month first, or ask (report a "
    "date valid both ways as an error naming both readings).",
)
@click.option("--encoding", help="Force the text encoding of a CSV/JSON file instead of detecting it.")
@click.option(
    "--max-issues",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Issues listed in full; the rest are counted.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=ReaderSettings().max_rows,
    show_default=True,
    help="Most non-empty data rows accepted.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=ReaderSettings().max_bytes,
    show_default=True,
    help="Largest file accepted, in bytes.",
)
def validate(
    file: Path,
    mapping_path: Path | None,
    sheet: str | None,
    output_format: str,
    date_order: str,
    encoding: str | None,
    max_issues: int,
    max_rows: int,
    max_bytes: int,
) -> None:
    """Check FILE (CSV, XLSX, JSON or a KoBo/ODK export) against HTCDS 2.0.

    Prints every problem as ``file:row:column: severity code: message`` and exits 0 when the
    file is valid, 1 when it has errors, 2 when it cannot be read.
    """
    settings = SubmissionSettings(
        reader=ReaderSettings(max_bytes=max_bytes, max_rows=max_rows, encoding=encoding, sheet=sheet),
        validation=ValidationSettings(
            date_order="MDY" if date_order == "MDY" else "DMY" if date_order == "DMY" else None,
            max_issues=max_issues,
        ),
        keep_records=False,
    )
    try:
        mapping = load_mapping(mapping_path) if mapping_path else None
        result = read_submission(file, mapping=mapping, settings=settings)
    except VinculoError as exc:
        if output_format == "json":
            click.echo(json.dumps({"ok": False, "status": 2, **exc.to_dict()}, indent=2, default=str))
            raise SystemExit(2) from None
        if exc.issues:
            click.echo(format_issues(exc.issues), err=True)
        raise InputError(exc) from None
    if output_format == "json":
        payload = result.to_dict()
        payload["settings"] = {
            "date_order": settings.validation.date_order,
            "max_issues": settings.validation.max_issues,
            "reader": dataclasses.asdict(settings.reader),
        }
        click.echo(json.dumps(payload, indent=2, default=str))
    else:
        if result.issues:
            click.echo(format_issues(result.issues))
        where = f", sheet {result.sheet!r}" if result.sheet else ""
        enc = f", encoding {result.encoding}" if result.encoding else ""
        click.echo(
            f"{result.file}{where}{enc}: {result.n_records:,} record(s), "
            f"{result.n_errors:,} error(s), {result.n_warnings:,} warning(s): "
            + ("valid." if result.ok else "NOT valid.")
        )
    raise SystemExit(0 if result.ok else 1)
