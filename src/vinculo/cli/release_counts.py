"""``vinculo release counts FILE --by COLS --epsilon E``: differentially private counts.

Prints the DP cross-table of FILE by the ``--by`` columns (every combination of their declared
values, the empty "no attribute" value included): CSV with the ``--by`` columns, ``count``,
``lower`` and ``upper`` (the 95 % error bar), or with ``--format json`` an object with the
mechanism, ε, δ, the noise scale, the sensitivity, the error bar's half-width and the cells.
Mechanisms are OpenDP's (see :mod:`vinculo.release._dp`).

Columns of CTDC's victim-perpetrator data take their values from CTDC's codebook; any other
column needs ``--domain "COLUMN=A,B,C"``, or ``--public-categories`` to take its observed
categories as public (a warning says so on stderr).

With ``--ledger LEDGER.json`` the release spends its ε from that dataset's privacy-budget ledger
(:class:`vinculo.release.BudgetLedger` as JSON; ``--budget E`` creates a new one) and is
recorded with ``--who`` (default: the login name) and the time; a release that would exceed the
budget is refused before anything is computed (exit status 1) and the ledger is left unchanged.

Exit status: 0 when the table was printed; 1 when the ledger refuses the release; 2 when the file or an option cannot be used (unknown
column, ε <= 0 or above 20, empty file, a value outside the declared domain). On an error nothing
is printed to stdout.
"""

from __future__ import annotations

import csv
import difflib
import getpass
import io
import json
import warnings
from pathlib import Path
from typing import Any

import click

from vinculo.errors import VinculoError, format_issues

__all__ = ["counts"]


class _Unusable(click.ClickException):
    exit_code = 2

    def __init__(self, error: VinculoError) -> None:
        text = format_issues(error.issues) if error.issues else f"{error.code}: {error}"
        if error.issues and error.fix:
            text += f"\n{error.fix}"
        super().__init__(text)


class _Refused(_Unusable):
    exit_code = 1


def _load_ledger(path: Path, budget: float | None, dataset: str) -> Any:
    from vinculo.release import BudgetLedger

    if not path.exists():
        if budget is None:
            raise VinculoError(
                f"{path.name}: no such ledger.",
                code="release.no_ledger",
                fix="Check the path, or create a ledger with --budget E (the dataset's total ε).",
            )
        return BudgetLedger(dataset, epsilon=budget)
    if budget is not None:
        raise VinculoError(
            f"{path.name}: the ledger exists already; its budget is set.",
            code="release.ledger_exists",
            fix="Leave out --budget, or name a new ledger file.",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return BudgetLedger.from_dict(data)
    except VinculoError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise VinculoError(
            f"{path.name}: not a readable budget ledger ({exc.__class__.__name__}: {exc}).",
            code="release.bad_ledger",
            fix="Give the JSON file written by an earlier --ledger run.",
        ) from None


def _save_ledger(path: Path, ledger: Any) -> None:
    from vinculo.release._table import write_atomically

    write_atomically(path, lambda fh: json.dump(ledger.to_dict(), fh, ensure_ascii=False, indent=2))


def read_records(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """Read FILE's header, records (``{column: cell}``) and their row numbers."""
    from vinculo.release import read_release_table

    table = read_release_table(path)
    records = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    return list(table.columns), records, list(table.row_numbers)


def _columns(by: str, header: list[str], file: str) -> list[str]:
    wanted = [c.strip() for c in by.split(",") if c.strip()]
    if not wanted:
        raise VinculoError(
            "--by names no column.", code="release.no_columns", fix="Give --by COLUMN[,COLUMN]."
        )
    for column in wanted:
        if column not in header:
            close = difflib.get_close_matches(column, [h for h in header if h], n=3, cutoff=0.6)
            close += [h for h in header if h.casefold() == column.casefold() and h not in close]
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            shown = ", ".join(h for h in header[:20] if h) + (" ..." if len(header) > 20 else "")
            raise VinculoError(
                f'{file}: no column "{column}".{hint}',
                code="release.unknown_column",
                fields={"column": column},
                fix=f"The columns are: {shown}.",
            )
    return wanted


def _domains(specs: tuple[str, ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for spec in specs:
        column, sep, values = spec.partition("=")
        if not sep or not column.strip() or not values.strip():
            raise VinculoError(
                f"--domain {spec!r} is not COLUMN=VALUE,VALUE,...",
                code="release.bad_domain",
                fix='Write e.g. --domain "sex=Female,Male".',
            )
        out[column.strip()] = [v.strip() for v in values.split(",") if v.strip()]
    return out


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        return "unknown"


@click.command("counts")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--by", "by", required=True, help="Comma-separated columns to count by.")
@click.option("--epsilon", type=float, required=True, help="Privacy budget ε of this release (0 < ε <= 20).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option(
    "--seed", type=int, default=None, help="Seed of the rounding tie-breaks (the noise is never seeded)."
)
@click.option(
    "--domain", "domain_specs", multiple=True, metavar="COLUMN=A,B,...", help="Declared values of a column."
)
@click.option(
    "--public-categories",
    is_flag=True,
    help="Take the observed categories of columns without a declared domain as public.",
)
@click.option(
    "--max-values",
    type=click.IntRange(min=1),
    default=None,
    help="Values one record may contribute per column (default: 1, or the codebook's for CTDC columns).",
)
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Spend ε from this dataset's budget ledger (JSON) and record the release.",
)
@click.option("--budget", type=float, default=None, help="Total ε of a new ledger (with --ledger).")
@click.option("--who", default=None, help="Who makes the release, for the ledger (default: the login name).")
def counts(
    file: Path,
    by: str,
    epsilon: float,
    fmt: str,
    seed: int | None,
    domain_specs: tuple[str, ...],
    public_categories: bool,
    max_values: int | None,
    ledger_path: Path | None,
    budget: float | None,
    who: str | None,
) -> None:
    """Print differentially private counts of FILE by the --by columns, with 95 % error bars."""
    from vinculo.release import DomainWarning, dp_counts
    from vinculo.release._dp import _check_budget

    try:
        _check_budget("laplace", epsilon, None, 0.0)
        domains = _domains(domain_specs)
        ledger = None
        if ledger_path is not None:
            ledger = _load_ledger(ledger_path, budget, file.name)
            if not ledger.can_spend(epsilon):
                ledger.spend(f"counts by {by}", epsilon, who=who or "-")  # raises the refusal
        elif budget is not None:
            raise VinculoError(
                "--budget needs --ledger.", code="release.no_ledger", fix="Add --ledger FILE.json."
            )
        header, records, numbers = read_records(file)
        columns = _columns(by, header, file.name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DomainWarning)
            result = dp_counts(
                records,
                columns,
                epsilon=epsilon,
                domains=domains,
                observed_domain_is_public=public_categories,
                max_values=max_values,
                seed=seed,
                name=file.name,
                row_numbers=numbers,
            )
        if ledger is not None and ledger_path is not None:
            user = who or _login()
            ledger = ledger.spend(
                f"counts of {file.name} by {', '.join(columns)}",
                result.epsilon,
                who=user,
                delta=result.delta,
                mechanism=result.mechanism,
            )
            _save_ledger(ledger_path, ledger)
    except VinculoError as error:
        if error.code == "release.budget_exceeded":
            raise _Refused(error) from None
        raise _Unusable(error) from None
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*columns, "count", "lower", "upper"])
    for cell in result.cells:
        writer.writerow([*cell.key, cell.count, cell.lower, cell.upper])
    click.echo(buffer.getvalue(), nl=False)
