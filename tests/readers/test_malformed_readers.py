"""Readers turn malformed input into one VinculoError with a stable code (issue 9 finding 5)."""

from __future__ import annotations

import pytest

from vinculo.errors import VinculoError
from vinculo.htcds import load_mapping
from vinculo.mse import read_histories
from vinculo.readers import parse_json, read_table


def error_of(data: bytes, name: str) -> VinculoError:
    with pytest.raises(VinculoError) as caught:
        list(read_table(data, name=name).rows)
    return caught.value


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ('a,b\n1,"2\n3,4\n', 2),
        ('"a,b\n1,2\n', 1),
        ('a,b\n1,2\n3,"""\n', 3),
        ('a,b\r1,2\r"3,4\r', 3),
        ('a;b\n1;2\n\n\n5;"6\n', 5),
    ],
)
def test_an_unclosed_quote_is_an_error_at_the_row_where_it_opened(text: str, row: int) -> None:
    error = error_of(text.encode(), "t.csv")
    assert error.code == "readers.unclosed_quote"
    assert error.fields["row"] == row
    assert f"row {row}" in str(error)


@pytest.mark.parametrize("text", ['a,b\n1,"2\n3",4\n', 'a,b\n"x"y,2\n', 'a,b\n1,"2"\n', 'a\n""""\n'])
def test_closed_quotes_spanning_lines_still_read(text: str) -> None:
    assert len(list(read_table(text.encode(), name="t.csv").rows)) == 2


@pytest.mark.parametrize(
    "data",
    [b"[" * 10_000 + b"]" * 10_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000, b"[" * 40 + b"]" * 40],
)
def test_json_nested_too_deep_is_refused_without_recursion(data: bytes) -> None:
    error = error_of(data, "deep.json")
    assert error.code == "readers.too_deep"
    assert "32" in str(error)


def test_json_with_a_number_of_thousands_of_digits_is_malformed_not_a_crash() -> None:
    error = error_of(b'[{"a": 1' + b"0" * 5000 + b"}]", "n.json")
    assert error.code == "readers.malformed_json"


def test_parse_json_names_line_and_column() -> None:
    with pytest.raises(VinculoError) as caught:
        parse_json('{\n  "a": ,\n}', "m.json")
    assert caught.value.code == "readers.malformed_json"
    assert "line 2" in str(caught.value)


@pytest.mark.parametrize(
    "doc",
    [
        b'{"columns": [1, 2]}',
        b'{"columns": {"Sex": {"field": 1}}}',
        b'{"values": {"prs_Gender": "F"}}',
        b'{"values": {"prs_Gender": {"F": {"x": 1}}}}',
        b"{" * 5000 + b"}" * 5000,
    ],
)
def test_a_mapping_json_of_the_wrong_shape_is_a_bad_mapping(doc: bytes) -> None:
    with pytest.raises(VinculoError) as caught:
        load_mapping(doc, name="mapping.json")
    assert caught.value.code == "htcds.bad_mapping"


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_capture_histories_read_any_line_ending(newline: str, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "h.csv"
    path.write_bytes(newline.join(["A,B,count", "1,0,30", "0,1,20", "1,1,10", ""]).encode())
    histories = read_histories(path)
    assert histories.lists == ("A", "B")
    assert histories.n_observed == 60


@pytest.mark.parametrize("count", [str(2**63), "9" * 40, "1e15"])
def test_a_count_beyond_ten_billion_is_a_bad_count_not_an_overflow(count: str, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "h.csv"
    path.write_text(f"A,B,count\n1,0,{count}\n0,1,20\n1,1,10\n", encoding="utf-8")
    with pytest.raises(VinculoError) as caught:
        read_histories(path)
    assert caught.value.code == "mse.bad_count"
    assert caught.value.issues[0].location.row == 2


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_a_mapping_csv_reads_any_line_ending(newline: str) -> None:
    text = newline.join(["source_column,htcds_field", "Sex,prs_Gender", ""])
    mapping = load_mapping(text.encode(), name="mapping.csv")
    assert mapping.columns == {"Sex": "prs_Gender"}


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"Zenobia,Quillfeather\n1990-01-01,+380501234567\n", "text"),
        (b'{"prs_FirstName": "Zenobia"}', "JSON"),
        (b"Zeno\x00\x01\x02\x03bia-binary", "binary"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_described_never_quoted(data: bytes, kind: str) -> None:
    """The message says what the file looks like; it never repeats its bytes (they may be a name)."""
    with pytest.raises(VinculoError) as info:
        read_table(data, name="people.xlsx")
    assert info.value.code == "readers.not_xlsx"
    text = str(info.value) + " ".join(str(i) for i in info.value.issues)
    assert kind in text
    assert "Zeno" not in text and "Quill" not in text and "\\x" not in text
