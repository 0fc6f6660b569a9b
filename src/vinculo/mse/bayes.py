"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

For ``k`` lists (3 to 5) the ``2**k`` capture-history cells follow a multinomial
distribution whose cell probabilities get a hyper-Dirichlet prior that is Markov with
respect to a decomposable graph ``G`` on the lists (Dawid & Lauritzen 1993). The marginal
likelihood of the complete table then factorises over the cliques and separators of ``G``
(Madigan & York 1997, Biometrika 84:19-31, sections 2-3)::

    p(n | N, G) = N! / (n_0! prod_i n_i!) * prod_C D(n_C) / prod_S D(n_S)
    D(n_A) = Gamma(alpha) / Gamma(alpha + N) * prod_c Gamma(alpha_c + n_c) / Gamma(alpha_c)

where ``n_A`` is the marginal table on the lists in ``A``; with ``delta`` prior counts in
each full-table cell, every cell of a marginal over ``|A|`` lists has
``alpha_c = delta * 2**(k - |A|)`` and ``alpha = delta * 2**k``. The unobserved cell
``n_0 = N - n_observed`` enters every marginal cell in which the lists of ``A`` are all
zero. Multiplying by a prior on ``N`` and a uniform prior over decomposable graphs and
summing over graphs gives the posterior of the hidden count.

The computation is exact on a grid of hidden counts ``0..max_missing`` and vectorised:
the log marginal likelihood of every subset of lists is computed once for the whole grid,
and each graph's log likelihood is a +1/-1 combination of those rows.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln, logsumexp

from vinculo import __version__
from vinculo.errors import SparseDataWarning, VinculoError

__all__ = [
    "BayesResult",
    "BayesSettings",
    "CredibleInterval",
    "DecomposableGraph",
    "GraphProbability",
    "NegativeBinomialPrior",
    "decomposable_graphs",
    "fit_bayes",
    "is_chordal",
]

FloatArray = npt.NDArray[np.float64]
NPriorName = Literal["one_over_n", "rissanen", "uniform"]

MIN_LISTS = 3
MAX_LISTS = 5
_TAIL_SHARE = 0.05  # the top 5% of the grid is "the tail"
_AUTO_TAIL_TOL = 1e-5  # auto grid grows until the tail holds less than this
_USER_TAIL_WARN = 1e-3  # warn when the tail holds more than this
_CHUNK_CELLS = 4_000_000  # graphs x grid values evaluated at once


# --------------------------------------------------------------------------------------------
# Decomposable graphs
# --------------------------------------------------------------------------------------------
Edge = tuple[int, int]


def _adjacency(k: int, edges: Sequence[Edge]) -> list[set[int]]:
    adj: list[set[int]] = [set() for _ in range(k)]
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    return adj


def is_chordal(k: int, edges: Sequence[Edge]) -> bool:
    """True when the graph on vertices ``0..k-1`` has no chordless cycle of length 4 or more.

    Uses simplicial-vertex elimination: a graph is chordal (decomposable) exactly when its
    vertices can be removed one at a time, each one's remaining neighbours forming a clique.

    Examples
    --------
    >>> is_chordal(4, [(0, 1), (1, 2), (2, 3), (3, 0)])
    False
    >>> is_chordal(4, [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)])
    True
    """
    adj = _adjacency(k, edges)
    remaining = set(range(k))
    while remaining:
        for v in sorted(remaining):
            nb = adj[v] & remaining
            if all(b in adj[a] for a, b in itertools.combinations(sorted(nb), 2)):
                remaining.remove(v)
                break
        else:
            return False
    return True


@dataclass(frozen=True, slots=True)
class DecomposableGraph:
    """A decomposable graph on ``k`` lists with its cliques and separators.

    ``cliques`` and ``separators`` are tuples of sorted vertex tuples; the separators come
    from a junction tree (a maximum-weight spanning tree of the clique intersections), so
    ``sum over cliques - sum over separators`` gives the graph's log marginal likelihood.
    Empty separators (between connected components) are kept; they contribute nothing.
    """

    k: int
    edges: tuple[Edge, ...]
    cliques: tuple[tuple[int, ...], ...]
    separators: tuple[tuple[int, ...], ...]

    def edge_names(self, lists: Sequence[str]) -> tuple[str, ...]:
        """Edges as ``"A:B"`` strings using the list names."""
        return tuple(f"{lists[a]}:{lists[b]}" for a, b in self.edges)

    def clique_names(self, lists: Sequence[str]) -> tuple[str, ...]:
        """Cliques as ``"A:B:C"`` strings (a loglinear generating class)."""
        return tuple(":".join(lists[v] for v in c) for c in self.cliques)


