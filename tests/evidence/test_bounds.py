"""Tighter ranges for suppressed cells (vinculo.evidence._bounds)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence

import pytest

from vinculo.evidence import Area, Count, GlotipDataset, GlotipRecord
from vinculo.evidence._bounds import (
    ACCEPT_SHARE,
    CellKey,
    Identity,
    find_identities,
    identity_checks,
    table_bounds,
    tighten_table,
)

S = Count.suppressed()
E = Count.exact


def key(sex: str = "Total", age: str = "Total", dim: str = "Total", cat: str = "Total") -> CellKey:
    return (dim, cat, sex, age)


TOTAL = key()


def brute_force(
    cells: Mapping[CellKey, Count], identities: Sequence[Identity]
) -> dict[CellKey, tuple[int, int]] | None:
    """Min and max of every cell over every whole-number assignment that meets all identities."""
    keys = sorted({k for i in identities for k in i.cells})
    spans = [range(cells[k].low, cells[k].high + 1) for k in keys]
    lo: dict[CellKey, int] = {}
    hi: dict[CellKey, int] = {}
    for values in itertools.product(*spans):
        v = dict(zip(keys, values, strict=True))
        if all(v[i.parent] == sum(v[c] for c in i.children) for i in identities):
            for k in keys:
                lo[k] = min(lo.get(k, v[k]), v[k])
                hi[k] = max(hi.get(k, v[k]), v[k])
    return {k: (lo[k], hi[k]) for k in keys} if lo else None


def test_a_partition_pins_a_partly_suppressed_sum_to_an_exact_value() -> None:
    forms = [key(dim="by form of exploitation", cat=c) for c in ("Forced labour", "Other", "Sexual")]
    # "Other" adds up 4 published cells, two of them "<5": 54 to 62 as published.
    cells = {TOTAL: E(933), forms[0]: E(644), forms[1]: Count(54, 62, 2, 4), forms[2]: E(235)}
    ident = Identity("form", TOTAL, tuple(forms))
    result = tighten_table(cells, [ident])
    b = result.get(forms[1])
    assert b is not None and (b.low, b.high) == (54, 54) and b.is_exact
    assert b.identity == ident
    assert result.explain(forms[1]) == ("Total 933 = Forced labour 644 + Other ≥ 54 (54–62) + Sexual 235")
    assert result.derivation(forms[1])[0]["total"] == {"cell": "Total", "count": 933}


def test_suppressed_parts_pinned_to_zero() -> None:
    parts = [key("Female"), key("Male"), key("Other"), key("Unknown", "Unknown")]
    cells = {TOTAL: E(417), parts[0]: E(212), parts[1]: E(205), parts[2]: S, parts[3]: S}
    result = tighten_table(cells, [Identity("sex", TOTAL, tuple(parts))])
    for k in parts[2:]:
        b = result.get(k)
        assert b is not None and (b.low, b.high) == (0, 0)
    assert set(result.tightened) == set(parts[2:])


def test_two_suppressed_cells_sharing_one_identity_get_a_joint_range() -> None:
    young, old = key("Male", "0 to 17 years"), key("Male", "18 years or over")
    cells = {key("Male"): E(7), young: S, old: S}
    result = tighten_table(cells, [Identity("sex_age", key("Male"), (young, old))])
    for k in (young, old):
        b = result.get(k)
        assert b is not None and (b.low, b.high) == (3, 4) and not b.is_exact
    assert brute_force(cells, result.identities) == {key("Male"): (7, 7), young: (3, 4), old: (3, 4)}


def test_an_identity_that_takes_nothing_away_tightens_nothing() -> None:
    young, old = key("Male", "0 to 17 years"), key("Male", "18 years or over")
    cells = {key("Male"): S, young: S, old: S}
    assert tighten_table(cells, [Identity("sex_age", key("Male"), (young, old))]).tightened == {}


def test_figures_that_contradict_one_identity_are_reported_and_keep_their_range() -> None:
    young, old = key("Male", "0 to 17 years"), key("Male", "18 years or over")
    cells = {key("Male"): E(20), young: E(5), old: S}
    ident = Identity("sex_age", key("Male"), (young, old))
    result = tighten_table(cells, [ident])
    assert result.conflicts == (ident,) and result.tightened == {}
    assert result.notes


def test_identities_that_contradict_each_other_are_reported_and_nothing_is_narrowed() -> None:
    a, b, x = key("Female"), key("Male"), key("Other")
    # 6 = 5 + x and 7 = 5 + x: each alone is possible (x = 1, x = 2), together they are not.
    other_total = key(dim="by form of exploitation", cat="Sexual")
    cells = {TOTAL: E(6), other_total: E(7), a: E(5), b: E(5), x: S}
    first = Identity("sex", TOTAL, (a, x))
    second = Identity("sex", other_total, (b, x))
    result = tighten_table(cells, [first, second])
    assert result.conflicts == ()
    assert set(result.infeasible) == {first, second}
    assert result.tightened == {}
    assert result.notes


def test_several_identities_together_match_brute_force() -> None:
    rng = random.Random(11)
    sexes = ("Female", "Male")
    ages = ("0 to 17 years", "18 years or over")
    checked = 0
    for _ in range(150):
        truth = {key(s, a): rng.choice([0, 1, 2, 3, 4, 5, 6, 9]) for s in sexes for a in ages}
        for s in sexes:
            truth[key(s)] = sum(truth[key(s, a)] for a in ages)
        truth[TOTAL] = sum(truth[key(s)] for s in sexes)
        cells = {k: (S if v < 5 else E(v)) for k, v in truth.items()}
        identities = [Identity("sex", TOTAL, tuple(key(s) for s in sexes))] + [
            Identity("sex_age", key(s), tuple(key(s, a) for a in ages)) for s in sexes
        ]
        result = tighten_table(cells, identities)
        expected = brute_force(cells, identities)
        assert expected is not None  # made from a true table
        for k, (lo, hi) in expected.items():
            got = result.get(k)
            span = (got.low, got.high) if got else (cells[k].low, cells[k].high)
            assert span == (lo, hi), (cells, k)
            assert lo <= truth[k] <= hi
        checked += len(result.tightened)
    assert checked > 0


def _dataset(tables: Sequence[Mapping[CellKey, Count]]) -> GlotipDataset:
    records = [
        GlotipRecord(f"C{n:02d}", "Detected trafficking victims", d, c, s, a, 2020, count)
        for n, cells in enumerate(tables)
        for (d, c, s, a), count in cells.items()
    ]
    countries = [Area(f"C{n:02d}", f"Country {n}", "Europe", "Western Europe") for n in range(len(tables))]
    return GlotipDataset(records, countries)


def _sex_age_table(male: int, young: int, old: Count) -> dict[CellKey, Count]:
    return {
        key("Male"): E(male),
        key("Male", "0 to 17 years"): E(young),
        key("Male", "18 years or over"): old,
    }


def test_a_family_is_used_only_where_it_adds_up_in_the_data() -> None:
    adding_up = [_sex_age_table(10 + n, 5 + n, E(5)) for n in range(25)]
    probe = _sex_age_table(7, 5, S)
    ds = _dataset([*adding_up, probe])
    checks = identity_checks(ds)
    assert checks["sex_age"].accepted and checks["sex_age"].exact_cases == 25
    b = table_bounds(ds, "C25", "Detected trafficking victims", 2020).get(key("Male", "18 years or over"))
    assert b is not None and (b.low, b.high) == (2, 2)


def test_a_family_that_does_not_add_up_in_the_data_tightens_nothing() -> None:
    # Half of the exact cases do not add up: the parts need not add up to the total.
    mixed = [_sex_age_table(10 + n + (n % 2), 5 + n, E(5)) for n in range(25)]
    probe = _sex_age_table(7, 5, S)
    ds = _dataset([*mixed, probe])
    assert not identity_checks(ds)["sex_age"].accepted
    assert table_bounds(ds, "C25", "Detected trafficking victims", 2020).tightened == {}


def test_too_few_exact_cases_accept_nothing() -> None:
    ds = _dataset([_sex_age_table(10, 5, E(5)), _sex_age_table(7, 5, S)])
    assert not identity_checks(ds)["sex_age"].accepted


def test_an_identity_needs_every_part_published() -> None:
    cells = {key("Male"): E(7), key("Male", "0 to 17 years"): E(5)}
    assert find_identities(cells, ["sex_age"]) == []


# -- the UNODC export ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def export_bounds(dataset: GlotipDataset) -> list[tuple[dict[CellKey, Count], object]]:
    tables: dict[tuple[str, str, int], dict[CellKey, Count]] = {}
    for r in dataset.records:
        tables.setdefault((r.iso3, r.indicator, r.year), {})[(r.dimension, r.category, r.sex, r.age)] = (
            r.count
        )
    return [(cells, table_bounds(dataset, *k)) for k, cells in tables.items()]


def test_export_accepted_families_add_up_in_nearly_every_exact_case(dataset: GlotipDataset) -> None:
    checks = identity_checks(dataset)
    assert any(c.accepted for c in checks.values())
    for c in checks.values():
        if c.accepted:
            assert c.exact_cases >= 20 and c.adding_up >= ACCEPT_SHARE * c.exact_cases
        elif c.exact_cases >= 20:
            assert c.adding_up < ACCEPT_SHARE * c.exact_cases


def test_export_tightened_ranges_are_exactly_the_consistent_values(
    dataset: GlotipDataset, export_bounds: list[tuple[dict[CellKey, Count], object]]
) -> None:
    accepted = {f for f, c in identity_checks(dataset).items() if c.accepted}
    tightened = enumerated = 0
    for cells, result in export_bounds:
        for k, b in result.tightened.items():  # type: ignore[attr-defined]
            tightened += 1
            published = cells[k]
            assert published.low <= b.low <= b.high <= published.high
            assert (b.low, b.high) != (published.low, published.high)
            if published.cells == 1:
                assert 0 <= b.low <= b.high <= 4
            assert b.identities and all(i.family in accepted for i in b.identities)
            group = [i for i in result.identities if set(i.cells) & {k}]  # type: ignore[attr-defined]
            # Brute force on the identities through this cell where that is small enough.
            free = {c for i in group for c in i.cells if not cells[c].is_exact}
            if len(group) == 1 and all(cells[c].high - cells[c].low <= 8 for c in free) and len(free) <= 4:
                expected = brute_force(cells, group)
                assert expected is not None and expected[k] == (b.low, b.high)
                enumerated += 1
    assert tightened > 0 and enumerated > 0


def test_country_profiles_carry_the_tightened_values_of_their_tables(dataset: GlotipDataset) -> None:
    from vinculo.evidence import build_country_profile, render_profile
    from vinculo.evidence._bounds import section_cell
    from vinculo.evidence._profiles import PROFILE_SECTIONS

    seen = 0
    for iso3 in sorted(dataset.countries)[:40]:
        profile = build_country_profile(dataset, iso3)
        for key, by_year in profile.sections.items():
            ind, dim, by, _title = PROFILE_SECTIONS[key]
            for year, parts in by_year.items():
                for part, count in parts.items():
                    t = profile.tightened_value(key, year, part)
                    cell = section_cell(by, dim, part)
                    b = None if cell is None else table_bounds(dataset, iso3, ind, year).get(cell)
                    assert (t is None) == (b is None or count.is_exact), (iso3, key, year, part)
                    if t is not None and b is not None:
                        assert (t.low, t.high, t.count) == (b.low, b.high, count)
                        seen += 1
        items = profile.to_dict()["tightened"]
        assert len(items) == sum(len(p) for y in profile.tightened.values() for p in y.values())
        if items:
            md = render_profile(profile, "md")
            assert items[0]["explanation"] in md
    assert seen > 0
