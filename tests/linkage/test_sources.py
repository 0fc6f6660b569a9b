"""Reading agencies' files into Sources (vinculo.linkage.sources.read_source)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vinculo.errors import VinculoError
from vinculo.htcds import write_xlsx
from vinculo.linkage import names
from vinculo.linkage.sources import read_source

ROWS = [
    {"case": "P-1", "prs_FirstName": "Олександр", "prs_SecondName": "Шевченко", "prs_Birthdate": "1990-04",
     "prs_Gender": "Masculine", "prs_MobilePhone": "050 123 45 67", "prs_Citizenship": "UA"},
    {"case": "P-2", "prs_FirstName": "محمد", "prs_SecondName": "الحسن", "prs_Birthdate": "not known",
     "prs_Gender": "Masculine", "prs_MobilePhone": "", "prs_Citizenship": "SY"},
    {"case": "P-3", "prs_FirstName": "María José", "prs_SecondName": "García-López", "prs_Birthdate": "31/12/1999",
     "prs_Gender": "Feminine", "prs_MobilePhone": "+34 612 345 678", "prs_Citizenship": "ES"},
]  # fmt: skip


def _csv(rows: list[dict[str, str]], columns: list[str] | None = None, bom: bool = False) -> bytes:
    cols = columns or list(rows[0])
    lines = [",".join(cols)] + [",".join(r.get(c, "") for c in cols) for r in rows]
    return (("\ufeff" if bom else "") + "\n".join(lines) + "\n").encode("utf-8")


def test_reads_htcds_columns_in_any_order_with_bom_and_extra_columns() -> None:
    cols = ["notes", "prs_SecondName", "prs_Birthdate", "case", "prs_FirstName", "prs_Gender", "prs_MobilePhone",
            "prs_Citizenship"]  # fmt: skip
    src = read_source(_csv(ROWS, cols, bom=True), id_column="case", file_name="police_2024.csv")
    assert src.name == "police_2024" and src.file == "police_2024.csv" and len(src) == 3
    a, b, c = src.persons
    assert (a.record_id, a.row, a.given, a.family) == ("P-1", 2, ("oleksandr",), ("shevchenko",))
    assert (a.birth_year, a.birth_month, a.phone, a.sex) == (1990, 4, "+380501234567", "m")
    assert b.given == ("muhammad",) and b.birth_year is None and b.birth_text == "not known"
    assert c.family == ("garcia", "lopez") and (c.birth_year, c.birth_month, c.birth_day) == (1999, 12, 31)
    assert src.fields_present == {"given", "family", "birth", "sex", "phone", "citizenship"}


def test_source_name_from_path_and_override(tmp_path: Path) -> None:
    path = tmp_path / "ngo.shelter.csv"
    path.write_bytes(_csv(ROWS))
    assert read_source(path, id_column="case").name == "ngo.shelter"
    assert read_source(path, id_column="case", name="shelter").name == "shelter"


def test_id_column_matches_ignoring_case_and_numbers_keep_no_decimal() -> None:
    src = read_source(b"Record ID,prs_FirstName\n7,Ann\n8,Bob\n", id_column="record id", file_name="x.csv")
    assert [p.record_id for p in src.persons] == ["7", "8"]


def test_template_spellings_labels_and_mapping_file(tmp_path: Path) -> None:
    alias = read_source(b"id,prs_First_Name,Second Name\n1,Ann,Lee\n", id_column="id", file_name="a.csv")
    assert alias.persons[0].given == ("ann",) and alias.persons[0].family == ("lee",)
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "source_column,htcds_field,source_value,htcds_value\nNombre,prs_FirstName,,\nApellidos,prs_SecondName,,\n"
        "Sexo,prs_Gender,,\nNacimiento,prs_Birthdate,,\n,prs_Gender,M,Feminine\n,prs_Gender,H,Masculine\n",
        encoding="utf-8",
    )
    data = "folio,Nombre,Apellidos,Sexo,Nacimiento\n11,Lupe,Pérez,M,1988\n12,José,Ruiz,H,04/1975\n".encode()
    src = read_source(data, id_column="folio", mapping=mapping, file_name="fiscalia.csv")
    a, b = src.persons
    assert a.sex == "f" and b.sex == "m"  # M is "mujer" here: the mapping's recode wins
    assert a.given_canonical == (names.canonical_token("Guadalupe"),)
    assert (b.birth_year, b.birth_month) == (1975, 4)


def test_reads_xlsx_with_label_row_and_typed_dates(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "inspectorate.xlsx"
    records = [
        {"source_record_id": "L1", "prs_FirstName": "Yusuf", "prs_Birthdate": dt.date(1991, 7, 3), "prs_Gender": "Masculine"},
        {"source_record_id": "L2", "prs_FirstName": "Olha", "prs_Birthdate": "1993", "prs_Gender": "Feminine"},
    ]  # fmt: skip
    write_xlsx(records, path, label_row=True)
    src = read_source(path, id_column="source_record_id")
    a, b = src.persons
    assert (a.record_id, a.birth_year, a.birth_month, a.birth_day) == ("L1", 1991, 7, 3)
    assert b.given_canonical == (names.canonical_token("Olga"),) and b.birth_year == 1993


def test_reads_json_and_kobo_group_paths_and_select_multiple_options() -> None:
    doc = {
        "results": [
            {"_uuid": "u1", "person/prs_FirstName": "Ivan", "person/prs_Birthdate": "1980-02-02",
             "vic_TypeOfExploitation/ForcedLabour": "1", "vic_TypeOfExploitation/SexualExploitation": "0"},
            {"_uuid": "u2", "person": {"prs_FirstName": "Tanya"}, "vic_TypeOfExploitation/ForcedLabour": "0",
             "vic_TypeOfExploitation/SexualExploitation": "1"},
        ]
    }  # fmt: skip
    src = read_source(json.dumps(doc).encode(), id_column="_uuid", file_name="kobo.json")
    a, b = src.persons
    assert a.given == ("ivan",) and a.birth_year == 1980 and a.strata["exploitation"] == "ForcedLabour"
    assert b.given_canonical == (names.canonical_token("Tatiana"),)
    assert b.strata["exploitation"] == "SexualExploitation"


def _error(data: bytes, **kw: object) -> VinculoError:
    with pytest.raises(VinculoError) as info:
        read_source(data, file_name="police.csv", **{"id_column": "id", **kw})  # type: ignore[arg-type]
    return info.value


def test_missing_id_column_names_the_file_and_the_columns_found() -> None:
    err = _error(b"case,prs_FirstName\n1,Ann\n")
    assert err.code == "linkage.missing_id_column"
    assert "police.csv" in str(err) and '"id"' in str(err) and '"case"' in str(err) and "Ann" not in str(err)


def test_duplicate_ids_name_both_rows_and_no_values() -> None:
    err = _error(b"id,prs_FirstName\n1,Amina\n2,Bashir\n1,Chiara\n2,Dawit\n3,Eun\n")
    assert err.code == "linkage.duplicate_id"
    assert "row 4 repeats row 2" in str(err) and "row 5 repeats row 3" in str(err)
    assert [i.location.row for i in err.issues] == [4, 5]
    for name in ("Amina", "Bashir", "Chiara", "Dawit"):
        assert name not in str(err)


def test_empty_id_is_an_error_naming_the_row() -> None:
    err = _error(b"id,prs_FirstName\n1,Ann\n,Bob\n")
    assert err.code == "linkage.empty_id" and "rows 3" in str(err) and "Bob" not in str(err)


@pytest.mark.parametrize(
    "data",
    [b"id,prs_Gender,prs_Citizenship\n1,F,UA\n", b"id,colour\n1,blue\n"],
)
def test_no_usable_person_field_is_an_error(data: bytes) -> None:
    assert _error(data).code == "linkage.no_person_fields"


def test_person_columns_that_are_all_empty_are_an_error() -> None:
    err = _error(b"id,prs_FirstName,prs_Birthdate\n1,,\n2,,\n")
    assert err.code == "linkage.no_person_fields" and "2 records" in str(err)


@pytest.mark.parametrize("data", [b"", b"\n\n", b"id,prs_FirstName\n"])
def test_empty_files_are_an_error(data: bytes) -> None:
    assert _error(data).code == "linkage.empty"


def test_mixed_encodings_are_refused_naming_the_line() -> None:
    data = "id,prs_FirstName\n1,Іван\n2,".encode() + "José".encode("cp1252") + b"\n"
    err = _error(data)
    assert err.code == "linkage.mixed_encoding" and "line 3" in str(err) and "Jos" not in str(err)


def test_a_whole_file_in_a_legacy_encoding_is_read() -> None:
    data = "id,prs_FirstName,prs_SecondName\n1,José,Müller\n2,Zoë,Ørsted\n".encode("cp1252")
    src = read_source(data, id_column="id", file_name="old.csv")
    assert src.persons[0].given == ("jose",) and src.persons[1].family == ("orsted",)


def test_unreadable_bytes_give_the_readers_error() -> None:
    assert _error(b"\x00\x01\x02\xff" * 50).code.startswith("readers.")


@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), min_size=1, max_size=5
        ),
        max_size=6,
    ),
    st.sampled_from([",", ";", "\t"]),
)
@settings(max_examples=150, deadline=None)
def test_read_source_gives_a_source_or_a_vinculo_error_never_a_traceback(
    rows: list[list[str]], sep: str
) -> None:
    header = ["id", "prs_FirstName", "prs_Birthdate", "prs_MobilePhone", "prs_Gender"]
    lines = [sep.join(header)] + [sep.join(f'"{c.replace(chr(34), "")}"' for c in r) for r in rows]
    data = "\n".join(lines).encode("utf-8")
    try:
        src = read_source(data, id_column="id", file_name="fuzz.csv")
    except VinculoError as exc:
        assert exc.code.startswith(("linkage.", "readers."))
    else:
        assert len({p.record_id for p in src.persons}) == len(src)


def test_the_reader_limits_are_the_callers_and_default_to_national_scale() -> None:
    from vinculo.errors import VinculoError
    from vinculo.linkage.sources import LINKAGE_READER, read_source
    from vinculo.readers import ReaderSettings

    data = b"id,prs_FirstName\n" + b"".join(b"%d,Ana\n" % i for i in range(40))
    assert len(read_source(data, id_column="id", file_name="a.csv")) == 40
    with pytest.raises(VinculoError) as info:
        read_source(data, id_column="id", file_name="a.csv", settings=ReaderSettings(max_bytes=64))
    assert info.value.code == "readers.file_too_large"
    # A register of a million persons (about 120 MB of CSV) is more than one upload's limit.
    assert LINKAGE_READER.max_bytes >= 1024**3 and LINKAGE_READER.max_rows >= 5_000_000
