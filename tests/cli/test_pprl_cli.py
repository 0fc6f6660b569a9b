"""``vinculo encode`` and ``vinculo match`` end to end, and their refusals (exit status 2)."""

from __future__ import annotations

import csv
import io
import random

import pytest
from click.testing import CliRunner

from vinculo.cli import main

SECRET = b"shared-agency-secret-0123456789abcdef\n"
GIVEN = [
    "Ana",
    "Oleg",
    "Fatima",
    "Mohammed",
    "Li",
    "Svetlana",
    "Pedro",
    "Amina",
    "Yusuf",
    "Elena",
    "Omar",
    "Hana",
]
FAMILY = [
    "Lima",
    "Petrenko",
    "Hassan",
    "Nguyen",
    "Kowalski",
    "Haddad",
    "Popescu",
    "Mensah",
    "Diallo",
    "Moreau",
]


def people(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {
            "given": rng.choice(GIVEN),
            "family": rng.choice(FAMILY),
            "birth": f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "city": rng.choice(["Odesa", "Kyiv", "Lviv", "Iasi"]),
        }
        for _ in range(n)
    ]


def write_source(path, persons, *, id_column: str, shuffle_seed: int, bom: bool = False) -> None:
    rng = random.Random(shuffle_seed)
    rows = []
    for i, p in enumerate(persons):
        given = p["given"] if rng.random() > 0.2 else p["given"][:-1]
        rows.append(
            {
                "notes": "extra column",
                "prs_SecondName": p["family"],
                id_column: f"{path.stem}-{i}",
                "prs_FirstName": given,
                "prs_Birthdate": p["birth"] if rng.random() > 0.1 else p["birth"][:4],
                "prs_MailingCity": p["city"],
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode())


@pytest.fixture
def folder(tmp_path):
    everyone = people(120, seed=1)
    write_source(tmp_path / "police.csv", everyone[:80], id_column="case_no", shuffle_seed=2, bom=True)
    write_source(tmp_path / "ngo.csv", everyone[40:], id_column="case_no", shuffle_seed=3)
    write_source(
        tmp_path / "shelter.csv", everyone[20:60] + everyone[100:], id_column="case_no", shuffle_seed=4
    )
    (tmp_path / "pprl.key").write_bytes(SECRET)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def encode(folder, name: str, key: str = "pprl.key"):
    return run(
        "encode",
        str(folder / f"{name}.csv"),
        "--id",
        "case_no",
        "--secret-file",
        str(folder / key),
        "--out",
        str(folder / f"{name}.enc"),
        "--quiet",
    )


def test_encode_then_match_writes_every_record_once_and_histories_that_agree(folder):
    for name in ("police", "ngo", "shelter"):
        result = encode(folder, name)
        assert result.exit_code == 0, result.output
    result = run(
        "match",
        *(str(folder / f"{n}.enc") for n in ("police", "ngo", "shelter")),
        "--out",
        str(folder / "clusters.csv"),
        "--histories",
        str(folder / "h.csv"),
    )
    assert result.exit_code == 0, result.output
    with open(folder / "clusters.csv", newline="", encoding="utf-8") as f:
        clusters = list(csv.DictReader(f))
    assert list(clusters[0]) == ["source", "record_id", "cluster_id"]
    keys = [(r["source"], r["record_id"]) for r in clusters]
    assert len(keys) == len(set(keys)) == 80 + 80 + 60
    assert {s for s, _ in keys} == {"police", "ngo", "shelter"}
    # The people shared by police and ngo (40..79) mostly end in one cluster.
    cluster_of = {k: r["cluster_id"] for k, r in zip(keys, clusters, strict=True)}
    same = sum(
        cluster_of[("police", f"police-{i}")] == cluster_of[("ngo", f"ngo-{i - 40}")] for i in range(40, 80)
    )
    assert same >= 36
    with open(folder / "h.csv", newline="", encoding="utf-8") as f:
        histories = list(csv.DictReader(f))
    assert list(histories[0]) == ["police", "ngo", "shelter", "count"]
    patterns: dict[str, set[str]] = {}
    for (source, _), c in cluster_of.items():
        patterns.setdefault(c, set()).add(source)
    for row in histories:
        pattern = {s for s in ("police", "ngo", "shelter") if row[s] == "1"}
        assert pattern, "no all-zero row"
        assert int(row["count"]) == sum(1 for p in patterns.values() if p == pattern)
    assert sum(int(r["count"]) for r in histories) == len(patterns)


def test_match_refuses_other_secret_tampered_truncated_one_source_and_empty_files(folder):
    for name in ("police", "ngo"):
        assert encode(folder, name).exit_code == 0
    (folder / "other.key").write_bytes(b"another secret that is long enough!!")
    assert encode(folder, "shelter", key="other.key").exit_code == 0
    police, ngo, shelter = (str(folder / f"{n}.enc") for n in ("police", "ngo", "shelter"))
    out = folder / "clusters.csv"
    data = (folder / "ngo.enc").read_bytes()
    (folder / "cut.enc").write_bytes(data[: len(data) // 2])
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 4
    (folder / "flipped.enc").write_bytes(bytes(flipped))
    (folder / "empty.enc").write_bytes(b"")
    cases = {
        "shelter.enc": [police, shelter],
        "cut.enc": [police, str(folder / "cut.enc")],
        "flipped.enc": [police, str(folder / "flipped.enc")],
        "police.enc": [police],
        "empty.enc": [police, str(folder / "empty.enc")],
    }
    for named, files in cases.items():
        result = run("match", *files, "--out", str(out), "--quiet")
        assert result.exit_code == 2, (named, result.output)
        assert named in result.output and "Traceback" not in result.output
        assert not out.exists()
        assert not [p for p in folder.iterdir() if p.name.endswith(".partial")]
    result = run("match", police, ngo, "--out", str(out), "--quiet")
    assert result.exit_code == 0 and out.exists()


def test_encode_refuses_a_short_secret_a_missing_id_column_and_writes_nothing(folder):
    (folder / "short.key").write_bytes(b"too short   \n")
    result = encode(folder, "police", key="short.key")
    assert result.exit_code == 2 and "short.key" in result.output and "32" in result.output
    result = run(
        "encode",
        str(folder / "police.csv"),
        "--id",
        "nope",
        "--secret-file",
        str(folder / "pprl.key"),
        "--out",
        str(folder / "police.enc"),
    )
    assert result.exit_code == 2 and "police.csv" in result.output
    assert not (folder / "police.enc").exists()


def test_enc_written_by_the_cli_holds_no_name_or_date_of_the_input(folder):
    assert encode(folder, "police").exit_code == 0
    data = (folder / "police.enc").read_bytes()
    with open(folder / "police.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for column in ("prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_MailingCity"):
            value = row[column]
            for form in {value, value.lower(), value.upper(), value.replace("-", "")}:
                if len(form) >= 3:
                    assert form.encode() not in data, column
