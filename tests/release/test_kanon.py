"""k-anonymity: pycanon, an independent checker, confirms k and ℓ on releases of synthetic data;
the search is exact (checked against every node of a small lattice) and its loss grows with k."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
from pycanon import anonymity
from tests.release.synthetic import ctdc_like

from vinculo.errors import VinculoError
from vinculo.release import KAnonSettings, ReleaseTable, anonymise, build_hierarchy, write_release_csv

QUASI = ("gender", "age", "citizenship", "yearOfRegistration", "typeOfExploitation")


def _frame(table: ReleaseTable, tmp_path: Path) -> pd.DataFrame:
    """The release as a reader of the written file sees it (every cell text, empty kept)."""
    path = tmp_path / "released.csv"
    write_release_csv(path, table.columns, table.rows)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("k", [2, 5, 11])
def test_pycanon_confirms_k_and_l_on_releases_of_synthetic_data(seed: int, k: int, tmp_path: Path) -> None:
    table = ctdc_like(4000, seed)
    result = anonymise(table, KAnonSettings(QUASI, k=k, sensitive="IP_Relation"))
    df = _frame(result.table, tmp_path)
    assert len(df) == result.report.rows_released > 0
    assert anonymity.k_anonymity(df, list(QUASI)) >= k
    assert anonymity.l_diversity(df, list(QUASI), ["IP_Relation"]) >= 2
    assert result.report.smallest_class >= k
    assert result.report.rows_suppressed <= 0.02 * len(table)
    assert result.report.rows_in == len(table) == result.report.rows_released + result.report.rows_suppressed


def test_pycanon_confirms_a_higher_l() -> None:
    table = ctdc_like(3000, 7)
    quasi = ["gender", "ageBroad", "CountryOfExploitation"]
    result = anonymise(table, KAnonSettings(tuple(quasi), k=5, sensitive="typeOfExploitation", l_diversity=4))
    df = pd.DataFrame(list(result.table.rows), columns=list(result.table.columns))
    assert anonymity.l_diversity(df, quasi, ["typeOfExploitation"]) >= 4
    assert result.report.lowest_diversity is not None and result.report.lowest_diversity >= 4


def test_information_loss_never_falls_as_k_grows() -> None:
    table = ctdc_like(3000, 11)
    losses = [
        anonymise(table, KAnonSettings(QUASI[:4], k=k)).report.information_loss
        for k in (2, 3, 5, 8, 11, 20, 50)
    ]
    assert losses == sorted(losses)
    assert losses[-1] > losses[0]


def _brute_force_loss(
    table: ReleaseTable,
    quasi: tuple[str, ...],
    k: int,
    budget: int,
    sensitive: str | None = None,
    ell: int = 1,
) -> float:
    """The least loss over every node, counted row by row in plain Python (no shared code but the hierarchies)."""
    secret = table.column(sensitive) if sensitive else None
    hs = [build_hierarchy(q, table.column(q)) for q in quasi]
    columns = [table.column(q) for q in quasi]
    n = len(table)
    best = float("inf")
    for node in itertools.product(*(range(h.top + 1) for h in hs)):
        labels = [
            tuple(h.generalise(c, lv) for c in col) for h, lv, col in zip(hs, node, columns, strict=True)
        ]
        keys = list(zip(*labels, strict=True))
        sizes: dict[tuple[str, ...], int] = {}
        for key in keys:
            sizes[key] = sizes.get(key, 0) + 1
        values: dict[tuple[str, ...], set[str]] = {}
        if secret is not None:
            for key, value in zip(keys, secret, strict=True):
                if value:
                    values.setdefault(key, set()).add(";".join(sorted(set(value.split(";")))))
        kept = [sizes[key] >= k and (secret is None or len(values.get(key, ())) >= ell) for key in keys]
        if kept.count(False) > budget:
            continue
        total = 0.0
        for j, (h, lv, col) in enumerate(zip(hs, node, columns, strict=True)):
            leaves = sorted(set(col))
            cover: dict[str, int] = {}
            for leaf in leaves:
                cover[h.generalise(leaf, lv)] = cover.get(h.generalise(leaf, lv), 0) + 1
            for r in range(n):
                if kept[r]:
                    total += (cover[labels[j][r]] - 1) / (len(leaves) - 1) if len(leaves) > 1 else 0.0
                else:
                    total += 1.0
        best = min(best, total / (n * len(quasi)))
    return best


@pytest.mark.parametrize(("k", "ell"), [(3, 1), (11, 1), (4, 2), (6, 3)])
def test_the_search_finds_the_least_loss_of_all_nodes(k: int, ell: int) -> None:
    table = ctdc_like(600, 5)
    quasi = ("gender", "age", "citizenship", "isForcedLabour")
    sensitive = "IP_Relation" if ell > 1 else None
    result = anonymise(
        table,
        KAnonSettings(
            quasi, k=k, max_suppression=0.03, sensitive=sensitive, l_diversity=ell if sensitive else None
        ),
    )
    expected = _brute_force_loss(table, quasi, k, 18, sensitive, ell)
    assert result.report.information_loss == pytest.approx(expected, abs=1e-6)
    assert result.report.nodes_counted < result.report.nodes_in_lattice


def test_the_report_names_levels_and_loss_per_column() -> None:
    result = anonymise(ctdc_like(2000, 3), KAnonSettings(("age", "citizenship"), k=11))
    report = result.report.to_dict()
    assert [q["column"] for q in report["quasi_identifiers"]] == ["age", "citizenship"]
    for q in report["quasi_identifiers"]:
        assert 0 <= q["loss"] <= 1 and q["levels"][-1] == "*" and q["level_name"] in q["levels"]
    assert report["information_loss"] == pytest.approx(
        sum(q["loss"] for q in report["quasi_identifiers"]) / 2, abs=1e-5
    )
    assert "information loss" in result.report.summary()


def test_released_columns_keep_order_less_protected_identifiers() -> None:
    table = ctdc_like(1000, 2)
    result = anonymise(table, KAnonSettings(("gender", "ageBroad"), k=5))
    assert result.table.columns == tuple(c for c in table.columns if c != "prs_FirstName")
    assert [d["column"] for d in result.report.to_dict()["dropped_columns"]] == ["prs_FirstName"]
    untouched = result.table.columns.index("IP_Relation")
    assert {r[untouched] for r in result.table.rows} <= set(table.column("IP_Relation"))


def test_a_record_id_column_is_warned_about() -> None:
    result = anonymise(ctdc_like(500, 2), KAnonSettings(("gender",), k=5))
    assert any('"record_id"' in w for w in result.report.warnings)


def test_multi_valued_quasi_identifiers_are_sets() -> None:
    rows = tuple((v, "x") for v in ["a;b", "b;a", "a; b", "b"] * 5)
    result = anonymise(ReleaseTable("t", ("kind", "other"), rows), KAnonSettings(("kind",), k=5))
    assert sorted({r[0] for r in result.table.rows}) == ["a;b", "b"]
    assert result.report.rows_suppressed == 0


@pytest.mark.parametrize(
    ("settings", "code"),
    [
        (KAnonSettings(("gender",), k=1), "release.bad_k"),
        (KAnonSettings(("gender",), k=100), "release.k_too_large"),
        (KAnonSettings(("gendre",), k=2), "release.unknown_column"),
        (KAnonSettings(("record_id",), k=2), "release.unique_quasi_identifier"),
        (KAnonSettings(("prs_FirstName",), k=2), "release.protected_column"),
        (KAnonSettings(("gender",), k=2, sensitive="isForcedLabour", l_diversity=2), "release.l_impossible"),
        (KAnonSettings((), k=2), "release.no_quasi_identifiers"),
        (KAnonSettings(("gender",), k=2, l_diversity=3), "release.bad_l"),
    ],
)
def test_bad_settings_are_refused_with_a_code(settings: KAnonSettings, code: str) -> None:
    with pytest.raises(VinculoError) as info:
        anonymise(ctdc_like(60, 1), settings)
    assert info.value.code == code


def test_an_unknown_column_suggests_the_closest() -> None:
    with pytest.raises(VinculoError, match='Did you mean "citizenship"'):
        anonymise(ctdc_like(60, 1), KAnonSettings(("citizenshp",), k=2))


def test_an_l_the_sensitive_column_cannot_reach_is_a_clear_error() -> None:
    rows = tuple(("a" if i < 6 else "b", "p" if i % 2 else "q") for i in range(12))
    table = ReleaseTable("t", ("kind", "s"), rows)
    with pytest.raises(VinculoError) as info:
        anonymise(table, KAnonSettings(("kind",), k=5, sensitive="s", l_diversity=3))
    assert info.value.code == "release.l_impossible"
    rows = tuple(("a", "p") for _ in range(12))
    with pytest.raises(VinculoError) as info:
        anonymise(
            ReleaseTable("t", ("kind", "s"), rows),
            KAnonSettings(("kind",), k=5, sensitive="s", l_diversity=2),
        )
    assert info.value.code == "release.l_impossible"


def test_a_date_of_birth_is_never_released_finer_than_its_year() -> None:
    rows = tuple(
        (f"{1960 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}", "F" if i % 3 else "M") for i in range(400)
    )
    table = ReleaseTable("t", ("prs_Birthdate", "gender"), rows)
    result = anonymise(table, KAnonSettings(("prs_Birthdate", "gender"), k=2))
    birth = result.report.quasi_identifiers[0]
    assert birth["levels"][0] == "year" and birth["level_name"] == "year"
    assert all(len(row[0]) == 4 for row in result.table.rows)


def test_too_large_a_lattice_is_refused_before_searching() -> None:
    table = ctdc_like(200, 4)
    quasi = (
        "age",
        "ageBroad",
        "citizenship",
        "CountryOfExploitation",
        "dateIdentified",
        "yearOfRegistration",
    )
    rows = tuple(row + row[4:10] for row in table.rows)
    columns = (*table.columns, *(f"{c}_2" for c in table.columns[4:10]))
    big = ReleaseTable("t", columns, rows)
    with pytest.raises(VinculoError) as info:
        anonymise(big, KAnonSettings((*quasi, *(f"{q}_2" for q in quasi[:5])), k=2))
    assert info.value.code == "release.lattice_too_large"
