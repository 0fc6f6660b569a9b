"""Generalisation hierarchies for quasi-identifiers, chosen by column name and content.

A hierarchy maps each cell of a column to a label at every level, from level 0 (the cell as
given) to the top level (``"*"``: the column says nothing). Each level is a function of the one
below it (labels nest), which is what makes the search in :mod:`vinculo.release._kanon` sound.

Kinds (:data:`KINDS`), chosen by :func:`build_hierarchy` unless the caller names one:

``age``
    Whole ages (a column whose name has the word "age"): exact -> 5-year bands (0-4, 5-9,
    10-14, 15-17, then 18-22, 23-27, ...) -> 10-year bands (0-9, 10-17, 18-27, ...) -> minor or
    adult (0-17, 18+) -> ``*``. Bands split at 18 so that no band mixes children and adults.
``age_band``
    Age bands already (CTDC's ``0--8``, ``09--17``, ..., ``48+``): band -> CTDC's broad bands
    (0-8, 9-17, 18-20, 21-23, 24-26, 27-29, 30-38, 39-47, 48+) -> 0-17, 18-23, 24-29, 30-47,
    48+ -> minor or adult -> ``*``. Labels keep the file's dash (``--`` or ``-``).
``date``
    Dates (ISO 8601, DD/MM/YYYY, ...): date -> month (``2021-03``) -> year -> 5-year period
    (``2020-2024``) -> ``*``.
``year``
    Years or year ranges (a column whose name has the word "year": ``2019``, ``2014-2018``):
    year -> 5-year period -> 10-year period -> 20-year period -> ``*``.
``country``
    ISO 3166 alpha-2 or alpha-3 codes or country names: country -> UN M49 subregion -> UN M49
    region (from :func:`vinculo.evidence.known_areas`) -> ``*``.
``numeric``
    Other numbers (10 or more distinct): value -> 16 ranges cut at the data's quantiles -> 8 ->
    4 -> 2 ranges (every other cut, so ranges nest) -> ``*``.
``categorical``
    Anything else: value -> ``*``.
``custom``
    Given as a list of mappings (a hierarchy spec, ``--hierarchy-file``): level *i* maps the
    labels of level *i - 1* to coarser ones (a label not in it stays), then ``*``.

A multi-valued cell (values joined by ``;``) is one value of the quasi-identifier, a set:
each of its values is generalised and the set of labels (sorted, each once) is the cell's label.
An empty cell ("no attribute") stays empty until the top level. A value a hierarchy cannot read
(``"unknown"`` in an age column) stays as it is until the top level.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from vinculo.release._table import SEPARATOR, join_cell, split_cell

__all__ = ["KINDS", "Hierarchy", "build_hierarchy", "detect_kind", "name_words"]

#: The hierarchy kinds, in the order :func:`detect_kind` tries them.
KINDS = ("age", "age_band", "date", "year", "country", "numeric", "categorical")

TOP = "*"

Element = Callable[[str], str]

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_BAND = re.compile(r"^\s*(\d{1,3})\s*(-+|–)\s*(\d{1,3})\s*$|^\s*(\d{1,3})\s*\+\s*$")
_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-+|–)\s*(\d{4})\s*$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}|^\d{1,2}[/.]\d{1,2}[/.]\d{4}$|^\d{4}/\d{1,2}/\d{1,2}$")
_INF = math.inf


def name_words(name: str) -> tuple[str, ...]:
    """Lower-case words of a column name: ``"vic_AgeWhenTrafficked"`` -> ``("vic", "age", "when", "trafficked")``."""
    return tuple(w.lower() for w in _WORDS.findall(name))


@dataclass(frozen=True)
class Hierarchy:
    """How one column generalises.

    Attributes
    ----------
    column : str
        The column.
    kind : str
        One of :data:`KINDS`.
    level_names : tuple of str
        A name per level, level 0 first (``"exact"``) and ``"*"`` last.
    min_level : int
        The lowest level that may be released (above 0 for a protected date of birth).
    labels : tuple of mapping
        Per level, each cell of the column (as read) -> its label.
    """

    column: str
    kind: str
    level_names: tuple[str, ...]
    labels: tuple[Mapping[str, str], ...]
    min_level: int = 0

    @property
    def top(self) -> int:
        return len(self.level_names) - 1

    def generalise(self, cell: str, level: int) -> str:
        """The label of ``cell`` (one of the cells the hierarchy was built on) at ``level``."""
        return self.labels[level][cell]

    def describe(self) -> str:
        return " -> ".join(self.level_names[self.min_level :])


# --- reading values -----------------------------------------------------------------------


def _age(text: str) -> tuple[float, float] | None:
    t = text.strip()
    if t.isdigit() and len(t) <= 3 and int(t) <= 130:
        return float(int(t)), float(int(t))
    return None


def _band(text: str) -> tuple[float, float] | None:
    m = _BAND.match(text)
    if m is None:
        return None
    if m.group(4) is not None:
        return float(int(m.group(4))), _INF
    lo, hi = int(m.group(1)), int(m.group(3))
    return (float(lo), float(hi)) if lo <= hi else None


def _year(text: str) -> tuple[float, float] | None:
    t = text.strip()
    if len(t) == 4 and t.isdigit() and 1000 <= int(t) <= 2999:
        return float(int(t)), float(int(t))
    m = _YEAR_RANGE.match(t)
    if m and int(m.group(1)) <= int(m.group(2)):
        return float(int(m.group(1))), float(int(m.group(2)))
    return None


def _date(text: str) -> dt.date | None:
    t = text.strip()
    if not _DATE_LIKE.match(t):
        return None
    from vinculo.htcds import parse_date

    try:
        return parse_date(t, order="DMY")[0]
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "")) if text.strip() else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


@cache
def _country_areas() -> dict[str, tuple[str, str]]:
    """Normalised country code or name -> (M49 subregion, M49 region)."""
    import pycountry

    from vinculo.evidence import known_areas
    from vinculo.htcds import country_lookup

    by_iso2: dict[str, tuple[str, str]] = {}
    for area in known_areas().values():
        if not area.region:
            continue
        country = pycountry.countries.get(alpha_3=area.iso3)
        iso2 = str(country.alpha_2) if country is not None else {"XKX": "XK"}.get(area.iso3, "")
        if iso2:
            by_iso2[iso2] = (area.subregion or area.region, area.region)
    return {key: by_iso2[iso2] for key, iso2 in country_lookup().items() if iso2 in by_iso2}


def _country_key(text: str) -> str:
    from vinculo.htcds._convert import norm_key

    return norm_key(text)


def _country(text: str) -> tuple[str, str] | None:
    return _country_areas().get(_country_key(text))


# --- interval levels ----------------------------------------------------------------------


def _cover(lo: float, hi: float, bounds: Sequence[float]) -> tuple[float, float]:
    """The union of the segments [b_i, b_{i+1} - 1] (last one open) that [lo, hi] touches."""
    i = max(bisect.bisect_right(bounds, lo) - 1, 0)
    j = bisect.bisect_right(bounds, hi)
    end = bounds[j] - 1 if j < len(bounds) and hi != _INF else _INF
    return bounds[i], end


def _interval_label(lo: float, hi: float, dash: str) -> str:
    if hi == _INF:
        return f"{int(lo)}+"
    if lo == hi:
        return f"{int(lo)}"
    return f"{int(lo)}{dash}{int(hi)}"


def _interval_level(
    read: Callable[[str], tuple[float, float] | None], bounds: Sequence[float], dash: str
) -> Element:
    def element(text: str) -> str:
        span = read(text)
        if span is None:
            return text
        return _interval_label(*_cover(span[0], span[1], bounds), dash)

    return element


AGE_5 = (0, 5, 10, 15, *range(18, 131, 5))
AGE_10 = (0, 10, *range(18, 131, 10))
AGE_MINOR = (0, 18)
CTDC_BANDS = (0, 9, 18, 21, 24, 27, 30, 39, 48)
CTDC_WIDE = (0, 18, 24, 30, 48)


def _age_band(text: str) -> tuple[float, float] | None:
    return _band(text) or _age(text)


def _periods(spans: Sequence[tuple[float, float]], width: int) -> tuple[float, ...]:
    lo = min(s[0] for s in spans)
    hi = max(s[1] for s in spans)
    start = math.floor(lo / width) * width
    return tuple(float(b) for b in range(int(start), int(hi) + width + 1, width))


def _levels_for(kind: str, elements: Sequence[str], weights: Counter[str]) -> list[tuple[str, Element]]:
    """(name, element -> label) for levels 1 .. top-1 of ``kind``."""
    if kind == "age":
        return [
            ("5-year bands", _interval_level(_age_band, AGE_5, "-")),
            ("10-year bands", _interval_level(_age_band, AGE_10, "-")),
            ("minor/adult", _interval_level(_age_band, AGE_MINOR, "-")),
        ]
    if kind == "age_band":
        dash = "--" if any("--" in e for e in elements) else "-"
        return [
            ("CTDC broad bands", _interval_level(_age_band, CTDC_BANDS, dash)),
            ("0-17, 18-23, 24-29, 30-47, 48+", _interval_level(_age_band, CTDC_WIDE, dash)),
            ("minor/adult", _interval_level(_age_band, AGE_MINOR, dash)),
        ]
    if kind == "year":
        spans = [s for s in (_year(e) for e in elements) if s is not None]
        return [(f"{w}-year periods", _interval_level(_year, _periods(spans, w), "-")) for w in (5, 10, 20)]
    if kind == "date":

        def month(text: str) -> str:
            d = _date(text)
            return text if d is None else f"{d.year:04d}-{d.month:02d}"

        def year(text: str) -> str:
            d = _date(text)
            return text if d is None else f"{d.year:04d}"

        def period(text: str) -> str:
            d = _date(text)
            if d is None:
                return text
            start = d.year // 5 * 5
            return f"{start}-{start + 4}"

        return [("month", month), ("year", year), ("5-year period", period)]
    if kind == "country":

        def subregion(text: str) -> str:
            found = _country(text)
            return text if found is None else found[0]

        def region(text: str) -> str:
            found = _country(text)
            return text if found is None else found[1]

        return [("UN M49 subregion", subregion), ("UN M49 region", region)]
    if kind == "numeric":
        return _numeric_levels(elements, weights)
    return []


def _numeric_levels(elements: Sequence[str], weights: Counter[str]) -> list[tuple[str, Element]]:
    values = sorted((v, weights[e]) for e in elements if (v := _number(e)) is not None)
    total = sum(w for _, w in values)
    cuts: list[float] = []
    running = 0
    targets = [total * i / 16 for i in range(1, 16)]
    t = 0
    for v, w in values:
        running += w
        while t < len(targets) and running >= targets[t]:
            cuts.append(v)
            t += 1
    levels: list[tuple[str, Element]] = []
    for bins in (16, 8, 4, 2):
        step = 16 // bins
        chosen = sorted({cuts[i - 1] for i in range(step, 16, step) if i - 1 < len(cuts)})
        # a value v falls in the range (c_{i-1}, c_i]: ranges are named by the values they hold
        members: dict[int, list[float]] = {}
        for v, _ in values:
            members.setdefault(bisect.bisect_left(chosen, v), []).append(v)
        names = {i: _range_name(min(vs), max(vs)) for i, vs in members.items()}

        def element(text: str, chosen: list[float] = chosen, names: dict[int, str] = names) -> str:
            v = _number(text)
            return text if v is None else names[bisect.bisect_left(chosen, v)]

        levels.append((f"{bins} ranges", element))
    return levels


def _range_name(lo: float, hi: float) -> str:
    def fmt(v: float) -> str:
        return str(int(v)) if v.is_integer() else f"{v:g}"

    return fmt(lo) if lo == hi else f"{fmt(lo)}-{fmt(hi)}"


# --- choosing a kind ----------------------------------------------------------------------


def _share(elements: Sequence[str], test: Callable[[str], object]) -> float:
    return sum(1 for e in elements if test(e) is not None) / len(elements) if elements else 0.0


def detect_kind(column: str, cells: Sequence[str]) -> str:
    """The hierarchy kind for a column, from its name's words and its values (see module doc)."""
    elements = sorted({e for c in set(cells) for e in split_cell(c)})
    if not elements:
        return "categorical"
    words = set(name_words(column))
    if "age" in words or "ages" in words:
        if _share(elements, _age) >= 0.8:
            return "age"
        if _share(elements, _age_band) >= 0.8:
            return "age_band"
    if _share(elements, _date) >= 0.9:
        return "date"
    if words & {"year", "years", "yr"} and _share(elements, _year) >= 0.8:
        return "year"
    country_share = _share(elements, _country)
    country_words = {"country", "citizenship", "nationality", "coo", "coe", "origin", "destination"}
    if (words & country_words and country_share >= 0.8) or (country_share >= 0.95 and len(elements) >= 3):
        return "country"
    if _share(elements, _number) >= 0.9 and len({_number(e) for e in elements} - {None}) >= 10:
        return "numeric"
    return "categorical"