def _cliques(k: int, adj: list[set[int]]) -> list[tuple[int, ...]]:
    complete = [
        s
        for r in range(1, k + 1)
        for s in itertools.combinations(range(k), r)
        if all(b in adj[a] for a, b in itertools.combinations(s, 2))
    ]
    sets = [frozenset(s) for s in complete]
    return [s for s, fs in zip(complete, sets, strict=True) if not any(fs < other for other in sets)]


def _junction_separators(cliques: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Separators of a junction tree, built by Prim's algorithm on intersection sizes."""
    if len(cliques) <= 1:
        return []
    sets = [set(c) for c in cliques]
    in_tree = {0}
    seps: list[tuple[int, ...]] = []
    while len(in_tree) < len(sets):
        best = max(
            ((len(sets[i] & sets[j]), i, j) for i in in_tree for j in range(len(sets)) if j not in in_tree),
            key=lambda t: (t[0], -t[2], -t[1]),
        )
        _, i, j = best
        seps.append(tuple(sorted(sets[i] & sets[j])))
        in_tree.add(j)
    return seps


@functools.cache
def decomposable_graphs(k: int) -> tuple[DecomposableGraph, ...]:
    """Every decomposable (chordal) graph on ``k`` labelled vertices, fewest edges first.

    There are 8, 61 and 822 such graphs on 3, 4 and 5 vertices.
    """
    if not 1 <= k <= MAX_LISTS:
        raise VinculoError(
            f"Decomposable graphs are enumerated for 1 to {MAX_LISTS} lists; found {k}.",
            code="mse.too_many_lists",
            fix=f"Merge lists so that there are at most {MAX_LISTS}.",
        )
    pairs = list(itertools.combinations(range(k), 2))
    graphs = []
    for r in range(len(pairs) + 1):
        for edges in itertools.combinations(pairs, r):
            if not is_chordal(k, edges):
                continue
            cliques = _cliques(k, _adjacency(k, edges))
            graphs.append(
                DecomposableGraph(k, tuple(edges), tuple(cliques), tuple(_junction_separators(cliques)))
            )
    return tuple(graphs)


# --------------------------------------------------------------------------------------------
# Settings and result
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NegativeBinomialPrior:
    """Negative binomial prior on ``N``: ``p(N) = Gamma(N+a) / (Gamma(a) N!) * b**N / (1+b)**(N+a)``.

    Its mean is ``a * b``. Madigan & York (1997, section 5) use ``a = 13.14, b = 55.17``.
    """

    a: float
    b: float


@dataclass(frozen=True, slots=True)
class BayesSettings:
    """Settings of :func:`fit_bayes`.

    Attributes
    ----------
    n_prior : {"one_over_n", "rissanen", "uniform"} or NegativeBinomialPrior
        Prior on the population size ``N``: the improper ``p(N) ∝ 1/N`` (default), Rissanen's
        universal prior for integers ``p(N) ∝ 2**(-log*(N))``, a flat prior on the grid, or a
        negative binomial.
    delta : float, optional
        Prior count in each of the ``2**k`` cells of the hyper-Dirichlet prior. Defaults to
        ``2**-k`` (total prior weight 1), as recommended by Madigan & York.
    min_missing, max_missing : int
        Grid of hidden counts ``min_missing..max_missing``. ``max_missing=None`` chooses it:
        the grid grows until less than 1e-5 of the posterior lies in its top 5%.
    level : float
        Credible level of the equal-tailed interval.
    """

    n_prior: NPriorName | NegativeBinomialPrior = "one_over_n"
    delta: float | None = None
    min_missing: int = 0
    max_missing: int | None = None
    level: float = 0.95


@dataclass(frozen=True, slots=True)
class CredibleInterval:
    """An equal-tailed posterior credible interval for ``N``."""

    lower: float
    upper: float
    level: float
    method: str = "bayes_credible"


@dataclass(frozen=True, slots=True)
class GraphProbability:
    """Posterior probability of one decomposable graph and the posterior of ``N`` under it alone.

    ``median``, ``mode`` and ``bayes_estimate`` (``E[1/N] / E[1/N**2]``) summarise
    ``p(N | data, graph)`` on the same grid as the averaged result.
    """

    edges: tuple[str, ...]
    cliques: tuple[str, ...]
    probability: float
    median: float
    mode: float
    bayes_estimate: float


@dataclass(frozen=True)
class BayesResult:
    """Result of :func:`fit_bayes`; immutable and free of record-level data.

    ``estimate`` is the posterior median of ``N``; ``mean``, ``mode`` and ``bayes_estimate``
    (the Madigan & York estimator ``E[1/N] / E[1/N**2]``, optimal under relative squared
    error loss) are given too. ``missing_grid`` and ``missing_probabilities`` are the
    posterior of the hidden count ``N - n_observed`` averaged over graphs.
    """

    estimate: float
    mean: float
    median: float
    mode: float
    bayes_estimate: float
    interval: CredibleInterval
    n_observed: int
    lists: tuple[str, ...]
    missing_grid: tuple[int, ...]
    missing_probabilities: tuple[float, ...]
    graph_probabilities: tuple[GraphProbability, ...]
    top_graph: tuple[str, ...]
    settings: BayesSettings
    diagnostics: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def model_terms(self) -> tuple[str, ...]:
        """Edges of the most probable graph (the shape other MSE results use)."""
        return self.top_graph

    def summary(self) -> str:
        """A fixed-width text report."""
        iv = self.interval
        lines = [
            "Bayesian model averaging over decomposable graphs (Madigan & York 1997)",
            "=" * 72,
            f"{'Lists:':<28}{', '.join(self.lists)}",
            f"{'Observed cases:':<28}{self.n_observed:,}",
            f"{'Prior on N:':<28}{self.diagnostics.get('n_prior', '')}",
            f"{'Dirichlet delta per cell:':<28}{self.diagnostics.get('delta', float('nan')):.6g}",
            f"{'Hidden-count grid:':<28}{self.missing_grid[0]:,}..{self.missing_grid[-1]:,}",
            f"{'Graphs averaged:':<28}{len(self.graph_probabilities):,}",
            "-" * 72,
            f"{'Posterior median N:':<28}{self.median:,.0f}",
            f"{'Posterior mean N:':<28}{self.mean:,.1f}",
            f"{'Posterior mode N:':<28}{self.mode:,.0f}",
            f"{f'{iv.level:.0%} credible interval:':<28}{iv.lower:,.0f} - {iv.upper:,.0f}",
            "-" * 72,
            f"{'probability':>12}  {'median N':>10}  graph (edges)",
        ]
        for g in self.graph_probabilities[:5]:
            lines.append(
                f"{g.probability:>12.4f}  {g.median:>10,.0f}  {', '.join(g.edges) or '(independence)'}"
            )
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(self.summary())}</pre>"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        settings = asdict(self.settings)
        return {
            "method": "bayes_dga",
            "estimate": self.estimate,
            "mean": self.mean,
            "median": self.median,
            "mode": self.mode,
            "bayes_estimate": self.bayes_estimate,
            "interval": asdict(self.interval),
            "n_observed": self.n_observed,
            "lists": list(self.lists),
            "model_terms": list(self.model_terms),
            "missing_grid": list(self.missing_grid),
            "missing_probabilities": list(self.missing_probabilities),
            "graph_probabilities": [
                asdict(g) | {"edges": list(g.edges), "cliques": list(g.cliques)}
                for g in self.graph_probabilities
            ],
            "top_graph": list(self.top_graph),
            "settings": settings,
            "diagnostics": dict(self.diagnostics),
            "warnings": list(self.warnings),
            "provenance": dict(self.provenance),
        }


