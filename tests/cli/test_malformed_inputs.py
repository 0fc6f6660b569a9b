"""Every malformed file ends ``vinculo validate`` and ``vinculo estimate`` with a clear message and exit
status 1 (content not usable) or 2 (file not readable), never a traceback (issue 9 finding 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from vinculo.cli import main

from .malformed_files import case_files, history_files, mapping_files

CASES = case_files()
HISTORIES = history_files()
MAPPINGS = mapping_files()


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def assert_clear_failure(result: Result, name: str) -> None:
    assert result.exit_code in (1, 2), (name, result.exit_code, result.output)
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert lines, "a message is printed"
    assert name.split("/")[-1] in result.output or "<input>" in result.output or "error" in result.output


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_ends_every_malformed_case_file_with_a_message_and_exit_status(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(CASES[name])
    for extra in ([], ["--format", "json"]):
        result = invoke("validate", str(path), *extra)
        assert result.exit_code in (0, 1, 2), result.output
        if result.exit_code:
            assert result.output.strip()


@pytest.mark.parametrize(
    "name", ["unclosed_quote.csv", "unclosed_quote_header.csv", "deep.json", "huge_number.json", "binary.csv"]
)
def test_validate_reports_unusable_files_with_exit_status_2(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(CASES[name])
    result = invoke("validate", str(path))
    assert result.exit_code == 2, result.output
    assert name in result.output


def test_a_csv_with_an_unclosed_quote_is_an_error_naming_the_row_where_it_opened(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        'record_id,prs_Gender,hte_Country\nR1,Feminine,PL\nR2,"Masculine,IT\nR3,Feminine,PL\n',
        encoding="utf-8",
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "readers.unclosed_quote" in result.output
    assert "row 3" in result.output
    assert "valid." not in result.output


@pytest.mark.parametrize("name", sorted(MAPPINGS))
def test_validate_ends_every_malformed_mapping_file_with_a_message(name: str, tmp_path: Path) -> None:
    data = tmp_path / "cases.csv"
    data.write_text("Gender\nFeminine\n", encoding="utf-8")
    mapping = tmp_path / name
    mapping.write_bytes(MAPPINGS[name])
    result = invoke("validate", str(data), "--mapping", str(mapping))
    assert result.exit_code in (0, 1, 2)
    if result.exit_code:
        assert result.output.strip()


@pytest.mark.parametrize("name", sorted(set(HISTORIES) - {"valid.csv", "repeated_history.csv"}))
def test_estimate_ends_every_malformed_table_with_a_message_and_exit_status(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(HISTORIES[name])
    result = invoke("estimate", str(path), "--method", "main", "--quiet")
    if result.exit_code == 0:  # a malformation the reader recovers from (BOM, CR-only, latin-1 ...)
        assert "Multiple systems estimation" in result.output
        return
    assert_clear_failure(result, name)
    for extra in (["--strata", "C"], ["--format", "json"]):
        again = invoke("estimate", str(path), "--method", "main", "--quiet", *extra)
        assert again.exit_code in (0, 1, 2)


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("binary.csv", 2, "readers.bad_encoding"),
        ("deep.json", 2, "readers.too_deep"),
        ("unclosed_quote.csv", 2, "readers.unclosed_quote"),
        ("truncated.xlsx", 2, "readers.truncated_xlsx"),
        ("huge_count.csv", 1, "mse.bad_count"),
        ("int64_count.csv", 1, "mse.bad_count"),
        ("nan_count.csv", 1, "mse.bad_count"),
        ("negative_count.csv", 1, "mse.bad_count"),
        ("sixteen_lists.csv", 1, "mse.too_many_lists"),
        ("empty.csv", 1, "mse.empty_table"),
    ],
)
def test_estimate_exit_status_says_whether_the_file_or_its_content_is_wrong(
    name: str, status: int, code: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(HISTORIES[name])
    result = invoke("estimate", str(path), "--method", "main", "--quiet")
    assert result.exit_code == status, result.output
    assert code in result.output


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n", "\n\r"])
def test_estimate_reads_any_line_ending(newline: str, tmp_path: Path) -> None:
    path = tmp_path / "histories.csv"
    path.write_bytes(newline.join(["A,B,count", "1,0,30", "0,1,20", "1,1,10"]).encode() + newline.encode())
    result = invoke("estimate", str(path), "--method", "main", "--quiet", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"observed": 60' in result.output
