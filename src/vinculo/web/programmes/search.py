"""Full-text search and facets over programmes, on SQLite (FTS5) or PostgreSQL (tsvector + GIN).

The index is kept in sync by the action functions (:func:`index_programme` after every change), not
by triggers, so that both backends behave alike:

* SQLite: a virtual FTS5 table ``programmes_fts`` (``unicode61 remove_diacritics 2``) whose rowid is
  the programme id, holding normalised titles and body text; ranked with ``bm25``; words of three
  letters or more match as prefixes.
* PostgreSQL: a ``search_vector`` column with a GIN index. The original text and each translation
  are indexed with the configuration of their language (english, french, spanish, russian, arabic;
  ``simple`` otherwise) plus a ``simple`` vector of all normalised text; the query is tried in
  every configuration at once. Ranked with ``ts_rank``. When nothing matches and the ``pg_trgm``
  extension is installed, titles are matched by trigram word similarity (typos).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import BooleanField, Count, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from vinculo.evidence import known_areas
from vinculo.registry import (
    SEARCH_CONFIGS,
    TRANSLATED_FIELDS,
    ParsedQuery,
    normalise_text,
    parse_query,
    search_config,
    to_fts5_match,
    to_tsquery,
)

from .models import Programme, ProgrammeFacet

FTS_TABLE = "programmes_fts"
FACETS = ("country", "region", "pillar", "form", "target", "rating", "year")
_CONFIGS = sorted(set(SEARCH_CONFIGS.values()) - {"simple"})
TRIGRAM_THRESHOLD = 0.4


@dataclass(frozen=True)
class SearchParams:
    """What a search asks for. Facet values within one facet are OR-ed; facets are AND-ed."""

    text: str = ""
    country: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    pillar: tuple[str, ...] = ()
    form: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    rating: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def chosen(self, facet: str) -> tuple[str, ...]:
        return tuple(getattr(self, facet, ()) or ())


@dataclass
class SearchOutcome:
    """The matching programmes, best first when there is text: their ``ids`` (sliceable, lazy on
    PostgreSQL), their number and the facet counts. Fetch the programmes of the page shown by id."""

    ids: Sequence[int]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    typo_fallback: bool = False


def _vendor() -> str:
    return connection.vendor


def region_of(iso3: str) -> str:
    area = known_areas().get(iso3)
    return area.region if area else ""


@functools.cache
def trigram_available() -> bool:
    if _vendor() != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


# -- indexing -------------------------------------------------------------------------------------


def _texts(programme: Programme) -> dict[str, dict[str, str]]:
    """language -> field -> text, the original first, translations after."""
    out = {programme.original_language: {f: getattr(programme, f) for f in TRANSLATED_FIELDS}}
    for tr in programme.translations.all():
        if tr.language != programme.original_language:
            out[tr.language] = {f: getattr(tr, f) for f in TRANSLATED_FIELDS if getattr(tr, f)}
    return out


def _facet_rows(programme: Programme) -> list[ProgrammeFacet]:
    values: set[tuple[str, str]] = set()
    for iso3 in programme.countries.values_list("iso3", flat=True):
        values.add(("country", iso3))
        region = region_of(iso3)
        if region:
            values.add(("region", region))
    values.update(("pillar", v) for v in programme.pillars)
    values.update(("form", v) for v in programme.forms)
    values.update(("target", v) for v in programme.target_groups)
    values.add(("rating", programme.evidence_rating))
    if programme.start_date:
        values.add(("year", str(programme.start_date.year)))
    return [ProgrammeFacet(programme=programme, facet=f, code=c) for f, c in sorted(values)]


def index_programme(programme: Programme) -> None:
    """Rebuild the facet rows and the full-text index of one programme (inside the caller's transaction)."""
    ProgrammeFacet.objects.filter(programme=programme).delete()
    ProgrammeFacet.objects.bulk_create(_facet_rows(programme))
    texts = _texts(programme)
    titles = " ".join(normalise_text(t.get("title", "")) for t in texts.values())
    body = " ".join(
        normalise_text(t.get(f, "")) for t in texts.values() for f in TRANSLATED_FIELDS if f != "title"
    )
    Programme.objects.filter(pk=programme.pk).update(search_titles=titles[:2000])
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [programme.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [programme.pk, titles, body],
            )
        elif _vendor() == "postgresql":
            parts: list[str] = []
            params: list[str] = []
            for language, fields in texts.items():
                config = search_config(language)
                parts.append("setweight(to_tsvector(%s::regconfig, %s), 'A')")
                params += [config, fields.get("title", "")]
                parts.append("setweight(to_tsvector(%s::regconfig, %s), 'B')")
                params += [config, " ".join(v for k, v in fields.items() if k != "title")]
            parts.append("setweight(to_tsvector('simple', %s), 'A')")
            parts.append("setweight(to_tsvector('simple', %s), 'C')")
            params += [titles, body]
            cursor.execute(
                f"UPDATE programmes_programme SET search_vector = {' || '.join(parts)} WHERE id = %s",  # noqa: S608
                [*params, programme.pk],
            )


def unindex_programme(programme_id: int) -> None:
    if _vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [programme_id])  # noqa: S608


