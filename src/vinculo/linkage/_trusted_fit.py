"""Corrections of the trained trusted-mode model from populations of the data whose nature is known.

Fellegi-Sunter weighs each field as if it were independent of the others, and splink estimates
m by EM over blocked pairs and u over random pairs. Two estimates go wrong on multi-agency data
in a way the data themselves can show:

* **Birth-year gaps** (:func:`anchored_birth_m`). EM learns the m of "birth years 2-5 apart" partly
  from *namesakes* (different persons with common names agree on everything a block holds fixed),
  so it says gaps are common among matches. *Anchor* pairs, records sharing an identity number or
  an e-mail address (placeholders are blanked), are nearly always one person: their share of each
  gap is the m of that gap. An anchored m replaces EM's only when EM's lies above the anchors'
  95 % (Wilson) interval, i.e. when the anchors contradict it.
* **Fields that follow the name** (:func:`namesake_u`). Two records with the same given and
  family name mostly share a country (names follow the country), a sex (given names follow the
  sex) and an e-mail handle built from the name. Random pairs say agreeing citizenship is 8 times
  likelier for a match than by chance; among namesakes it is barely likelier at all. The pairs
  the threshold decides on are nearly all namesakes, so for these fields u is estimated among
  *clear namesakes*: same given and family name, both birth years known and more than 5 apart
  with no keying error to explain it (full dates not one edit apart), no identity number, e-mail
  or phone in common: different persons who share a name. u of the agreeing level is replaced
  when it is larger there than over random pairs.

Both need enough pairs (:data:`MIN_PAIRS`); with fewer the model is left as trained.
"""

from __future__ import annotations

import math
import re
from typing import Any

from vinculo.linkage import _trusted_model as model

__all__ = [
    "MIN_PAIRS",
    "NAMESAKE_LEVELS",
    "anchor_gaps",
    "anchored_birth_m",
    "namesake_u",
    "refit",
    "wilson_upper",
]

#: Pairs needed (anchors with both birth years; clear namesakes with both values of a field)
#: before an estimate replaces the trained one.
MIN_PAIRS = 30
#: Namesakes: birth years more than this apart (with no keying error) are two persons.
NAMESAKE_YEARS_APART = 5
#: Different persons whose fields are dependent on the name: SQL of the self-join of the record
#: table (``a``, ``b``) and the columns it needs. *Namesakes*: same given and family name, birth
#: years far apart with no keying error, no identifier in common. *Households*: same family
#: name, given names that clearly differ (no level of the given-name comparison above
#: "differ" could hold), no identifier in common: relatives and strangers with that family name.
_NO_IDENTIFIER = (
    "NOT coalesce(a.identity_number = b.identity_number, FALSE) AND NOT coalesce(a.email = b.email, FALSE)"
)
_FAR_APART = f"""a.birth_year < b.birth_year - {NAMESAKE_YEARS_APART}
    AND NOT coalesce(damerau_levenshtein(a.dob, b.dob) <= 1, FALSE)"""
#: Two given names that no level of the given-name comparison above "differ" could join.
_GIVEN_DIFFER = f"""(a.given_name <> b.given_name
    AND jaro_winkler_similarity(a.given_name, b.given_name) < {model.GIVEN_FUZZY}
    AND a.given_ph IS DISTINCT FROM b.given_ph
    AND len(list_intersect(a.given_tokens, b.given_tokens)) = 0
    AND a.name_ends IS DISTINCT FROM b.name_ends)"""
