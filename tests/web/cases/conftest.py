"""Helpers for the case-data tests: small HTCDS files and submissions by the owner's data manager."""

from __future__ import annotations

import csv
import io
from typing import Any

from vinculo.web.accounts.models import User
from vinculo.web.cases import actions
from vinculo.web.cases.models import CaseRecord, Submission
from vinculo.web.cases.protection import source_id_index

from ..conftest import World

HEADER = [
    "record_id",
    "prs_FirstName",
    "prs_SecondName",
    "prs_Gender",
    "prs_Citizenship",
    "hte_Country",
    "hte_Type",
    "cas_IncomingReferralDate",
    "vic_AgeWhenTrafficked",
    "vic_TypeOfExploitation",
    "vic_MethodsOfControl",
    "con_Consent",
]

# Fictitious people; the names are distinctive so tests can look for them in raw storage.
ROWS = [
    ["R1", "Zenobia", "Quillfeather", "Feminine", "UA", "PL", "Exploitation", "2021-03-04", "24", "ForcedLabour", "DebtBondage TakesEarnings", "TRUE"],
    ["R2", "Ottoline", "Marchbanks", "Masculine", "MD", "IT", "Exploitation", "2021-05-06", "31", "SexualExploitation", "PhysicalAbuse", "FALSE"],
    ["R3", "Casimir", "Thistlewood", "Feminine", "UA", "PL", "Exploitation", "2022-01-02", "16", "ForcedLabour SexualExploitation", "", "TRUE"],
]  # fmt: skip


def csv_bytes(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def manager(world: World, who: str = "owner_manager") -> User:
    user = world.users[who]
    assert user is not None
    return user


def submit(world: World, data: bytes | None = None, name: str = "cases.csv", **kw: Any) -> Submission:
    return actions.create_submission(
        actor=manager(world, kw.pop("who", "owner_manager")),
        data=csv_bytes(ROWS) if data is None else data,
        file_name=name,
        **kw,
    )


def submit_and_import(world: World, data: bytes | None = None, **kw: Any) -> Submission:
    valid_only = kw.pop("valid_only", False)
    submission = submit(world, data, **kw)
    return actions.confirm_submission(actor=manager(world), submission=submission, valid_only=valid_only)


BAD_ROWS = [list(ROWS[0]), ["R9", "Ximena", "Oddbody", "Robot", "", "", "", "2021-13-45", "", "", "", "TRUE"]]


def by_source_id(source_record_id: str) -> CaseRecord:
    """The case imported from a file's record id (``id:R1``), found by its blind index."""
    return CaseRecord.objects.get(source_id_index=source_id_index(source_record_id))


def source_ids() -> list[str]:
    """The decrypted file record ids of every case, sorted."""
    from vinculo.web.cases.protection import open_source_id

    return sorted(open_source_id(t) for t in CaseRecord.objects.values_list("source_id_token", flat=True))
