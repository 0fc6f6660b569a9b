"""``vinculo link`` and ``vinculo dedupe``: the output contract scripts rely on."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.linkage.people import population, sources

from vinculo.cli import main

pytest.importorskip("splink")


def _write(path: Path, rows: list[dict[str, str]], *, bom: bool = False, reverse: bool = False) -> Path:
    fields = list(rows[0])
    if reverse:
        fields = [*fields[::-1], "extra_column"]
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore", restval="x")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], dict[tuple[str, str], str]]:
    folder = tmp_path_factory.mktemp("link")
    rows, truth = sources(
        population(150, seed=21), seed=22, shares={"police": 0.6, "ngo": 0.5, "shelter": 0.3}
    )
    paths = [
        _write(folder / "police.csv", rows["police"], bom=True),
        _write(folder / "ngo.csv", rows["ngo"], reverse=True),
        _write(folder / "shelter.csv", rows["shelter"]),
    ]
    return folder, paths, truth


@pytest.fixture(scope="module")
def linked(files):
    folder, paths, truth = files
    out, hist = folder / "clusters.csv", folder / "h.csv"
    result = CliRunner().invoke(
        main,
        [
            "link",
            *map(str, paths),
            "--id",
            "record_id",
            "--out",
            str(out),
            "--histories",
            str(hist),
            "--quiet",
        ],
    )
    return result, out, hist, truth


def test_link_writes_every_record_exactly_once_with_global_cluster_ids(linked) -> None:
    result, out, _, truth = linked
    assert result.exit_code == 0, result.output
    rows = _read(out)
    assert list(rows[0]) == ["source", "record_id", "cluster_id"]
    keys = [(r["source"], r["record_id"]) for r in rows]
    assert len(keys) == len(set(keys)) == len(truth)
    assert set(keys) == set(truth)
    assert [s for s, _ in keys] == sorted((s for s, _ in keys), key=["police", "ngo", "shelter"].index)
    ids = {int(r["cluster_id"]) for r in rows}
    assert ids == set(range(len(ids)))
    across = Counter(int(r["cluster_id"]) for r in rows)
    assert any(n > 1 for n in across.values())


def test_histories_have_a_column_per_source_and_agree_with_the_clusters(linked) -> None:
    _, out, hist, _ = linked
    rows = _read(out)
    sources_of: dict[str, set[str]] = {}
    for r in rows:
        sources_of.setdefault(r["cluster_id"], set()).add(r["source"])
    expected = Counter(tuple(int(s in v) for s in ("police", "ngo", "shelter")) for v in sources_of.values())
    table = _read(hist)
    assert list(table[0]) == ["police", "ngo", "shelter", "count"]
    got = {tuple(int(r[s]) for s in ("police", "ngo", "shelter")): int(r["count"]) for r in table}
    assert got == dict(expected)
    assert (0, 0, 0) not in got


def test_the_histories_table_is_read_by_vinculo_estimate(linked) -> None:
    _, _, hist, _ = linked
    result = CliRunner().invoke(main, ["estimate", str(hist), "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["observed"] > 0


def test_json_summary_reports_records_clusters_review_pairs_and_overlap(files, tmp_path) -> None:
    _, paths, truth = files
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(
        main,
        ["link", str(paths[0]), str(paths[1]), "--id", "record_id", "--out", str(out), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["ok"] is True
    assert summary["records"] == sum(1 for s, _ in truth if s in ("police", "ngo"))
    assert [s["name"] for s in summary["sources"]] == ["police", "ngo"]
    assert summary["overlap"][0]["sources"] == ["police", "ngo"] and summary["overlap"][0]["clusters"] > 0
    assert isinstance(summary["review_pairs"], int)
    assert 2 <= summary["largest_cluster"] <= 6
    sensitivity = summary["threshold_sensitivity"]
    assert [s["threshold"] for s in sensitivity] == [0.5, 0.9, 0.99]
    counts = [s["clusters"] for s in sensitivity]
    assert counts == sorted(counts) and counts[1] == summary["clusters"]


def test_dedupe_merges_within_source_duplicates(tmp_path) -> None:
    rows, truth = sources(population(200, seed=31), seed=32, shares={"cases": 1.0}, duplicates=0.25)
    path = _write(tmp_path / "cases.csv", rows["cases"])
    out = tmp_path / "clusters.csv"
    result = CliRunner().invoke(
        main, ["dedupe", str(path), "--id", "record_id", "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    got = {(r["source"], r["record_id"]): r["cluster_id"] for r in _read(out)}
    assert set(got) == set(truth)
    dup_people = [p for p, n in Counter(truth.values()).items() if n > 1]
    assert dup_people
    same = sum(len({got[k] for k, v in truth.items() if v == p}) == 1 for p in dup_people)
    assert same / len(dup_people) >= 0.8


def test_one_file_given_to_link_is_refused_with_status_2(files, tmp_path) -> None:
    _, paths, _ = files
    result = CliRunner().invoke(
        main, ["link", str(paths[0]), "--id", "record_id", "--out", str(tmp_path / "c.csv")]
    )
    assert result.exit_code == 2
    assert "linkage.too_few_sources" in result.output and "dedupe" in result.output
    assert not (tmp_path / "c.csv").exists()


def test_a_missing_id_column_names_the_file_and_writes_nothing(files, tmp_path) -> None:
    _, paths, _ = files
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(main, ["link", *map(str, paths[:2]), "--id", "case_no", "--out", str(out)])
    assert result.exit_code == 2
    assert "linkage.missing_id_column" in result.output and "police.csv" in result.output
    assert "Pass the name of the column" in result.output  # and says what to do
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_duplicate_ids_are_an_error_with_status_1_and_no_identifier_in_the_message(tmp_path) -> None:
    rows = [
        {
            "record_id": "7",
            "prs_FirstName": "Olena",
            "prs_SecondName": "Kovalenko",
            "prs_Birthdate": "1990-01-02",
        },
        {
            "record_id": "7",
            "prs_FirstName": "Iryna",
            "prs_SecondName": "Melnyk",
            "prs_Birthdate": "1991-03-04",
        },
    ]
    a = _write(tmp_path / "a.csv", rows)
    b = _write(tmp_path / "b.csv", rows[:1])
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(main, ["link", str(a), str(b), "--id", "record_id", "--out", str(out)])
    assert result.exit_code in (1, 2)
    assert "linkage.duplicate_id" in result.output and "a.csv" in result.output
    for secret in ("Olena", "Kovalenko", "Iryna", "Melnyk", "1990"):
        assert secret not in result.output
    assert not out.exists()


def test_two_files_with_the_same_name_are_refused(files, tmp_path) -> None:
    _, paths, _ = files
    other = tmp_path / "sub"
    other.mkdir()
    copy = other / "police.csv"
    copy.write_bytes(paths[0].read_bytes())
    result = CliRunner().invoke(
        main, ["link", str(paths[0]), str(copy), "--id", "record_id", "--out", str(tmp_path / "c.csv")]
    )
    assert result.exit_code == 2
    assert "linkage.duplicate_source" in result.output


def test_an_output_that_would_overwrite_an_input_is_refused(files) -> None:
    _, paths, _ = files
    before = paths[1].read_bytes()
    result = CliRunner().invoke(
        main, ["link", *map(str, paths[:2]), "--id", "record_id", "--out", str(paths[1])]
    )
    assert result.exit_code == 2
    assert paths[1].read_bytes() == before


def test_partial_and_invalid_dates_and_other_scripts_do_not_crash(tmp_path) -> None:
    a = _write(
        tmp_path / "a.csv",
        [
            {
                "record_id": "1",
                "prs_FirstName": "Олена",
                "prs_SecondName": "Коваленко",
                "prs_Birthdate": "1990",
            },
            {"record_id": "2", "prs_FirstName": "محمد", "prs_SecondName": "حسن", "prs_Birthdate": "1990-04"},
            {
                "record_id": "3",
                "prs_FirstName": "Nguyễn",
                "prs_SecondName": "Thị",
                "prs_Birthdate": "31/02/1990x",
            },
        ],
        bom=True,
    )
    b = _write(
        tmp_path / "b.csv",
        [
            {
                "record_id": "1",
                "prs_FirstName": "Olena",
                "prs_SecondName": "Kovalenko",
                "prs_Birthdate": "1990-05-06",
            },
            {"record_id": "9", "prs_FirstName": "Ana", "prs_SecondName": "Lee", "prs_Birthdate": "not known"},
        ],
    )
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(
        main, ["link", str(a), str(b), "--id", "record_id", "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert len(_read(out)) == 5


def test_a_source_named_count_cannot_have_a_histories_table(files, tmp_path) -> None:
    _, paths, _ = files
    count = tmp_path / "count.csv"
    count.write_bytes(paths[1].read_bytes())
    out, hist = tmp_path / "c.csv", tmp_path / "h.csv"
    args = [
        "link",
        str(paths[0]),
        str(count),
        "--id",
        "record_id",
        "--out",
        str(out),
        "--histories",
        str(hist),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "linkage.source_named_count" in result.output
    assert not out.exists() and not hist.exists()