POPULATIONS: dict[str, tuple[set[str], str]] = {
    "namesakes": (
        {"given_name", "family_name", "birth_year", "dob", "phone"},
        f"""a.given_name = b.given_name AND a.family_name = b.family_name AND {_FAR_APART}
            AND NOT coalesce(a.phone = b.phone, FALSE) AND {_NO_IDENTIFIER}""",
    ),
    "households": (
        {"given_name", "family_name", "given_ph", "given_tokens", "name_ends", "birth_year", "dob"},
        f"a.family_name = b.family_name AND {_FAR_APART} AND {_GIVEN_DIFFER} AND {_NO_IDENTIFIER}",
    ),
}
#: (population, comparison, level label, record-table column, SQL of the level): the agreeing
#: levels of the fields that follow a name (country, sex, an e-mail handle made of the name) and
#: of those a household shares (address, phone).
NAMESAKE_LEVELS: tuple[tuple[str, str, str, str, str], ...] = (
    ("namesakes", "citizenship", "same citizenship", "citizenship", "a.citizenship = b.citizenship"),
    ("namesakes", "sex", "same sex", "sex", "a.sex = b.sex"),
    ("namesakes", "city", "same city", "city", "a.city = b.city"),
    # A word of the city name in common follows the name as much as the city itself (a namesake
    # lives in "Cali" or "Santiago de Cali" about as often as two records of one person do).
    (
        "namesakes",
        "city",
        "a word of the city name in common",
        "city",
        f"a.city <> b.city AND jaro_winkler_similarity(a.city, b.city) < {model.PLACE_CLOSE} "
        "AND a.city_ph IS DISTINCT FROM b.city_ph AND len(list_intersect(a.city_tokens, b.city_tokens)) > 0",
    ),
    (
        "namesakes",
        "email",
        "same name before the @",
        "email",
        "a.email <> b.email AND a.email_local = b.email_local",
    ),
    ("households", "street", "same street", "street", "a.street = b.street"),
    ("households", "postcode", "same postcode", "postcode", "a.postcode = b.postcode"),
    ("households", "phone", "same phone number", "phone", "a.phone = b.phone"),
    (
        "households",
        "phone",
        "same last 8 digits",
        "phone",
        "a.phone <> b.phone AND a.phone_tail = b.phone_tail",
    ),
)
#: A record-table column named in the SQL of a level.
_COLUMN = re.compile(r"\b[ab]\.(\w+)")
#: Records at most in the self-joins that form the populations (a sample beyond).
SAMPLE_RECORDS = 50_000
SAMPLE_SEED = 20261207
#: The birth-date levels whose m anchors estimate, and the year gaps each holds.
GAP_LEVELS: tuple[tuple[str, int, int], ...] = (
    (model.BIRTH_ONE_APART, 1, 1),
    (model.BIRTH_GAP_LEVELS[0], 2, 5),
    (model.BIRTH_GAP_LEVELS[1], 6, 10_000),
)


def wilson_upper(k: int, n: int, z: float = 1.96) -> float:
    """Upper end of the Wilson score interval of a proportion k/n."""
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre + spread) / (1 + z * z / n)


def wilson_lower(k: int, n: int, z: float = 1.96) -> float:
    """Lower end of the Wilson score interval of a proportion k/n."""
    return 1.0 - wilson_upper(n - k, n, z)


def _connect(table: Any, columns: list[str]) -> Any:
    import duckdb

    con = duckdb.connect()
    con.register("t", table.select(columns))
    return con


def anchor_gaps(table: Any) -> tuple[int, dict[int, int]]:
    """Anchor pairs (sharing an identity number or an e-mail) with both birth years known: their
    number and how many have each absolute year gap."""
    con = _connect(table, ["unique_id", "birth_year", "identity_number", "email"])
    try:
        # Two equi-joins (an OR in the join condition would compare every pair of records).
        rows = con.execute(
            """
            WITH p AS (
                SELECT l.unique_id AS a, r.unique_id AS b, abs(l.birth_year - r.birth_year) AS gap
                FROM t l JOIN t r ON l.identity_number = r.identity_number AND l.unique_id < r.unique_id
                WHERE l.birth_year IS NOT NULL AND r.birth_year IS NOT NULL
                UNION
                SELECT l.unique_id, r.unique_id, abs(l.birth_year - r.birth_year)
                FROM t l JOIN t r ON l.email = r.email AND l.unique_id < r.unique_id
                WHERE l.birth_year IS NOT NULL AND r.birth_year IS NOT NULL
            )
            SELECT gap, count(*) FROM p GROUP BY gap
            """
        ).fetchall()
    finally:
        con.close()
    gaps = {int(g): int(c) for g, c in rows}
    return sum(gaps.values()), gaps


def anchored_birth_m(levels: dict[str, float], n: int, gaps: dict[int, int]) -> dict[str, float]:
    """Anchored m of the gap levels (``levels``: label -> EM's m) that the anchors contradict:
    m = (count + 1/2) / (anchors + 1), used when EM's m lies above the upper end of the anchors'
    95 % interval. Empty with fewer than :data:`MIN_PAIRS` anchors."""
    if n < MIN_PAIRS:
        return {}
    out: dict[str, float] = {}
    for label, low, high in GAP_LEVELS:
        if label not in levels:
            continue
        k = sum(c for g, c in gaps.items() if low <= g <= high)
        if levels[label] > wilson_upper(k, n):
            out[label] = (k + 0.5) / (n + 1)
    return out


def _sample(table: Any) -> Any:
    """At most :data:`SAMPLE_RECORDS` records, drawn with a fixed seed (shares of pairs are what
    is estimated; a national register's self-join on family names would be too large)."""
    import numpy as np

    if table.num_rows <= SAMPLE_RECORDS:
        return table
    rows = np.random.default_rng(SAMPLE_SEED).choice(table.num_rows, SAMPLE_RECORDS, replace=False)
    return table.take(np.sort(rows))


