"""The blocking planner: rules counted before scoring, oversized blocks split, nothing dropped."""

from __future__ import annotations

import itertools

import pyarrow as pa
import pytest

from vinculo.linkage import _blocking


def _table() -> pa.Table:
    # 400 namesakes "smith" in one city (one huge block) and 50 pairs of rare names (small blocks).
    family = ["smith"] * 400 + [f"rare{i // 2}" for i in range(100)]
    years = [1950 + i % 40 for i in range(400)] + [1980] * 100
    initials = [chr(97 + i % 26) for i in range(500)]
    return pa.table(
        {
            "unique_id": pa.array(range(500), pa.int64()),
            "family_name": family,
            "city": ["kyiv"] * 500,
            "birth_year": pa.array(years, pa.int64()),
            "given_initial": initials,
        }
    )


def _pairs(table: pa.Table, column: str) -> set[tuple[int, int]]:
    values = table.column(column).to_pylist()
    ids = table.column("unique_id").to_pylist()
    by: dict[object, list[int]] = {}
    for i, v in zip(ids, values, strict=True):
        if v is not None:
            by.setdefault(v, []).append(i)
    return {(a, b) for group in by.values() for a, b in itertools.combinations(sorted(group), 2)}


def test_small_input_keeps_every_rule_as_written() -> None:
    present = frozenset({"family_name", "city", "birth_year", "given_initial"})
    table, planned = _blocking.plan(_table(), [(("family_name", "city"), None)], present)
    assert [r.key_column for r in planned] == [None]
    assert planned[0].pairs == 400 * 399 // 2 + 50
    assert table.num_columns == 5


def test_oversized_rule_is_split_only_in_its_big_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_blocking, "PAIRS_FLOOR", 0.0)
    monkeypatch.setattr(_blocking, "PAIRS_PER_RECORD", 10.0)  # 5,000 pairs for 500 records
    present = frozenset({"family_name", "city", "birth_year", "given_initial"})
    rules = [(("family_name", "city"), None), (("birth_year",), None)]
    table, planned = _blocking.plan(_table(), rules, present)
    tightened = planned[0]
    assert tightened.key_column is not None and tightened.refined_by
    assert tightened.pairs_after is not None and tightened.pairs_after < tightened.pairs
    derived = _pairs(table, tightened.key_column)
    # within the budget's share, never more pairs than the rule had, and the rare names' pairs kept
    assert len(derived) == tightened.pairs_after <= 5000
    assert {(400 + 2 * i, 401 + 2 * i) for i in range(50)} <= derived
    original = _pairs(
        table.append_column(
            "k",
            pa.array(
                [
                    f"{f}|{c}"
                    for f, c in zip(
                        table.column("family_name").to_pylist(), table.column("city").to_pylist(), strict=True
                    )
                ]
            ),
        ),
        "k",
    )
    assert derived <= original
    # the note says what was done
    assert "split by" in tightened.note() and tightened.text in tightened.note()
    assert len(planned) == len(rules)


def test_share_is_water_filling() -> None:
    assert _blocking._share([10, 20, 30], 100) == float("inf")
    assert _blocking._share([10, 100, 1000], 210) == pytest.approx(100)
    assert _blocking._share([10, 100, 1000], 160) == pytest.approx(75)


def test_refined_totals_in_one_pass_equal_one_count_per_field() -> None:
    import duckdb

    table = _table().append_column("sex", pa.array([None if i % 7 == 0 else "mf"[i % 2] for i in range(500)]))
    con = duckdb.connect()
    con.register("t", table)
    fields = ["birth_year", "given_initial", "sex"]
    cond = "family_name IS NOT NULL AND city IS NOT NULL"
    totals = _blocking._refined_totals(con, ["family_name", "city"], fields, cond)
    for f in fields:
        assert totals[f] == _blocking._scalar(
            con, _blocking._pairs_sql(["family_name", "city", f], ["family_name", "city"])
        )
    assert totals["sex"] > totals["given_initial"] > 0
