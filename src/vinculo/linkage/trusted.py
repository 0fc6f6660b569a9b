"""Trusted-mode linkage: deduplicate and link persons with splink (Fellegi-Sunter), DuckDB or Spark.

The model (see ``docs/linkage/trusted.md``):

* u probabilities are estimated by random sampling of record pairs (nearly all random pairs are
  different persons), m probabilities by expectation maximisation over blocked pairs, and lambda
  (the probability that two random records match) from deterministic rules and then EM's fixed
  point over the scored pairs, all from the data at hand: no parameter is tuned per data set.
  Before scoring, the m of birth-year gaps is taken from anchor pairs and the u of fields that
  follow a name or a household from pairs known to be different persons
  (:mod:`vinculo.linkage._trusted_fit`).
* All records of all sources are one table deduplicated as a whole, so duplicates within a source
  and links across sources are found alike.
* Pairs with a match probability of at least :data:`DEFAULT_THRESHOLD` link; clusters are their
  connected components, with a guard against chaining: two records whose given names and birth
  dates clearly differ are not joined through a vague record (no given name or birth year) unless
  they match directly; and two records whose birth years are 2 or more apart are not joined
  unless their own evidence outweighs the gap as weighed from anchor pairs (records sharing an
  identity number or e-mail), see :func:`_gap_weights`.
"""

from __future__ import annotations

import atexit
import copy
import logging
import math
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from vinculo.errors import VinculoError
from vinculo.linkage import _blocking
from vinculo.linkage import _trusted_fit as fit
from vinculo.linkage import _trusted_model as model
from vinculo.linkage._blocking import PlannedRule
from vinculo.linkage.clusters import cluster, cluster_guarded
from vinculo.linkage.model import LinkResult, Person, ScoredPair, Source

__all__ = ["DEFAULT_REVIEW_LOW", "DEFAULT_THRESHOLD", "U_MAX_PAIRS", "link"]

#: A pair links when its match probability is at least this: posterior odds of 9 to 1. The
#: estimate counts persons, so a false link (two victims counted as one) and a missed link (one
#: counted twice) both bias it; 0.9 keeps false links rare while the fuzzy levels keep recall.
DEFAULT_THRESHOLD = 0.9
#: Pairs from this probability up to the threshold are the uncertain band, kept for review and
#: for the threshold sensitivity of the estimate.
DEFAULT_REVIEW_LOW = 0.5
#: Random pairs sampled to estimate the u probabilities: :data:`U_BASE_PAIRS` plus
#: :data:`U_PAIRS_PER_RECORD` per record, at most :data:`U_MAX_PAIRS`. splink compares every
#: sampled pair once per comparison, so this is the longest stage of training on small inputs;
#: beyond some 10^5 pairs the u of the levels that matter (names, dates, places) no longer move
#: by more than a few hundredths of a bit, and the rarest agreements (a shared phone) stay at the
#: smoothing floor (:data:`U_SMOOTHING`) either way.
U_MAX_PAIRS = 5e6
U_BASE_PAIRS = 1e5
U_PAIRS_PER_RECORD = 20.0
#: Blocked pairs at most per EM training session (sampled above that).
EM_MAX_PAIRS = 2e6
#: Additive smoothing of the estimated m and u probabilities (per level, then renormalised): a level
#: that EM never saw among matches (or sampling never saw among non-matches) would otherwise get
#: an infinite weight, and one unseen typo would veto a true match. With these floors a "differs"
#: level weighs at most about -10 bits and an unseen agreement level at most about +20.
M_SMOOTHING = 1e-3
U_SMOOTHING = 1e-6
#: The assumed recall of the deterministic rules used to estimate lambda.
LAMBDA_RECALL = 0.7
#: Re-estimate lambda once m and u are set, as expectation maximisation does: the expected number
#: of matches (the sum of the pairs' match probabilities) over all pairs, to a fixed point
#: (:func:`_lambda_em`). Pairs under :data:`LAMBDA_EM_FLOOR` at the first lambda are left out
#: of the sum (nearly all pairs are far below it and would only cost memory).
LAMBDA_EM = True
LAMBDA_EM_FLOOR = 1e-3
SEED = 20261210
#: Two records whose known birth years are this far apart (with no keying error to explain it)
#: are not clustered together.
BIRTH_YEARS_APART = 2
#: Correct the trained model from anchor pairs and clear namesakes (:mod:`._trusted_fit`).
REFIT = True
#: DuckDB's working memory; beyond it joins and sorts spill to a temporary folder.
DUCKDB_MEMORY_LIMIT = "2GB"

Progress = Callable[[str, float], None]
Key = tuple[str, str]


