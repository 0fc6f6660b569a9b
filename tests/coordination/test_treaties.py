"""Seed treaty entries: sources, precision and the traps of each source."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vinculo.coordination import seed_treaty_entries
from vinculo.coordination._treaties import _crosswalk, _open


def shared_data() -> Path:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    pytest.skip("shared/data is not present")


MEMBERS = [
    line.strip()
    for line in (Path(__file__).resolve().parents[2] / "src/vinculo/web/core/data/un_member_states.txt")
    .read_text()
    .splitlines()
    if line.strip() and not line.startswith("#")
]


def test_every_member_state_gets_one_entry_per_instrument_with_a_source_and_precision() -> None:
    entries = seed_treaty_entries(MEMBERS)
    assert len(entries) == 2 * 193
    for e in entries:
        assert e.precision in ("none", "year")
        assert (e.year is not None) is (e.precision == "year")
        assert (e.source == "none") is (e.status == "unknown")
        assert e.note


def test_packaged_copies_match_the_shared_reference_data() -> None:
    shared = shared_data()
    ks = _open("kelley_simmons_2015_ratification_years.csv")
    with (shared / "treaties" / "kelley_simmons_2015_untoc_protocol_ratification_year__derived.csv").open(
        encoding="utf-8"
    ) as fh:
        assert ks == list(csv.DictReader(fh))
    with (shared / "ilab" / "ilab_country_conventions_2022__derived.csv").open(encoding="utf-8") as fh:
        original = {r["country"]: r["palermo_protocol_ratified"] for r in csv.DictReader(fh)}
    assert {
        r["country"]: r["palermo_protocol_ratified"] for r in _open("ilab_2022_palermo_protocol.csv")
    } == original


def test_every_source_name_has_an_iso3_code() -> None:
    names = _crosswalk()
    for row in _open("kelley_simmons_2015_ratification_years.csv"):
        assert ("kelley_simmons_2015", row["country_name_ks"]) in names
    for row in _open("ilab_2022_palermo_protocol.csv"):
        assert ("ilab_2022", row["country"]) in names


def test_not_by_data_end_is_never_read_as_not_a_party() -> None:
    by_key = {(e.iso3, e.instrument): e for e in seed_treaty_entries(MEMBERS)}
    ks = {
        _crosswalk()[("kelley_simmons_2015", r["country_name_ks"])]: r
        for r in _open("kelley_simmons_2015_ratification_years.csv")
    }
    censored = [iso for iso, r in ks.items() if r["untoc_year"] == "not_by_data_end" and iso in MEMBERS]
    assert censored
    for iso3 in censored:
        entry = by_key[(iso3, "untoc")]
        assert entry.status == "not_by_data_end"
        assert "not_party" != entry.status and "may have ratified since" in entry.note


def test_china_protocol_stays_censored_and_is_not_read_as_not_a_party() -> None:
    # The shared README's example: China acceded in 2010 but the panel codes it as not ratified by
    # the end of the data, and ILAB 2022 does not cover China (empty value).
    entry = {(e.iso3, e.instrument): e for e in seed_treaty_entries(["CHN"])}[("CHN", "tip_protocol")]
    assert entry.status == "not_by_data_end" and entry.source == "kelley_simmons_2015" and entry.year is None


def test_an_empty_ilab_value_means_not_covered_not_not_ratified() -> None:
    blank = [
        _crosswalk()[("ilab_2022", r["country"])]
        for r in _open("ilab_2022_palermo_protocol.csv")
        if r["palermo_protocol_ratified"].strip() == ""
    ]
    assert blank
    for entry in seed_treaty_entries(blank):
        assert entry.source != "ilab_2022" or entry.status != "not_party"


def test_a_year_comes_only_from_kelley_simmons_and_is_marked_year_only() -> None:
    for e in seed_treaty_entries(MEMBERS):
        if e.year is not None:
            assert e.source == "kelley_simmons_2015" and e.precision == "year" and 2000 <= e.year <= 2011