def namesake_u(table: Any) -> dict[tuple[str, str], tuple[int, int]]:
    """For each of the :data:`NAMESAKE_LEVELS` whose population can be formed: (pairs of that
    population with both values, pairs in the level)."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    present = set(table.column_names)
    sample = _sample(table)
    for population, (needed, join) in POPULATIONS.items():
        wanted = [
            lv
            for lv in NAMESAKE_LEVELS
            if lv[0] == population and lv[3] in present and set(_COLUMN.findall(lv[4])) <= present
        ]
        if not wanted or not needed <= present:
            continue
        counts = ", ".join(
            f"count(*) FILTER (a.{col} IS NOT NULL AND b.{col} IS NOT NULL), count(*) FILTER ({sql})"
            for _, _, _, col, sql in wanted
        )
        columns = {"unique_id", "identity_number", "email", *needed, *(lv[3] for lv in wanted)}
        columns |= {"email_local", "phone_tail", "city_ph", "city_tokens"} & present
        con = _connect(sample, sorted(columns & present))
        try:
            row = con.execute(f"SELECT {counts} FROM t a JOIN t b ON {join}").fetchone()  # noqa: S608
        finally:
            con.close()
        for i, (_, comparison, label, _col, _sql) in enumerate(wanted):
            out[comparison, label] = (int(row[2 * i]), int(row[2 * i + 1])) if row else (0, 0)
    return out


def _renormalise(levels: list[dict[str, Any]], key: str, fixed: dict[int, float]) -> None:
    """Set ``key`` of the levels at positions ``fixed`` and scale the others so all sum to 1."""
    rest = [i for i in range(len(levels)) if i not in fixed]
    left = 1.0 - sum(fixed.values())
    total = sum(float(levels[i][key]) for i in rest)
    if left <= 0 or total <= 0:
        return
    for i, value in fixed.items():
        levels[i][key] = value
    for i in rest:
        levels[i][key] = float(levels[i][key]) * left / total


def _em_m(model_dict: dict[str, Any], comparison: str, label: str) -> float | None:
    for comp in model_dict["comparisons"]:
        if comp["output_column_name"] == comparison:
            for lv in comp["comparison_levels"]:
                if lv.get("label_for_charts") == label and not lv.get("is_null_level"):
                    return float(lv["m_probability"])
    return None


def _populations_valid(model_dict: dict[str, Any], n: int, gaps: dict[int, int]) -> bool:
    """Whether the anchors confirm the populations' criterion of "different persons" (birth
    years more than 5 apart): at least :data:`MIN_PAIRS` anchors, and such gaps clearly rarer
    among them than EM's m says they are among matches. Where one person's records often carry
    far-apart years (FEBRL's corrupted dates), or no anchor tells, the populations would hold
    matches: they are not used."""
    far = _em_m(model_dict, "birth_date", model.BIRTH_GAP_LEVELS[1])
    k_far = sum(c for g, c in gaps.items() if g > NAMESAKE_YEARS_APART)
    return far is not None and n >= MIN_PAIRS and far > wilson_upper(k_far, n)


def refit(model_dict: dict[str, Any], table: Any) -> dict[str, Any]:
    """Apply the anchored birth-gap m and the namesake u to the trained (smoothed) model in place.

    Returns a note of what was changed: ``birth_gap_m`` (label -> (EM's m, anchored m)) and
    ``namesake_u`` (comparison -> (label, random-pair u, namesake u))."""
    notes: dict[str, Any] = {"birth_gap_m": {}, "namesake_u": {}}
    n, gaps = anchor_gaps(table)
    cond_u = namesake_u(table) if _populations_valid(model_dict, n, gaps) else {}
    for comp in model_dict["comparisons"]:
        name = comp["output_column_name"]
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        labels = [str(lv.get("label_for_charts", "")) for lv in levels]
        if name == "birth_date":
            em = {label: float(lv["m_probability"]) for label, lv in zip(labels, levels, strict=True)}
            anchored = anchored_birth_m(em, n, gaps)
            if anchored:
                _renormalise(levels, "m_probability", {labels.index(k): v for k, v in anchored.items()})
                notes["birth_gap_m"] = {k: (em[k], v) for k, v in anchored.items()}
        fixed: dict[int, float] = {}
        for (comparison, label), (pairs, k) in cond_u.items():
            if comparison != name or label not in labels or pairs < MIN_PAIRS:
                continue
            i = labels.index(label)
            u_random = float(levels[i]["u_probability"])
            if wilson_lower(k, pairs) > u_random:  # clearly commoner than between random records
                fixed[i] = (k + 0.5) / (pairs + 1)
                # Term frequencies are shares among random records, not the chance among these
                # pairs: the level is weighed without them.
                for key in ("tf_adjustment_column", "tf_adjustment_weight", "tf_minimum_u_value"):
                    levels[i].pop(key, None)
                notes["namesake_u"].setdefault(name, []).append((label, u_random, fixed[i]))
        if fixed:
            _renormalise(levels, "u_probability", fixed)
    return notes
