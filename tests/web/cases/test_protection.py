"""Splitting records into encrypted identifiers and browsing columns (src/vinculo/web/cases/protection.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from vinculo.htcds import field_catalogue
from vinculo.protect import KeyRing, generate_key
from vinculo.web.cases.protection import (
    EXTRA_KEY,
    age_group,
    browse_columns,
    content_hash,
    protected_fields,
    split_record,
)


def test_protected_fields_are_exactly_the_catalogues_protected_fields() -> None:
    assert protected_fields() == {s.name for s in field_catalogue() if s.protected}
    assert {
        "prs_FirstName",
        "prs_Birthdate",
        "prs_IdentityNumber",
        "prs_Email",
        "cco_CaseComment",
    } <= protected_fields()
    assert "prs_Gender" not in protected_fields()


def test_split_record_encrypts_identifiers_and_extra_columns_and_keeps_the_rest_readable() -> None:
    ring = KeyRing([generate_key()])
    values: dict[str, Any] = {
        "prs_FirstName": "Zenobia",
        "prs_Birthdate": dt.date(1990, 2, 3),
        "prs_Gender": "Feminine",
        "vic_TypeOfExploitation": ("ForcedLabour",),
    }
    open_values, token, digest = split_record(values, {"Shoe size": "38"}, ring)
    assert open_values == {"prs_Gender": "Feminine", "vic_TypeOfExploitation": ["ForcedLabour"]}
    assert "Zenobia" not in token and "38" not in json.dumps(open_values)
    secret = json.loads(ring.decrypt(token))
    assert secret == {
        "prs_FirstName": "Zenobia",
        "prs_Birthdate": "1990-02-03",
        EXTRA_KEY: {"Shoe size": "38"},
    }
    assert content_hash(open_values, token, ring) == digest
    _, _, other = split_record({**values, "prs_FirstName": "Zenobie"}, {"Shoe size": "38"}, ring)
    assert other != digest


def test_age_groups_follow_the_ctdc_bands() -> None:
    assert [age_group(a) for a in (0, 8, 9, 17, 18, 29, 30, 47, 48, 90)] == [
        "0-8", "0-8", "9-17", "9-17", "18-20", "27-29", "30-38", "39-47", "48+", "48+",
    ]  # fmt: skip
    assert age_group(None) == "" and age_group(-1) == ""


def test_browse_columns_derive_age_from_birthdate_when_age_is_missing() -> None:
    values = {
        "prs_Birthdate": dt.date(2005, 6, 1),
        "cas_IncomingReferralDate": dt.date(2021, 5, 31),
        "hte_Country": "PL",
        "hte_Type": "Recruitment",
        "prs_Citizenship": ("UA", "MD"),
        "vic_ForcedLabourIndustry": "F_Construction",
    }
    columns = browse_columns(values)
    assert columns["age_group"] == "9-17"  # 15 years old at referral
    assert columns["country"] == ""  # a recruitment country is not the country of exploitation
    assert columns["citizenship"] == "|MD|UA|" and columns["year"] == 2021
    assert columns["industry"] == "F_Construction"