# --------------------------------------------------------------------------------------------
# Computation
# --------------------------------------------------------------------------------------------
def _log_star2(n: FloatArray) -> FloatArray:
    """Rissanen's iterated logarithm log*(n) in base 2 (sum of the positive iterates)."""
    total = np.zeros_like(n)
    term = np.log2(np.maximum(n, 1.0))
    while np.any(term > 0):
        pos = term > 0
        total = total + np.where(pos, term, 0.0)
        term = np.where(pos, np.log2(np.where(pos, term, 1.0)), 0.0)
    return total


def _log_prior_n(prior: NPriorName | NegativeBinomialPrior, n: FloatArray) -> FloatArray:
    if isinstance(prior, NegativeBinomialPrior):
        a, b = prior.a, prior.b
        out: FloatArray = (
            n * math.log(b) - (n + a) * math.log1p(b) + gammaln(n + a) - gammaln(n + 1) - gammaln(a)
        )
        return out
    if prior == "one_over_n":
        return np.asarray(-np.log(n), dtype=np.float64)
    if prior == "rissanen":
        return np.asarray(-_log_star2(n) * math.log(2.0), dtype=np.float64)
    return np.zeros_like(n)


def _subset_log_ml(counts: FloatArray, k: int, delta: float, missing: FloatArray) -> FloatArray:
    """Log D(n_A) for every subset A of lists (rows, by bitmask over vertices) and hidden count."""
    n_obs = counts.sum()
    cells = np.arange(2**k)
    total_alpha = delta * 2**k
    out = np.zeros((2**k, missing.size))
    for subset in range(2**k):
        verts = [v for v in range(k) if subset >> v & 1]
        if not verts:
            continue  # the empty marginal contributes exactly zero
        # vertex v is list v, stored at bit k-1-v of the cell index (list 0 most significant)
        bits = [k - 1 - v for v in verts]
        proj = np.zeros(cells.size, dtype=np.int64)
        for pos, b in enumerate(bits):
            proj |= ((cells >> b) & 1) << pos
        marg = np.bincount(proj, weights=counts, minlength=2 ** len(verts))
        alpha = delta * 2 ** (k - len(verts))
        fixed = float(np.sum(gammaln(alpha + marg[1:]) - gammaln(alpha))) - gammaln(alpha)
        out[subset] = (
            gammaln(total_alpha)
            - gammaln(total_alpha + n_obs + missing)
            + fixed
            + gammaln(alpha + marg[0] + missing)
        )
    return out


