"""``vinculo glotip``: import, profile and flows of the UNODC GLOTIP export (core only, no database).

Register it in ``vinculo.cli`` with ``main.add_command(glotip)``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from vinculo.errors import VinculoError, format_issues

__all__ = ["glotip"]

_FILE = click.Path(exists=False, dir_okay=False, path_type=Path)


def _fail(exc: VinculoError) -> click.ClickException:
    text = str(exc)
    if exc.issues:
        text += "\n" + format_issues(exc.issues[:50])
        if len(exc.issues) > 50:
            text += f"\n... and {len(exc.issues) - 50} more"
    return click.ClickException(text)


@click.group("glotip")
def glotip() -> None:
    """UNODC Global Report on Trafficking in Persons data: import, country profiles, flows.

    Without --file, commands use the export shipped with vinculo (UNODC Data Portal, 14/04/2025).
    """


@glotip.command("import")
@click.argument("file", type=_FILE)
@click.option("--sheet", default=None, help="Worksheet to read (xlsx); default: search every sheet.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--store",
    is_flag=True,
    help="Also save the file as a new release in the platform database (needs the web extra).",
)
@click.option(
    "--settings",
    default=None,
    help="With --store: Django settings module (default: vinculo.web.settings.dev, or $DJANGO_SETTINGS_MODULE).",
)
@click.option(
    "--actor", default=None, help="With --store: username recorded as the importer in the audit trail."
)
def import_cmd(
    file: Path, sheet: str | None, fmt: str, store: bool, settings: str | None, actor: str | None
) -> None:
    """Parse and validate FILE (data_glotip.xlsx, .csv or .csv.gz) and report what it holds.

    Without --store nothing is stored: this checks the file and lists counts and unmapped
    citizenships. With --store the file also becomes the current release of the platform's
    Global Report pages (one transaction; a file already imported changes nothing).
    """
    from vinculo.evidence import read_glotip

    if store:
        _store(file, sheet, fmt, settings, actor)
        return
    try:
        result = read_glotip(file, sheet=sheet)
    except VinculoError as exc:
        raise _fail(exc) from None
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.summary())


def _store(file: Path, sheet: str | None, fmt: str, settings: str | None, actor: str | None) -> None:
    """Save FILE through the platform's import action (Django is set up only here)."""
    from vinculo.cli.web import _setup

    _setup(settings)
    from django.core.management import call_command

    from vinculo.web.accounts.models import User
    from vinculo.web.evidence.actions import import_release

    call_command("migrate", interactive=False, verbosity=0)
    user = None
    if actor:
        user = User.objects.filter(username=actor).first()
        if user is None:
            raise click.ClickException(f"--actor {actor!r}: there is no such user. Use an existing username.")
    try:
        outcome = import_release(file, user, sheet=sheet)
    except VinculoError as exc:
        raise _fail(exc) from None
    release = outcome.release
    if fmt == "json":
        payload = outcome.result.to_dict() | {"release": release.version, "created": outcome.created}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(outcome.result.summary())
    if outcome.created:
        click.echo(
            f"\nStored as release {release.version} ({release.n_records:,} figures); it is now current."
        )
    else:
        click.echo(f"\nAlready stored as release {release.version} (same checksum); nothing changed.")


@glotip.command("profile")
@click.argument("iso3")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "md", "html"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option("--file", "file", type=_FILE, default=None, help="Export to read instead of the packaged one.")
@click.option("--no-rates", is_flag=True, help="Leave out rates per 100,000 population.")
def profile_cmd(iso3: str, fmt: str, file: Path | None, no_rates: bool) -> None:
    """Country profile of ISO3 (e.g. NLD) with trends, breakdowns, origins and rates."""
    from vinculo.evidence import build_country_profile, load_glotip, render_profile

    try:
        ds = load_glotip(file)
        pop = None
        if not no_rates:
            from vinculo.population import load_population

            pop = load_population()
        profile = build_country_profile(ds, iso3, population=pop)
    except VinculoError as exc:
        raise _fail(exc) from None
    click.echo(render_profile(profile, fmt), nl=False)  # type: ignore[arg-type]


@glotip.command("flows")
@click.option("--region", default=None, help="Keep flows into or out of this UNODC region (e.g. Europe).")
@click.option("--year", type=int, default=None, help="Keep one year.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option("--file", "file", type=_FILE, default=None, help="Export to read instead of the packaged one.")
def flows_cmd(region: str | None, year: int | None, fmt: str, file: Path | None) -> None:
    """Origin-destination rows (citizenship -> country of detection) of detected victims."""
    from vinculo.evidence import flow_matrix_rows, load_glotip, write_flow_csv

    try:
        ds = load_glotip(file)
        if region is not None:
            regions = sorted({a.region for a in ds.countries.values()})
            if region not in regions:
                raise VinculoError(
                    f"Unknown region {region!r}.",
                    code="evidence.unknown_area",
                    fix=f"Use one of: {', '.join(regions)}.",
                )
        if year is not None and year not in ds.years:
            raise VinculoError(
                f"The export has no data for {year}.",
                code="evidence.unknown_year",
                fix=f"Use a year from {ds.years[0]} to {ds.years[-1]}.",
            )
        rows = flow_matrix_rows(ds, region=region, years=None if year is None else [year])
    except VinculoError as exc:
        raise _fail(exc) from None
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        write_flow_csv(rows, sys.stdout)