@contextmanager
def _quiet_splink() -> Iterator[None]:
    logger = logging.getLogger("splink")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def _check(sources: Sequence[Source]) -> list[Person]:
    if not sources:
        raise VinculoError(
            "no source to link.", code="linkage.no_sources", fix="Give at least one file of records."
        )
    names = [s.name for s in sources]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise VinculoError(
            f"two sources are named {', '.join(repr(d) for d in dup)}; source names must differ.",
            code="linkage.duplicate_source",
            fix="Rename one of the files: a source is named by its file name without extension.",
        )
    persons: list[Person] = []
    for s in sources:
        if not s.persons:
            raise VinculoError(
                f"{s.file or s.name}: the source has no records.",
                code="linkage.empty",
                fix="Give a file with at least one record, or leave it out.",
            )
        seen: set[str] = set()
        for p in s.persons:
            if p.record_id in seen:
                raise VinculoError(
                    f"{s.file or s.name}: row {p.row}: the record id is used twice in this source.",
                    code="linkage.duplicate_id",
                    fix="Give every record of a source its own id.",
                )
            seen.add(p.record_id)
            persons.append(p)
    return persons


def _db_api(engine: str, spark: Any) -> Any:
    if engine == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        # A bounded memory with spilling to a scratch folder: DuckDB's default (80 % of the RAM)
        # lets the training and scoring of a national register crowd out everything else.
        config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": DUCKDB_MEMORY_LIMIT,
            "temp_directory": _scratch_dir("vinculo-duckdb-"),
        }
        return DuckDBAPI(connection=duckdb.connect(config=config))
    if engine == "spark":
        try:
            from splink import SparkAPI
        except ImportError as err:
            raise VinculoError(
                "the Spark engine needs pyspark.",
                code="linkage.spark_missing",
                fix="Install vinculo with the spark extra: pip install 'vinculo[spark]' (and Java 17+).",
            ) from err
        if spark is None:
            spark = local_spark()
        partitions = int(spark.conf.get("spark.sql.shuffle.partitions", "200"))
        return SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=spark, num_partitions_on_repartition=partitions, break_lineage_method="persist"
        )
    raise VinculoError(
        f"unknown engine {engine!r}.", code="linkage.bad_engine", fix='Use engine="duckdb" or engine="spark".'
    )


def _scratch_dir(prefix: str) -> str:
    """A temporary folder removed when the process ends."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def local_spark(cores: int = 2) -> Any:
    """A Spark session in local mode with splink's similarity functions (jaro_winkler ...) loaded.

    A session passed to :func:`link` must load the same jar:
    ``.config("spark.jars", splink.backends.spark.similarity_jar_location())``.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise VinculoError(
            "the Spark engine needs pyspark.",
            code="linkage.spark_missing",
            fix="Install vinculo with the spark extra: pip install 'vinculo[spark]' (and Java 17+).",
        ) from err
    from splink.backends.spark import similarity_jar_location

    # PySpark starts its Python workers from PYSPARK_PYTHON (default: python3 on PATH), which must
    # be the same Python minor version as this process.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("vinculo-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.warehouse.dir", _scratch_dir("vinculo-spark-warehouse-"))
        .config("spark.sql.shuffle.partitions", str(max(2, cores * 2)))
        .config("spark.default.parallelism", str(max(2, cores * 2)))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    if not session.sparkContext.getCheckpointDir():
        session.sparkContext.setCheckpointDir(_scratch_dir("vinculo-spark-checkpoints-"))
    return session


def _rules(rules: Sequence[tuple[str, ...]]) -> list[Any]:
    from splink import block_on

    return [block_on(*r) for r in rules]


def _prediction_rules(planned: Sequence[PlannedRule]) -> list[Any]:
    from splink import block_on

    out: list[Any] = []
    for rule in planned:
        if rule.key_column is not None:
            out.append(block_on(rule.key_column))
        elif rule.sql is None:
            out.append(block_on(*rule.columns))
        else:
            out.append(rule.sql)
    return out


def _settings(present: frozenset[str], planned: Sequence[PlannedRule]) -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=model.comparisons(present),
        blocking_rules_to_generate_predictions=_prediction_rules(planned),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        additional_columns_to_retain=[],
    )