# -- querying -------------------------------------------------------------------------------------


def _pg_tsquery(query: ParsedQuery) -> tuple[str, list[str]]:
    raw = to_tsquery(query)
    parts = [f"to_tsquery('{c}', %s)" for c in _CONFIGS] + ["to_tsquery('simple', %s)"]
    return "(" + " || ".join(parts) + ")", [raw] * len(_CONFIGS) + [to_tsquery(query, normalise=True)]


def _text_filter(query: ParsedQuery) -> tuple[Q | RawSQL, RawSQL]:
    """The condition for programmes matching ``query`` and an expression ranking them (higher first).

    On PostgreSQL the condition sits in the main WHERE clause, unqualified (``search_vector`` exists
    only in the programme table), so that the planner scans the GIN index first and ranks only the
    matching rows, and so that the condition still works inside subqueries whose tables Django renames.
    """
    if _vendor() == "postgresql":
        tsq, params = _pg_tsquery(query)
        condition = RawSQL(f"search_vector @@ {tsq}", params, output_field=BooleanField())  # noqa: S611 - constant SQL, values as parameters
        rank = RawSQL(f"ts_rank(search_vector, {tsq})", params, output_field=FloatField())  # noqa: S611 - as above
        return condition, rank
    match = to_fts5_match(query)
    sub = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    # SQLite ranks with bm25 in one query (see _sqlite_ranked_ids); no per-row rank here.
    return Q(id__in=RawSQL(sub, [match])), RawSQL("0.0", [], output_field=FloatField())  # noqa: S611 - parameters


def _trigram_filter(query: ParsedQuery) -> tuple[RawSQL, RawSQL]:
    text = normalise_text(" ".join(query.words()))
    condition = RawSQL("%s <%% search_titles", [text], output_field=BooleanField())
    return condition, RawSQL("word_similarity(%s, search_titles)", [text], output_field=FloatField())


def _facet_filter(params: SearchParams) -> Q:
    condition = Q()
    for facet in ("country", "region", "pillar", "form", "target", "rating"):
        chosen = params.chosen(facet)
        if chosen:
            ids = ProgrammeFacet.objects.filter(facet=facet, code__in=chosen).values("programme_id")
            condition &= Q(id__in=ids)
    if params.year_to is not None:
        condition &= Q(start_date__isnull=True) | Q(start_date__lte=date(params.year_to, 12, 31))
    if params.year_from is not None:
        condition &= Q(end_date__isnull=True) | Q(end_date__gte=date(params.year_from, 1, 1))
    return condition


def facet_counts(queryset: QuerySet[Programme]) -> dict[str, list[tuple[str, int]]]:
    """Per facet, each value and how many of ``queryset`` have it, most frequent first."""
    rows = (
        ProgrammeFacet.objects.filter(programme_id__in=queryset.order_by().values("id"))
        .values("facet", "code")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        out[row["facet"]].append((row["code"], row["n"]))
    for facet, values in out.items():
        if facet == "year":
            values.sort(key=lambda v: v[0], reverse=True)
        else:
            values.sort(key=lambda v: (-v[1], v[0]))
    return {f: out.get(f, []) for f in FACETS}


def _sqlite_ranked_ids(queryset: QuerySet[Programme], query: ParsedQuery) -> list[int]:
    """Ids of ``queryset`` matching ``query``, best first: one FTS5 query ranks all matches at once."""
    match = to_fts5_match(query)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}, 5.0, 1.0) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [match],
        )
        ranks = dict(cursor.fetchall())
    if not ranks:
        return []
    kept = set(queryset.filter(_text_filter(query)[0]).values_list("id", flat=True))
    return sorted(kept, key=lambda pk: (ranks[pk], -pk))


def search_programmes(
    base: QuerySet[Programme], params: SearchParams, *, with_facets: bool = True
) -> SearchOutcome:
    """Search within ``base`` (already narrowed to what the caller may see)."""
    queryset = base.filter(_facet_filter(params))
    query = parse_query(params.text)
    typo = False
    ids: Sequence[int] | None = None
    if not query.is_empty:
        condition, rank = _text_filter(query)
        matched = queryset.filter(condition)
        if trigram_available() and not matched.exists():
            condition, rank = _trigram_filter(query)
            matched = queryset.filter(condition)
            if query.excluded:  # similar spelling, but still without the excluded words
                unwanted, _ = _text_filter(ParsedQuery(terms=query.excluded))
                matched = matched.exclude(unwanted)
            typo = True
        if _vendor() == "sqlite":
            ids = _sqlite_ranked_ids(queryset, query)
        queryset = matched.annotate(rank=rank).order_by("-rank", "-id")
    if with_facets:
        facets = facet_counts(queryset)
        total = sum(n for _, n in facets["rating"])  # every programme has exactly one rating
    else:
        facets, total = {}, (len(ids) if ids is not None else queryset.count())
    ranked: Sequence[int] = ids if ids is not None else queryset.values_list("id", flat=True)  # type: ignore[assignment]
    return SearchOutcome(ids=ranked, total=total, facets=facets, typo_fallback=typo)
