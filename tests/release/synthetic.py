"""A CTDC-like synthetic case table for the release tests (made up here; no CTDC record is used).

The shares follow the one-way marginals in ../shared/data/ctdc/ (gender, majority status, forced
labour and sexual exploitation, UN regions, ';'-joined perpetrator columns) loosely; the columns
are independent draws, which is all the tests need.
"""

from __future__ import annotations

import numpy as np

from vinculo.release import ReleaseTable

COUNTRIES = (
    "UKR",
    "PHL",
    "IDN",
    "MDA",
    "NGA",
    "GH",
    "Romania",
    "KHM",
    "USA",
    "MEX",
    "NPL",
    "BY",
    "ETH",
    "VNM",
)
BANDS = ("0--8", "09--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+")
EXPLOITATION = ("ForcedLabour", "SexualExploitation", "ForcedMarriage", "Other")
RELATIONS = ("FamilyIntimatePartner", "FriendAcquaintance", "StrangerUnknownOther")
COLUMNS = (
    "record_id", "prs_FirstName", "yearOfRegistration", "gender", "age", "ageBroad", "citizenship",
    "CountryOfExploitation", "dateIdentified", "typeOfExploitation", "IP_Relation", "isForcedLabour",
)  # fmt: skip


def _pick(rng: np.random.Generator, values: tuple[str, ...], n: int, empty: float = 0.1) -> list[str]:
    weights = np.linspace(2.0, 0.5, len(values))
    out = list(rng.choice(np.array(values, dtype=object), size=n, p=weights / weights.sum()))
    return ["" if rng.random() < empty else str(v) for v in out]


def _multi(rng: np.random.Generator, values: tuple[str, ...], n: int) -> list[str]:
    cells = []
    for _ in range(n):
        r = rng.random()
        if r < 0.15:
            cells.append("")
        elif r < 0.8:
            cells.append(str(values[int(rng.integers(len(values)))]))
        else:
            chosen = rng.choice(len(values), size=2, replace=False)
            cells.append(";".join(values[i] for i in chosen))
    return cells


def ctdc_like(n: int, seed: int) -> ReleaseTable:
    rng = np.random.default_rng(seed)
    ages = rng.gamma(6.0, 4.5, size=n).astype(int).clip(1, 80)
    rows = zip(
        [f"R{seed}-{i:06d}" for i in range(n)],
        _pick(rng, ("Ana", "Oksana", "Maria", "John", "Li"), n, 0.0),
        [str(y) for y in rng.integers(2005, 2023, size=n)],
        _pick(rng, ("Woman", "Man", "Trans/Transgender/NonConforming"), n),
        [str(a) if rng.random() > 0.1 else "" for a in ages],
        _pick(rng, BANDS, n),
        _pick(rng, COUNTRIES, n),
        _pick(rng, COUNTRIES[::-1], n),
        [
            f"{y}-{m:02d}-{d:02d}"
            for y, m, d in zip(
                rng.integers(2010, 2023, n), rng.integers(1, 13, n), rng.integers(1, 29, n), strict=True
            )
        ],
        _multi(rng, EXPLOITATION, n),
        _multi(rng, RELATIONS, n),
        _pick(rng, ("1",), n, 0.4),
        strict=True,
    )
    return ReleaseTable("synthetic.csv", COLUMNS, tuple(tuple(r) for r in rows))
