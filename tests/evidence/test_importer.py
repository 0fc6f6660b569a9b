import csv
import datetime as dt
import gzip
import shutil
from pathlib import Path

import openpyxl
import pytest

from vinculo.errors import VinculoError
from vinculo.evidence import COLUMNS, GlotipDataset, read_glotip

GOOD = [
    [
        "NLD",
        "Netherlands (Kingdom of the)",
        "Europe",
        "Western Europe",
        "Detected trafficking victims",
        "Total",
        "Total",
        "Total",
        "Total",
        "2022",
        "Counts",
        "1,269",
        "GLOTIP",
    ],
    [
        "NLD",
        "Netherlands (Kingdom of the)",
        "Europe",
        "Western Europe",
        "Detected trafficking victims",
        "Total",
        "Total",
        "Female",
        "Total",
        "2022",
        "Counts",
        "<5",
        "GLOTIP",
    ],
    [
        "NLD",
        "Netherlands (Kingdom of the)",
        "Europe",
        "Western Europe",
        "Detected trafficking victims",
        "by citizenship",
        "Nigerians",
        "Total",
        "Total",
        "2022",
        "Counts",
        "12",
        "GLOTIP",
    ],
]


def write_csv(path, rows, header=COLUMNS, banner=()):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        for b in banner:
            w.writerow(b)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path, rows, header=COLUMNS, banner=(), sheets=("data",)):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in sheets[:-1]:
        wb.create_sheet(name).append(["notes", "nothing here"])
    ws = wb.create_sheet(sheets[-1])
    for b in banner:
        ws.append(list(b))
    ws.append(list(header))
    for r in rows:
        ws.append([int(v) if i == 9 else v for i, v in enumerate(r)])
    wb.save(path)
    return path


def test_a_small_csv_imports_with_suppression_kept(tmp_path):
    result = read_glotip(write_csv(tmp_path / "g.csv", GOOD))
    ds = result.dataset
    assert ds.get("NLD", "Detected trafficking victims", 2022).value == 1269
    female = ds.get("NLD", "Detected trafficking victims", 2022, sex="Female")
    assert female.is_suppressed and female.value is None
    assert result.unmapped == ()


def test_banner_rows_above_the_header_are_skipped_and_give_the_export_date(tmp_path):
    path = write_xlsx(tmp_path / "g.xlsx", GOOD, banner=[["UNODC"], ["14/04/2025"]])
    result = read_glotip(path)
    assert result.header_row == 3
    assert result.dataset.export_date == dt.date(2025, 4, 14)


def test_the_data_may_sit_on_another_sheet(tmp_path):
    path = write_xlsx(tmp_path / "g.xlsx", GOOD, sheets=("Read me", "data_glotip_1"))
    result = read_glotip(path)
    assert result.sheet == "data_glotip_1"
    assert len(result.dataset) == 3


def test_a_missing_sheet_is_named_with_the_sheets_there_are(tmp_path):
    path = write_xlsx(tmp_path / "g.xlsx", GOOD)
    with pytest.raises(VinculoError) as err:
        read_glotip(path, sheet="Sheet9")
    assert err.value.code == "evidence.no_such_sheet"
    assert "'data'" in str(err.value)


def test_a_renamed_column_is_reported_with_what_was_found(tmp_path):
    header = ["Iso3", *COLUMNS[1:11], "VALUE", "Source"]
    with pytest.raises(VinculoError) as err:
        read_glotip(write_csv(tmp_path / "g.csv", GOOD, header=header))
    assert err.value.code == "evidence.missing_columns"
    missing = {i.expected: i.value for i in err.value.issues}
    assert missing == {"Iso3_code": "Iso3", "txtVALUE": "VALUE"}


def test_a_missing_column_is_reported(tmp_path):
    header = [c for c in COLUMNS if c != "Year"]
    rows = [[v for i, v in enumerate(r) if i != 9] for r in GOOD]
    with pytest.raises(VinculoError) as err:
        read_glotip(write_csv(tmp_path / "g.csv", rows, header=header))
    assert [i.expected for i in err.value.issues] == ["Year"]


