"""A corpus of malformed input files for the CLI and upload tests: every one must end with a clear message.

``case_files()`` and ``history_files()`` return ``{name: bytes}``. The names carry the extension the reader
sees, so a file may lie about its type (``csv_as.xlsx``).
"""

from __future__ import annotations

import codecs
import io
import zipfile

import openpyxl

CASE_HEADER = "record_id,prs_Gender,hte_Country,vic_AgeWhenTrafficked,cas_IncomingReferralDate"
CASE_ROW = "R1,Feminine,PL,24,2021-03-04"
HISTORY = "A,B,C,count\n1,0,0,30\n0,1,0,20\n0,0,1,25\n1,1,0,10\n1,0,1,8\n0,1,1,6\n1,1,1,3\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _broken_xlsx() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(_xlsx([["a", "b"], [1, 2]])))
    members = {i.filename: good.read(i) for i in good.infolist()}
    members["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></c>"
    return _zip(members)


def _garbage_workbook() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(_xlsx([["a"]])))
    members = {i.filename: good.read(i) for i in good.infolist()}
    members["xl/workbook.xml"] = b"\x00\x01 not xml at all"
    return _zip(members)


def generic_files(header: str, row: str) -> dict[str, bytes]:
    """Malformations that apply to any table: encodings, bytes, structure, sizes."""
    text = f"{header}\n{row}\n"
    xlsx = _xlsx([header.split(","), row.split(",")])
    return {
        "empty.csv": b"",
        "blank_lines.csv": b"\n\n \r\n\t\n",
        "only_bom.csv": codecs.BOM_UTF8,
        "bom_header.csv": codecs.BOM_UTF8 + text.encode(),
        "utf16_bom.csv": text.encode("utf-16"),
        "utf16_no_bom.csv": text.encode("utf-16-le"),
        "utf32.csv": text.encode("utf-32"),
        "bom_then_invalid_utf16.csv": codecs.BOM_UTF16_LE + b"\x00\xd8a",
        "latin1.csv": (text + "R2,Féminin,PL,24,2021-03-04\n").encode("latin-1"),
        "invalid_utf8.csv": text.encode() + b"\xff\xfe\xfa\xc3\x28\n",
        "binary.csv": bytes(range(256)) * 8,
        "nul_bytes.csv": text.replace(",", "\x00,", 2).encode(),
        "png.csv": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "pdf.csv": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "gzip.csv": b"\x1f\x8b\x08\x00" + b"\x00" * 40,
        "header_only.csv": (header + "\n").encode(),
        "cr_only.csv": text.replace("\n", "\r").encode(),
        "mixed_endings.csv": (header + "\r\n" + row + "\r" + row + "\n").encode(),
        "unclosed_quote.csv": (header + "\n" + row.replace(",", ',"', 1) + "\n" + row + "\n").encode(),
        "unclosed_quote_header.csv": ('"' + text).encode(),
        "stray_quotes.csv": (header + '\n"R1"x,"Fem""inine,PL\n').encode(),
        "huge_field.csv": (header + "\n" + "x" * 300_000 + "," + row + "\n").encode(),
        "long_line.csv": (header + "\n" + ",".join(["1"] * 50_000) + "\n").encode(),
        "many_columns.csv": (",".join(f"c{i}" for i in range(5000)) + "\n" + "1," * 4999 + "1\n").encode(),
        "duplicate_headers.csv": (header + "," + header.split(",")[1] + "\n" + row + ",x\n").encode(),
        "empty_header_names.csv": (",,," + "\n" + "1,2,3,4\n").encode(),
        "ragged.csv": (header + "\n" + row + ",extra,more\n1\n").encode(),
        "semicolon.csv": text.replace(",", ";").encode(),
        "tab.tsv": text.replace(",", "\t").encode(),
        "formulas.csv": (header + "\n" + '=cmd|" /C calc"!A0,=1+1,@SUM(A1),+1,-1\n').encode(),
        "control_chars.csv": (header + "\n" + row.replace("R1", "R\x1b[31m1\x07") + "\n").encode(),
        "no_extension": text.encode(),
        "unknown.bin": text.encode(),
        "csv_as.xlsx": text.encode(),
        "csv_as.json": text.encode(),
        "xlsx_as.csv": xlsx,
        "truncated.xlsx": xlsx[: len(xlsx) // 2],
        "zip_not_xlsx.xlsx": _zip({"hello.txt": b"hello"}),
        "ole.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
        "broken_sheet.xlsx": _broken_xlsx(),
        "garbage_workbook.xlsx": _garbage_workbook(),
        "empty_sheet.xlsx": _xlsx([]),
        "xlsx_types.xlsx": _xlsx([header.split(","), [1.5, True, None, -1e308, "=1/0"]]),
        "deep.json": b"[" * 10_000 + b"]" * 10_000,
        "deep_objects.json": b'{"a":' * 3000 + b"1" + b"}" * 3000,
        "nested_40.json": b'[{"a":' + b'{"b":' * 40 + b"1" + b"}" * 41 + b"]",
        "scalar.json": b"42",
        "string.json": b'"hello"',
        "list_of_scalars.json": b"[1, 2, 3]",
        "truncated.json": b'[{"prs_Gender": "Feminine"}, {"prs_Gen',
        "nan.json": b'[{"prs_Gender": NaN, "vic_AgeWhenTrafficked": Infinity}]',
        "huge_number.json": b'[{"vic_AgeWhenTrafficked": 1' + b"0" * 5000 + b"}]",
        "json_lines_broken.jsonl": b'{"a": 1}\n{"a": \n',
        "json_wrong_types.json": b'[{"prs_Gender": [1, 2], "hte_Country": {"x": null}, "record_id": true}]',
        "empty_list.json": b"[]",
        "empty_object.json": b"{}",
    }


def case_files() -> dict[str, bytes]:
    return generic_files(CASE_HEADER, CASE_ROW)


def history_files() -> dict[str, bytes]:
    files = generic_files("A,B,count", "1,0,30")
    body = HISTORY.splitlines()
    files.update(
        {
            "valid.csv": HISTORY.encode(),
            "negative_count.csv": HISTORY.replace("30", "-30").encode(),
            "nan_count.csv": HISTORY.replace("30", "NaN").encode(),
            "inf_count.csv": HISTORY.replace("30", "inf").encode(),
            "exp_count.csv": HISTORY.replace("30", "1e400").encode(),
            "huge_count.csv": HISTORY.replace("30", "9" * 30).encode(),
            "int64_count.csv": HISTORY.replace("30", str(2**63)).encode(),
            "fraction_count.csv": HISTORY.replace("30", "2.5").encode(),
            "text_count.csv": HISTORY.replace("30", "thirty").encode(),
            "membership_2.csv": HISTORY.replace("1,0,0,30", "2,0,0,30").encode(),
            "membership_half.csv": HISTORY.replace("1,0,0,30", "0.5,0,0,30").encode(),
            "no_count_column.csv": HISTORY.replace("count", "total").encode(),
            "one_list.csv": b"A,count\n1,30\n",
            "sixteen_lists.csv": (
                ",".join(f"L{i}" for i in range(16)) + ",count\n" + "1," * 16 + "5\n"
            ).encode(),
            "duplicate_lists.csv": HISTORY.replace("A,B,C", "A,A,C").encode(),
            "all_zero.csv": b"A,B,count\n0,0,5\n1,0,0\n0,1,0\n",
            "empty_list.csv": b"A,B,C,count\n1,0,0,5\n0,1,0,4\n1,1,0,2\n",
            "repeated_history.csv": ("\n".join([*body, "1,0,0,4"]) + "\n").encode(),
            "saturated.csv": b"A,B,count\n1,0,5\n0,1,4\n1,1,0\n",
            "zero_overlap.csv": b"A,B,C,count\n1,0,0,5\n0,1,0,4\n0,0,1,3\n",
            "strata_missing.csv": HISTORY.encode(),
            "xlsx_history.xlsx": _xlsx([["A", "B", "count"], [1, 0, 30], [0, 1, 20], [1, 1, "x"]]),
            "bool_cells.xlsx": _xlsx([["A", "B", "count"], [True, False, 30], [False, True, 20], [1, 1, 10]]),
        }
    )
    return files


def mapping_files() -> dict[str, bytes]:
    """Malformed mapping files (source column -> HTCDS field, optional recodes)."""
    return {
        "empty.csv": b"",
        "binary.csv": bytes(range(256)),
        "header_only.csv": b"source,field\n",
        "unknown_field.csv": b"source,field\nGender,prs_NoSuchField\n",
        "wrong_columns.csv": b"a,b,c\n1,2,3\n",
        "unclosed_quote.csv": b'source,field\n"Gender,prs_Gender\n',
        "deep.json": b"[" * 10_000 + b"]" * 10_000,
        "scalar.json": b"42",
        "list.json": b'["a", "b"]',
        "wrong_types.json": b'{"columns": [1, 2], "values": "x"}',
        "nested.json": b'{"columns": {"Gender": {"field": {"x": 1}}}}',
        "truncated.json": b'{"columns": {"Gender": "prs_Gen',
        "yaml.yaml": b"columns:\n  Gender: prs_Gender\n",
        "xlsx.xlsx": _xlsx([["source", "field"], ["Gender", "prs_Gender"]]),
        "garbage.xlsx": b"PK\x03\x04garbage",
    }
