"""Reading treaty entries for pages, CSV and the API (no changes here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from vinculo.coordination import region_of
from vinculo.web.core.countries import sorted_by_name
from vinculo.web.core.models import Country

from .models import Instrument, TreatyEntry, TreatyStatusCode

SORTS = ("name", "iso3", "region", "untoc", "tip_protocol", "confirmed")


@dataclass
class StateRow:
    country: Country
    region: str
    entries: dict[str, TreatyEntry] = field(default_factory=dict)

    @property
    def untoc(self) -> TreatyEntry | None:
        return self.entries.get(Instrument.UNTOC)

    @property
    def tip_protocol(self) -> TreatyEntry | None:
        return self.entries.get(Instrument.TIP_PROTOCOL)

    @property
    def confirmed(self) -> bool:
        return bool(self.entries) and all(e.confirmed for e in self.entries.values())


def state_rows() -> list[StateRow]:
    """Every UN Member State with its entries (two queries)."""
    rows = {
        c.pk: StateRow(c, region_of(c.iso3))
        for c in sorted_by_name(Country.objects.filter(un_member=True), str)
    }
    for entry in TreatyEntry.objects.filter(country__un_member=True).select_related("confirmed_by"):
        row = rows.get(entry.country_id)
        if row is not None:
            row.entries[entry.instrument] = entry
    return list(rows.values())


def _status_key(entry: TreatyEntry | None) -> tuple[int, str]:
    if entry is None:
        return (9, "")
    order = list(TreatyStatusCode.values)
    return (order.index(entry.status), entry.action_date.isoformat() if entry.action_date else "")


def _name(row: StateRow) -> str:
    """The sort key of a State: its UN name in the active language."""
    return str(row.country).casefold()


def filter_rows(rows: list[StateRow], params: dict[str, str]) -> list[StateRow]:
    q = params.get("q", "").strip().casefold()
    region = params.get("region", "")
    confirmed = params.get("confirmed", "")
    out = []
    for row in rows:
        names = (str(row.country).casefold(), row.country.name.casefold())
        if q and not any(q in name for name in names) and q != row.country.iso3.lower():
            continue
        if region and row.region != region:
            continue
        if confirmed in ("yes", "no") and row.confirmed is not (confirmed == "yes"):
            continue
        skip = False
        for instrument in Instrument.values:
            wanted = params.get(instrument, "")
            if wanted and (row.entries.get(instrument) is None or row.entries[instrument].status != wanted):
                skip = True
        if not skip:
            out.append(row)
    sort = params.get("sort", "name")
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key = "name"
    keys: dict[str, Any] = {
        "name": lambda r: _name(r),
        "iso3": lambda r: r.country.iso3,
        "region": lambda r: (r.region, _name(r)),
        "untoc": lambda r: (_status_key(r.untoc), _name(r)),
        "tip_protocol": lambda r: (_status_key(r.tip_protocol), _name(r)),
        "confirmed": lambda r: (not r.confirmed, _name(r)),
    }
    return sorted(out, key=keys[key], reverse=descending)


def format_date(value: Any, precision: str) -> str:
    if value is None or precision == "none":
        return ""
    return str(value.year) if precision == "year" else value.isoformat()


def related_links(country: Country) -> dict[str, str]:
    """Links to other areas about this State, only for the apps that are installed."""
    links: dict[str, str] = {}
    candidates = [
        ("evidence", "evidence:country", [country.iso3]),
        ("programmes", "programmes:list", []),
        ("network", "network:list", []),
    ]
    for app, name, args in candidates:
        if not apps.is_installed(f"vinculo.web.{app}"):
            continue
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            continue
        if app == "programmes":
            url += f"?country={country.iso3}"
        if app == "network":
            url += f"?country={country.iso3}"
        links[app] = url
    return links
