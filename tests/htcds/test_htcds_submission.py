"""read_submission() turns files into typed records with every issue (src/vinculo/htcds/_submission.py)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest

from vinculo.errors import VinculoError
from vinculo.htcds import (
    SubmissionSettings,
    ValidationSettings,
    load_mapping,
    open_submission,
    read_submission,
    require_valid,
)

SETTINGS = SubmissionSettings(validation=ValidationSettings(today=dt.date(2024, 6, 30)))


def read(data: bytes | Path, name: str | None = None, **kw):  # type: ignore[no-untyped-def]
    return read_submission(data, name=name, settings=kw.pop("settings", SETTINGS), **kw)


def test_both_htcds_excel_templates_import_as_they_are(
    basic_template: Path, validated_template: Path
) -> None:
    for path, sheet in ((basic_template, "Sheet1"), (validated_template, "Case Sheet")):
        sub = read(path)
        assert sub.ok, sub.errors
        assert sub.sheet == sheet
        assert sub.label_row == 2 and sub.header_row == 1
        assert sub.n_records == 0
        assert {i.code for i in sub.issues} == {"htcds.alias_field_name", "htcds.header_from_label"}
        plans = {c.column: c for c in sub.columns}
        assert (
            plans["vic_TraffickinStatusDecisionMakingOrg"].field == "vic_TraffickingStatusDecisionMakingOrg"
        )
        assert plans["AJ"].field == "cas_ReasonForOutgoingReferral"


def test_a_filled_validated_template_reads_its_dropdown_labels_as_codes(
    validated_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "filled.xlsx"
    shutil.copy(validated_template, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl drops the template's dropdown extension
        wb = openpyxl.load_workbook(path)
    ws = wb["Case Sheet"]
    header = [c.value for c in ws[1]]
    row = {
        "prs_Gender": "Feminine",
        "prs_Citizenship": "Bolivia (Plurinational State of)",
        "vic_TypeOfExploitation": "Forced labour",
        "vic_ForcedLabourIndustry": "Agriculture, forestry and fishing",
        "cas_Status": "Follow up",
        "cas_IncomingReferralDate": dt.datetime(2021, 3, 12),
        "vic_TraffickinStatusDecisionMakingOrg": "Court or prosecution",
        "prs_FirstName": "SYNTHETIC-000001",
    }
    for name, value in row.items():
        ws.cell(row=3, column=header.index(name) + 1, value=value)
    wb.save(path)
    sub = read(path)
    assert sub.ok, sub.errors
    assert sub.n_records == 1
    values = sub.records[0].values
    assert values["prs_Citizenship"] == ("BO",)
    assert values["vic_ForcedLabourIndustry"] == "A_AgricultureForestryAndFishing"
    assert values["cas_Status"] == "FollowUp"
    assert values["cas_IncomingReferralDate"] == dt.date(2021, 3, 12)
    assert values["vic_TraffickingStatusDecisionMakingOrg"] == "CourtOrProsecution"
    assert sub.date_formats == {"cas_IncomingReferralDate": {"spreadsheet date": 1}}
    assert sub.records[0].location("prs_Gender").row == 3


def test_records_are_grouped_by_entity_with_counts_and_locations() -> None:
    data = b"prs_Gender,vic_TypeOfExploitation,cas_Status,org_Name\nFeminine,ForcedLabour,Active,\nMasculine,,,NGO A\n"
    sub = read(data, "cases.csv")
    assert sub.counts_by_entity == {"organisation": 1, "person": 2, "victim": 1, "case": 1}
    people = list(sub.records_for("person"))
    assert [p["values"] for p in people] == [{"prs_Gender": "Feminine"}, {"prs_Gender": "Masculine"}]
    assert people[1]["location"].row == 3 and people[1]["location"].file == "cases.csv"
    assert sub.records[0].entities()[0].value == "person"


def test_record_ids_come_from_the_id_column_else_from_a_stable_content_hash() -> None:
    with_id = read(b"record_id,prs_Gender\nA-1,Feminine\nA-2,Feminine\n", "a.csv")
    assert [r.source_record_id for r in with_id.records] == ["id:A-1", "id:A-2"]
    one = read(b"prs_Gender,cas_Status\nFeminine,Active\n", "b.csv")
    reordered = read(b"cas_Status,prs_Gender\r\n\r\nActive,Feminine\r\n", "c.csv")
    assert one.records[0].source_record_id.startswith("row:")
    assert one.records[0].source_record_id == reordered.records[0].source_record_id
    keyed = read(
        b"prs_Gender,cas_Status\nFeminine,Active\n",
        "b.csv",
        settings=SubmissionSettings(record_id_key=b"secret"),
    )
    assert keyed.records[0].source_record_id != one.records[0].source_record_id


def test_repeated_record_ids_are_errors_and_repeated_rows_warnings() -> None:
    sub = read(b"id,prs_Gender\n7,Feminine\n7,Masculine\n", "d.csv")
    assert [(i.code, i.location.row) for i in sub.issues] == [("htcds.duplicate_record_id", 3)]
    sub = read(b"prs_Gender\nFeminine\nFeminine\n", "e.csv")
    assert [(i.code, i.severity) for i in sub.issues] == [("htcds.duplicate_row", "warning")]


def test_unknown_columns_are_reported_and_their_values_kept_as_extra() -> None:
    sub = read(b"prs_Gender,Shoe size\nFeminine,38\n", "f.csv")
    assert [(i.code, i.location.column) for i in sub.issues] == [("htcds.unknown_column", "Shoe size")]
    assert sub.records[0].extra == {"Shoe size": "38"}


def test_kobo_export_with_group_paths_labels_and_split_select_multiple_reads() -> None:
    data = (
        b"start,end,person/prs_First_Name,person/prs_Gender,victim/vic_Methods_of_Control,"
        b"victim/vic_TypeOfExploitation/ForcedLabour,victim/vic_TypeOfExploitation/SexualExploitation,"
        b"_uuid,_submission_time\n"
        b"2021-01-01T10:00:00,2021-01-01T10:05:00,SYNTHETIC-000009,Feminine,DebtBondage TakesEarnings,1,0,"
        b"uuid-9,2021-01-01T10:06:00\n"
    )
    sub = read(data, "kobo.csv")
    assert sub.ok, sub.errors
    rec = sub.records[0]
    assert rec.source_record_id == "id:uuid-9"
    assert rec.values["vic_MethodsOfControl"] == ("DebtBondage", "TakesEarnings")
    assert rec.values["vic_TypeOfExploitation"] == ("ForcedLabour",)
    assert rec.values["prs_FirstName"] == "SYNTHETIC-000009"
    assert {c.how for c in sub.columns} >= {"group_path", "option", "metadata", "id"}


def test_kobo_label_export_assigns_the_xlsforms_repeated_label_by_position() -> None:
    data = "First Name,Second Name,Second Name,Methods of Control\nA,B,Director,Debt bondage Takes earnings\n"
    sub = read(data.encode(), "labels.csv")
    rec = sub.records[0]
    assert rec.values["prs_SecondName"] == "B" and rec.values["prs_Title"] == "Director"
    assert rec.values["vic_MethodsOfControl"] == ("DebtBondage", "TakesEarnings")
    assert [i.code for i in sub.issues] == ["htcds.ambiguous_label", "htcds.ambiguous_label"]


def test_json_lists_and_wrapped_records_are_read() -> None:
    doc = {
        "results": [
            {"prs_Gender": "Feminine", "vic_TypeOfExploitation": ["ForcedLabour", "Servitude"]},
            {"prs_Gender": "Masculine", "con_Consent": True},
        ]
    }
    sub = read(json.dumps(doc).encode(), "export.json")
    assert sub.ok and sub.format == "json"
    assert sub.records[0].values["vic_TypeOfExploitation"] == ("ForcedLabour", "Servitude")
    assert sub.records[1].row == 2 and sub.records[1].values["con_Consent"] is True


def test_csv_mapping_file_renames_columns_recodes_values_and_ignores_on_purpose(tmp_path: Path) -> None:
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "source_column,htcds_field,source_value,htcds_value\n"
        "Sex,prs_Gender,,\nSex,prs_Gender,F,Feminine\nSex,prs_Gender,M,Masculine\n"
        "Exploitation,vic_TypeOfExploitation,,\nExploitation,,labour,ForcedLabour\nInternal note,,,\n",
        encoding="utf-8",
    )
    m = load_mapping(mapping)
    sub = read(
        b"Sex,Exploitation,Internal note\nF,labour;sex,x\nM,SexualExploitation,y\n", "m.csv", mapping=m
    )
    assert [r.values for r in sub.records] == [
        {"prs_Gender": "Feminine"},  # "sex" is not a value, so the whole cell is rejected
        {"prs_Gender": "Masculine", "vic_TypeOfExploitation": ("SexualExploitation",)},
    ]
    assert [(i.code, i.value) for i in sub.issues] == [("htcds.invalid_value", "ForcedLabour ; sex")]
    assert sub.to_dict()["mapping"]["columns"] == {
        "Sex": "prs_Gender",
        "Exploitation": "vic_TypeOfExploitation",
        "Internal note": None,
    }


def test_json_mapping_file_with_a_wrong_field_is_rejected_with_a_suggestion() -> None:
    bad = json.dumps({"columns": {"Sex": "prs_Gendr"}, "values": {"prs_Gender": {"F": "Woman"}}}).encode()
    with pytest.raises(VinculoError) as info:
        load_mapping(bad, name="map.json")
    assert info.value.code == "htcds.bad_mapping"
    messages = " ".join(i.message for i in info.value.issues)
    assert "prs_Gender?" in messages and "'Woman'" in messages


def test_merged_header_cells_are_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["prs_Gender", "cas_Status", None])
    ws.append(["Feminine", "Active", "x"])
    ws.merge_cells("B1:C1")
    wb.save(tmp_path / "merged.xlsx")
    sub = read(tmp_path / "merged.xlsx")
    assert "htcds.merged_header" in {i.code for i in sub.errors}
    assert not sub.ok


def test_formulas_in_cells_are_errors_and_never_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["prs_Gender", "vic_AgeWhenTrafficked", "prs_FirstName"])
    ws.append(["Feminine", "=10+7", '=CONCAT("A","B")'])
    wb.save(tmp_path / "f.xlsx")
    sub = read(tmp_path / "f.xlsx")
    assert [(i.code, i.location.field, i.value) for i in sub.issues] == [
        ("htcds.formula_cell", "vic_AgeWhenTrafficked", "=10+7"),
        ("htcds.formula_cell", "prs_FirstName", None),
    ]
    assert sub.records[0].values == {"prs_Gender": "Feminine"}


def test_title_rows_above_the_header_are_skipped_with_a_warning() -> None:
    sub = read(b"Cases exported 2024\n\nprs_Gender\nFeminine\n", "t.csv")
    assert sub.header_row == 3 and sub.n_records == 1
    assert [i.code for i in sub.issues] == ["htcds.rows_above_header"]


def test_a_file_without_htcds_columns_is_an_error_not_a_crash() -> None:
    sub = read(b"a,b\n1,2\n", "plain.csv")
    assert "htcds.no_known_columns" in {i.code for i in sub.errors}


def test_streaming_reader_yields_records_then_a_result() -> None:
    reader = open_submission(b"prs_Gender\nFeminine\nF\nMasculine\n", name="s.csv", settings=SETTINGS)
    rows = [r.row for r in reader]
    result = reader.result()
    assert rows == [2, 3, 4]
    assert result.n_records == 3 and result.records == ()
    assert [i.location.row for i in result.errors] == [3]


def test_require_valid_raises_one_error_carrying_every_issue() -> None:
    sub = read(b"prs_Gender,cas_Status\nF,Open\n", "r.csv")
    with pytest.raises(VinculoError) as info:
        require_valid(sub)
    assert info.value.code == "htcds.invalid_submission" and len(info.value.issues) == 2


def test_summary_and_to_dict_hold_no_record_values() -> None:
    sub = read(b"prs_FirstName,prs_Gender\nSYNTHETIC-000042,Feminine\n", "p.csv")
    assert "SYNTHETIC-000042" not in sub.summary()
    assert "SYNTHETIC-000042" not in json.dumps(sub.to_dict())
    assert "records     1" in sub.summary()


def test_the_official_templates_row_number_column_a_is_not_kept_with_the_records(
    basic_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "filled-basic.xlsx"
    shutil.copy(basic_template, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Sheet1"]
    header = [c.value for c in ws[1]]
    assert header[0] is None and ws.cell(3, 1).value == 1  # column A: blank header, numbers 1..N
    ws.cell(3, header.index("prs_Gender") + 1, "Feminine")
    ws.cell(4, header.index("prs_Gender") + 1, "Masculine")
    wb.save(path)
    sub = read(path)
    assert sub.ok, sub.errors
    assert sub.n_records == 2
    assert [r.extra for r in sub.records] == [None, None]
    assert "htcds.unnamed_column" not in sub.issue_counts


@pytest.mark.parametrize("head", ["#", "A", ""])
def test_a_row_number_column_headed_hash_a_or_nothing_is_recognised_and_ignored(head: str) -> None:
    sub = read(f"{head},prs_Gender\n1,Feminine\n2,Masculine\n3,\n".encode(), "n.csv")
    plan = sub.columns[0]
    assert plan.field is None and plan.how == ("unnamed" if not head else "row_number")
    assert [r.extra for r in sub.records] == [None, None]
    assert sub.n_records == 2  # the row holding only its number is no record
    assert "htcds.unknown_column" not in sub.issue_counts


def test_a_hash_column_holding_other_values_is_kept_as_extra_with_a_warning() -> None:
    sub = read(b"#,prs_Gender\n1,Feminine\nsee note,Masculine\n", "n.csv")
    assert [r.extra for r in sub.records] == [None, {"#": "see note"}]
    (issue,) = [i for i in sub.issues if i.code == "htcds.unnamed_column"]
    assert issue.location.column == "#" and issue.fix
