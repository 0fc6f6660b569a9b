"""Fixtures for the linkage area: two organisations with cases, and a tiny exact-match linker.

The web layer is tested with a small stand-in for ``vinculo.linkage.trusted.link`` (placed here, in the
tests only): persons with the same names and birth date are a match (0.99), the same names with another
birth year an uncertain pair (0.6), so the web tests do not wait for the engine. Clustering and
capture histories are the real ``vinculo.linkage.clusters`` and ``vinculo.linkage.histories``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from vinculo.linkage.model import LinkResult, ScoredPair, Source
from vinculo.web.accounts.models import Role, User
from vinculo.web.cases import actions as case_actions
from vinculo.web.cases.models import CaseRecord
from vinculo.web.linkage import services

from ..cases.conftest import csv_bytes
from ..conftest import World, make_user

HEADER = ["record_id", "prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_Gender", "hte_Country",
          "cas_IncomingReferralDate", "con_Consent"]  # fmt: skip
OWNER_ROWS = [
    ["R1", "Zenobia", "Quillfeather", "1997-02-01", "Feminine", "PL", "2021-03-04", "TRUE"],
    ["R2", "Ottoline", "Marchbanks", "1990-01-01", "Masculine", "IT", "2021-05-06", "FALSE"],
    ["R3", "Casimir", "Thistlewood", "2005-01-01", "Masculine", "PL", "2022-01-02", "TRUE"],
    ["R4", "Zenobia", "Quillfeather", "1998-02-01", "Feminine", "PL", "2022-03-04", "TRUE"],
]  # fmt: skip
PARTNER_ROWS = [
    ["P1", "Zenobia", "Quillfeather", "1997-02-01", "Feminine", "PL", "2021-07-08", "TRUE"],
    ["P2", "Ignatius", "Fairweather", "1980-05-05", "Masculine", "DE", "2022-02-02", "TRUE"],
    ["P3", "Ottoline", "Marchbanks", "1990-01-01", "Masculine", "IT", "2021-09-09", "TRUE"],
]  # fmt: skip
#: Every identifier of the two files: never shown outside the owning organisation's data managers.
NAMES = sorted({v for row in OWNER_ROWS + PARTNER_ROWS for v in row[1:4]})


def exact_link(
    sources: Sequence[Source], *, threshold: float | None = None, progress: Any = None, **_: Any
) -> LinkResult:
    """Same names and birth date: 0.99; same names, other birth year: 0.6 (uncertain)."""
    from vinculo.linkage.clusters import cluster

    chosen = 0.9 if threshold is None else threshold
    persons = [p for s in sources for p in s.persons]
    pairs = []
    for i, a in enumerate(persons):
        for b in persons[i + 1 :]:
            if a.given and a.given == b.given and a.family == b.family:
                same = (a.birth_year, a.birth_month, a.birth_day) == (
                    b.birth_year,
                    b.birth_month,
                    b.birth_day,
                )
                pairs.append(
                    ScoredPair((a.source, a.record_id), (b.source, b.record_id), 0.99 if same else 0.6)
                )
        if progress:
            progress("comparing", (i + 1) / len(persons))
    records = [(p.source, p.record_id) for p in persons]
    return LinkResult(
        sources=tuple(s.name for s in sources),
        clusters=cluster(records, pairs, chosen),
        pairs=tuple(pairs),
        threshold=chosen,
        review_band=(0.5, chosen),
        strata={(p.source, p.record_id): dict(p.strata) for p in persons},
    )


@pytest.fixture(autouse=True)
def linker(monkeypatch: pytest.MonkeyPatch) -> Callable[..., LinkResult]:
    monkeypatch.setattr(services, "_link", lambda: exact_link)
    return exact_link


@dataclass
class LinkageWorld:
    world: World
    owner_manager: User
    partner_manager: User
    other_manager: User

    def client(self, who: str) -> Any:
        return self.world.client_for(who)


def _import(actor: User, rows: list[list[str]], name: str) -> None:
    submission = case_actions.create_submission(actor=actor, data=csv_bytes(rows, HEADER), file_name=name)
    case_actions.confirm_submission(actor=actor, submission=submission, valid_only=False)


@pytest.fixture
def lw(world: World) -> LinkageWorld:
    owner_manager = world.users["owner_manager"]
    assert owner_manager is not None
    partner_manager = make_user("partner_manager", world.partner, Role.DATA_MANAGER)
    other_manager = make_user("other_manager", world.other, Role.DATA_MANAGER)
    world.users["partner_manager"] = partner_manager
    world.users["other_manager"] = other_manager
    _import(owner_manager, OWNER_ROWS, "shelter.csv")
    _import(partner_manager, PARTNER_ROWS, "police.csv")
    assert CaseRecord.objects.count() == 7
    return LinkageWorld(world, owner_manager, partner_manager, other_manager)
