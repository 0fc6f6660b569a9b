"""The synthetic multi-agency linkage set: reproducible, consistent truth, hard in the ways it claims."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from vinculo.linkage import _synthetic_pools as pools
from vinculo.linkage import synthetic
from vinculo.linkage._synthetic_text import strip_diacritics
from vinculo.linkage.sources import read_source

N = 1500


@pytest.fixture(scope="module")
def data() -> synthetic.SyntheticSet:
    return synthetic.generate(N, seed=7)


def _script(text: str, name: str) -> bool:
    return any(c.isalpha() and name in unicodedata.name(c, "") for c in text)


def test_the_same_seed_gives_the_same_set_and_another_seed_another() -> None:
    a = synthetic.generate(300, seed=3)
    b = synthetic.generate(300, seed=3)
    c = synthetic.generate(300, seed=4)
    assert a.sources == b.sources and a.truth == b.truth and a.families == b.families
    assert a.sources != c.sources


def test_truth_describes_every_record_exactly_once(data: synthetic.SyntheticSet) -> None:
    keys = [(name, row["record_id"]) for name, rows in data.sources.items() for row in rows]
    assert len(keys) == len(set(keys)) == len(data.truth)
    assert set(keys) == set(data.truth)
    assert data.n_persons == N
    assert set(data.families) <= set(data.truth.values())


def test_every_row_has_the_htcds_columns_and_is_labelled_synthetic(data: synthetic.SyntheticSet) -> None:
    assert sorted(data.sources) == sorted(synthetic.AGENCIES)
    for rows in data.sources.values():
        for row in rows:
            assert tuple(row) == synthetic.COLUMNS
            assert row["is_synthetic"] == "TRUE"
            assert row["record_id"].startswith("SYN-")
            assert row["prs_Email"] == "" or re.search(r"@example\.(com|net|org)$", row["prs_Email"])


def test_most_persons_are_on_one_list_and_some_on_four(data: synthetic.SyntheticSet) -> None:
    lists_per_person: dict[str, set[str]] = defaultdict(set)
    for (source, _), person in data.truth.items():
        lists_per_person[person].add(source)
    counts = Counter(len(s) for s in lists_per_person.values())
    assert counts[1] > N / 2
    assert counts[2] > counts[3] > counts[4] > 0


def test_within_agency_duplicates_are_present(data: synthetic.SyntheticSet) -> None:
    per_source_person = Counter((source, person) for (source, _), person in data.truth.items())
    assert sum(1 for n in per_source_person.values() if n > 1) > N * 0.02


def test_names_come_in_latin_cyrillic_and_arabic_scripts_for_the_same_person(
    data: synthetic.SyntheticSet,
) -> None:
    scripts_by_person: dict[str, set[str]] = defaultdict(set)
    for name, rows in data.sources.items():
        for row in rows:
            text = row["prs_FirstName"] + row["prs_SecondName"]
            for script in ("LATIN", "CYRILLIC", "ARABIC"):
                if _script(text, script):
                    scripts_by_person[data.truth[name, row["record_id"]]].add(script)
    mixed = Counter(frozenset(s) for s in scripts_by_person.values() if len(s) > 1)
    assert mixed[frozenset({"LATIN", "CYRILLIC"})] > 10
    assert mixed[frozenset({"LATIN", "ARABIC"})] > 10


def _rows_by_person(data: synthetic.SyntheticSet) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for name, rows in data.sources.items():
        for row in rows:
            out[data.truth[name, row["record_id"]]].append(row)
    return out


def test_one_person_is_written_in_several_romanisations(data: synthetic.SyntheticSet) -> None:
    by_person = _rows_by_person(data)
    spellings = 0
    for person, rows in by_person.items():
        if data.cultures[person] not in ("ru", "uk", "ar"):
            continue
        latin = {
            r["prs_SecondName"].casefold()
            for r in rows
            if r["prs_SecondName"]
            and not _script(r["prs_SecondName"], "CYRILLIC")
            and not _script(r["prs_SecondName"], "ARABIC")
        }
        spellings += len(latin) > 1
    assert spellings > 20


def test_vietnamese_names_appear_in_both_orders_and_with_and_without_diacritics(
    data: synthetic.SyntheticSet,
) -> None:
    family_names = {n for n, _ in pools.VI_FAMILY}
    family_names |= {strip_diacritics(n) for n in family_names}
    first_is_family = 0
    diacritics = plain_forms = 0
    for person, rows in _rows_by_person(data).items():
        if data.cultures[person] != "vi":
            continue
        for r in rows:
            first = r["prs_FirstName"].split(" ")[0].title()
            first_is_family += first in family_names
            if any(
                unicodedata.combining(c)
                for c in unicodedata.normalize("NFD", r["prs_FirstName"] + r["prs_SecondName"])
            ):
                diacritics += 1
            else:
                plain_forms += 1
    assert first_is_family > 10
    assert diacritics > 10 and plain_forms > 10


def test_birth_dates_carry_defaults_year_only_and_several_formats(data: synthetic.SyntheticSet) -> None:
    dates = [r["prs_Birthdate"] for rows in data.sources.values() for r in rows]
    assert sum(d in ("1900-01-01", "01.01.1900", "01/01/1900") for d in dates) > 5
    assert sum(bool(re.fullmatch(r"\d{4}", d)) for d in dates) > 10
    assert sum(bool(re.fullmatch(r"\d{4}-01-01|01[./]01[./]\d{4}", d)) for d in dates) > 50
    assert any(re.fullmatch(r"\d\d\.\d\d\.\d{4}", d) for d in dates)
    assert any(re.fullmatch(r"\d\d/\d\d/\d{4}", d) for d in dates)
    assert sum(d == "" for d in dates) > 10


def test_phones_come_in_national_and_international_forms(data: synthetic.SyntheticSet) -> None:
    phones = [r["prs_MobilePhone"] for rows in data.sources.values() for r in rows if r["prs_MobilePhone"]]
    assert sum(p.startswith("+") for p in phones) > 50
    assert sum(p.startswith("0") and not p.startswith("00") for p in phones) > 50


def test_agencies_record_different_subsets_of_fields(data: synthetic.SyntheticSet) -> None:
    filled = {
        name: {c for c in synthetic.COLUMNS if any(r[c] for r in rows)} for name, rows in data.sources.items()
    }
    assert "prs_MailingStreet" not in filled["police"] and "prs_MailingStreet" in filled["ngo_shelter"]
    assert "prs_IdentityNumber" not in filled["ngo_shelter"] and "prs_IdentityNumber" in filled["police"]
    assert "prs_Email" not in filled["labour_inspectorate"] and "prs_Email" in filled["migrant_assistance"]


def test_family_members_are_the_classic_false_match(data: synthetic.SyntheticSet) -> None:
    """Relatives: one family name, one home, distinct persons, often identified by the same agency."""
    members: dict[str, list[str]] = defaultdict(list)
    for person, fam in data.families.items():
        members[fam].append(person)
    assert len(members) > N * 0.04
    lists: dict[str, set[str]] = defaultdict(set)
    for (source, _), person in data.truth.items():
        lists[person].add(source)
    by_person = _rows_by_person(data)
    on_a_shared_list = same_street = 0
    for people in members.values():
        assert len(people) == len(set(people)) > 1
        on_a_shared_list += any(lists[a] & lists[b] for i, a in enumerate(people) for b in people[i + 1 :])
        streets = {r["prs_MailingStreet"] for p in people for r in by_person[p] if r["prs_MailingStreet"]}
        same_street += len(streets) == 1
    assert on_a_shared_list > len(members) * 0.5
    assert same_street > len(members) * 0.2


def test_relatives_share_the_family_name_in_one_register(data: synthetic.SyntheticSet) -> None:
    """Two relatives on the same agency's list under one family name, with different given names."""
    found = 0
    for name, rows in data.sources.items():
        by_family: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        for r in rows:
            person = data.truth[name, r["record_id"]]
            fam = data.families.get(person)
            if fam and r["prs_SecondName"]:
                by_family[fam, r["prs_SecondName"].casefold()[:4]].add(
                    (person, r["prs_FirstName"].casefold())
                )
        for entries in by_family.values():
            persons = {p for p, _ in entries}
            found += len(persons) > 1
    assert found > 20


