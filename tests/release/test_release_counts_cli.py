"""``vinculo release counts``: the table on stdout, or a clear message and nothing on stdout."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vinculo.cli import main
from vinculo.release import VP_COLUMNS, generate_vp


@pytest.fixture(scope="module")
def vp_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("release") / "vp.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, VP_COLUMNS)
        writer.writeheader()
        writer.writerows(generate_vp(3000, seed=4))
    return path


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["release", "counts", *args])


def test_csv_table(vp_file: Path) -> None:
    result = run(str(vp_file), "--by", "gender,majorityStatus", "--epsilon", "1", "--seed", "3")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["gender", "majorityStatus", "count", "lower", "upper"]
    assert len(rows) == 9  # ("", Female, Male) x ("", Adult, Minor)
    assert all(int(r["lower"]) <= int(r["count"]) <= int(r["upper"]) for r in rows)
    assert 2500 < sum(int(r["count"]) for r in rows) < 3500


def test_json_has_the_mechanism_epsilon_and_scale(vp_file: Path) -> None:
    result = run(str(vp_file), "--by", "IP_Gender", "--epsilon", "0.5", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "Laplace" in data["mechanism"] and data["epsilon"] == 0.5
    assert data["sensitivity"] == 2 and data["scale"] == pytest.approx(4.0)
    assert [c["IP_Gender"] for c in data["cells"]] == ["", "Female", "Male"]


def test_declared_and_public_domains(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("sex,age\nF,10\nM,30\n,\n", encoding="utf-8")
    refused = run(str(path), "--by", "sex", "--epsilon", "1")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "no declared domain" in refused.stderr and "--domain" in refused.stderr
    declared = run(str(path), "--by", "sex", "--epsilon", "1", "--domain", "sex=F,M,X")
    assert declared.exit_code == 0 and len(declared.stdout.splitlines()) == 5
    public = run(str(path), "--by", "sex", "--epsilon", "1", "--public-categories")
    assert public.exit_code == 0 and "warning:" in public.stderr and len(public.stdout.splitlines()) == 4


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--by", "gendr", "--epsilon", "1"], "Did you mean 'gender'"),
        (["--by", "gender", "--epsilon", "0"], "greater than 0"),
        (["--by", "gender", "--epsilon", "-2"], "greater than 0"),
        (["--by", "gender", "--epsilon", "50"], "too large to call private"),
        (["--by", "gender", "--epsilon", "nan"], "greater than 0"),
        (["--by", "gender", "--epsilon", "1", "--domain", "gender"], "COLUMN=VALUE"),
        (["--by", ",", "--epsilon", "1"], "names no column"),
    ],
)
def test_bad_options(vp_file: Path, args: list[str], expected: str) -> None:
    result = run(str(vp_file), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert expected in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "the file is empty"),
        ("gender,age\n", "no data rows"),
        ("gender\nFemale\n\nFemal\n", "in.csv:4:gender"),
    ],
)
def test_bad_files(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(content, encoding="utf-8")
    result = run(str(path), "--by", "gender", "--epsilon", "1")
    assert result.exit_code == 2 and result.stdout == ""
    assert expected in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.csv"), "--by", "gender", "--epsilon", "1")
    assert result.exit_code == 2 and result.stdout == "" and "nope.csv" in result.stderr


def test_ledger_spends_records_and_refuses(vp_file: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.json"
    base = [str(vp_file), "--by", "gender", "--ledger", str(ledger), "--who", "ana"]
    missing = run(*base, "--epsilon", "0.5")
    assert missing.exit_code == 2 and "--budget" in missing.stderr and not ledger.exists()
    first = run(*base, "--epsilon", "0.6", "--budget", "1")
    assert first.exit_code == 0, first.output
    data = json.loads(ledger.read_text(encoding="utf-8"))
    assert data["epsilon"] == 1.0 and data["spent"]["epsilon"] == 0.6
    (entry,) = data["entries"]
    assert entry["who"] == "ana" and entry["epsilon"] == 0.6 and "gender" in entry["what"] and entry["when"]
    refused = run(*base, "--epsilon", "0.5")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "Refused" in refused.stderr and "0.4" in refused.stderr
    assert json.loads(ledger.read_text(encoding="utf-8")) == data  # unchanged
    again = run(*base, "--epsilon", "0.4", "--format", "json")
    assert again.exit_code == 0 and json.loads(again.stdout)["epsilon"] == 0.4
    assert json.loads(ledger.read_text(encoding="utf-8"))["spent"]["epsilon"] == 1.0
    exists = run(*base, "--epsilon", "0.1", "--budget", "5")
    assert exists.exit_code == 2 and "exists already" in exists.stderr


def test_broken_ledger_file(vp_file: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.json"
    ledger.write_text("{not json", encoding="utf-8")
    result = run(str(vp_file), "--by", "gender", "--epsilon", "0.1", "--ledger", str(ledger))
    assert result.exit_code == 2 and result.stdout == "" and "not a readable budget ledger" in result.stderr
