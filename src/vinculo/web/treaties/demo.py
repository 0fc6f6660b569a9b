"""Demo loading for the treaty area: the real seed data (idempotent), never fictitious entries."""

from __future__ import annotations

from django.db import transaction

from vinculo.web.core.models import Country

from .actions import seed_rows
from .models import TreatyEntry, TreatyEntryVersion


@transaction.atomic
def ensure_seed() -> int:
    """Create any missing entry from the packaged seed; existing entries are never overwritten."""
    ids = dict(Country.objects.filter(un_member=True).values_list("iso3", "pk"))
    have = set(TreatyEntry.objects.values_list("country_id", "instrument"))
    created = 0
    for row in seed_rows(ids):
        if (row["country_id"], row["instrument"]) in have:
            continue
        entry = TreatyEntry.objects.create(**row)
        TreatyEntryVersion.objects.create(
            entry=entry, version=1, data={k: str(v) for k, v in row.items()}, reason=f"seed: {row['source']}"
        )
        created += 1
    return created


def load_demo() -> list[str]:
    created = ensure_seed()
    return [
        f"Treaty status: {TreatyEntry.objects.count()} entries ({created} added now) from the packaged partial "
        "sources (real data, unconfirmed until an administrator checks each State against the UNTC)."
    ]