def test_every_agency_file_is_readable_as_a_source(tmp_path: Path, data: synthetic.SyntheticSet) -> None:
    paths = data.write(tmp_path)
    assert sorted(p.name for p in paths) == sorted([f"{a}.csv" for a in synthetic.AGENCIES] + ["truth.csv"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    for agency in synthetic.AGENCIES:
        source = read_source(tmp_path / f"{agency}.csv", id_column="record_id")
        assert source.name == agency
        assert len(source) == len(data.sources[agency])
        assert {p.record_id for p in source.persons} == {r["record_id"] for r in data.sources[agency]}
    with (tmp_path / "truth.csv").open(encoding="utf-8", newline="") as fh:
        truth = {(r["source"], r["record_id"]): r["person_id"] for r in csv.DictReader(fh)}
    assert truth == data.truth


def test_custom_agency_names_take_the_default_habits_in_turn() -> None:
    s = synthetic.generate(200, seed=1, agencies=("a", "b"))
    assert sorted(s.sources) == ["a", "b"]
    assert all(r["record_id"].startswith(("SYN-A-", "SYN-B-")) for rows in s.sources.values() for r in rows)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="n_persons"):
        synthetic.generate(-1, seed=1)
    with pytest.raises(ValueError, match="distinct"):
        synthetic.generate(10, seed=1, agencies=("a", "a"))


def test_the_module_entry_writes_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synthetic.main(["--persons", "50", "--seed", "2", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "police.csv").is_file() and (tmp_path / "truth.csv").is_file()
    assert "50 persons" in capsys.readouterr().out
