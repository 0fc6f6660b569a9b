"""Synthetic records are labelled, reproducible, valid and plausible (src/vinculo/htcds/synthetic.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from vinculo.htcds import (
    SubmissionSettings,
    ValidationSettings,
    read_submission,
    validate_records,
    write_csv,
    write_json,
    write_xlsx,
)
from vinculo.htcds.synthetic import IS_FORCED_LABOUR, generate

SETTINGS = SubmissionSettings(validation=ValidationSettings(today=dt.date(2024, 6, 30)))


def test_every_record_is_clearly_labelled_synthetic() -> None:
    for rec in generate(200, seed=3):
        assert rec["is_synthetic"] is True
        assert rec["prs_FirstName"].startswith("SYNTHETIC-") and rec["record_id"] == rec["prs_FirstName"]
        assert rec.get("prs_Email", "x@example.invalid").endswith("@example.invalid")
        assert rec.get("prs_MobilePhone", "+999").startswith("+999")


def test_the_same_seed_gives_the_same_records_and_another_seed_others() -> None:
    assert list(generate(50, seed=1)) == list(generate(50, seed=1))
    assert list(generate(50, seed=1)) != list(generate(50, seed=2))


def test_generated_records_pass_validation() -> None:
    assert validate_records(generate(2000, seed=5), settings=SETTINGS.validation) == []


def test_shares_are_close_to_the_ctdc_marginals_they_come_from() -> None:
    records = list(generate(20_000, seed=11))
    forced = sum("ForcedLabour" in r.get("vic_TypeOfExploitation", ()) for r in records) / len(records)
    assert abs(forced - IS_FORCED_LABOUR) < 0.02
    women = sum(r.get("prs_Gender") == "Feminine" for r in records)
    men = sum(r.get("prs_Gender") == "Masculine" for r in records)
    assert 0.5 < women / (women + men) < 0.65  # CTDC VP: 9,589 women of 17,584 with a known sex
    years = [r["cas_IncomingReferralDate"].year for r in records if "cas_IncomingReferralDate" in r]
    assert min(years) >= 2005 and max(years) <= 2023


def test_writers_round_trip_through_the_readers(tmp_path: Path) -> None:
    records = list(generate(300, seed=9))
    write_csv(records, tmp_path / "s.csv")
    write_xlsx(records, tmp_path / "s.xlsx", label_row=True)
    write_json(records, tmp_path / "s.json")
    for name in ("s.csv", "s.xlsx", "s.json"):
        sub = read_submission(tmp_path / name, settings=SETTINGS)
        assert sub.ok, (name, sub.issues[:3])
        assert sub.n_records == 300
        assert sub.records[7].source_record_id == f"id:{records[7]['record_id']}"
        assert sub.records[7].values["prs_Gender"] == records[7].get(
            "prs_Gender", sub.records[7].values.get("prs_Gender")
        )
        assert sub.records[7].extra == {
            "record_id": records[7]["record_id"],
            "is_synthetic": sub.records[7].extra["is_synthetic"],
        }
