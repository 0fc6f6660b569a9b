"""What pages and the API show of a programme: text in the reader's language, labels, facets."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vinculo.registry import TRANSLATED_FIELDS, DisplayedText, pick_text
from vinculo.web.core.countries import country_name
from vinculo.web.core.models import Country

from .models import EvidenceRating, FormOfExploitation, Language, Pillar, Programme, TargetGroup
from .search import SearchParams

LABELS: dict[str, dict[str, Any]] = {
    "pillar": dict(Pillar.choices),
    "form": dict(FormOfExploitation.choices),
    "target": dict(TargetGroup.choices),
    "rating": dict(EvidenceRating.choices),
}
LANGUAGE_NAMES = dict(Language.choices)


def ui_language() -> str:
    return (get_language() or "en").lower()


def translations_of(programme: Programme) -> dict[str, dict[str, str]]:
    return {
        t.language: {f: getattr(t, f) for f in TRANSLATED_FIELDS}
        for t in programme.translations.all()  # prefetched on list pages
    }


def programme_texts(programme: Programme, language: str | None = None) -> dict[str, DisplayedText]:
    """Each free-text field in ``language`` (the UI language by default) or the original."""
    wanted = language or ui_language()
    original = {f: getattr(programme, f) for f in TRANSLATED_FIELDS}
    translations = translations_of(programme)
    return {
        f: pick_text(f, wanted, programme.original_language, original, translations)
        for f in TRANSLATED_FIELDS
    }


def labels(facet: str, codes: list[str]) -> list[str]:
    table = LABELS.get(facet, {})
    return [str(table.get(c, c)) for c in codes]


def _ints(value: str | None) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1900 <= number <= 2100 else None


def params_from_query(query: QueryDict) -> SearchParams:
    """Search parameters from a GET query string; unknown or malformed values are ignored."""

    def many(name: str) -> tuple[str, ...]:
        return tuple(v[:40] for v in query.getlist(name) if v)[:50]

    return SearchParams(
        text=query.get("q", "")[:300],
        country=tuple(c.upper() for c in many("country")),
        region=many("region"),
        pillar=many("pillar"),
        form=many("form"),
        target=many("target"),
        rating=many("rating"),
        year_from=_ints(query.get("from")),
        year_to=_ints(query.get("to")),
    )


def facet_view(facets: dict[str, list[tuple[str, int]]], params: SearchParams) -> list[dict[str, Any]]:
    """Facets with labels, counts and whether each value is chosen, for the list page."""
    names = {
        iso3: country_name(iso3, name)
        for iso3, name in Country.objects.filter(
            iso3__in=[c for c, _ in facets.get("country", [])]
        ).values_list("iso3", "name")
    }
    titles = {
        "region": _("Region"),
        "country": _("Country"),
        "pillar": _("Pillar"),
        "form": _("Form of exploitation"),
        "target": _("Target group"),
        "rating": _("Evidence"),
    }
    out = []
    for facet in ("region", "country", "pillar", "form", "target", "rating"):
        chosen = set(params.chosen(facet))
        values = [
            {
                "code": code,
                "label": names.get(code, code) if facet == "country" else labels(facet, [code])[0],
                "count": count,
                "chosen": code in chosen,
            }
            for code, count in facets.get(facet, [])
        ]
        if facet == "country":
            values = values[:40] + [v for v in values[40:] if v["chosen"]]
        n_chosen = sum(1 for v in values if v["chosen"])
        out.append({"name": facet, "title": titles[facet], "values": values, "n_chosen": n_chosen})
    return out