def _levels(model_dict: dict[str, Any]) -> dict[str, dict[int, tuple[str, float | None]]]:
    """For each comparison: comparison vector value -> (label, match weight)."""
    out: dict[str, dict[int, tuple[str, float | None]]] = {}
    for comp in model_dict["comparisons"]:
        levels = comp["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        table: dict[int, tuple[str, float | None]] = {}
        for lv in levels:
            if lv.get("is_null_level"):
                table[-1] = (str(lv.get("label_for_charts", "missing")), 0.0)
        for k, lv in enumerate(non_null):
            m, u = lv.get("m_probability"), lv.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            table[len(non_null) - 1 - k] = (str(lv.get("label_for_charts", "")), weight)
        out[comp["output_column_name"]] = table
    return out


def _parameters(
    model_dict: dict[str, Any], present: frozenset[str], engine: str, planned: Sequence[PlannedRule]
) -> dict[str, object]:
    lam = float(model_dict["probability_two_random_records_match"])
    comps = []
    for comp in model_dict["comparisons"]:
        levels = []
        for lv in comp["comparison_levels"]:
            if lv.get("is_null_level"):
                continue
            m, u = lv.get("m_probability"), lv.get("u_probability")
            levels.append(
                {
                    "label": lv.get("label_for_charts", ""),
                    "m": m,
                    "u": u,
                    "weight": math.log2(m / u) if m and u else None,
                }
            )
        comps.append({"name": comp["output_column_name"], "levels": levels})
    return {
        "engine": engine,
        "lambda": lam,
        "prior_weight": math.log2(lam / (1 - lam)) if 0 < lam < 1 else None,
        "comparisons": comps,
        "blocking_rules": [r.text for r in planned],
        "blocking": [r.note() for r in planned],
        "blocking_tightened": [r.note() for r in planned if r.key_column is not None],
        "em_rules": [" & ".join(r) for r in model.em_rules(present)],
        "lambda_rules": [" & ".join(r) for r in model.lambda_rules(present)],
        "lambda_recall": LAMBDA_RECALL,
        "u_max_pairs": U_MAX_PAIRS,
    }


def _train(linker: Any, present: frozenset[str], n: int, progress: Progress) -> None:
    from splink import block_on

    progress("estimating lambda", 0.1)
    rules = model.lambda_rules(present)
    lam = 0.0
    if rules:
        try:
            linker.training.estimate_probability_two_random_records_match(_rules(rules), recall=LAMBDA_RECALL)
            lam = float(linker._settings_obj._probability_two_random_records_match)
        except ValueError:
            lam = 0.0
    if not 0.0 < lam < 1.0:
        # No deterministic match (or too many): assume each record has about one match.
        linker._settings_obj._probability_two_random_records_match = min(0.5, 1.0 / max(n, 2))
    progress("estimating u by random sampling", 0.2)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(U_MAX_PAIRS, U_BASE_PAIRS + n * U_PAIRS_PER_RECORD), seed=SEED, num_chunks=1
    )
    sessions = model.em_rules(present)
    # A session that fails (EM drove some m to 0) leaves its own in-session lambda (the share of
    # matches among its blocked pairs) in the settings: lambda is put back after each session.
    settled = linker._settings_obj._probability_two_random_records_match
    for k, rule in enumerate(sessions):
        progress(f"estimating m by EM ({' & '.join(rule)})", 0.3 + 0.3 * k / max(len(sessions), 1))
        # A session that fails part-way (an m underflowing in one of its iterations) can leave
        # the settings without the comparisons it held fixed: it is undone as a whole.
        saved = copy.deepcopy(linker._settings_obj)
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), max_pairs=EM_MAX_PAIRS, estimate_without_term_frequencies=True
            )
        except Exception as err:  # too few pairs under a rule: the other sessions train
            logging.getLogger(__name__).debug("EM session %s skipped: %s", rule, type(err).__name__)
            linker._settings_obj = saved
        linker._settings_obj._probability_two_random_records_match = settled
        _floor_m(linker)


def _floor_m(linker: Any) -> None:
    """Smooth the m of every trained level between EM sessions as :func:`_smooth` does at the
    end: a level one session never saw among matches (m near 0, all matches of a small set of
    one sex) would otherwise underflow to 0 in the next session, which then fails."""
    for comparison in linker._settings_obj.comparisons:
        levels = [lv for lv in comparison.comparison_levels if not lv.is_null_level]
        values = [_probability(lv._m_probability) for lv in levels]
        total = sum(values)
        if not total or not all(isinstance(lv._m_probability, float) for lv in levels):
            continue
        for lv, v in zip(levels, values, strict=True):
            lv.m_probability = (v / total + M_SMOOTHING) / (1 + M_SMOOTHING * len(levels))


def _probability(value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):  # None or splink's "level not observed"
        return 0.0
    return x if math.isfinite(x) and x > 0 else 0.0


def _smooth(model_dict: dict[str, Any]) -> dict[str, Any]:
    """The trained model with every m and u smoothed additively (see :data:`M_SMOOTHING`)."""
    for comp in model_dict["comparisons"]:
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        for key, alpha in (("m_probability", M_SMOOTHING), ("u_probability", U_SMOOTHING)):
            values = [_probability(lv.get(key)) for lv in levels]
            total = sum(values) or 1.0
            for lv, v in zip(levels, values, strict=True):
                lv[key] = (v / total + alpha) / (1 + alpha * len(levels))
        for lv in levels:
            if lv.get("label_for_charts") == model.SWAP_IN_GIVEN:
                lv["m_probability"] = lv["u_probability"]
    return model_dict


