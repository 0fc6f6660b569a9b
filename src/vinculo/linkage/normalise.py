"""PLACEHOLDER (linkage-base): the normalisation helper A replaces this whole module.

Contract kept by the real module: ``normalise_text``, ``normalise_person`` with these signatures.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from anyascii import anyascii

from vinculo.linkage.model import Person

__all__ = ["normalise_person", "normalise_text"]

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_text(text: object) -> str:
    """NFKC, transliterate to ASCII, case-fold, punctuation to spaces, collapse spaces."""
    if text is None:
        return ""
    s = anyascii(unicodedata.normalize("NFKC", str(text))).casefold()
    return _NON_WORD.sub(" ", s).strip()


def normalise_person(values: Mapping[str, Any], *, source: str, record_id: str, row: int = 0) -> Person:
    """A :class:`Person` from HTCDS-named values (``prs_FirstName`` ...), raw text or typed."""
    given = tuple(normalise_text(" ".join(str(values.get(k) or "") for k in ("prs_FirstName", "prs_MiddleName"))).split())
    family = tuple(normalise_text(values.get("prs_SecondName")).split())
    birth = str(values.get("prs_Birthdate") or "").strip()
    parts = re.findall(r"\d+", birth)
    year = int(parts[0]) if parts and len(parts[0]) == 4 else None
    month = int(parts[1]) if year and len(parts) > 1 else None
    day = int(parts[2]) if year and len(parts) > 2 else None
    return Person(
        source=source,
        record_id=record_id,
        row=row,
        given=given,
        family=family,
        given_canonical=given,
        family_canonical=family,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        sex=normalise_text(values.get("prs_Gender"))[:1],
        citizenship=str(values.get("prs_Citizenship") or "").strip().upper()[:2],
        city=normalise_text(values.get("prs_MailingCity")),
        postcode=normalise_text(values.get("prs_MailingPostalCode")).replace(" ", ""),
        street=normalise_text(values.get("prs_MailingStreet")),
        state=normalise_text(values.get("prs_MailingState")),
        identity_number=re.sub(r"[^A-Z0-9]", "", str(values.get("prs_IdentityNumber") or "").upper()),
        phone=re.sub(r"\D", "", str(values.get("prs_MobilePhone") or "")),
        email=str(values.get("prs_Email") or "").strip().lower(),
    )
