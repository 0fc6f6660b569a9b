"""Property-based tests: whatever the bytes, reading ends in a result or a VinculoError, never a crash."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vinculo.errors import VinculoError
from vinculo.htcds import (
    ParsedSubmission,
    SubmissionSettings,
    ValidationSettings,
    parse_date,
    read_submission,
    validate_records,
)
from vinculo.readers import ReaderSettings

TODAY = dt.date(2024, 6, 30)
SETTINGS = SubmissionSettings(validation=ValidationSettings(today=TODAY))
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(data: bytes, name: str, cfg: SubmissionSettings = SETTINGS) -> ParsedSubmission | VinculoError:
    try:
        return read_submission(data, name=name, settings=cfg)
    except VinculoError as exc:
        assert exc.code and str(exc)
        return exc


def workbook(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


VALID_XLSX = workbook([["prs_Gender", "cas_Status"], ["Feminine", "Active"], ["Masculine", "Closed"]])


@FEW
@given(st.binary(max_size=2000), st.sampled_from(["x.csv", "x.xlsx", "x.json", "upload"]))
def test_random_bytes_give_a_result_or_a_vinculo_error(data: bytes, name: str) -> None:
    outcome(data, name)


@FEW
@given(st.integers(min_value=0, max_value=len(VALID_XLSX) - 1))
def test_truncated_workbooks_never_yield_partial_data(cut: int) -> None:
    result = outcome(VALID_XLSX[:cut], "cut.xlsx")
    assert isinstance(result, VinculoError)
    assert result.code in {"readers.truncated_xlsx", "readers.unreadable_xlsx", "readers.not_xlsx"}


@FEW
@given(st.binary(max_size=600))
def test_ole_compound_files_are_always_reported_as_encrypted(tail: bytes) -> None:
    result = outcome(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + tail, "secret.xlsx")
    assert isinstance(result, VinculoError) and result.code == "readers.encrypted_xlsx"


@FEW
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20))
def test_a_missing_sheet_is_always_a_clear_error(sheet: str) -> None:
    cfg = SubmissionSettings(reader=ReaderSettings(sheet=sheet))
    result = outcome(VALID_XLSX, "w.xlsx", cfg)
    if sheet == "Sheet":
        assert isinstance(result, ParsedSubmission) and result.n_records == 2
    else:
        assert isinstance(result, VinculoError) and result.code == "readers.sheet_not_found"


@FEW
@given(
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]),
    st.lists(st.sampled_from(["Feminine", "Masculine", "NonConforming"]), min_size=1, max_size=5),
    st.sampled_from(["São Paulo", "Zürich", "Besançon", "Łódź", "Tromsø"]),
)
def test_any_common_encoding_reads_the_same_records(encoding: str, genders: list[str], city: str) -> None:
    text = "prs_Gender,prs_MailingCity\n" + "".join(f"{g},{city}\n" for g in genders)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    result = outcome(data, "e.csv")
    assert isinstance(result, ParsedSubmission)
    assert result.ok
    assert [r.values["prs_Gender"] for r in result.records] == genders
    if encoding.startswith("utf"):
        assert {r.values["prs_MailingCity"] for r in result.records} == {city}


@FEW
@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["{:%Y-%m-%d}", "{:%d/%m/%Y}", "{:%d.%m.%Y}", "{:%Y/%m/%d}", "{:%d %B %Y}", "{:%Y%m%d}"]),
)
def test_mixed_date_formats_parse_to_the_same_day_and_future_dates_are_flagged(
    day: dt.date, fmt: str
) -> None:
    text = fmt.format(day)
    assert parse_date(text)[0] == day
    # the texts are written day first, and the file's order is chosen as day first
    dmy = ValidationSettings(today=TODAY, date_order="DMY")
    issues = validate_records([{"cas_IncomingReferralDate": text}], settings=dmy)
    assert [i.code for i in issues] == (["htcds.future_date"] if day > TODAY else [])


@FEW
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=12),
            st.integers(),
            st.floats(allow_nan=True),
            st.booleans(),
            st.dates(),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_arbitrary_cell_values_never_crash_validation(values: list[object]) -> None:
    fields = [
        "prs_Gender",
        "prs_Birthdate",
        "vic_TypeOfExploitation",
        "con_Consent",
        "vic_AgeWhenTrafficked",
        "prs_Citizenship",
        "prs_MobilePhone",
        "prs_PrimaryLanguage",
    ]
    record = dict(zip(fields, values, strict=False))
    for issue in validate_records([record], settings=ValidationSettings(today=TODAY)):
        assert issue.code.startswith("htcds.") and issue.message
        if issue.location.field in ("prs_Birthdate", "prs_MobilePhone"):
            assert issue.value is None


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(["=1+1", "=A1", '=CONCAT("a","b")', "=TODAY()"]), min_size=1, max_size=3))
def test_formulas_in_cells_are_always_flagged_and_never_read(formulas: list[str]) -> None:
    data = workbook([["prs_Gender", "vic_AgeWhenTrafficked"]] + [["Feminine", f] for f in formulas])
    result = outcome(data, "f.xlsx")
    assert isinstance(result, ParsedSubmission)
    assert [i.code for i in result.errors] == ["htcds.formula_cell"] * len(formulas)
    assert all("vic_AgeWhenTrafficked" not in r.values for r in result.records)


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=3), st.integers(min_value=1, max_value=3))
def test_merged_header_cells_are_always_reported(start: int, width: int) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["prs_Gender", "cas_Status", "prs_MailingCity", "hte_Country", "con_Consent"])
    ws.append(["Feminine", "Active", "Lyon", "FR", "TRUE"])
    ws.merge_cells(start_row=1, start_column=start, end_row=1, end_column=start + width)
    buf = io.BytesIO()
    wb.save(buf)
    result = outcome(buf.getvalue(), "m.xlsx")
    assert isinstance(result, ParsedSubmission)
    assert "htcds.merged_header" in {i.code for i in result.errors}


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=4000))
def test_a_file_over_the_size_limit_is_always_refused(limit: int) -> None:
    data = b"prs_Gender\n" + b"Feminine\n" * 500
    cfg = SubmissionSettings(reader=ReaderSettings(max_bytes=limit))
    result = outcome(data, "big.csv", cfg)
    assert isinstance(result, VinculoError) and result.code == "readers.file_too_large"
