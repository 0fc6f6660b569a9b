"""Capture histories from linkage results agree exactly with the clusters."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from vinculo.errors import VinculoError
from vinculo.linkage.histories import (
    UNKNOWN_STRATUM,
    capture_histories,
    histories_rows,
    recluster,
    threshold_sensitivity,
)
from vinculo.linkage.model import LinkResult, ScoredPair
from vinculo.mse import CaptureHistories


def _result() -> LinkResult:
    clusters = {
        ("police", "p1"): 0,
        ("police", "p2"): 1,
        ("police", "p3"): 1,  # a within-source duplicate: counts once
        ("ngo", "n1"): 0,
        ("ngo", "n2"): 2,
        ("shelter", "s1"): 0,
        ("shelter", "s2"): 3,
        ("shelter", "s3"): 2,
    }
    strata = {
        ("police", "p1"): {"sex": "f"},
        ("ngo", "n1"): {"sex": "f"},
        ("shelter", "s1"): {"sex": "m"},
        ("police", "p2"): {"sex": "m"},
        ("police", "p3"): {"sex": "m"},
        ("ngo", "n2"): {},
        ("shelter", "s3"): {"sex": ""},
        ("shelter", "s2"): {"sex": "f"},
    }
    return LinkResult(sources=("police", "ngo", "shelter"), clusters=clusters, strata=strata)


def _patterns_from_clusters(result: LinkResult) -> dict[tuple[int, ...], int]:
    sources_of: dict[int, set[str]] = defaultdict(set)
    for (s, _r), c in result.clusters.items():
        sources_of[c].add(s)
    out: dict[tuple[int, ...], int] = defaultdict(int)
    for present in sources_of.values():
        out[tuple(int(s in present) for s in result.sources)] += 1
    return dict(out)


def test_histories_count_each_cluster_once_by_the_sources_it_is_on() -> None:
    h = capture_histories(_result())
    assert isinstance(h, CaptureHistories)
    assert h.lists == ("police", "ngo", "shelter")
    assert dict(h.rows()) == {(1, 1, 1): 1, (1, 0, 0): 1, (0, 1, 1): 1, (0, 0, 1): 1}
    assert h.n_observed == _result().n_clusters


def test_rows_have_one_column_per_source_in_input_order_and_a_count() -> None:
    rows = histories_rows(_result())
    assert all(list(r) == ["police", "ngo", "shelter", "count"] for r in rows)
    assert all(any(r[s] for s in ("police", "ngo", "shelter")) for r in rows)  # no all-zero row
    assert sum(int(r["count"]) for r in rows) == 4  # type: ignore[call-overload]


def test_rows_and_histories_agree_with_the_clusters_on_random_results() -> None:
    rng = random.Random(11)
    for _ in range(20):
        sources = tuple(f"s{i}" for i in range(rng.randint(2, 5)))
        clusters: dict[tuple[str, str], int] = {}
        for s in sources:
            for i in range(rng.randint(1, 15)):
                clusters[(s, str(i))] = rng.randint(0, 12)
        result = LinkResult(sources=sources, clusters=clusters)
        expected = _patterns_from_clusters(result)
        rows = histories_rows(result)
        assert {tuple(int(r[s]) for s in sources): r["count"] for r in rows} == expected  # type: ignore[call-overload]
        h = capture_histories(result)
        assert isinstance(h, CaptureHistories)
        assert dict(h.rows()) == expected
        assert [tuple(int(r[s]) for s in sources) for r in rows] == [bits for bits, _ in h.rows()]  # type: ignore[call-overload]


def test_strata_take_the_most_frequent_value_of_a_cluster_and_unknown_when_none() -> None:
    rows = histories_rows(_result(), by="sex")
    got = {(r["sex"], tuple(r[s] for s in ("police", "ngo", "shelter"))): r["count"] for r in rows}
    # cluster 0: f, f, m -> f; cluster 1: m; cluster 2: none -> unknown; cluster 3: f
    assert got == {
        ("f", (1, 1, 1)): 1,
        ("m", (1, 0, 0)): 1,
        (UNKNOWN_STRATUM, (0, 1, 1)): 1,
        ("f", (0, 0, 1)): 1,
    }
    assert next(iter(rows[0])) == "sex"


def test_capture_histories_by_stratum_partition_the_clusters() -> None:
    rng = random.Random(5)
    sources = ("a", "b")
    clusters = {}
    strata = {}
    for s in sources:
        for i in range(40):
            clusters[(s, str(i))] = rng.randint(0, 30)
            strata[(s, str(i))] = {"year": rng.choice(["2023", "2024"])}
    result = LinkResult(sources=sources, clusters=clusters, strata=strata)
    by = capture_histories(result, by="year")
    assert isinstance(by, dict)
    assert sorted(by) == ["2023", "2024"]
    total = capture_histories(result)
    assert isinstance(total, CaptureHistories)
    assert sum(h.n_observed for h in by.values()) == total.n_observed == result.n_clusters
    assert (sum(h.counts for h in by.values()) == total.counts).all()


def test_a_stratum_with_an_empty_list_is_named_in_the_error() -> None:
    result = LinkResult(
        sources=("a", "b"),
        clusters={("a", "1"): 0, ("b", "1"): 0, ("a", "2"): 1},
        strata={("a", "1"): {"sex": "f"}, ("b", "1"): {"sex": "f"}, ("a", "2"): {"sex": "m"}},
    )
    with pytest.raises(VinculoError) as err:
        capture_histories(result, by="sex")
    assert err.value.code == "mse.empty_list"
    assert "sex=m" in str(err.value)


def test_one_source_has_rows_but_no_capture_histories_for_mse() -> None:
    result = LinkResult(sources=("a",), clusters={("a", "1"): 0, ("a", "2"): 0, ("a", "3"): 1})
    assert histories_rows(result) == [{"a": 1, "count": 2}]
    with pytest.raises(VinculoError) as err:
        capture_histories(result)
    assert err.value.code == "mse.too_few_lists"


def _scored_result() -> LinkResult:
    records = [("A", "1"), ("A", "2"), ("B", "1"), ("B", "2"), ("C", "1")]
    pairs = (
        ScoredPair(("A", "1"), ("B", "1"), 0.99),
        ScoredPair(("B", "1"), ("C", "1"), 0.75),
        ScoredPair(("A", "2"), ("B", "2"), 0.6),
    )
    from vinculo.linkage.clusters import cluster

    return LinkResult(
        sources=("A", "B", "C"),
        clusters=cluster(records, pairs, 0.9),
        pairs=pairs,
        threshold=0.9,
        review_band=(0.5, 0.9),
    )


def test_threshold_sensitivity_links_more_at_looser_thresholds() -> None:
    result = _scored_result()
    out = threshold_sensitivity(result, [0.5, 0.7, 0.9, 0.995])
    assert [t for t, _ in out] == [0.5, 0.7, 0.9, 0.995]
    observed = [h.n_observed for _, h in out]
    assert observed == [2, 3, 4, 5]
    same = out[2][1]
    base = capture_histories(result)
    assert isinstance(base, CaptureHistories)
    assert (same.counts == base.counts).all()


def test_recluster_at_the_results_threshold_gives_back_its_clusters_with_cannot_links() -> None:
    records = [("A", "1"), ("A", "2"), ("B", "1")]
    pairs = (ScoredPair(("A", "1"), ("B", "1"), 0.99), ScoredPair(("A", "2"), ("B", "1"), 0.95))
    from vinculo.linkage.clusters import cluster

    cannot = [(("A", "1"), ("A", "2"))]
    result = LinkResult(
        sources=("A", "B"),
        clusters=cluster(records, pairs, 0.9, cannot_link=cannot),
        pairs=pairs,
        threshold=0.9,
        review_band=(0.5, 0.9),
        parameters={"cannot_link": [["A", "1", "A", "2"]]},
    )
    assert recluster(result, 0.9) == result.clusters
    assert result.clusters[("A", "1")] != result.clusters[("A", "2")]


def test_a_threshold_below_the_review_band_is_refused() -> None:
    with pytest.raises(VinculoError) as err:
        threshold_sensitivity(_scored_result(), [0.3])
    assert err.value.code == "linkage.threshold_below_band"


def test_linking_without_capture_histories_does_not_load_the_estimation_package() -> None:
    """`vinculo link` re-clusters (threshold sensitivity) but builds no table unless asked:
    vinculo.mse and scipy, seconds to import on a busy machine, stay unloaded until then."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import vinculo.cli.linkage, vinculo.linkage.histories as h, vinculo.linkage.trusted\n"
        "from vinculo.linkage.model import LinkResult, ScoredPair\n"
        "r = LinkResult(sources=('A', 'B'), clusters={('A', '1'): 0, ('B', '9'): 1},\n"
        "               pairs=(ScoredPair(('A', '1'), ('B', '9'), 0.7),), threshold=0.9, review_band=(0.5, 0.9))\n"
        "assert sorted(set(h.recluster(r, 0.6).values())) == [0]\n"
        "print(sorted(m for m in ('vinculo.mse', 'scipy') if m in sys.modules))\n"
        "h.capture_histories(r)\n"
        "print('vinculo.mse' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["[]", "True"], out