def _graph_matrix(graphs: Sequence[DecomposableGraph], k: int) -> FloatArray:
    coef = np.zeros((len(graphs), 2**k))
    for g, graph in enumerate(graphs):
        for c in graph.cliques:
            coef[g, sum(1 << v for v in c)] += 1.0
        for s in graph.separators:
            coef[g, sum(1 << v for v in s)] -= 1.0
    return coef


@dataclass(frozen=True, slots=True)
class _Posterior:
    missing: FloatArray
    log_joint_missing: FloatArray  # log p(m, data), summed over graphs
    log_graph: FloatArray  # log p(G, data), summed over the grid
    graph_medians: FloatArray
    graph_modes: FloatArray
    graph_bayes: FloatArray


def _posterior(
    counts: FloatArray, k: int, settings: BayesSettings, delta: float, max_missing: int
) -> _Posterior:
    missing = np.arange(settings.min_missing, max_missing + 1, dtype=np.float64)
    n_obs = float(counts.sum())
    n = n_obs + missing
    common = _log_prior_n(settings.n_prior, n) + gammaln(n + 1) - gammaln(missing + 1)
    sub = _subset_log_ml(counts, k, delta, missing)
    graphs = decomposable_graphs(k)
    coef = _graph_matrix(graphs, k)
    log_graph = np.empty(len(graphs))
    medians = np.empty(len(graphs))
    modes = np.empty(len(graphs))
    bayes = np.empty(len(graphs))
    acc = np.full(missing.size, -np.inf)
    step = max(1, _CHUNK_CELLS // max(missing.size, 1))
    for start in range(0, len(graphs), step):
        block = coef[start : start + step] @ sub + common  # graph prior is uniform
        log_graph[start : start + step] = logsumexp(block, axis=1)
        acc = np.logaddexp(acc, logsumexp(block, axis=0))
        probs = np.exp(block - log_graph[start : start + step, None])
        cdf = np.cumsum(probs, axis=1)
        idx = np.minimum((cdf < 0.5).sum(axis=1), missing.size - 1)
        medians[start : start + step] = n[idx]
        modes[start : start + step] = n[np.argmax(probs, axis=1)]
        bayes[start : start + step] = (probs / n).sum(axis=1) / (probs / n**2).sum(axis=1)
    return _Posterior(missing, acc, log_graph, medians, modes, bayes)


def _tail_mass(post: FloatArray) -> float:
    cut = max(1, math.ceil(_TAIL_SHARE * post.size))
    return float(post[-cut:].sum())


def _check_input(counts: object, lists: tuple[str, ...], settings: BayesSettings) -> FloatArray:
    names = tuple(str(x) for x in lists)
    k = len(names)
    if not MIN_LISTS <= k <= MAX_LISTS:
        raise VinculoError(
            f"Bayesian model averaging over decomposable graphs needs {MIN_LISTS} to {MAX_LISTS} lists; "
            f"found {k} ({', '.join(names)}).",
            code="mse.bayes_list_count",
            fields={"lists": list(names)},
            fix=f"Merge lists until there are at most {MAX_LISTS} (there are 822 graphs on 5 lists "
            "and 18,154 on 6), or use the loglinear estimators.",
        )
    if len(set(names)) != k or any(not s.strip() for s in names):
        raise VinculoError(
            f"List names must be distinct and non-empty; found {', '.join(repr(s) for s in names)}.",
            code="mse.invalid_lists",
            fix="Rename the lists.",
        )
    arr = np.asarray(counts, dtype=np.float64)
    if arr.ndim != 1 or arr.size != 2**k:
        raise VinculoError(
            f"counts must be a 1-D array of 2**{k} = {2**k} cells for {k} lists; found shape {arr.shape}.",
            code="mse.invalid_counts",
            fix="Index counts by capture-history bits with list 0 as the most significant bit.",
        )
    body = arr[1:]
    if not np.all(np.isfinite(body)) or np.any(body < 0) or np.any(body != np.round(body)):
        bad = [int(i) + 1 for i in np.flatnonzero(~np.isfinite(body) | (body < 0) | (body != np.round(body)))]
        raise VinculoError(
            f"counts must be whole numbers of zero or more; cells {bad[:5]} are not.",
            code="mse.invalid_counts",
            fix="Give each capture history's count as a non-negative integer.",
        )
    if body.sum() <= 0:
        raise VinculoError(
            "No cases were observed: every capture-history count is zero.",
            code="mse.no_cases",
            fix="Check that the counts were read from the right file.",
        )
    if not 0 < settings.level < 1:
        raise VinculoError(
            f"level must lie strictly between 0 and 1; found {settings.level}.",
            code="mse.invalid_setting",
            fix="Use level=0.95.",
        )
    if settings.delta is not None and not settings.delta > 0:
        raise VinculoError(
            f"delta must be positive; found {settings.delta}.",
            code="mse.invalid_setting",
            fix="Leave delta=None for 2**-k.",
        )
    if settings.min_missing < 0 or (
        settings.max_missing is not None and settings.max_missing < settings.min_missing
    ):
        raise VinculoError(
            f"The hidden-count grid {settings.min_missing}..{settings.max_missing} is empty or negative.",
            code="mse.invalid_setting",
            fix="Use 0 <= min_missing <= max_missing, or max_missing=None.",
        )
    if isinstance(settings.n_prior, NegativeBinomialPrior):
        if not (settings.n_prior.a > 0 and settings.n_prior.b > 0):
            raise VinculoError(
                f"Negative binomial prior needs a > 0 and b > 0; found {settings.n_prior}.",
                code="mse.invalid_setting",
                fix="Choose positive a and b (prior mean a*b).",
            )
    elif settings.n_prior not in ("one_over_n", "rissanen", "uniform"):
        raise VinculoError(
            f"Unknown prior on N {settings.n_prior!r}.",
            code="mse.invalid_setting",
            fix='Use "one_over_n", "rissanen", "uniform" or NegativeBinomialPrior(a, b).',
        )
    out = arr.copy()
    out[0] = 0.0
    return out


def _quantile(n: FloatArray, cdf: FloatArray, q: float) -> float:
    return float(n[min(int(np.searchsorted(cdf, q - 1e-12)), n.size - 1)])


def fit_bayes(
    counts: npt.ArrayLike, lists: tuple[str, ...], settings: BayesSettings = BayesSettings()
) -> BayesResult:
    """Estimate the population size by averaging over all decomposable graphical models.

    Parameters
    ----------
    counts : array of length ``2**k``
        Count of each capture history, indexed by its bits with list 0 as the most
        significant bit (index ``0b101`` = on lists 0 and 2 of 3). ``counts[0]`` (the
        unobserved cell) is ignored.
    lists : tuple of str
        The ``k`` list names, 3 to 5 of them.
    settings : BayesSettings
        Prior on ``N``, Dirichlet ``delta``, grid of hidden counts and credible level.

    Returns
    -------
    BayesResult

    Raises
    ------
    VinculoError
        For a wrong number of lists or cells, negative or fractional counts, no cases, or
        invalid settings.

    Warns
    -----
    SparseDataWarning
        When the posterior still has noticeable mass at the top of the hidden-count grid
        (the estimate then depends on where the grid stops); the message is also in
        ``result.warnings``.

    Examples
    --------
    >>> import numpy as np
    >>> res = fit_bayes(np.array([0, 60, 49, 4, 247, 112, 142, 12]), ("A", "B", "C"))
    >>> res.n_observed
    626
    >>> abs(sum(g.probability for g in res.graph_probabilities) - 1) < 1e-9
    True
    """
    names = tuple(str(x) for x in lists)
    y = _check_input(counts, names, settings)
    k = len(names)
    delta = settings.delta if settings.delta is not None else 2.0**-k
    n_obs = int(y.sum())
    notes: list[str] = []

    if settings.max_missing is not None:
        max_missing = settings.max_missing
        post = _posterior(y, k, settings, delta, max_missing)
        auto = False
    else:
        auto = True
        max_missing = max(settings.min_missing + 300, 2 * n_obs)
        cap = max(settings.min_missing + 20_000, 20 * n_obs)
        while True:
            post = _posterior(y, k, settings, delta, max_missing)
            probs = np.exp(post.log_joint_missing - logsumexp(post.log_joint_missing))
            if _tail_mass(probs) < _AUTO_TAIL_TOL or max_missing >= cap:
                break
            max_missing = min(2 * max_missing, cap)

    log_evidence = float(logsumexp(post.log_joint_missing))
    probs = np.exp(post.log_joint_missing - log_evidence)
    graph_probs = np.exp(post.log_graph - log_evidence)
    tail = _tail_mass(probs)
    if tail > _USER_TAIL_WARN:
        msg = (
            f"The posterior of the hidden count still has {tail:.1%} of its mass in the top "
            f"{_TAIL_SHARE:.0%} of the grid (up to {max_missing:,} unobserved cases): the estimate and "
            "the upper credible limit depend on where the grid stops."
        )
        msg += (
            " The data barely constrain N; report the interval as open-ended or merge lists."
            if auto
            else " Raise max_missing."
        )
        notes.append(msg)
        warnings.warn(msg, SparseDataWarning, stacklevel=2)

    n = n_obs + post.missing
    cdf = np.cumsum(probs)
    alpha = 1.0 - settings.level
    mean = float(np.sum(n * probs))
    median = _quantile(n, cdf, 0.5)
    mode = float(n[int(np.argmax(probs))])
    bayes_est = float(np.sum(probs / n) / np.sum(probs / n**2))
    interval = CredibleInterval(
        lower=_quantile(n, cdf, alpha / 2), upper=_quantile(n, cdf, 1 - alpha / 2), level=settings.level
    )
    graphs = decomposable_graphs(k)
    order = np.argsort(-graph_probs, kind="stable")
    ranked = tuple(
        GraphProbability(
            edges=graphs[i].edge_names(names),
            cliques=graphs[i].clique_names(names),
            probability=float(graph_probs[i]),
            median=float(post.graph_medians[i]),
            mode=float(post.graph_modes[i]),
            bayes_estimate=float(post.graph_bayes[i]),
        )
        for i in order
    )
    prior_label = (
        f"negative binomial (a={settings.n_prior.a:g}, b={settings.n_prior.b:g})"
        if isinstance(settings.n_prior, NegativeBinomialPrior)
        else {"one_over_n": "1/N (improper)", "rissanen": "Rissanen", "uniform": "uniform on grid"}[
            settings.n_prior
        ]
    )
    checksum = hashlib.sha256(
        ("|".join(names) + ":" + ",".join(str(int(v)) for v in y[1:])).encode("utf-8")
    ).hexdigest()
    return BayesResult(
        estimate=median,
        mean=mean,
        median=median,
        mode=mode,
        bayes_estimate=bayes_est,
        interval=interval,
        n_observed=n_obs,
        lists=names,
        missing_grid=tuple(int(m) for m in post.missing),
        missing_probabilities=tuple(float(p) for p in probs),
        graph_probabilities=ranked,
        top_graph=ranked[0].edges,
        settings=settings,
        diagnostics={
            "n_graphs": len(graphs),
            "delta": delta,
            "n_prior": prior_label,
            "max_missing": max_missing,
            "grid_chosen_automatically": auto,
            "tail_mass": tail,
            "log_evidence": log_evidence,
        },
        warnings=tuple(notes),
        provenance={
            "version": __version__,
            "method": "bayes_dga",
            "reference": "Madigan & York (1997) Biometrika 84:19-31",
            "settings": {
                **{k_: v for k_, v in asdict(settings).items() if k_ != "n_prior"},
                "n_prior": prior_label,
            },
            "input_checksum": checksum,
            "seed": None,
        },
    )
