"""Split HTCDS records into encrypted identifiers and indexed browsing columns.

Protected fields (``FieldSpec.protected``) and the cells of non-HTCDS columns (``extra``) go into
one encrypted JSON blob per record; the other fields stay readable for browsing and counting.
Nothing here logs or returns a protected value except :func:`open_protected`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from django.conf import settings

from vinculo.htcds import FieldType, country_lookup, field_catalogue
from vinculo.protect import KeyRing

EXTRA_KEY = "_extra"
MULTI_SEP = "|"

# CTDC's age bands (Counter-Trafficking Data Collaborative codebook), as the browsing age groups.
AGE_GROUPS: tuple[tuple[int, int, str], ...] = (
    (0, 8, "0-8"),
    (9, 17, "9-17"),
    (18, 20, "18-20"),
    (21, 23, "21-23"),
    (24, 26, "24-26"),
    (27, 29, "27-29"),
    (30, 38, "30-38"),
    (39, 47, "39-47"),
    (48, 200, "48+"),
)

# Browsing dimension -> (model column, HTCDS field it comes from, multi-valued)
DIMENSIONS: dict[str, tuple[str, str, bool]] = {
    "country": ("country", "hte_Country", False),
    "citizenship": ("citizenship", "prs_Citizenship", True),
    "year": ("year", "cas_IncomingReferralDate", False),
    "sex": ("sex", "prs_Gender", False),
    "age_group": ("age_group", "vic_AgeWhenTrafficked", False),
    "exploitation": ("exploitation", "vic_TypeOfExploitation", True),
    "control": ("control", "vic_MethodsOfControl", True),
    "recruitment": ("recruitment", "vic_MethodOfRecruitment", True),
    "industry": ("industry", "vic_ForcedLabourIndustry", False),
}
CONSENT_FIELD = "con_Consent"


@cache
def protected_fields() -> frozenset[str]:
    return frozenset(spec.name for spec in field_catalogue() if spec.protected)


def derived_secret(purpose: str) -> bytes:
    """A key for ``purpose`` derived from SECRET_KEY: stable across encryption-key rotation."""
    return hashlib.sha256(f"vinculo:{purpose}:".encode() + settings.SECRET_KEY.encode("utf-8")).digest()


@cache
def _keyring(keys: tuple[str, ...], index_key: bytes) -> KeyRing:
    return KeyRing(keys, index_key=index_key)


def keyring() -> KeyRing:
    """The key ring from ``settings.VINCULO_ENCRYPTION_KEYS`` (newest key first).

    Content hashes (blind indexes) use a key derived from SECRET_KEY, so rotating the encryption
    keys never makes unchanged records look changed.
    """
    return _keyring(tuple(settings.VINCULO_ENCRYPTION_KEYS), derived_secret("blind-index"))


def json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, tuple | set):
        return list(value)
    return str(value)


def age_group(age: int | None) -> str:
    if age is None or age < 0:
        return ""
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return ""


def _age(values: Mapping[str, Any]) -> int | None:
    age = values.get("vic_AgeWhenTrafficked")
    if isinstance(age, int | float) and not isinstance(age, bool):
        return int(age)
    born = values.get("prs_Birthdate")
    seen = values.get("cas_IncomingReferralDate") or values.get("hte_Date")
    if isinstance(born, dt.date) and isinstance(seen, dt.date) and seen >= born:
        return seen.year - born.year - ((seen.month, seen.day) < (born.month, born.day))
    return None


def _multi(value: Any) -> str:
    if not value:
        return ""
    items = sorted({str(v) for v in (value if isinstance(value, list | tuple) else (value,))})
    return MULTI_SEP + MULTI_SEP.join(items) + MULTI_SEP


def _place_country(value: Any) -> str | None:
    """The country of a place field that holds one (the reader stores it as its alpha-2 code)."""
    if isinstance(value, str) and len(value) == 2 and value.isupper():
        return value if country_lookup().get(value.lower()) == value else None  # keys are normalised
    return None


def browse_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The indexed browsing columns of one record.

    No protected value is used except to derive the age group and the country: the country of
    exploitation is ``hte_Country`` of an exploitation event, else ``vic_LocationOfExploitation``
    when that place is a country (only the country is copied, never a place name).
    """
    event_type = values.get("hte_Type")
    country = values.get("hte_Country") if event_type in (None, "Exploitation") else None
    if not country:
        country = _place_country(values.get("vic_LocationOfExploitation"))
    year_from = values.get("cas_IncomingReferralDate") or values.get("hte_Date")
    industry = values.get("vic_ForcedLabourIndustry")
    return {
        "country": str(country or ""),
        "citizenship": _multi(values.get("prs_Citizenship")),
        "year": year_from.year if isinstance(year_from, dt.date) else None,
        "sex": str(values.get("prs_Gender") or ""),
        "age_group": age_group(_age(values)),
        "exploitation": _multi(values.get("vic_TypeOfExploitation")),
        "control": _multi(values.get("vic_MethodsOfControl")),
        "recruitment": _multi(values.get("vic_MethodOfRecruitment")),
        "industry": str(industry[0] if isinstance(industry, tuple | list) and industry else industry or ""),
    }


