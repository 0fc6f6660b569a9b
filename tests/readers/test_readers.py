"""The CSV, XLSX and JSON readers (src/vinculo/readers/)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

import vinculo.readers as readers
from vinculo.errors import VinculoError
from vinculo.readers import Formula, ReaderSettings, read_table

TEXT = "prs_FirstName,prs_MailingCity\nJosé,São Paulo\nFrançois,Besançon\n"


def rows(table: readers.Table) -> list[tuple[int, tuple[object, ...]]]:
    return list(table.rows)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("latin-1"), "cp1252"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_csv_text_is_decoded_whatever_the_common_encoding(data: bytes, encoding: str) -> None:
    table = read_table(data, name="people.csv")
    assert table.encoding == encoding
    assert rows(table)[1] == (2, ("José", "São Paulo"))


def test_semicolon_and_tab_delimiters_are_detected() -> None:
    assert read_table(b"a;b\n1;2\n", name="x.csv").delimiter == ";"
    assert rows(read_table(b"a\tb\n1\t2\n", name="x.tsv")) == [(1, ("a", "b")), (2, ("1", "2"))]


def test_forced_encoding_that_does_not_fit_is_a_clear_error() -> None:
    with pytest.raises(VinculoError) as info:
        read_table("é".encode("latin-1"), name="x.csv", settings=ReaderSettings(encoding="utf-8"))
    assert info.value.code == "readers.bad_encoding"


def test_binary_data_is_not_mistaken_for_text() -> None:
    with pytest.raises(VinculoError) as info:
        read_table(b"a,b\n\x00\x01\x02\x03", name="x.csv")
    assert info.value.code == "readers.bad_encoding"


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"prs_Gender\n" + b"Feminine\n" * 200)
    with pytest.raises(VinculoError) as info:
        read_table(path, settings=ReaderSettings(max_bytes=1000))
    assert info.value.code == "readers.file_too_large"
    assert "1,000" in str(info.value)


def test_more_rows_than_the_limit_is_an_error_and_empty_rows_do_not_count() -> None:
    data = b"h\n" + b"x\n" * 5
    with pytest.raises(VinculoError) as info:
        rows(read_table(data, name="x.csv", settings=ReaderSettings(max_rows=4)))
    assert info.value.code == "readers.too_many_rows"
    assert (
        len(rows(read_table(b"h\n" + b"x\n,\n\n" * 4, name="x.csv", settings=ReaderSettings(max_rows=4))))
        == 5
    )


def test_a_million_empty_csv_rows_are_skipped_quickly() -> None:
    data = b"prs_Gender,cas_Status\nFeminine,Active\n" + b",\r\n" * 1_000_000
    started = time.perf_counter()
    table = read_table(data, name="empty.csv")
    assert rows(table) == [(1, ("prs_Gender", "cas_Status")), (2, ("Feminine", "Active"))]
    assert table.empty_rows_skipped == 1_000_000
    assert time.perf_counter() - started < 10


def _xlsx_with_empty_rows(n: int) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><dimension ref="A1:A{n + 2}"/><sheetData>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>prs_Gender</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Feminine</t></is></c></row>',
    ]
    parts.extend(f'<row r="{r}"><c r="A{r}" s="0"/></row>' for r in range(3, n + 3))
    parts.append("</sheetData></worksheet>")
    ns = "http://schemas.openxmlformats.org"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return buf.getvalue()


def test_a_million_trailing_empty_xlsx_rows_are_skipped_quickly() -> None:
    data = _xlsx_with_empty_rows(1_000_000)
    started = time.perf_counter()
    table = read_table(data, name="empty.xlsx")
    assert rows(table) == [(1, ("prs_Gender",)), (2, ("Feminine",))]
    assert time.perf_counter() - started < 10


def test_password_protected_workbooks_are_recognised_by_their_ole_signature() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)
    with pytest.raises(VinculoError) as info:
        read_table(data, name="secret.xlsx")
    assert info.value.code == "readers.encrypted_xlsx"
    assert "password" in str(info.value)


def _workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cases"
    ws.append(["prs_Gender", "vic_AgeWhenTrafficked"])
    ws.append(["Feminine", "=10+7"])
    wb.create_sheet("Notes").append(["free text"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_truncated_workbooks_are_reported_as_truncated() -> None:
    data = _workbook_bytes()
    for cut in (len(data) // 3, len(data) - 30):
        with pytest.raises(VinculoError) as info:
            rows(read_table(data[:cut], name="cut.xlsx"))
        assert info.value.code in ("readers.truncated_xlsx", "readers.unreadable_xlsx")


def test_a_missing_sheet_is_named_with_the_sheets_found() -> None:
    with pytest.raises(VinculoError) as info:
        read_table(_workbook_bytes(), name="w.xlsx", settings=ReaderSettings(sheet="Case Sheet"))
    assert info.value.code == "readers.sheet_not_found"
    assert info.value.fields["sheets"] == ["Cases", "Notes"]
    assert "'Cases', 'Notes'" in str(info.value)


def test_formula_cells_come_back_as_formula_text() -> None:
    table = read_table(_workbook_bytes(), name="w.xlsx")
    (_, _header), (_, first) = rows(table)
    assert first[1] == "=10+7" and isinstance(first[1], Formula)
    assert not isinstance(first[0], Formula)
    assert table.sheets == ("Cases", "Notes")


def test_merged_ranges_are_listed() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["a", None, "c"])
    wb.active.merge_cells("A1:B1")
    buf = io.BytesIO()
    wb.save(buf)
    assert read_table(buf.getvalue(), name="m.xlsx").merged_ranges == ("A1:B1",)


def test_json_records_become_rows_with_a_header_of_keys() -> None:
    table = read_table(b'[{"a": 1, "g": {"b": 2}}, {}, {"a": 3}]', name="x.json")
    assert rows(table) == [(0, ("a", "g/b")), (1, (1, 2)), (3, (3, None))]
    assert table.empty_rows_skipped == 1


def test_malformed_json_names_the_line() -> None:
    with pytest.raises(VinculoError) as info:
        read_table(b'[{"a": 1},\n{"a": }]', name="x.json")
    assert info.value.code == "readers.malformed_json" and "line 2" in str(info.value)


def test_unknown_extensions_and_missing_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(VinculoError) as info:
        read_table(b"hello", name="x.pdf")
    assert info.value.code == "readers.unknown_format"
    with pytest.raises(VinculoError) as info:
        read_table(tmp_path / "nope.csv")
    assert info.value.code == "readers.unreadable_file"


def test_public_names_are_all_exported() -> None:
    for name in readers.__all__:
        assert hasattr(readers, name), name
