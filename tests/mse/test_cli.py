from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from vinculo.cli.estimate import estimate


@pytest.fixture()
def cli() -> click.Group:
    @click.group()
    def group() -> None:
        pass

    group.add_command(estimate)
    return group


def test_json_output_has_the_promised_keys(cli: click.Group, mse_data: Path) -> None:
    result = CliRunner().invoke(cli, ["estimate", str(mse_data / "NewOrl.csv"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "estimate",
        "observed",
        "dark_figure",
        "ci_lower",
        "ci_upper",
        "ci_level",
        "ci_method",
        "terms",
        "method",
        "warnings",
    ):
        assert key in data
    assert data["terms"] == ["D:E"]
    assert data["observed"] == 185


def test_text_output_is_the_summary(cli: click.Group, mse_data: Path) -> None:
    result = CliRunner().invoke(cli, ["estimate", str(mse_data / "Korea.csv"), "--method", "bic", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "b:c, c:d" in result.stdout
    assert "Best models" in result.stdout


def test_bad_input_is_a_clear_error_without_a_traceback(cli: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("A,B,count\n1,0,x\n2,1,3\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["estimate", str(path)])
    assert result.exit_code == 1
    assert "bad.csv:2:count: error mse.bad_count" in result.output
    assert "bad.csv:3:A: error mse.bad_membership" in result.output
    assert "Traceback" not in result.output


def test_bootstrap_runs_from_the_command_line(cli: click.Group, mse_data: Path) -> None:
    args = [
        "estimate",
        str(mse_data / "Western.csv"),
        "--ci",
        "bca",
        "--nboot",
        "50",
        "--jobs",
        "1",
        "--format",
        "json",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ci_method"] == "bca"
    assert data["ci_lower"] < data["estimate"] < data["ci_upper"]


def test_strata_column_is_estimated_per_stratum(cli: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    rows = ["sex,A,B,C,count"]
    for sex, counts in (("f", [60, 45, 12, 38, 10, 9, 3]), ("m", [80, 35, 14, 48, 12, 7, 4])):
        for cell, n in enumerate(counts, start=1):
            bits = [(cell >> i) & 1 for i in range(3)]
            rows.append(f"{sex},{bits[0]},{bits[1]},{bits[2]},{n}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["estimate", str(path), "--strata", "sex", "--method", "main", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["terms"]) == {"f", "m"}


def test_bayes_method_is_dispatched_to_fit_bayes(cli: click.Group, mse_data: Path) -> None:
    result = CliRunner().invoke(
        cli, ["estimate", str(mse_data / "Korea.csv"), "--method", "bayes", "--format", "json"]
    )
    if "not available" in result.output:
        pytest.skip("vinculo.mse.bayes is not there yet")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "bayes"
    assert data["observed"] == 123


def test_rates_per_100000_use_the_un_wpp_population_of_the_country_and_year(
    cli: click.Group, mse_data: Path
) -> None:
    from vinculo.population import load_population

    args = [
        "estimate",
        str(mse_data / "UKdat_5.csv"),
        "--format",
        "json",
        "--country",
        "GBR",
        "--year",
        "2013",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    population = load_population().get("GBR", 2013)
    assert population is not None
    rates = out["rate_per_100k"]
    assert rates["population"] == population
    assert rates["estimate"] == pytest.approx(out["estimate"] * 100_000 / population)
    assert rates["ci_lower"] == pytest.approx(out["ci_lower"] * 100_000 / population)
    assert rates["ci_upper"] == pytest.approx(out["ci_upper"] * 100_000 / population)


def test_rates_need_a_known_country_and_both_options(cli: click.Group, mse_data: Path) -> None:
    path = str(mse_data / "Korea.csv")
    unknown = CliRunner().invoke(cli, ["estimate", path, "--country", "XYZ", "--year", "2010", "--quiet"])
    assert unknown.exit_code != 0 and "Unknown country code 'XYZ'" in unknown.output
    assert "Traceback" not in unknown.output
    half = CliRunner().invoke(cli, ["estimate", path, "--country", "KOR", "--quiet"])
    assert half.exit_code == 2 and "--country and --year together" in half.output