def split_record(
    values: Mapping[str, Any], extra: Mapping[str, Any] | None, ring: KeyRing
) -> tuple[dict[str, Any], str, str]:
    """``(open values, encrypted token, content hash)`` of one record.

    The hash is a keyed HMAC (the key ring's blind index) of every value, protected ones included,
    so a changed record is recognised without storing anything that could be checked against a
    guessed name.
    """
    hidden = protected_fields()
    open_values: dict[str, Any] = {}
    secret: dict[str, Any] = {}
    for name, value in values.items():
        if name in hidden:
            secret[name] = value
        else:
            open_values[name] = json_value(value)
    if extra:
        secret[EXTRA_KEY] = dict(extra)
    secret_text = json.dumps(secret, sort_keys=True, default=_default, ensure_ascii=False)
    token = ring.encrypt(secret_text) if secret else ""
    everything = json.dumps([open_values, secret_text], sort_keys=True, default=_default, ensure_ascii=False)
    return open_values, token, ring.blind_index(everything)


def content_hash(open_values: Mapping[str, Any], token: str, ring: KeyRing) -> str:
    """The content hash of a stored record (used again after key rotation)."""
    secret_text = ring.decrypt(token) if token else "{}"
    everything = json.dumps([dict(open_values), secret_text], sort_keys=True, ensure_ascii=False)
    return ring.blind_index(everything)


SOURCE_ID_PURPOSE = "source-record-id"


def source_id_index(source_record_id: str, ring: KeyRing | None = None) -> str:
    """The blind index of a file's own record id (exact, keyed, stable across encryption-key rotation).

    Records are matched on re-import by (owner, this index); the id itself is stored only encrypted.
    """
    return (ring or keyring()).blind_index(source_record_id, purpose=SOURCE_ID_PURPOSE, exact=True)


def seal_source_id(source_record_id: str, ring: KeyRing | None = None) -> tuple[str, str]:
    """``(blind index, encrypted token)`` of a file's own record id."""
    ring = ring or keyring()
    return source_id_index(source_record_id, ring), ring.encrypt(source_record_id)


def open_source_id(token: str) -> str:
    """The file's own record id of a case. Callers check ``access_can_see_identifiers`` first."""
    return keyring().decrypt(token) if token else ""


# What a row of a case shows to someone outside the owning organisation who sees it only because it
# is public: coded values (code lists, countries, languages, yes/no). Free text (titles, cities),
# exact dates and numbers stay with the owner and those the owner shares the case with.
_CODED_TYPES = frozenset(
    {
        FieldType.PICKLIST,
        FieldType.MULTI_PICKLIST,
        FieldType.COUNTRY,
        FieldType.MULTI_COUNTRY,
        FieldType.LANGUAGE,
        FieldType.BOOLEAN,
    }
)


@cache
def public_row_fields() -> frozenset[str]:
    return frozenset(s.name for s in field_catalogue() if not s.protected and s.type in _CODED_TYPES)


def row_values(values: Mapping[str, Any], view: str) -> dict[str, Any]:
    """The non-protected values of a case as shown at ``view`` (see ``access.access_case_view``)."""
    if view == "public":
        allowed = public_row_fields()
        return {k: v for k, v in values.items() if k in allowed}
    return dict(values)


def open_protected(token: str) -> dict[str, Any]:
    """Decrypt a record's protected values. Callers check ``access_can_see_identifiers`` first."""
    if not token:
        return {}
    data = json.loads(keyring().decrypt(token))
    return data if isinstance(data, dict) else {}
