"""Reading a release input and writing it back: column order and cell conventions kept."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from vinculo.errors import VinculoError
from vinculo.release import read_release_table, split_cell, write_release_csv


def test_csv_with_bom_and_semicolon_sets_round_trips(tmp_path: Path) -> None:
    text = 'b,a,c\n1,"ForcedLabour;SexualExploitation",\n2,,x\n'
    src = tmp_path / "in.csv"
    src.write_bytes(b"\xef\xbb\xbf" + text.encode())
    table = read_release_table(src)
    assert table.columns == ("b", "a", "c")
    assert table.rows == (("1", "ForcedLabour;SexualExploitation", ""), ("2", "", "x"))
    out = tmp_path / "out.csv"
    write_release_csv(out, table.columns, table.rows)
    assert out.read_text(encoding="utf-8") == text.replace('"', "")  # csv quotes only what needs it
    assert read_release_table(out).rows == table.rows


def test_xlsx_and_json_read_as_text_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["age", "citizenship"])
    ws.append([23, "UKR;PHL"])
    ws.append([40.0, None])
    wb.save(tmp_path / "in.xlsx")
    assert read_release_table(tmp_path / "in.xlsx").rows == (("23", "UKR;PHL"), ("40", ""))
    (tmp_path / "in.json").write_text(json.dumps([{"age": 23, "c": ["UKR", "PHL"]}, {"age": 40, "c": None}]))
    assert read_release_table(tmp_path / "in.json").rows == (("23", "UKR;PHL"), ("40", ""))


@pytest.mark.parametrize("content", [b"", b"a,b\n"])
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "e.csv").write_bytes(content)
    with pytest.raises(VinculoError) as info:
        read_release_table(tmp_path / "e.csv")
    assert info.value.code == "release.empty"


def test_repeated_headers_are_refused(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("a,a\n1,2\n")
    with pytest.raises(VinculoError, match='two columns are named "a"'):
        read_release_table(tmp_path / "d.csv")


def test_a_value_without_a_header_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(VinculoError, match="row 3: column 3 has a value but no header"):
        read_release_table(tmp_path / "x.csv")


def test_split_cell_drops_blanks() -> None:
    assert split_cell(" a ; ;b") == ("a", "b") and split_cell("") == ()