def _weights_of(
    row: dict[str, Any],
    levels: dict[str, dict[int, tuple[str, float | None]]],
    prior: float,
    cache: dict[Any, tuple[tuple[str, str, float], ...]],
) -> tuple[tuple[str, str, float], ...]:
    """The waterfall of a pair: the prior, then per comparison its level and match weight
    (log2 Bayes factor, with the term-frequency adjustment included). Identical waterfalls are
    shared between pairs."""
    key = tuple(
        (name, row.get(f"gamma_{name}"), row.get(f"mw_{name}"), row.get(f"mw_tf_adj_{name}"))
        for name in levels
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    out = [("prior", "two random records match", round(prior, 4))]
    for name, gamma, weight, tf in key:
        label = levels[name].get(int(gamma) if gamma is not None else -1, ("", None))[0]
        total = _finite(weight) + _finite(tf)
        out.append((name, label, round(total, 4)))
    result = tuple(out)
    cache[key] = result
    return result


def _finite(value: Any) -> float:
    if value is None:
        return 0.0
    x = float(value)
    return x if math.isfinite(x) else 0.0


def _sibling_scope(table: Any, linked: set[tuple[int, int]]) -> list[bool]:
    """Per record: whether its connected component of the ``linked`` pairs (input indices) holds
    3 or more records, one of them vague (no given name or no birth year), where the sibling
    guard applies."""
    import numpy as np
    import pyarrow.compute as pc
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = table.num_rows
    edges = np.array(sorted(linked), dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _count, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    vague = pc.or_(pc.is_null(table.column("given_name")), pc.is_null(table.column("birth_year")))
    vague_rows = np.asarray(vague.to_numpy(zero_copy_only=False), dtype=bool)
    flagged = np.zeros(len(sizes), dtype=bool)
    flagged[labels[vague_rows & (sizes[labels] >= 3)]] = True
    return [bool(x) for x in flagged[labels]]


def _jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity as DuckDB's ``jaro_winkler_similarity`` computes it (prefix of at
    most 4 characters at 0.1 each, added when the Jaro similarity is above 0.7)."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    taken = [False] * lb
    matched_a: list[str] = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(lb, i + window + 1)):
            if not taken[j] and b[j] == ch:
                taken[j] = True
                matched_a.append(ch)
                break
    m = len(matched_a)
    if not m:
        return 0.0
    matched_b = [b[j] for j in range(lb) if taken[j]]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) // 2
    jaro = (m / la + m / lb + (m - transpositions) / m) / 3.0
    if jaro <= 0.7:
        return jaro
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1.0 - jaro)


