"""The same linkage through splink's Spark backend, in Spark local mode (needs pyspark and Java)."""

from __future__ import annotations

import shutil

import pytest

from vinculo.linkage.model import Source
from vinculo.linkage.normalise import normalise_person
from vinculo.linkage.trusted import link

from .people import population, sources

if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java is not on PATH)", allow_module_level=True)
pytest.importorskip("pyspark", reason="Spark needs pyspark: pip install 'vinculo[spark]'")

pytestmark = pytest.mark.slow


def _source(name: str, rows: list[dict[str, str]]) -> Source:
    persons = tuple(
        normalise_person(r, source=name, record_id=r["record_id"], row=i) for i, r in enumerate(rows, start=2)
    )
    return Source(name=name, persons=persons, file=f"{name}.csv")


@pytest.fixture(scope="module")
def spark():
    from vinculo.linkage.trusted import local_spark

    session = local_spark(cores=2)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_links_like_duckdb(spark, tmp_path) -> None:
    spark.sparkContext.setCheckpointDir(str(tmp_path))
    rows, truth = sources(population(50, seed=41), seed=42, shares={"police": 0.7, "ngo": 0.6})
    srcs = [_source(n, r) for n, r in rows.items()]
    on_spark = link(srcs, engine="spark", spark=spark)
    on_duckdb = link(srcs)
    assert on_spark.parameters["engine"] == "spark"
    assert set(on_spark.clusters) == set(truth)

    # Same model, same data: the clusters agree up to a handful of borderline pairs.
    def pairs(clusters):
        by: dict[int, list] = {}
        for k, c in clusters.items():
            by.setdefault(c, []).append(k)
        return {frozenset((a, b)) for m in by.values() for i, a in enumerate(m) for b in m[i + 1 :]}

    s, d = pairs(on_spark.clusters), pairs(on_duckdb.clusters)
    assert len(s & d) >= 0.95 * max(len(s), len(d))
    true_pairs = {frozenset((a, b)) for a in truth for b in truth if a < b and truth[a] == truth[b]}
    assert len(s & true_pairs) / len(s) >= 0.95
    assert len(s & true_pairs) / len(true_pairs) >= 0.85
    assert all(p.weights and p.weights[0][0] == "prior" for p in on_spark.pairs)
