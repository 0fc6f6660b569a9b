"""``vinculo estimate FILE.csv``: multiple systems estimation from the command line.

The lead wires :data:`estimate` into the main ``vinculo`` group. Errors in the input become a
``click.ClickException`` listing every problem as ``file:row:column: code: message``.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from pathlib import Path
from typing import Any

import click

from vinculo.errors import VinculoError, format_issues

__all__ = ["estimate"]


class _UnreadableFile(click.ClickException):
    exit_code = 2


def _fail(exc: VinculoError) -> click.ClickException:
    """Exit 2 when the file cannot be used at all (unreadable, wrong format or encoding, malformed CSV/JSON),
    1 when it was read but its content is not a usable capture-history table."""
    text = format_issues(exc.issues) if exc.issues else f"{exc.code}: {exc}"
    return _UnreadableFile(text) if exc.code.startswith("readers.") else click.ClickException(text)


class _Progress:
    """Adapter from ``progress(done, total)`` to a click progress bar on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total <= 0:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Bootstrap", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _flat(result: Any, method: str) -> dict[str, Any]:
    """The documented JSON keys, then the whole result under ``result``. Works for strata too."""
    iv = result.interval
    data = result.to_dict()
    strata = getattr(result, "strata", None)
    terms: Any = (
        {name: list(r.model_terms) for name, r in strata} if strata is not None else list(result.model_terms)
    )
    return {
        "estimate": data["estimate"],
        "observed": result.n_observed,
        "dark_figure": data["dark_figure"],
        "ci_lower": data["interval"]["lower"],
        "ci_upper": data["interval"]["upper"],
        "ci_level": iv.level,
        "ci_method": iv.method,
        "terms": terms,
        "method": method,
        "warnings": list(result.warnings),
        "result": data,
    }


def _rates(result: Any, country: str, year: int) -> dict[str, Any]:
    """The estimate and its interval per 100,000 population (SDG 16.2.2), UN WPP 2022."""
    from vinculo.population import rate_per_100k

    iv = result.interval
    point = rate_per_100k(result.estimate, country, year)
    bounds = {
        name: rate_per_100k(value, country, year).value
        for name, value in (("lower", iv.lower), ("upper", iv.upper))
        if value is not None and math.isfinite(value)
    }
    return {
        "estimate": point.value,
        "ci_lower": bounds.get("lower"),
        "ci_upper": bounds.get("upper"),
        "country": point.iso3,
        "year": point.year,
        "population": point.population,
        "source": point.source,
    }


@click.command("estimate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--method",
    type=click.Choice(["stepwise", "bic", "aic", "main", "fixed", "bayes"]),
    default="stepwise",
    show_default=True,
    help="Model choice: stepwise p-values (Chan et al. 2021), best BIC/AIC over all hierarchical models "
    "(Silverman et al. 2024), main effects only, a fixed model (--terms), or Bayesian model averaging.",
)
@click.option("--terms", default="", help='Model terms for --method fixed, e.g. "A:B,B:C".')
@click.option("--pthresh", type=float, default=0.02, show_default=True, help="Stepwise p-value threshold.")
@click.option(
    "--maxorder", type=int, default=2, show_default=True, help="Highest interaction order (bic/aic)."
)
@click.option(
    "--ci",
    type=click.Choice(["wald", "profile", "bca", "none"]),
    default="wald",
    show_default=True,
    help="Interval: Wald (log scale), profile likelihood, or BCa bootstrap with model re-selection.",
)
@click.option("--nboot", type=int, default=1000, show_default=True, help="Bootstrap replicates for --ci bca.")
@click.option(
    "--ntop", type=int, default=None, help="BIC/AIC bootstrap: choose among the N best models only."
)
@click.option("--seed", type=int, default=1234, show_default=True, help="Random seed of the bootstrap.")
@click.option("--level", type=float, default=0.95, show_default=True, help="Confidence level.")
@click.option("--strata", "by", default=None, help="Column with strata: estimate each and add them up.")
@click.option(
    "--jobs", type=int, default=None, help="Worker processes for the bootstrap (default: all cores)."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--quiet", is_flag=True, help="No progress bar and no warnings on stderr.")
@click.option(
    "--country", default=None, help="ISO 3166-1 alpha-3 code: also give the estimate per 100,000 population."
)
@click.option(
    "--year", type=int, default=None, help="Year of the population figure (UN WPP 2022), with --country."
)
def estimate(
    file: Path,
    method: str,
    terms: str,
    pthresh: float,
    maxorder: int,
    ci: str,
    nboot: int,
    ntop: int | None,
    seed: int,
    level: float,
    by: str | None,
    jobs: int | None,
    fmt: str,
    quiet: bool,
    country: str | None,
    year: int | None,
) -> None:
    """Estimate the total population, including unseen cases, from a capture-history table.

    FILE is a CSV with one 0/1 column per list and a `count` column, one row per capture
    history (which lists a case is on). Exit status: 0 on success, 1 when the table is not usable
    (bad counts, too few lists...), 2 when the file cannot be read at all.
    """
    if (country is None) != (year is None):
        raise click.UsageError(
            "Give --country and --year together to express the estimate per 100,000 population."
        )
    from vinculo.mse import MSESettings, estimate_strata, read_histories, read_strata
    from vinculo.mse import estimate as run_estimate

    settings = MSESettings(
        method=method,  # type: ignore[arg-type]
        terms=tuple(t.strip() for t in terms.split(",") if t.strip()),
        pthresh=pthresh,
        max_order=maxorder,
        ci=ci,  # type: ignore[arg-type]
        nboot=nboot,
        ntop=ntop,
        seed=seed,
        level=level,
        n_jobs=jobs,
    )
    progress = _Progress(quiet or (fmt == "json" and not sys.stderr.isatty()))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if by:
                strata = read_strata(file, by)
                sres = estimate_strata(strata, settings, progress=progress)
            else:
                h = read_histories(file)
                res = run_estimate(h, settings, progress=progress)
        except VinculoError as exc:
            raise _fail(exc) from None
        finally:
            progress.close()
    result: Any = sres if by else res
    try:
        rates = _rates(result, country, year) if country is not None and year is not None else None
    except VinculoError as exc:
        raise _fail(exc) from None
    if fmt == "json":
        out = _flat(result, method)
        if rates is not None:
            out["rate_per_100k"] = rates
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(result.summary())
    if rates is not None:
        lower, upper = rates["ci_lower"], rates["ci_upper"]
        interval = f" ({lower:.2f} to {upper:.2f})" if lower is not None and upper is not None else ""
        click.echo(
            f"Per 100,000 population, {rates['country']} {rates['year']}: {rates['estimate']:.2f}{interval}; "
            f"population {rates['population']:,.0f} ({rates['source']})."
        )
    if not quiet:
        shown = set(result.warnings)
        for w in caught:
            if str(w.message) not in shown:
                click.echo(f"Warning: {w.message}", err=True)