def _one_edit_apart(a: str, b: str, *, transposition: bool) -> bool:
    """Whether ``a`` and ``b`` are at most one edit apart (a substitution, insertion or deletion,
    and with ``transposition`` also two neighbouring characters swapped)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return transposition and len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


class _ChainGuard:
    """The guards against chaining (see :func:`link`), asked by the clustering before it joins two
    clusters (:func:`~vinculo.linkage.clusters.cluster_guarded`): the merge is refused when the
    joined cluster would hold two records that must not be one person.

    * *Siblings*: when the joined cluster holds 3 or more records, one of them vague (no given
      name or no birth year) — or, with ``sibling_scope`` (a flag per record), when the records
      are flagged: :func:`link` flags the records of each connected component of the links that
      holds 3 or more records and a vague one, as the guard did before it was asked at merge
      time — two records whose given names clearly differ (not equal, no given
      name in common, other sound, Jaro-Winkler under the fuzzy level, not an initial of the
      other), whose birth dates differ (other years, or full dates neither one character apart
      nor day and month swapped) and that did not match directly.
    * *Birth years apart* (when ``birth_gaps``): two records whose known birth years are
      :data:`BIRTH_YEARS_APART` or more apart, whose full dates are not one keying error apart
      (a transposition included), that share no identity number and whose own evidence does not
      outweigh the gap (``gap_outweighed``).

    Only the records of the two clusters are compared, so the work follows the clusters formed.
    """

    def __init__(
        self,
        table: Any,
        linked: set[tuple[int, int]],
        gap_outweighed: Callable[[int, int], bool] = lambda _a, _b: False,
        birth_gaps: bool = False,
        sibling_scope: Sequence[bool] | None = None,
    ) -> None:
        def column(name: str) -> list[Any]:
            if name not in table.column_names:
                return [None] * table.num_rows
            return list(table.column(name).to_pylist())

        self.given: list[str | None] = column("given_name")
        self.tokens: list[list[str] | None] = column("given_tokens")
        self.sound: list[str | None] = column("given_ph")
        self.name_key: list[str | None] = column("name_key")
        self.dob: list[str | None] = column("dob")
        self.year: list[int | None] = column("birth_year")
        self.identity: list[str | None] = column("identity_number")
        self.vague = [g is None or y is None for g, y in zip(self.given, self.year, strict=True)]
        self.scope = sibling_scope
        self.linked = linked
        self.gap_outweighed = gap_outweighed
        self.birth_gaps = birth_gaps
        self._names: dict[tuple[str, str], bool] = {}

    def __call__(self, left: Sequence[int], right: Sequence[int]) -> tuple[int, int] | None:
        if self.scope is not None:
            siblings = self.scope[left[0]]
        else:
            vague = self.vague
            siblings = len(left) + len(right) >= 3 and (
                any(vague[i] for i in left) or any(vague[i] for i in right)
            )
        if not siblings and not self.birth_gaps:
            return None
        for a in left:
            for b in right:
                x, y = (a, b) if a < b else (b, a)
                if (self.birth_gaps and self.years_apart(x, y)) or (siblings and self.siblings(x, y)):
                    return x, y
        return None

    def siblings(self, a: int, b: int) -> bool:
        """Whether records ``a < b`` look like two siblings (the first guard's pair test)."""
        ga, gb = self.given[a], self.given[b]
        if ga is None or gb is None or ga == gb or (a, b) in self.linked:
            return False
        ka, kb = self.name_key[a], self.name_key[b]
        if ka is not None and ka == kb:
            return False
        ta, tb = self.tokens[a], self.tokens[b]
        if ta is None or tb is None or not set(ta).isdisjoint(tb):
            return False
        sa, sb = self.sound[a], self.sound[b]
        if sa is None or sb is None or sa == sb:
            return False
        if not self._names_differ(ga, gb):
            return False
        ya, yb = self.year[a], self.year[b]
        if ya is not None and yb is not None and ya != yb:
            return True
        da, db = self.dob[a], self.dob[b]
        if da is None or db is None:
            return False
        return not _one_edit_apart(da, db, transposition=False) and da[5:7] + da[8:10] != db[8:10] + db[5:7]

    def _names_differ(self, ga: str, gb: str) -> bool:
        key = (ga, gb) if ga < gb else (gb, ga)
        out = self._names.get(key)
        if out is None:
            initial = (len(ga) == 1 or len(gb) == 1) and ga[0] == gb[0]
            out = not initial and _jaro_winkler(ga, gb) < model.GIVEN_FUZZY
            self._names[key] = out
        return out

    def years_apart(self, a: int, b: int) -> bool:
        """Whether records ``a < b`` are born too far apart to be one person (the second guard)."""
        ya, yb = self.year[a], self.year[b]
        if ya is None or yb is None or abs(ya - yb) < BIRTH_YEARS_APART:
            return False
        da, db = self.dob[a], self.dob[b]
        if da is not None and db is not None and _one_edit_apart(da, db, transposition=True):
            return False
        ia, ib = self.identity[a], self.identity[b]
        if ia is not None and ia == ib:
            return False
        return not self.gap_outweighed(a, b)


#: Pairs sharing a personal identifier (identity number or e-mail) with both birth years known
#: needed to estimate how often one person's birth years differ (:func:`_gap_weights`).
ANCHOR_MIN_PAIRS = 30


def _gap_weights(table: Any, params: dict[str, object]) -> dict[str, float]:
    """Match weights of the birth-year gap levels estimated from *anchor* pairs: records that
    share an identity number or an e-mail address (placeholders are already blanked), which are
    nearly always one person. EM over blocked pairs learns the m of a gap partly from namesakes
    (same names, other persons), which can understate how rare a gap is; the anchors show it
    directly. m per level is (count + 1/2) / (anchors + 1), against the level's estimated u.

    A level is returned only when EM's m lies above the upper end of the anchors' 95 % (Wilson)
    interval, i.e. the anchors show that EM understated the gap; empty when fewer than
    :data:`ANCHOR_MIN_PAIRS` anchors have both birth years."""
    import duckdb

    em_of: dict[str, tuple[float, float]] = {}
    for comp in params.get("comparisons", ()):  # type: ignore[attr-defined]
        if comp["name"] == "birth_date":
            for level in comp["levels"]:
                if level["u"] and level["m"] and level["label"] in model.BIRTH_GAP_LEVELS:
                    em_of[str(level["label"])] = (float(level["m"]), float(level["u"]))
    if len(em_of) < len(model.BIRTH_GAP_LEVELS):
        return {}
    con = duckdb.connect()
    try:
        con.register("t", table.select(["unique_id", "birth_year", "identity_number", "email"]))
        # Two equi-joins (an OR in the join condition would compare every pair of records).
        n, mid, far = con.execute(
            """
            WITH p AS (
                SELECT l.unique_id AS a, r.unique_id AS b, l.birth_year AS yl, r.birth_year AS yr
                FROM t l JOIN t r ON l.identity_number = r.identity_number AND l.unique_id < r.unique_id
                WHERE l.birth_year IS NOT NULL AND r.birth_year IS NOT NULL
                UNION
                SELECT l.unique_id, r.unique_id, l.birth_year, r.birth_year
                FROM t l JOIN t r ON l.email = r.email AND l.unique_id < r.unique_id
                WHERE l.birth_year IS NOT NULL AND r.birth_year IS NOT NULL
            )
            SELECT count(*), count(*) FILTER (abs(yl - yr) BETWEEN 2 AND 5),
                   count(*) FILTER (abs(yl - yr) > 5) FROM p
            """
        ).fetchone() or (0, 0, 0)
    finally:
        con.close()
    if n < ANCHOR_MIN_PAIRS:
        return {}
    out: dict[str, float] = {}
    for label, k in zip(model.BIRTH_GAP_LEVELS, (mid, far), strict=True):
        m_em, u = em_of[label]
        if m_em > _wilson_upper(k, n):
            out[label] = math.log2((k + 0.5) / (n + 1) / u)
    return out


_wilson_upper = fit.wilson_upper


def _anchored_gap_weights(params: dict[str, object]) -> dict[str, float]:
    """The weights of the gap levels whose m the model already took from anchors
    (:func:`._trusted_fit.anchored_birth_m`): the clustering guard weighs gaps the same way."""
    refit = params.get("refit")
    anchored = refit.get("birth_gap_m", {}) if isinstance(refit, dict) else {}
    out: dict[str, float] = {}
    for comp in params.get("comparisons", ()):  # type: ignore[attr-defined]
        if comp["name"] == "birth_date":
            for level in comp["levels"]:
                if (
                    level["label"] in anchored
                    and level["label"] in model.BIRTH_GAP_LEVELS
                    and level["weight"]
                ):
                    out[str(level["label"])] = float(level["weight"])
    return out


def _gap_outweighed(
    scored: dict[tuple[int, int], ScoredPair], gap_weights: dict[str, float], threshold: float
) -> Callable[[int, int], bool]:
    """Whether a pair (input indices, smaller first) whose birth years are apart still links when
    its birth-date level is weighed as the anchors show (:func:`_gap_weights`). A pair that was
    not scored has no evidence of its own: it does not."""

    def outweighed(a: int, b: int) -> bool:
        pair = scored.get((a, b))
        if pair is None:
            return False
        total = 0.0
        for name, label, weight in pair.weights:
            if name == "birth_date" and label in gap_weights:
                weight = min(weight, gap_weights[label])
            total += weight
        return bool(1.0 / (1.0 + 2.0 ** (-total)) >= threshold)

    return outweighed


def link(
    sources: Sequence[Source],
    *,
    threshold: float | None = None,
    engine: str = "duckdb",
    spark: Any = None,
    progress: Progress | None = None,
    split_chains: bool = True,
) -> LinkResult:
    """Deduplicate one source, or link several and deduplicate within and across them.

    Parameters
    ----------
    sources : sequence of Source
        In input order (the capture-history columns).
    threshold : float, optional
        Match probability at which a pair links (:data:`DEFAULT_THRESHOLD`).
    engine : {"duckdb", "spark"}
        Where splink runs. ``"spark"`` uses ``spark`` (a SparkSession) or starts one in local mode.
    progress : callable, optional
        Called as ``progress(stage, fraction_done)``.
    split_chains : bool
        Refuse to join, through other records, two records that look like siblings (given names
        and birth dates clearly differ) and did not match directly, when the cluster was joined
        through a vague record (one without a given name or birth year); and refuse to cluster
        two records whose birth years are apart when anchor pairs show the gap outweighs their
        own evidence (:func:`_gap_weights`). On by default.

    Returns
    -------
    LinkResult
        Mode ``"trusted"``; ``pairs`` are the pairs scoring at least the review band's lower end,
        each with its waterfall; ``parameters`` the estimated m/u and lambda.
    """
    started = time.perf_counter()
    report = progress or (lambda _stage, _fraction: None)
    t = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    if not 0.0 < t < 1.0:
        raise VinculoError(
            f"the threshold must be a match probability between 0 and 1 (exclusive), not {t:g}.",
            code="linkage.bad_threshold",
            fix=f"Use e.g. {DEFAULT_THRESHOLD} (the default).",
        )
    if engine not in ("duckdb", "spark"):
        raise VinculoError(
            f"unknown engine {engine!r}.",
            code="linkage.bad_engine",
            fix='Use engine="duckdb" or engine="spark".',
        )
    low = min(DEFAULT_REVIEW_LOW, t)
    persons = _check(sources)
    keys = [(p.source, p.record_id) for p in persons]
    names = tuple(s.name for s in sources)
    strata = {(p.source, p.record_id): dict(p.strata) for p in persons}
    report("preparing records", 0.0)
    columns = model.record_table(persons)
    present = model.present_columns(columns)
    table = _arrow_table(columns)
    del columns  # the Arrow table is far smaller than the Python lists
    if not model.comparisons(present) or len(persons) < 2:
        return LinkResult(
            sources=names,
            clusters=cluster(keys, (), t),
            threshold=t,
            review_band=(low, t),
            mode="trusted",
            parameters={"engine": engine, "note": "too few records or fields to compare"},
            strata=strata,
        )
    with _quiet_splink():
        try:
            pairs, params = _run_splink(table, present, len(persons), keys, low, engine, spark, report)
        except VinculoError:
            raise
        except Exception as err:
            # The engine's own message may quote a value from the records: name only its type.
            raise VinculoError(
                f"the linkage engine ({engine}) failed: {type(err).__name__}.",
                code="linkage.engine_failed",
                fix="Check that the engine is installed and has enough memory; report the error if it persists.",
            ) from err
    report("clustering", 0.9)
    index = {k: i for i, k in enumerate(keys)}
    scored: dict[tuple[int, int], ScoredPair] = {}
    for p in pairs:
        a, b = index[p.left], index[p.right]
        scored[(min(a, b), max(a, b))] = p
    linked = {ab for ab, p in scored.items() if p.probability >= t}
    gap_weights = (_anchored_gap_weights(params) or _gap_weights(table, params)) if split_chains else {}
    guard = (
        _ChainGuard(
            table,
            linked,
            _gap_outweighed(scored, gap_weights, t),
            bool(gap_weights),
            _sibling_scope(table, linked),
        )
        if split_chains
        else None
    )
    params["birth_gap_weights"] = {k: round(v, 4) for k, v in gap_weights.items()}
    clusters, cannot = cluster_guarded(keys, pairs, t, guard=guard)
    params["cannot_link"] = [[a[0], a[1], b[0], b[1]] for a, b in cannot]
    params["seconds"] = round(time.perf_counter() - started, 3)
    report("done", 1.0)
    return LinkResult(
        sources=names,
        clusters=clusters,
        pairs=tuple(pairs),
        threshold=t,
        review_band=(low, t),
        mode="trusted",
        parameters=params,
        strata=strata,
    )


def _arrow_table(table: dict[str, list[Any]]) -> Any:
    import pyarrow as pa

    int_cols = {"unique_id", "birth_year", "birth_month", "birth_day"}
    list_cols = {"given_tokens", "family_tokens", "city_tokens", "street_words"}
    fields = []
    for name in table:
        if name in int_cols:
            fields.append((name, pa.int64()))
        elif name in list_cols:
            fields.append((name, pa.list_(pa.string())))
        else:
            fields.append((name, pa.string()))
    return pa.Table.from_pydict(table, schema=pa.schema(fields))


def _run_splink(
    table: Any,
    present: frozenset[str],
    n: int,
    keys: list[Key],
    low: float,
    engine: str,
    spark: Any,
    report: Progress,
) -> tuple[list[ScoredPair], dict[str, object]]:
    from splink import Linker

    report("counting candidate pairs per blocking rule", 0.05)
    table, planned = _blocking.plan(table, model.blocking_rules(present), present)
    db_api = _db_api(engine, spark)
    frame = db_api.register(table)  # Arrow: DuckDB reads it in place, Spark 4 converts it
    linker = Linker(frame, _settings(present, planned), log_level=None, validate_settings=False)
    _train(linker, present, n, report)
    report("scoring pairs", 0.6)
    model_dict = _smooth(linker.misc.save_model_to_json())
    refit = fit.refit(model_dict, table) if REFIT else {}
    linker = Linker(frame, model_dict, log_level=None, validate_settings=False)
    trained_lam = float(model_dict["probability_two_random_records_match"])
    floor = min(low, LAMBDA_EM_FLOOR) if LAMBDA_EM else low
    predictions = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
    lam = _lambda_em(linker, predictions, trained_lam, n) if LAMBDA_EM else trained_lam
    model_dict["probability_two_random_records_match"] = lam
    levels = _levels(model_dict)
    prior = math.log2(lam / (1 - lam))
    shift = prior - math.log2(trained_lam / (1 - trained_lam))
    available = {str(c).strip('"`') for c in predictions.columns_escaped}
    probability = f"1.0 / (1.0 + pow(2.0, -(match_weight + {shift!r})))"
    columns = ["unique_id_l", "unique_id_r", "match_probability"]
    select = ["unique_id_l", "unique_id_r", f"{probability} AS match_probability"]
    for name in levels:
        extra = [c for c in (f"gamma_{name}", f"mw_{name}", f"mw_tf_adj_{name}") if c in available]
        columns += extra
        select += extra
    selected = linker.misc.query_sql(  # type: ignore[no-untyped-call]
        f"SELECT {', '.join(select)} FROM {predictions.physical_name} "  # noqa: S608 - our column names
        f"WHERE {probability} >= {low!r}",
        output_type="splink_df",
    )
    arrow = selected.as_pyarrow_table()
    selected.drop_table_from_database_and_remove_from_cache()
    scored = _scored_pairs(arrow, columns, keys, levels, prior)
    del arrow
    predictions.drop_table_from_database_and_remove_from_cache()
    params = _parameters(model_dict, present, engine, planned)
    params["blocking_budget"] = int(_blocking.budget_for(n))
    params["refit"] = refit
    return scored, params


def _lambda_em(linker: Any, predictions: Any, lam: float, n: int) -> float:
    """Lambda at the fixed point of lambda = (sum of the pairs' match probabilities) / (all pairs),
    the M-step of EM for lambda with m and u held: pairs outside the blocking rules (and those
    under the floor) count as non-matches. Starts from the deterministic rules' estimate, whose
    assumed recall (:data:`LAMBDA_RECALL`) is a guess; the fixed point is the data's answer."""
    import numpy as np

    weights = linker.misc.query_sql(
        f"SELECT match_weight FROM {predictions.physical_name}",  # noqa: S608 - our column names
        output_type="splink_df",
    )
    w = np.asarray(weights.as_pyarrow_table().column(0).to_numpy(zero_copy_only=False), dtype=float)
    weights.drop_table_from_database_and_remove_from_cache()
    return _lambda_fixed_point(w, lam, n * (n - 1) / 2.0)


def _lambda_fixed_point(weights: Any, lam: float, total: float) -> float:
    """Iterate lambda <- sum(match probabilities) / total, the pairs' match weights ``weights``
    (an array) having been computed with prior ``lam``; until lambda moves by under 0.01 %."""
    import numpy as np

    if not weights.size or total <= 0:
        return lam
    base = math.log2(lam / (1 - lam))
    current = lam
    for _ in range(200):
        shift = math.log2(current / (1 - current)) - base
        nxt = float(np.sum(1.0 / (1.0 + np.exp2(-(weights + shift))))) / total
        nxt = min(max(nxt, 1e-12), 0.5)
        if abs(math.log2(nxt / current)) < 1e-4:
            return nxt
        current = nxt
    return current


def _scored_pairs(
    arrow: Any,
    columns: Sequence[str],
    keys: list[Key],
    levels: dict[str, dict[int, tuple[str, float | None]]],
    prior: float,
) -> list[ScoredPair]:
    """The scored pairs, ordered by record index (the engine's order varies between runs), read
    from the Arrow table of predictions batch by batch and column by column (a dict per pair
    would cost kilobytes each on millions of pairs); identical waterfalls are built once."""
    import pyarrow.compute as pc

    left = pc.min_element_wise(arrow.column("unique_id_l"), arrow.column("unique_id_r"))
    right = pc.max_element_wise(arrow.column("unique_id_l"), arrow.column("unique_id_r"))
    arrow = arrow.set_column(0, "unique_id_l", left).set_column(1, "unique_id_r", right)
    arrow = arrow.sort_by([("unique_id_l", "ascending"), ("unique_id_r", "ascending")])
    detail = list(columns[3:])
    cache: dict[Any, tuple[tuple[str, str, float], ...]] = {}
    rows_cache: dict[Any, tuple[tuple[str, str, float], ...]] = {}
    out: list[ScoredPair] = []
    for batch in arrow.to_batches(max_chunksize=65536):
        ids_l = batch.column(0).to_pylist()
        ids_r = batch.column(1).to_pylist()
        probs = batch.column(2).to_pylist()
        values = [batch.column(c).to_pylist() for c in detail]
        for i, (a, b, p) in enumerate(zip(ids_l, ids_r, probs, strict=True)):
            key = tuple(v[i] for v in values)
            weights = rows_cache.get(key)
            if weights is None:
                weights = _weights_of(dict(zip(detail, key, strict=True)), levels, prior, cache)
                rows_cache[key] = weights
            out.append(ScoredPair(keys[a], keys[b], float(p), weights=weights))
    return out
