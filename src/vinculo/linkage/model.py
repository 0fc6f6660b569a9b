"""The shared shapes of record linkage: a source's persons, pairs, clusters and the result.

Every mode (trusted linkage with splink, privacy-preserving linkage from Bloom-filter encodings)
reads :class:`Source` objects and returns a :class:`LinkResult`; capture histories, the CLI and the
platform work from that result only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["LinkResult", "Person", "ScoredPair", "Source"]


@dataclass(frozen=True, slots=True)
class Person:
    """One input record, normalised for comparison (:func:`vinculo.linkage.normalise.normalise_person`).

    All text is NFKC-normalised, case-folded, transliterated to Latin ASCII, with diacritics and
    punctuation removed and runs of white space collapsed; an absent value is ``""`` (or ``None``
    for numbers). Attributes that hold tokens keep them in input order.

    Attributes
    ----------
    source : str
        The source (agency file) name: the input file's name without extension.
    record_id : str
        The record id, unique within its source (as given, stripped of surrounding white space).
    row : int
        1-based row in the input file, for messages.
    given : tuple of str
        Given-name tokens (first and middle names), normalised; variants mapped to one canonical
        spelling kept separately in ``given_canonical``.
    family : tuple of str
        Family-name tokens (second names / surnames, compound surnames split), normalised.
    given_canonical, family_canonical : tuple of str
        The same tokens mapped through the variant table (Mohammed/Muhammad -> one key, nicknames
        -> the full name, Oleksandr/Aleksandr/Alexander -> one key).
    birth_year, birth_month, birth_day : int or None
        Birth date parts that are known (partial dates keep what they have).
    birth_text : str
        The birth date as given when it could not be read (kept, never a crash); else "".
    sex : str
        "f", "m", "x" (other) or "".
    citizenship : str
        ISO 3166-1 alpha-2 code or "".
    city, postcode, street, state : str
        Normalised address parts.
    identity_number : str
        Upper-case letters and digits only.
    phone : str
        E.164 (``+380501234567``) when it parses, else the digits.
    email : str
        Lower-case, stripped.
    strata : mapping of str to str
        Values used to stratify capture histories when present: ``sex``, ``age_group``,
        ``exploitation`` (form of exploitation), ``year`` (year of identification).
    """

    source: str
    record_id: str
    row: int = 0
    given: tuple[str, ...] = ()
    family: tuple[str, ...] = ()
    given_canonical: tuple[str, ...] = ()
    family_canonical: tuple[str, ...] = ()
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    birth_text: str = ""
    sex: str = ""
    citizenship: str = ""
    city: str = ""
    postcode: str = ""
    street: str = ""
    state: str = ""
    identity_number: str = ""
    phone: str = ""
    email: str = ""
    strata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """The persons of one agency's file (or of one organisation's cases in the platform)."""

    name: str
    persons: tuple[Person, ...]
    file: str = ""
    #: Which person fields had at least one value (``"given"``, ``"family"``, ``"birth"``, ...).
    fields_present: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.persons)


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two records and the probability that they are the same person.

    ``left``/``right`` are ``(source, record_id)``. ``weights`` is the explanation of the score:
    each comparison's name, the level it fell in, and its match weight (log2 Bayes factor) —
    the waterfall a user sees; empty for PPRL pairs, where ``similarity`` is the Dice coefficient.
    """

    left: tuple[str, str]
    right: tuple[str, str]
    probability: float
    similarity: float | None = None
    weights: tuple[tuple[str, str, float], ...] = ()


@dataclass(frozen=True)
class LinkResult:
    """Clusters of records that are the same person, with the pairs behind them.

    Attributes
    ----------
    sources : tuple of str
        Source names in input order (the capture-history columns).
    clusters : mapping of (source, record_id) to int
        Every input record exactly once; cluster ids are 0..n-1, global across sources, numbered in
        order of first appearance in input order.
    pairs : tuple of ScoredPair
        Scored pairs at or above ``review_band[0]`` (the uncertain band and the matches), for
        explanation, clerical review and the threshold sensitivity.
    threshold : float
        The match probability (trusted) or Dice similarity (PPRL) at which pairs were linked.
    review_band : (float, float)
        Pairs with a score in this half-open interval are listed for clerical review.
    mode : str
        ``"trusted"`` or ``"pprl"``.
    parameters : mapping
        What was estimated or chosen (m/u probabilities, lambda, blocking rules, schema), for the
        report; JSON-serialisable.
    strata : mapping of (source, record_id) to mapping
        The strata values of each record (see :attr:`Person.strata`).
    """

    sources: tuple[str, ...]
    clusters: Mapping[tuple[str, str], int]
    pairs: tuple[ScoredPair, ...] = ()
    threshold: float = 0.0
    review_band: tuple[float, float] = (0.0, 0.0)
    mode: str = "trusted"
    parameters: Mapping[str, object] = field(default_factory=dict)
    strata: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)

    @property
    def n_clusters(self) -> int:
        return len(set(self.clusters.values()))

    def records_in_order(self) -> Sequence[tuple[str, str, int]]:
        """``(source, record_id, cluster_id)`` for every record, in input order."""
        return [(s, r, c) for (s, r), c in self.clusters.items()]
