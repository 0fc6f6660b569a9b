"""``vinculo report``: write the SG report or an appraisal report as HTML or PDF. Django is set up lazily."""

from __future__ import annotations

from pathlib import Path

import click

from .web import _setup, settings_option

LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")

lang_option = click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the report's text (the data are the same in every language).",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "html"]),
    default="pdf",
    show_default=True,
    help="PDF (needs WeasyPrint) or a self-contained HTML page.",
)
output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="File to write (default: vinculo-<report>-report-<year>-<lang>.<format> in this folder).",
)


@click.group("report")
def report() -> None:
    """Reports generated from the platform's public data (resolution 74/176, §26 and §3–§5)."""


def _write(kind: str, year: int, language: str, fmt: str, output: Path | None, settings: str | None) -> None:
    _setup(settings)
    from vinculo.errors import VinculoError
    from vinculo.web.reports.render import render_html, render_pdf
    from vinculo.web.reports.services import build_report

    try:
        built = build_report(kind, year, language)
        if built is None:
            raise click.ClickException(
                f"--cycle {year}: there is no appraisal cycle {year}. See the cycles on the Reports page."
            )
        data = render_pdf(built) if fmt == "pdf" else render_html(built).encode("utf-8")
    except VinculoError as exc:
        raise click.ClickException(str(exc)) from exc
    path = output or Path(f"vinculo-{kind}-report-{year}-{language}.{fmt}")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"--output {path}: cannot write the file ({exc.strerror}).") from exc
    numbers = len(built.values())
    click.echo(
        f"{path}: {fmt.upper()}, {len(data):,} bytes, {len(built.sections)} sections, {numbers} numbers."
    )


@report.command("sg")
@click.option("--year", type=int, required=True, help="Year the report covers, e.g. 2024.")
@lang_option
@format_option
@output_option
@settings_option
def sg(year: int, language: str, fmt: str, output: Path | None, settings: str | None) -> None:
    """The report on the implementation of resolution 74/176 (§26) for --year."""
    _write("sg", year, language, fmt, output, settings)


@report.command("appraisal")
@click.option("--cycle", "year", type=int, required=True, help="Year of the appraisal cycle, e.g. 2025.")
@lang_option
@format_option
@output_option
@settings_option
def appraisal(year: int, language: str, fmt: str, output: Path | None, settings: str | None) -> None:
    """The appraisal report of the Global Plan of Action for one cycle (§3–§5)."""
    _write("appraisal", year, language, fmt, output, settings)