def build_hierarchy(
    column: str,
    cells: Sequence[str],
    kind: str | None = None,
    min_level: int = 0,
    custom: Sequence[Mapping[str, str]] | None = None,
) -> Hierarchy:
    """The hierarchy of ``column`` over its ``cells`` (every cell of the column, as read).

    A level that would split these cells exactly as the level below it does is merged with it
    (keeping the coarser level's name and labels; level 0 always keeps the cells as they are), so
    the levels depend on the data.
    """
    if custom is not None:
        kind = "custom"
    kind = kind or detect_kind(column, cells)
    if kind not in KINDS and kind != "custom":
        raise ValueError(f"unknown hierarchy kind {kind!r}")
    counts = Counter(cells)
    weights: Counter[str] = Counter()
    for cell, n in counts.items():
        for e in split_cell(cell):
            weights[e] += n
    elements = sorted(weights)
    names = ["exact"]
    maps: list[dict[str, str]] = [{c: _canonical(c) for c in counts}]
    levels = _custom_levels(custom) if custom is not None else _levels_for(kind, elements, weights)
    for name, element in levels:
        table = {e: element(e) for e in elements}
        labels = {c: (join_cell([table[e] for e in split_cell(c)]) if c else "") for c in counts}
        if _same_partition(labels, maps[-1]):
            if len(maps) > 1:  # the coarser name and labels say no more and read more plainly
                names[-1], maps[-1] = name, labels
            continue
        names.append(name)
        maps.append(labels)
    names.append(TOP)
    maps.append(dict.fromkeys(counts, TOP))
    return Hierarchy(column, kind, tuple(names), tuple(maps), min(min_level, len(names) - 1))


def _custom_levels(custom: Sequence[Mapping[str, str]]) -> list[tuple[str, Element]]:
    """A spec's levels: each maps the labels of the level below (a value not in it keeps its label)."""
    chain: list[Mapping[str, str]] = []
    levels: list[tuple[str, Element]] = []
    for i, table in enumerate(custom, start=1):
        chain = [*chain, table]

        def element(text: str, chain: Sequence[Mapping[str, str]] = chain) -> str:
            for step in chain:
                text = step.get(text, text)
            return text

        levels.append((f"level {i}", element))
    return levels


def _canonical(cell: str) -> str:
    """Level 0: a multi-valued cell as a set (sorted, each once); any other cell as given."""
    return join_cell(split_cell(cell)) if SEPARATOR in cell else cell


def _same_partition(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    pairs = {(a[c], b[c]) for c in a}
    return len(pairs) == len({x for x, _ in pairs}) == len({y for _, y in pairs})
