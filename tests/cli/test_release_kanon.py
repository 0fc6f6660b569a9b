"""``vinculo release kanon``: the file it writes, the report it prints, and the inputs it refuses."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from pycanon import anonymity
from tests.release.synthetic import ctdc_like

from vinculo.cli import main
from vinculo.release import protected_columns, read_release_table


def _write(path: Path, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    table = ctdc_like(2500, 9)
    return _write(tmp_path / "cases.csv", table.columns, list(table.rows))


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["release", "kanon", *args])
    return result.exit_code, result.output


def test_writes_a_k_anonymous_file_with_the_same_columns_and_conventions(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    quasi = "gender,age,citizenship,typeOfExploitation"
    code, text = _run(
        str(cases), "--k", "11", "--quasi", quasi, "--sensitive", "IP_Relation", "--out", str(out)
    )
    assert code == 0, text
    assert "information loss" in text and 'column "prs_FirstName" dropped' in text
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert anonymity.k_anonymity(df, quasi.split(",")) >= 11
    assert anonymity.l_diversity(df, quasi.split(","), ["IP_Relation"]) >= 2
    source = read_release_table(cases)
    assert list(df.columns) == [c for c in source.columns if c != "prs_FirstName"]
    released = read_release_table(out)
    sets = released.column("IP_Relation")
    assert any(";" in c for c in sets) and any(c == "" for c in sets)
    assert set(sets) <= set(source.column("IP_Relation"))


def test_json_report(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    code, text = _run(
        str(cases), "--quasi", "gender,ageBroad", "--out", str(out), "--format", "json", "--k", "5"
    )
    assert code == 0
    report = json.loads(text)
    assert report["ok"] is True and report["k"] == 5
    assert report["rows_released"] + report["rows_suppressed"] == 2500
    assert {q["column"] for q in report["quasi_identifiers"]} == {"gender", "ageBroad"}


def test_no_released_file_contains_a_protected_identifier(tmp_path: Path) -> None:
    base = ctdc_like(800, 3)
    columns = (*base.columns, "prs_Email", "Mobile phone", "passport_number", "home address", "prs_Birthdate")
    rows = [
        (
            *row,
            f"p{i}@example.org",
            f"+380 44 {i:07d}",
            f"FX{i:06d}",
            f"{i} Main Street",
            f"{1970 + i % 30}-0{1 + i % 9}-1{i % 10}",
        )
        for i, row in enumerate(base.rows)
    ]
    src = _write(tmp_path / "in.csv", columns, rows)
    protected = protected_columns(columns)
    assert set(protected) >= {
        "prs_FirstName",
        "prs_Email",
        "Mobile phone",
        "passport_number",
        "home address",
        "prs_Birthdate",
    }
    for quasi in ("gender,age", "gender,prs_Birthdate"):
        out = tmp_path / "out.csv"
        code, text = _run(str(src), "--k", "5", "--quasi", quasi, "--out", str(out))
        assert code == 0, text
        released = read_release_table(out)
        secret = {row[columns.index(c)] for row in rows for c in protected}
        assert not secret & {cell for row in released.rows for cell in row}
        assert not set(released.columns) & (set(protected) - set(quasi.split(",")))
        if "prs_Birthdate" in released.columns:  # a date of birth is released as a year at most
            assert all(
                len(c) == 4 or c in ("*", "") or ("-" in c and len(c) == 9)
                for c in released.column("prs_Birthdate")
            )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--quasi", "gendr,age"], 'no column "gendr". Did you mean "gender"?'),
        (["--quasi", "record_id,gender"], "cannot be generalised"),
        (["--quasi", "gender", "--k", "99999"], "larger than the file's 2,500 row(s)"),
        (["--quasi", "gender", "--k", "1"], "k must be at least 2"),
        (["--quasi", "prs_FirstName"], "protected identifier"),
        (["--quasi", "gender", "--hierarchy", "gender=colour"], "not a hierarchy kind"),
    ],
)
def test_bad_options_give_a_clear_message_and_write_nothing(
    cases: Path, tmp_path: Path, args: list[str], expected: str
) -> None:
    out = tmp_path / "out.csv"
    code, text = _run(str(cases), *args, "--out", str(out))
    assert code == 2
    assert expected in text and "Traceback" not in text
    assert not out.exists() and list(tmp_path.iterdir()) == [cases]


@pytest.mark.parametrize("content", ["", "gender,age\n"])
def test_an_empty_file_gives_a_clear_message_and_writes_nothing(tmp_path: Path, content: str) -> None:
    src = tmp_path / "empty.csv"
    src.write_text(content)
    out = tmp_path / "out.csv"
    code, text = _run(str(src), "--quasi", "gender", "--out", str(out))
    assert code == 2 and "release.empty" in text
    assert not out.exists()


def test_the_output_may_not_overwrite_the_input(cases: Path) -> None:
    code, text = _run(str(cases), "--quasi", "gender", "--out", str(cases))
    assert code == 2 and "overwrite the input" in text


def test_json_errors_have_the_one_error_shape(cases: Path, tmp_path: Path) -> None:
    code, text = _run(str(cases), "--quasi", "nope", "--out", str(tmp_path / "o.csv"), "--format", "json")
    assert code == 2
    error = json.loads(text)
    assert error["ok"] is False and error["code"] == "release.unknown_column" and error["errors"]


def test_a_hierarchy_spec_file_sets_custom_levels(cases: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "gender": [
                    {"Woman": "WX", "Trans/Transgender/NonConforming": "WX"},
                    {"WX": "P", "Man": "P"},
                ],
                "citizenship": "categorical",
            }
        )
    )
    out = tmp_path / "out.csv"
    code, text = _run(
        str(cases), "--k", "5", "--quasi", "gender,citizenship", "--hierarchy-file", str(spec), "--out", str(out),
        "--format", "json",
    )  # fmt: skip
    assert code == 0, text
    report = json.loads(text)
    kinds = {q["column"]: (q["kind"], q["levels"]) for q in report["quasi_identifiers"]}
    assert kinds["gender"] == ("custom", ["exact", "level 1", "level 2", "*"])
    assert kinds["citizenship"] == ("categorical", ["exact", "*"])
    released = set(read_release_table(out).column("gender"))
    level = next(q["level"] for q in report["quasi_identifiers"] if q["column"] == "gender")
    expected = [
        {"Woman", "Man", "Trans/Transgender/NonConforming", ""},
        {"WX", "Man", ""},
        {"P", ""},
        {"*"},
    ]
    assert released <= expected[level]


def test_a_bad_hierarchy_spec_file_writes_nothing(cases: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text('{"gender": {"Woman": "F"}}')
    out = tmp_path / "out.csv"
    code, text = _run(str(cases), "--quasi", "gender", "--hierarchy-file", str(spec), "--out", str(out))
    assert code == 2 and "not a list of mappings" in text and not out.exists()
    spec.write_text("{nope")
    code, text = _run(str(cases), "--quasi", "gender", "--hierarchy-file", str(spec), "--out", str(out))
    assert code == 2 and "cannot read the hierarchy spec" in text and not out.exists()
