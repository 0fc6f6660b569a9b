"""A synthetic table shaped like CTDC's victim-perpetrator data, for development and benchmarks.

:func:`generate_vp` draws ``n_rows`` records with the 16 columns and value sets of the CTDC
Global Victim-Perpetrator Synthetic Dataset (condensed). Each column's one-way marginal matches
the shipped marginals file (scaled to ``n_rows``; ``data/README.md`` cites the source). The
**dependencies between columns are invented** for realism, not estimated from CTDC data:

* one latent "no victim profile" flag (about 17 % of records) empties gender, age group and
  region of origin together, and mostly the year and region of exploitation too (in the
  marginals these columns are empty about 3,600 times each);
* one latent "perpetrator known" level empties the perpetrator (``IP_*``) fields together;
  the perpetrator's age group is known only for a few records with perpetrator details;
* sexual exploitation is more frequent for women and girls and for minors, forced labour for
  men and in recent registration years (2019 on, when more origins are in Africa), and the two
  rarely co-occur;
* the region of exploitation is mostly the region of origin (Africa -> Europe/Asia and
  Asia -> Europe flows next); the perpetrators' citizenship follows the victim's region of
  origin, or of exploitation, and is two-valued mostly when the two differ;
* female perpetrators, recruiters and control/abuse are more frequent in sexual exploitation,
  family perpetrators for minors, payments in forced labour.

Every column is drawn from a conditional (softmax) model whose base log-odds are calibrated on
the sample so that the expected one-way marginal equals the target; the values a column can
take, ``;``-joined combinations included, are exactly those in the marginals file. Seedable
(``numpy.random.default_rng(seed)``) and vectorised: 200,000 rows take a few seconds.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from vinculo.errors import VinculoError

__all__ = ["VP_COLUMNS", "generate_vp", "vp_domains", "vp_marginals"]

MARGINALS_FILE = "ctdc_vp_synthetic_condensed_marginals__derived.csv"

#: The 16 columns in the order of CTDC's condensed victim-perpetrator file.
VP_COLUMNS: tuple[str, ...] = (
    "yearRegister",
    "gender",
    "majorityStatus",
    "isForcedLabour",
    "isSexualExploit",
    "UN_COO_Region",
    "UN_COE_Region",
    "IP_Exploiter",
    "IP_Gender",
    "IP_ageBroad",
    "IP_citizen_UNRegion",
    "IP_Relation",
    "IP_PayMoney",
    "IP_RecruiterBroker",
    "IP_TransactionProcess",
    "IP_ControlAbuseKidnap",
)

Codes = NDArray[np.int64]
Scores = NDArray[np.float64]


@cache
def vp_marginals() -> dict[str, dict[str, int]]:
    """``{column: {value: count}}`` from the shipped marginals file; ``""`` is the empty cell."""
    text = resources.files("vinculo.release").joinpath("data", MARGINALS_FILE).read_text("utf-8")
    out: dict[str, dict[str, int]] = {column: {} for column in VP_COLUMNS}
    for row in csv.DictReader(text.splitlines()):
        value = "" if row["value"] == "<empty>" else row["value"]
        out[row["column"]][value] = int(row["count"])
    return out


def vp_domains() -> dict[str, tuple[str, ...]]:
    """The public value set of each column: single values, ``;``-combinations split, sorted.

    This is codebook knowledge (CTDC's published value sets), not read from any private table,
    so it can serve as the declared domain of a DP release (see :mod:`vinculo.release._dp`).
    """
    domains: dict[str, tuple[str, ...]] = {}
    for column, counts in vp_marginals().items():
        atoms = {atom for value in counts if value for atom in value.split(";")}
        domains[column] = tuple(sorted(atoms))
    return domains


@dataclass(frozen=True)
class _Column:
    values: tuple[str, ...]  # "" first when present
    target: NDArray[np.float64]  # probabilities

    def index(self, value: str) -> int:
        return self.values.index(value)

    def has(self, value: str) -> NDArray[np.float64]:
        """1.0 for each value that contains ``value`` (a combination counts), else 0.0."""
        return np.array([1.0 if value in v.split(";") else 0.0 for v in self.values])

    def empty(self) -> NDArray[np.float64]:
        return np.array([1.0 if v == "" else 0.0 for v in self.values])

    def combo(self) -> NDArray[np.float64]:
        return np.array([1.0 if ";" in v else 0.0 for v in self.values])


def _columns() -> dict[str, _Column]:
    out = {}
    for column, counts in vp_marginals().items():
        values = tuple(sorted(counts, key=lambda v: (v != "", v)))
        total = sum(counts.values())
        out[column] = _Column(values, np.array([counts[v] / total for v in values]))
    return out


#: Rows used to calibrate each column's base log-odds (the rest follow the same model).
_CALIBRATION_ROWS = 20_000


def _softmax(logits: Scores) -> Scores:
    shifted = logits - logits.max(axis=1, keepdims=True)
    expo = np.exp(shifted)
    result: Scores = expo / expo.sum(axis=1, keepdims=True)
    return result


def _draw(column: _Column, scores: Scores, rng: np.random.Generator) -> Codes:
    """Draw one code per row from softmax(base + scores), base calibrated to the target marginal."""
    target = np.maximum(column.target, 1e-12)
    base = np.log(target)
    sample = scores[:_CALIBRATION_ROWS]  # rows are exchangeable: calibrate on the first ones
    for _ in range(100):
        mean = _softmax(base + sample).mean(axis=0)
        step = np.log(target) - np.log(np.maximum(mean, 1e-300))
        base = base + step
        if np.max(np.abs(mean - target)) < 2e-5:
            break
    probs = _softmax(base + scores)
    cumulative = np.cumsum(probs, axis=1)
    cumulative[:, -1] = 1.0
    u = rng.random(len(scores))[:, None]
    codes: Codes = (u > cumulative).sum(axis=1).astype(np.int64)
    return codes


def _rows(n: int, k: int) -> Scores:
    return np.zeros((n, k))


def _is(codes: Codes, column: _Column, value: str) -> NDArray[np.float64]:
    """1.0 for rows whose value contains ``value``."""
    mask: NDArray[np.float64] = column.has(value)[codes]
    return mask


def generate_vp(n_rows: int, seed: int | None = None) -> list[dict[str, str]]:
    """Return ``n_rows`` synthetic victim-perpetrator records (``{column: cell}``; ``""`` empty).

    Parameters
    ----------
    n_rows : int
        Number of records (0 gives an empty list).
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same table.

    Examples
    --------
    >>> rows = generate_vp(3, seed=1)
    >>> len(rows), sorted(rows[0]) == sorted(VP_COLUMNS)
    (3, True)
    """
    if isinstance(n_rows, bool) or not isinstance(n_rows, int) or n_rows < 0:
        raise VinculoError(
            f"n_rows must be a whole number >= 0, not {n_rows!r}.",
            code="release.bad_rows",
            fix="Give the number of records to generate.",
        )
    codes = _generate_codes(n_rows, np.random.default_rng(seed))
    cols = _columns()
    values = [[cols[name].values[code] for code in codes[name].tolist()] for name in VP_COLUMNS]
    return [dict(zip(VP_COLUMNS, record, strict=True)) for record in zip(*values, strict=True)]


def _generate_codes(n: int, rng: np.random.Generator) -> dict[str, Codes]:
    c = _columns()
    out: dict[str, Codes] = {}
    if n == 0:
        return {name: np.zeros(0, dtype=np.int64) for name in VP_COLUMNS}
    # Latent flags (invented): no victim profile; perpetrator detail level 0 none, 1 some, 2 rich.
    no_profile = (rng.random(n) < c["gender"].target[c["gender"].index("")] * 0.98).astype(float)
    perp = rng.choice(3, size=n, p=[0.24, 0.40, 0.36]).astype(np.int64)
    no_perp = (perp == 0).astype(float)
    rich = (perp == 2).astype(float)

    def add(name: str, build: Callable[[int], Scores]) -> None:
        out[name] = _draw(c[name], build(len(c[name].values)), rng)

    def empty_score(name: str, weight: NDArray[np.float64], strength: float) -> Scores:
        s = _rows(n, len(c[name].values))
        s += strength * np.outer(weight, c[name].empty())
        return s

    add("yearRegister", lambda k: empty_score("yearRegister", no_profile, 6.0))
    add(
        "gender",
        lambda k: (
            empty_score("gender", no_profile, 12.0) - 12.0 * np.outer(1 - no_profile, c["gender"].empty())
        ),
    )

    female = _is(out["gender"], c["gender"], "Female")
    recent = sum(_is(out["yearRegister"], c["yearRegister"], y) for y in ("2019", "2020", "2021-2022"))

    def majority(k: int) -> Scores:
        s = empty_score("majorityStatus", no_profile, 12.0) - 12.0 * np.outer(
            1 - no_profile, c["majorityStatus"].empty()
        )
        s += 0.6 * np.outer(female, c["majorityStatus"].has("Minor"))
        return s

    add("majorityStatus", majority)
    minor = _is(out["majorityStatus"], c["majorityStatus"], "Minor")

    def sexual(k: int) -> Scores:
        s = _rows(n, k)
        s += np.outer(2.2 * female + 1.3 * minor - 0.8 * no_profile, c["isSexualExploit"].has("1"))
        return s

    add("isSexualExploit", sexual)
    sex = _is(out["isSexualExploit"], c["isSexualExploit"], "1")

    def labour(k: int) -> Scores:
        male = _is(out["gender"], c["gender"], "Male")
        return np.outer(-3.0 * sex + 1.0 * male - 0.6 * minor + 0.7 * recent, c["isForcedLabour"].has("1"))

    add("isForcedLabour", labour)
    forced = _is(out["isForcedLabour"], c["isForcedLabour"], "1")
    regions = ("Africa", "Americas/Oceania", "Asia", "Europe")

    def origin(k: int) -> Scores:
        s = empty_score("UN_COO_Region", no_profile, 12.0) - 12.0 * np.outer(
            1 - no_profile, c["UN_COO_Region"].empty()
        )
        s += np.outer(sex, 0.7 * c["UN_COO_Region"].has("Europe") - 0.3 * c["UN_COO_Region"].has("Asia"))
        s += np.outer(forced, 0.4 * c["UN_COO_Region"].has("Asia"))
        s += np.outer(recent, 0.5 * c["UN_COO_Region"].has("Africa") - 0.4 * c["UN_COO_Region"].has("Europe"))
        return s

    add("UN_COO_Region", origin)
    # Origin -> exploitation flows (invented): log-odds bonus for each (origin, exploitation) pair.
    flow = {
        ("Africa", "Africa"): 2.6, ("Africa", "Europe"): 1.2, ("Africa", "Asia"): 1.0,
        ("Asia", "Asia"): 3.2, ("Asia", "Europe"): 0.8,
        ("Europe", "Europe"): 3.4,
        ("Americas/Oceania", "Americas/Oceania"): 4.0, ("Americas/Oceania", "Europe"): 1.0,
    }  # fmt: skip

    def exploitation(k: int) -> Scores:
        s = empty_score("UN_COE_Region", no_profile, 5.0)
        for (o, e), bonus in flow.items():
            s += bonus * np.outer(_is(out["UN_COO_Region"], c["UN_COO_Region"], o), c["UN_COE_Region"].has(e))
        return s

    add("UN_COE_Region", exploitation)

    def perp_field(name: str, strength: float = 5.0) -> Scores:
        s = _rows(n, len(c[name].values))
        s += strength * np.outer(no_perp, c[name].empty()) - 1.5 * np.outer(rich, c[name].empty())
        return s

    def exploiter(k: int) -> Scores:
        return np.outer(-3.0 * no_perp + 1.0 * rich + 0.5 * forced, c["IP_Exploiter"].has("1"))

    add("IP_Exploiter", exploiter)

    def ip_gender(k: int) -> Scores:
        s = perp_field("IP_Gender", 6.0)
        s += np.outer(sex * (1 + female), 0.7 * c["IP_Gender"].has("Female"))
        s += np.outer(rich, 0.8 * c["IP_Gender"].combo())
        return s

    add("IP_Gender", ip_gender)

    def ip_age(k: int) -> Scores:
        s = perp_field("IP_ageBroad", 6.0) + 2.0 * np.outer(1 - rich, c["IP_ageBroad"].empty())
        s += np.outer(sex, 0.6 * c["IP_ageBroad"].has("0--29") + 0.4 * c["IP_ageBroad"].has("30--38"))
        return s

    add("IP_ageBroad", ip_age)

    def ip_citizen(k: int) -> Scores:
        s = perp_field("IP_citizen_UNRegion", 5.0)
        col = c["IP_citizen_UNRegion"]
        differ = np.zeros(n)
        for region in regions:
            o = _is(out["UN_COO_Region"], c["UN_COO_Region"], region)
            e = _is(out["UN_COE_Region"], c["UN_COE_Region"], region)
            s += np.outer(2.2 * o + 1.2 * e, col.has(region))
            differ += o * (1 - e)
        s += np.outer(differ, 1.5 * col.combo())
        return s

    add("IP_citizen_UNRegion", ip_citizen)

    def ip_relation(k: int) -> Scores:
        s = perp_field("IP_Relation", 5.0)
        col = c["IP_Relation"]
        s += np.outer(minor, 1.6 * col.has("FamilyIntimatePartner"))
        s += np.outer(sex, 0.9 * col.has("FriendAcquaintance") + 0.5 * col.has("FamilyIntimatePartner"))
        s += np.outer(forced, 0.6 * col.has("StrangerUnknownOther"))
        return s

    add("IP_Relation", ip_relation)

    def ip_pay(k: int) -> Scores:
        s = perp_field("IP_PayMoney", 5.0)
        col = c["IP_PayMoney"]
        s += np.outer(forced, 0.9 * col.has("Yes")) + np.outer(rich, 0.7 * col.combo())
        return s

    add("IP_PayMoney", ip_pay)

    def binary(name: str, extra: NDArray[np.float64]) -> None:
        add(name, lambda k: np.outer(-2.5 * no_perp + 0.6 * rich + extra, c[name].has("1")))

    binary("IP_RecruiterBroker", 0.8 * sex + 0.3 * minor)
    binary("IP_TransactionProcess", 0.5 * forced)
    binary("IP_ControlAbuseKidnap", 1.4 * sex + 0.5 * minor)
    return out
