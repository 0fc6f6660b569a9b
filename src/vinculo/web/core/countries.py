"""Country names, one source for every area: the United Nations' names, in the active language.

English names are those of the UN Statistics Division's M49 standard as the Global Report data use
them (``Netherlands (Kingdom of the)``, ``Türkiye``, ``Bolivia (Plurinational State of)``), from
the table the evidence package ships (``vinculo.evidence.known_areas``). The platform's M49 copy
has English names only, so the other five languages use the ISO 3166 translations that pycountry
ships (as the evidence pages always did); an area without a translation keeps its UN English name.

Every page, select and table that names a country goes through :func:`country_name`
(``Country.__str__`` does, so forms and templates showing ``{{ country }}`` do too), and so does the
JSON API, its CSV and XLSX tables included: a country's name there follows the request's language
(``Accept-Language``, as the API's other labels do), English by default. The codes stay ISO 3166-1.
Stored texts that must not change with the reader (audit entries, error messages) use :func:`un_name`.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import pycountry
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import get_language

from vinculo.evidence import known_areas

__all__ = [
    "CountryChoiceField",
    "CountryMultipleChoiceField",
    "country_name",
    "iso2_names",
    "sorted_by_name",
    "un_name",
]

# Django language code -> pycountry locale folder.
_PYCOUNTRY_LOCALES = {"ar": "ar", "zh-hans": "zh_CN", "fr": "fr", "ru": "ru", "es": "es"}


@lru_cache(maxsize=8)
def _catalogue(language: str) -> gettext_module.NullTranslations | None:
    locale = _PYCOUNTRY_LOCALES.get(language)
    if locale is None:
        return None
    try:
        return gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
    except OSError:
        return None


def un_name(iso3: str, fallback: str = "") -> str:
    """The UN (M49) English name of ``iso3``; ``fallback`` (or the code) for an unknown code."""
    area = known_areas().get(iso3.upper())
    return area.name if area is not None else (fallback or iso3)


# Names pycountry's catalogues lack: Türkiye (renamed in 2022; the catalogues know "Turkey"), and
# two areas outside ISO 3166 that the Global Report data use. The UN's own names in these languages.
_SUPPLEMENT = {
    ("TUR", "ar"): "تركيا",
    ("XKX", "ar"): "كوسوفو",
    ("XKX", "ru"): "Косово",
    ("XKX", "zh-hans"): "科索沃",
    ("XSK", "ar"): "سارك",
    ("XSK", "fr"): "Sercq",
    ("XSK", "ru"): "Сарк",
    ("XSK", "zh-hans"): "萨克岛",
}


@lru_cache(maxsize=4096)
def _name(iso3: str, fallback: str, language: str) -> str:
    english = un_name(iso3, fallback)
    supplement = _SUPPLEMENT.get((iso3.upper(), language))
    if supplement is not None:
        return supplement
    catalogue = _catalogue(language)
    country = pycountry.countries.get(alpha_3=iso3.upper()) if catalogue is not None else None
    if catalogue is None or country is None:
        return english
    translated = catalogue.gettext(country.name)
    return translated if translated != country.name else english


def country_name(iso3: str, fallback: str = "") -> str:
    """The country's name in the active language: the UN name in English, else its translation."""
    return _name(str(iso3 or ""), str(fallback or ""), get_language() or "en")


def iso2_names(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``{iso2: name}`` in the active language from ``(iso2, iso3)`` pairs (case data use ISO2 codes)."""
    return {iso2: country_name(iso3) for iso2, iso3 in pairs}


def sorted_by_name[T](items: Iterable[T], name: Any) -> list[T]:
    """``items`` in the alphabetical order of ``name(item)`` (case-insensitive, accents kept)."""
    return sorted(items, key=lambda item: str(name(item)).casefold())


class _ByName(ModelChoiceIterator):  # type: ignore[type-arg]
    """The field's choices, the empty one first and the countries by their name in the active language."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        pairs = list(super().__iter__())
        empty = [p for p in pairs if p[0] == ""]
        return iter(empty + sorted_by_name([p for p in pairs if p[0] != ""], lambda p: p[1]))


class CountryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A select of countries labelled and ordered by :func:`country_name`."""

    iterator = _ByName

    def label_from_instance(self, obj: Any) -> str:
        return country_name(obj.iso3, obj.name)


class CountryMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several countries, labelled and ordered by :func:`country_name`."""

    iterator = _ByName

    def label_from_instance(self, obj: Any) -> str:
        return country_name(obj.iso3, obj.name)
