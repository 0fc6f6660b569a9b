"""One country-name source (src/vinculo/web/core/countries.py): the UN names, in every area and form.

The expected English names are read here from the UNSD M49 table the evidence package ships
(``vinculo/evidence/data/areas.csv``), never through the helper under test.
"""

from __future__ import annotations

import csv
import importlib
import inspect
import pkgutil
from importlib import resources
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

import vinculo.web
from vinculo.web.cases import queries
from vinculo.web.core.countries import CountryChoiceField, CountryMultipleChoiceField, country_name
from vinculo.web.core.models import Country


def _un_names() -> dict[str, str]:
    ref = resources.files("vinculo.evidence").joinpath("data", "areas.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return {row["iso3"]: row["name"] for row in csv.DictReader(fh)}


def _form_classes() -> list[type[forms.BaseForm]]:
    found: list[type[forms.BaseForm]] = []
    for info in pkgutil.walk_packages(vinculo.web.__path__, "vinculo.web."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def _country_fields() -> list[tuple[str, str, forms.Field]]:
    out = []
    for form in _form_classes():
        for name, field in form.base_fields.items():
            queryset: Any = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is Country:
                out.append((form.__name__, name, field))
    return out


def test_the_english_names_are_the_un_names(db: None) -> None:
    un = _un_names()
    assert (
        un["NLD"] == "Netherlands (Kingdom of the)" and un["PRK"] == "Democratic People's Republic of Korea"
    )
    with translation.override("en"):
        for country in Country.objects.all():
            assert str(country) == country_name(country.iso3) == un[country.iso3], country.iso3
    netherlands = Country.objects.get(iso3="NLD")
    assert netherlands.name != "Netherlands (Kingdom of the)"  # the stored ISO name is not shown


def test_other_languages_use_the_translations_and_fall_back_to_the_un_name(db: None) -> None:
    with translation.override("fr"):
        assert country_name("NLD") == "Pays-Bas"
        assert str(Country.objects.get(iso3="DEU")) == "Allemagne"
    with translation.override("ru"):
        assert country_name("DEU") == "Германия"
    with translation.override("es"):
        assert country_name("XKX", "Kosovo") == _un_names()["XKX"]  # no ISO translation: the UN name
    assert country_name("ZZZ", "Somewhere") == "Somewhere"


def test_every_country_field_of_every_form_uses_the_one_source(db: None) -> None:
    fields = _country_fields()
    where = {f"{form}.{name}" for form, name, _field in fields}
    # The areas that name countries in a form: estimates, network, programmes, exchange, organisations.
    assert {
        "EstimateForm.country",
        "MechanismForm.country",
        "NoteForm.countries",
        "ProgrammeForm.countries",
        "NoticeForm.countries",
        "OrganisationForm.country",
    } <= where, where
    by_pk = dict(Country.objects.values_list("pk", "iso3"))
    for language in ("en", "fr", "ar", "zh-hans"):
        with translation.override(language):
            for form, name, field in fields:
                assert isinstance(field, CountryChoiceField | CountryMultipleChoiceField), (form, name)
                choices = [(v, label) for v, label in field.choices if v != ""]
                assert len(choices) == Country.objects.count()
                for value, label in choices:
                    key = getattr(value, "value", value)
                    iso3 = key if isinstance(key, str) and len(key) == 3 else by_pk[int(key)]
                    assert label == country_name(iso3), (form, name, iso3, label)
                labels = [label for _v, label in choices]
                assert labels == sorted(labels, key=str.casefold), (form, name, language)


def test_case_filters_name_countries_from_the_same_source(db: None) -> None:
    iso3 = dict(Country.objects.values_list("iso2", "iso3"))
    with translation.override("es"):
        options = queries.choices("country")
        assert options and all(label == country_name(iso3[code]) for code, label in options)
        assert queries.label("country", "NL") == country_name("NLD") == "Países Bajos"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Netherlands (Kingdom of the)"), ("fr", "Pays-Bas")]
)
def test_the_treaty_pages_show_the_un_names(db: None, language: str, expected: str) -> None:
    client = Client(headers={"accept-language": language})
    client.cookies["vinculo_language"] = language
    world = client.get(reverse("treaties:world"), {"q": expected[:6]}).content.decode()
    assert f">{expected}</a>" in world
    state = client.get(reverse("treaties:state", args=["NLD"])).content.decode()
    assert f"<h1>{expected} <small>" in state


@pytest.mark.parametrize("language", ["ar", "ru", "zh-hans"])
def test_every_area_of_the_data_has_a_name_in_the_script_of_the_language(language: str) -> None:
    """A Latin name in an Arabic, Cyrillic or Chinese list is an untranslated one (it also sorts apart)."""
    import re

    from vinculo.evidence import known_areas

    with translation.override(language):
        latin = {
            iso3: country_name(iso3) for iso3 in known_areas() if re.search("[A-Za-z]", country_name(iso3))
        }
    assert not latin


#: Countries whose stored ISO 3166 (pycountry) and UN names differ.
DIFFERENT = ("BOL", "GBR", "IRN", "KOR", "NLD")
#: ... and a few whose UN names the API must give whatever the stored name (Türkiye, Viet Nam).
NAMED = (*DIFFERENT, "TUR", "VNM")


def test_the_iso_and_un_names_of_the_sample_really_differ(db: None) -> None:
    un = _un_names()
    stored = dict(Country.objects.filter(iso3__in=DIFFERENT).values_list("iso3", "name"))
    assert un["BOL"] == "Bolivia (Plurinational State of)" and un["TUR"] == "Türkiye"
    assert un["GBR"] == "United Kingdom of Great Britain and Northern Ireland" and un["VNM"] == "Viet Nam"
    assert un["IRN"] == "Iran (Islamic Republic of)" and un["KOR"] == "Republic of Korea"
    assert all(stored[code] != un[code] for code in DIFFERENT), stored


def test_the_api_country_list_gives_the_un_names(db: None) -> None:
    un = _un_names()
    body = Client().get("/api/countries").json()
    names = {row["iso3"]: row["name"] for row in body}
    assert len(names) == Country.objects.count()
    for code in NAMED:
        assert names[code] == un[code], code
    assert all(name == un[code] for code, name in names.items() if code in un)
    members = Client().get("/api/countries", {"un_member": "true"}).json()
    assert {row["iso3"]: row["name"] for row in members}["TUR"] == "Türkiye"


def test_the_api_names_follow_the_request_language_as_its_other_labels_do(db: None) -> None:
    names = {
        r["iso3"]: r["name"] for r in Client(headers={"accept-language": "fr"}).get("/api/countries").json()
    }
    assert names["NLD"] == "Pays-Bas" and names["DEU"] == "Allemagne"
    treaties = Client(headers={"accept-language": "fr"}).get("/api/treaties/NLD").json()
    assert treaties["name"] == "Pays-Bas"


def test_the_treaty_api_gives_the_un_names(db: None) -> None:
    un = _un_names()
    rows = {row["iso3"]: row["name"] for row in Client().get("/api/treaties").json()}
    for code in NAMED:
        assert rows[code] == un[code], code
        assert Client().get(f"/api/treaties/{code}").json()["name"] == un[code]


def test_the_treaty_csv_gives_the_un_names(db: None) -> None:
    response = Client().get(reverse("treaties:world"), {"format": "csv"})
    rows = {row[0]: row[1] for row in csv.reader(response.content.decode("utf-8-sig").splitlines()) if row}
    un = _un_names()
    for code in NAMED:
        assert rows[code] == un[code], code
