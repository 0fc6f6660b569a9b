"""Flows: citizenship of detected victims (or convicted persons) -> country of detection.

Each "by citizenship" record of a reporting country is one flow from the citizenship (mapped
to ISO3; "Nationals" become the reporting country itself) to that country. Categories that are
not one country (unknown, foreigners, stateless, regions, damaged cells) are kept as
*unclassified* flows: they count in totals but not in the domestic / intra-regional /
trans-regional shares.

Classification, with UNODC's regions (the file's for reporting countries, UN M49 otherwise):

* ``domestic``: citizenship = country of detection;
* ``intra_subregional``: another country of the same subregion;
* ``intra_regional``: another country of the same region (this includes intra-subregional);
* ``trans_regional``: a country in another region;
* ``unclassified``: the origin is not one country.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from vinculo.evidence._count import Count, Share
from vinculo.evidence._dataset import GlotipDataset
from vinculo.evidence._indicators import Level, area_members

__all__ = [
    "FLOW_CSV_COLUMNS",
    "Flow",
    "FlowShares",
    "citizenship_flows",
    "flow_matrix_rows",
    "flow_shares",
    "main_flows",
    "origin_countries",
    "write_flow_csv",
]

VICTIMS = "Detected trafficking victims"
FlowClass = Literal["domestic", "intra_subregional", "intra_regional", "trans_regional", "unclassified"]


@dataclass(frozen=True, slots=True)
class Flow:
    """Persons of one origin detected (or convicted) in one country in one year.

    ``origin`` is an ISO3 code when ``origin_kind`` is ``"country"`` and otherwise the kind
    itself (``"unknown"``, ``"foreign"``, ``"stateless"``, ``"aggregate"``, ``"invalid"``,
    ``"unmapped"``). ``texts`` are the category texts added up into this flow.
    """

    origin: str
    origin_kind: str
    destination: str
    year: int
    indicator: str
    count: Count
    flow_class: FlowClass
    texts: tuple[str, ...]


def _classify(ds: GlotipDataset, origin: str | None, destination: str) -> FlowClass:
    if origin is None:
        return "unclassified"
    if origin == destination:
        return "domestic"
    o, d = ds.area(origin), ds.area(destination)
    if not o.region:
        return "unclassified"
    if o.subregion == d.subregion:
        return "intra_subregional"
    if o.region == d.region:
        return "intra_regional"
    return "trans_regional"


def _flow_index(
    dataset: GlotipDataset, indicator: str, dimension: str
) -> tuple[dict[str, tuple[Flow, ...]], dict[str, tuple[Flow, ...]]]:
    """All flows of one indicator and dimension, by destination and by origin (cached on the dataset)."""
    key = ("flows", indicator, dimension)
    cached = dataset.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    acc: dict[tuple[str, int, str, str], tuple[Count, list[str]]] = {}
    for dest in dataset.countries:
        for r in dataset.records_of(dest):
            if r.indicator != indicator or r.dimension != dimension or r.sex != "Total" or r.age != "Total":
                continue
            m = dataset.match_category(r.category)
            code = m.resolve(dest)
            origin, kind = (code, "country") if code is not None else (m.kind, m.kind)
            k = (dest, r.year, origin, kind)
            prev = acc.get(k)
            acc[k] = (r.count, [r.category]) if prev is None else (prev[0] + r.count, [*prev[1], r.category])
    by_dest: dict[str, list[Flow]] = defaultdict(list)
    by_origin: dict[str, list[Flow]] = defaultdict(list)
    for (dest, year, origin, kind), (count, texts) in sorted(acc.items()):
        cls = _classify(dataset, origin if kind == "country" else None, dest)
        f = Flow(origin, kind, dest, year, indicator, count, cls, tuple(sorted(texts)))
        by_dest[dest].append(f)
        if kind == "country":
            by_origin[origin].append(f)
    result = ({k: tuple(v) for k, v in by_dest.items()}, {k: tuple(v) for k, v in by_origin.items()})
    dataset.cache[key] = result
    return result


def citizenship_flows(
    dataset: GlotipDataset,
    *,
    indicator: str = VICTIMS,
    dimension: str = "by citizenship",
    years: Iterable[int] | None = None,
    destinations: Iterable[str] | None = None,
    origins: Iterable[str] | None = None,
) -> tuple[Flow, ...]:
    """Every flow (origin -> country of detection, year), texts of one origin added up.

    Use ``dimension="by country of repatriation"`` for repatriations (then the "origin" is the
    country the victim was repatriated from or to, as the reporting country stated it).
    ``destinations`` / ``origins`` restrict to those ISO3 codes (origins: country flows only).
    """
    by_dest, by_origin = _flow_index(dataset, indicator, dimension)
    wanted_years = None if years is None else set(years)
    if origins is not None:
        pool = [f for o in sorted(set(origins)) for f in by_origin.get(o, ())]
        if destinations is not None:
            dset = set(destinations)
            pool = [f for f in pool if f.destination in dset]
    else:
        dests = sorted(by_dest) if destinations is None else sorted(set(destinations))
        pool = [f for d in dests for f in by_dest.get(d, ())]
    return tuple(f for f in pool if wanted_years is None or f.year in wanted_years)


@dataclass(frozen=True, slots=True)
class FlowShares:
    """Shares of domestic, intra-regional and trans-regional flows into an area in one year.

    Each share is of the *classified* total (flows whose origin is one country). Shares are
    intervals when suppressed cells are involved.
    """

    level: str
    area: str
    year: int
    counts: dict[str, Count]
    classified: Count
    unclassified: Count
    domestic: Share | None
    intra_subregional: Share | None
    intra_regional: Share | None
    trans_regional: Share | None
    countries: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        def s(x: Share | None) -> Any:
            return None if x is None else x.to_json()

        return {
            "level": self.level,
            "area": self.area,
            "year": self.year,
            "counts": {k: v.to_json() for k, v in self.counts.items()},
            "classified": self.classified.to_json(),
            "unclassified": self.unclassified.to_json(),
            "shares": {
                "domestic": s(self.domestic),
                "intra_subregional": s(self.intra_subregional),
                "intra_regional": s(self.intra_regional),
                "trans_regional": s(self.trans_regional),
            },
            "countries": list(self.countries),
        }


def flow_shares(
    dataset: GlotipDataset,
    year: int,
    *,
    level: Level = "world",
    area: str | None = None,
    indicator: str = VICTIMS,
) -> FlowShares:
    """Domestic / intra-regional / trans-regional shares of flows detected in an area and year."""
    members = area_members(dataset, level, area)
    flows = citizenship_flows(dataset, indicator=indicator, years=[year], destinations=members)
    classes = ("domestic", "intra_subregional", "intra_regional", "trans_regional", "unclassified")
    counts = {c: Count.zero() for c in classes}
    for f in flows:
        counts[f.flow_class] = counts[f.flow_class] + f.count
    dom, sub, reg, trans = (counts[c] for c in classes[:4])
    regional = sub + reg
    classified = dom + regional + trans
    return FlowShares(
        level=level,
        area="World" if level == "world" else str(area),
        year=year,
        counts={k: v for k, v in counts.items() if v.cells},
        classified=classified,
        unclassified=counts["unclassified"],
        domestic=Share.of(dom, regional + trans),
        intra_subregional=Share.of(sub, dom + reg + trans),
        intra_regional=Share.of(regional, dom + trans),
        trans_regional=Share.of(trans, dom + regional),
        countries=tuple(sorted({f.destination for f in flows})),
    )


def origin_countries(dataset: GlotipDataset, *, indicator: str = VICTIMS) -> frozenset[str]:
    """ISO3 codes that appear as the citizenship (one country) of a flow, reporting or not.

    Many States of origin do not report detections to UNODC themselves (Eritrea, Somalia...):
    what is known of them is where their citizens were detected, in the other countries' data.
    """
    _by_dest, by_origin = _flow_index(dataset, indicator, "by citizenship")
    return frozenset(by_origin)


def _flow_members(dataset: GlotipDataset, level: Level, area: str | None, indicator: str) -> set[str]:
    if level == "country" and area is not None and area not in dataset.countries:
        if area in origin_countries(dataset, indicator=indicator):
            return {area}
    return set(area_members(dataset, level, area))


def main_flows(
    dataset: GlotipDataset,
    *,
    level: Level = "country",
    area: str | None = None,
    direction: Literal["into", "out_of"] = "into",
    years: Iterable[int] | None = None,
    indicator: str = VICTIMS,
    limit: int = 10,
    include_domestic: bool = False,
) -> tuple[tuple[str, Count], ...]:
    """The largest flows into an area (by origin) or out of it (by country of detection).

    Counts are added over ``years`` (all years by default) and sorted by lower bound, then upper
    bound, then code. Only flows whose origin is one country are ranked. Victims detected in
    their own country of citizenship (domestic flows) are left out unless ``include_domestic``;
    flows between two countries of the area count, so that the world's main origins are the
    main origins of all foreign victims, not only of the States that do not report.

    ``area`` may be a country that does not report to UNODC but appears as an origin
    (``direction="out_of"`` then gives where its citizens were detected).
    """
    members = _flow_members(dataset, level, area, indicator)
    if direction == "into":
        flows = citizenship_flows(dataset, indicator=indicator, years=years, destinations=sorted(members))
    else:
        flows = citizenship_flows(dataset, indicator=indicator, years=years, origins=sorted(members))
    acc: dict[str, Count] = defaultdict(Count.zero)
    for f in flows:
        if f.origin_kind != "country":
            continue
        if f.origin == f.destination and not include_domestic:
            continue
        if direction == "into":
            acc[f.origin] = acc[f.origin] + f.count
        else:
            acc[f.destination] = acc[f.destination] + f.count
    ranked = sorted(acc.items(), key=lambda kv: (-kv[1].low, -kv[1].high, kv[0]))
    return tuple(ranked[:limit])


FLOW_CSV_COLUMNS: tuple[str, ...] = (
    "year",
    "origin",
    "origin_name",
    "origin_region",
    "origin_subregion",
    "origin_kind",
    "destination",
    "destination_name",
    "destination_region",
    "destination_subregion",
    "flow_class",
    "indicator",
    "value",
    "low",
    "high",
    "suppressed_cells",
    "cells",
    "source_texts",
)


def flow_matrix_rows(
    dataset: GlotipDataset,
    *,
    region: str | None = None,
    years: Iterable[int] | None = None,
    indicator: str = VICTIMS,
) -> list[dict[str, Any]]:
    """The origin-destination matrix as long-format rows (one per flow), for a CSV download.

    ``region`` keeps flows whose country of detection *or* origin is in that UNODC region.
    ``value`` is the rendered count: a number, ``"<5"`` or ``"≥ 12 (12–20)"``; ``low``/``high``
    give the range of a partially suppressed sum and are empty when every cell is suppressed, so a
    suppressed cell never appears as a number.
    """
    rows = []
    for f in citizenship_flows(dataset, indicator=indicator, years=years):
        d = dataset.area(f.destination)
        o = dataset.area(f.origin) if f.origin_kind == "country" else None
        if region is not None and d.region != region and (o is None or o.region != region):
            continue
        rows.append(
            {
                "year": f.year,
                "origin": f.origin if o else "",
                "origin_name": o.name if o else "",
                "origin_region": o.region if o else "",
                "origin_subregion": o.subregion if o else "",
                "origin_kind": f.origin_kind,
                "destination": f.destination,
                "destination_name": d.name,
                "destination_region": d.region,
                "destination_subregion": d.subregion,
                "flow_class": f.flow_class,
                "indicator": f.indicator,
                "value": f.count.render(),
                "low": "" if f.count.is_suppressed else f.count.low,
                "high": "" if f.count.is_suppressed else f.count.high,
                "suppressed_cells": f.count.suppressed_cells,
                "cells": f.count.cells,
                "source_texts": " | ".join(f.texts),
            }
        )
    return rows


def write_flow_csv(rows: Iterable[dict[str, Any]], out: io.TextIOBase | Any | None = None) -> str:
    """Write :func:`flow_matrix_rows` as CSV to ``out`` (or return the text when ``out`` is None)."""
    buf = io.StringIO() if out is None else out
    w = csv.DictWriter(buf, fieldnames=list(FLOW_CSV_COLUMNS), lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow(row)
    return buf.getvalue() if isinstance(buf, io.StringIO) and out is None else ""
