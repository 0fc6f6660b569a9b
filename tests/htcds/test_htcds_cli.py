"""``vinculo validate`` (src/vinculo/cli/htcds.py), run through click's CliRunner on a local group."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from vinculo.cli.htcds import validate


@pytest.fixture
def cli() -> click.Group:
    @click.group()
    def group() -> None:
        """Test group."""

    group.add_command(validate)
    return group


def run(cli: click.Group, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_a_valid_file_exits_0(cli: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("prs_Gender,cas_Status\nFeminine,Active\n", encoding="utf-8")
    code, out = run(cli, str(path))
    assert code == 0
    assert "1 record(s), 0 error(s)" in out


def test_an_invalid_file_exits_1_with_file_row_column_code_lines(cli: click.Group, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("prs_Gender,cas_Status\nF,Active\n", encoding="utf-8")
    code, out = run(cli, str(path))
    assert code == 1
    assert out.splitlines()[0].startswith("bad.csv:2:prs_Gender: error htcds.invalid_value: ")
    assert "Expected Feminine" in out


def test_unusable_input_exits_2(cli: click.Group, tmp_path: Path) -> None:
    secret = tmp_path / "secret.xlsx"
    secret.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    code, out = run(cli, str(secret))
    assert code == 2 and "readers.encrypted_xlsx" in out
    code, out = run(cli, str(tmp_path / "missing.csv"))
    assert code == 2 and "readers.unreadable_file" in out


def test_a_wrong_sheet_exits_2_and_names_the_sheets(cli: click.Group, basic_template: Path) -> None:
    code, out = run(cli, str(basic_template), "--sheet", "Cases")
    assert code == 2 and "'Sheet1'" in out


def test_json_output_and_a_mapping_file(cli: click.Group, tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("Sex\nF\n", encoding="utf-8")
    mapping = tmp_path / "m.json"
    mapping.write_text(
        json.dumps({"columns": {"Sex": "prs_Gender"}, "values": {"prs_Gender": {"F": "Feminine"}}})
    )
    code, out = run(cli, str(data), "--mapping", str(mapping), "--format", "json")
    payload = json.loads(out)
    assert code == 0 and payload["ok"] is True and payload["n_records"] == 1
    assert payload["columns"][0]["how"] == "mapping"


def test_a_bad_mapping_file_exits_2(cli: click.Group, tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("Sex\nF\n", encoding="utf-8")
    mapping = tmp_path / "m.csv"
    mapping.write_text("source_column,htcds_field\nSex,prs_Sex\n", encoding="utf-8")
    code, out = run(cli, str(data), "--mapping", str(mapping))
    assert code == 2 and "htcds.bad_mapping" in out