def test_a_file_without_a_header_says_what_it_expected(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(VinculoError) as err:
        read_glotip(path)
    assert err.value.code == "evidence.no_header"
    assert "Iso3_code" in str(err.value)


def test_bad_cells_are_all_reported_with_row_and_column_and_nothing_is_imported(tmp_path):
    rows = [list(r) for r in GOOD]
    rows[0][11] = "1.269"  # unexpected number format
    rows[1][0] = "XYZ"  # code that does not exist
    rows[2][9] = "22"  # not a year
    with pytest.raises(VinculoError) as err:
        read_glotip(write_csv(tmp_path / "g.csv", rows))
    e = err.value
    assert e.code == "evidence.invalid_export"
    found = {(i.code, i.location.row, i.location.column) for i in e.issues}
    assert found == {
        ("evidence.bad_number", 2, "txtVALUE"),
        ("evidence.unknown_code", 3, "Iso3_code"),
        ("evidence.bad_year", 4, "Year"),
    }
    assert "nothing was imported" in str(e)


def test_a_non_count_unit_is_rejected(tmp_path):
    rows = [list(r) for r in GOOD]
    rows[0][10] = "Rate per 100,000"
    with pytest.raises(VinculoError) as err:
        read_glotip(write_csv(tmp_path / "g.csv", rows))
    assert err.value.issues[0].code == "evidence.bad_unit"


def test_an_unsupported_file_type_and_a_missing_file_are_clear_errors(tmp_path):
    with pytest.raises(VinculoError) as err:
        read_glotip(tmp_path / "nope.xlsx")
    assert err.value.code == "evidence.file_not_found"
    other = tmp_path / "g.json"
    other.write_text("{}")
    with pytest.raises(VinculoError) as err:
        read_glotip(other)
    assert err.value.code == "evidence.unsupported_format"


def test_repeated_keys_are_added_up_and_reported(tmp_path):
    rows = [*GOOD, GOOD[1]]
    result = read_glotip(write_csv(tmp_path / "g.csv", rows))
    female = result.dataset.get("NLD", "Detected trafficking victims", 2022, sex="Female")
    assert (female.suppressed_cells, female.cells) == (2, 2)
    assert result.combined_rows == 1
    assert any(w.code == "evidence.rows_combined" for w in result.warnings)


def test_reimporting_gives_identical_content_and_checksum(tmp_path, raw_csv_path):
    a = read_glotip(raw_csv_path).dataset
    copy = tmp_path / raw_csv_path.name
    shutil.copy(raw_csv_path, copy)
    b = read_glotip(copy).dataset
    assert a.checksum == b.checksum
    assert a.to_rows() == b.to_rows()


def test_row_order_does_not_change_the_checksum(tmp_path):
    a = read_glotip(write_csv(tmp_path / "a.csv", GOOD)).dataset
    b = read_glotip(write_csv(tmp_path / "b.csv", list(reversed(GOOD)))).dataset
    assert a.checksum == b.checksum


def test_a_dataset_rebuilt_from_stored_rows_is_identical(dataset):
    rebuilt = GlotipDataset.from_rows(
        dataset.to_rows(), dataset.countries.values(), export_date=dataset.export_date
    )
    assert rebuilt.checksum == dataset.checksum


def test_the_full_export_has_every_row_and_country(dataset, raw_rows, raw_cells):
    assert sum(r.count.cells for r in dataset.records) == len(raw_rows) == 58_769
    assert len(dataset.records) == len(raw_cells)
    assert len(dataset.countries) == 199
    assert sum(r.count.suppressed_cells for r in dataset.records) == sum(
        1 for r in raw_rows if r["txtVALUE"] == "<5"
    )


def test_every_record_matches_the_raw_cells(dataset, raw_cells, bounds):
    for r in dataset.records:
        iso = "" if r.iso3 == "XSK" else r.iso3
        texts = raw_cells[(iso, r.indicator, r.dimension, r.category, r.sex, r.age, str(r.year))]
        assert (r.count.low, r.count.high, r.count.suppressed_cells) == bounds(texts)


def test_sark_without_a_code_gets_the_user_assigned_code_with_a_warning(dataset):
    assert dataset.countries["XSK"].name == "Sark"
    assert any(w.code == "evidence.assigned_code" for w in dataset.warnings)


@pytest.mark.slow
def test_the_published_xlsx_and_the_csv_have_the_same_content(dataset, xlsx_path):
    result = read_glotip(xlsx_path)
    assert result.header_row == 3
    assert result.dataset.export_date == dt.date(2025, 4, 14)
    assert result.dataset.checksum == dataset.checksum


def test_a_gzip_csv_with_a_renamed_column_still_fails_cleanly(tmp_path):
    plain = write_csv(tmp_path / "g.csv", GOOD, header=[*COLUMNS[:11], "txtValue2", "Source"])
    gz = tmp_path / "g.csv.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    with pytest.raises(VinculoError) as err:
        read_glotip(gz)
    assert err.value.issues[0].expected == "txtVALUE"


def test_a_gzip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    import gzip

    from vinculo.evidence import _importer

    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"0" * (_importer.MAX_UNCOMPRESSED_BYTES + 10)))
    with pytest.raises(VinculoError) as info:
        read_glotip(path)
    assert info.value.code == "evidence.too_large"


def test_a_broken_csv_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b'Iso3_code,Country\n"unterminated\x00 field\n')
    with pytest.raises(VinculoError) as info:
        read_glotip(path)
    assert info.value.code in ("evidence.unreadable", "evidence.missing_columns", "evidence.no_header")
