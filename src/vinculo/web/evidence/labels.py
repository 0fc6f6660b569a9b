"""Translated labels for the categories of the UNODC data (sex, age, form, indicator, region...) and for
country names. Only what is shown changes: downloads and the API keep the labels of the source file.

Country names come from the platform's one source, :func:`vinculo.web.core.countries.country_name`
(UN names in English, pycountry's ISO 3166 translations in the other languages).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from vinculo.web.core.countries import country_name

__all__ = ["KNOWN_LABELS", "area_name", "country_name", "data_label"]

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


def area_name(profile: Any) -> str:
    """The display name of a profile: a translated country name, or a translated region name."""
    if getattr(profile, "level", "") == "country":
        return country_name(profile.code, profile.name)
    return data_label(profile.name)
