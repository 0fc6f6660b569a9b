"""Translated labels for the categories of the UNODC data (sex, age, form, indicator, region...) and for
country names. Only what is shown changes: downloads and the API keep the labels of the source file.

Country names come from pycountry's ISO 3166 translations; an area without one keeps UNODC's name.
"""

from __future__ import annotations

import gettext as gettext_module
from functools import lru_cache
from typing import Any

import pycountry
from django.utils.translation import get_language, gettext, gettext_noop

# Every category label of the export, marked so that makemessages collects them.
KNOWN_LABELS = frozenset(
    {
        gettext_noop("Female"),
        gettext_noop("Male"),
        gettext_noop("Other"),
        gettext_noop("Unknown"),
        gettext_noop("Total"),
        gettext_noop("0 to 17 years"),
        gettext_noop("18 years or over"),
        gettext_noop("Sexual exploitation"),
        gettext_noop("Forced labour"),
        gettext_noop("Other forms of exploitation"),
        gettext_noop("Detected trafficking victims"),
        gettext_noop("Offences of trafficking in persons"),
        gettext_noop("Persons brought into formal contact"),
        gettext_noop("Persons convicted"),
        gettext_noop("Persons prosecuted"),
        gettext_noop("by citizenship"),
        gettext_noop("by country of repatriation"),
        gettext_noop("by form of exploitation"),
        gettext_noop("World"),
        gettext_noop("Africa"),
        gettext_noop("Americas"),
        gettext_noop("Asia"),
        gettext_noop("Europe"),
        gettext_noop("Oceania"),
        gettext_noop("Australia and New Zealand"),
        gettext_noop("Central Asia"),
        gettext_noop("Eastern Asia"),
        gettext_noop("Eastern Europe"),
        gettext_noop("Latin America and the Caribbean"),
        gettext_noop("Melanesia"),
        gettext_noop("Micronesia"),
        gettext_noop("Northern Africa"),
        gettext_noop("Northern America"),
        gettext_noop("Northern Europe"),
        gettext_noop("Polynesia"),
        gettext_noop("South-eastern Asia"),
        gettext_noop("Southern Asia"),
        gettext_noop("Southern Europe"),
        gettext_noop("Sub-Saharan Africa"),
        gettext_noop("Western Asia"),
        gettext_noop("Western Europe"),
        gettext_noop("Abroad"),
        gettext_noop("Nationals"),
        gettext_noop("Stateless"),
    }
)

# Django language code -> pycountry locale folder.
_PYCOUNTRY_LOCALES = {"ar": "ar", "zh-hans": "zh_CN", "fr": "fr", "ru": "ru", "es": "es"}


def data_label(text: Any) -> str:
    """The label in the active language; "Female, 0 to 17 years" is translated part by part."""
    value = str(text)
    if value in KNOWN_LABELS:
        return gettext(value)
    if ", " in value:
        parts = value.split(", ")
        if all(p in KNOWN_LABELS for p in parts):
            return ", ".join(gettext(p) for p in parts)
    return value


@lru_cache(maxsize=8)
def _country_catalogue(language: str) -> gettext_module.NullTranslations | None:
    locale = _PYCOUNTRY_LOCALES.get(language)
    if locale is None:
        return None
    try:
        return gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
    except OSError:
        return None


def country_name(iso3: str, fallback: str) -> str:
    """The country's name in the active language (UNODC's English name when there is no translation)."""
    catalogue = _country_catalogue(get_language() or "en")
    if catalogue is None:
        return fallback
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return fallback
    translated = catalogue.gettext(country.name)
    return translated if translated != country.name else fallback


def area_name(profile: Any) -> str:
    """The display name of a profile: a translated country name, or a translated region name."""
    if getattr(profile, "level", "") == "country":
        return country_name(profile.code, profile.name)
    return data_label(profile.name)
