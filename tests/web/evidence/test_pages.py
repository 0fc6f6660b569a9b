"""Every page of the area renders for anyone: all 199 country profiles, areas, flows, releases, languages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from vinculo.web.evidence.models import GlotipRelease

from .conftest import RawKey, page_tables

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]


@pytest.mark.slow
def test_every_country_profile_page_renders_without_a_suppressed_number(
    release: GlotipRelease, raw: tuple[dict[RawKey, list[str]], Any]
) -> None:
    values, areas = raw
    client = Client()
    listing = page_tables(client.get(reverse("evidence:countries")).content.decode())["countries"]
    assert len(listing) - 1 == len(areas) == 199
    suppressed_totals = {
        (k[0], str(k[6]))
        for k, v in values.items()
        if k[1:6] == ("Detected trafficking victims", "Total", "Total", "Total", "Total") and v == ["<5"]
    }
    assert suppressed_totals
    for iso3 in sorted(areas):
        response = client.get(reverse("evidence:country", args=[iso3]))
        assert response.status_code == 200, iso3
        html = response.content.decode()
        assert "UNODC, Global Report on Trafficking in Persons data" in html
        trend = page_tables(html).get("trend", [])
        for row in trend[1:]:
            if (iso3, row[0]) in suppressed_totals:
                assert row[1] == "<5", (iso3, row)


def test_regional_subregional_global_home_flows_and_release_pages_render(
    release: GlotipRelease, raw: tuple[dict[RawKey, list[str]], Any]
) -> None:
    _values, areas = raw
    client = Client()
    regions = sorted({a[1] for a in areas.values()})
    subregions = sorted({a[2] for a in areas.values()})
    for name in regions:
        html = client.get(reverse("evidence:region", args=[name])).content.decode()
        assert "flow_shares" in page_tables(html), name
    for name in subregions:
        assert client.get(reverse("evidence:subregion", args=[name])).status_code == 200, name
    home = client.get(reverse("evidence:home")).content.decode()
    assert "World overview" in home and "2025-04-14" in home
    for name in regions:
        assert reverse("evidence:region", args=[name]) in home or quote(name) in home
    world = client.get(reverse("evidence:world")).content.decode()
    assert "flow_shares" in page_tables(world)
    flows = client.get(reverse("evidence:flows"), {"region": "Africa", "year": "2020"}).content.decode()
    assert "flow_matrix" in page_tables(flows) and "main_out_of" in page_tables(flows)
    matrix = client.get(reverse("evidence:flow_matrix", args=["csv"]), {"region": "Africa", "year": "2020"})
    assert matrix.status_code == 200 and matrix.content.decode().startswith("year,origin,")
    assert client.get(reverse("evidence:releases")).status_code == 200
    assert client.get(reverse("evidence:country", args=["ZZZ"])).status_code == 404
    assert client.get(reverse("evidence:region", args=["Atlantis"])).status_code == 404
    assert (
        client.get(reverse("evidence:download", args=["country", "NLD", "trend", "pdf"])).status_code == 404
    )


def test_pages_render_in_the_six_languages_with_the_same_data(release: GlotipRelease) -> None:
    tables = {}
    for code in LANGUAGES:
        client = Client()
        client.cookies["vinculo_language"] = code
        response = client.get(reverse("evidence:country", args=["NGA"]))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'lang="{code}"' in html
        tables[code] = {k: [row[1:] for row in v[1:]] for k, v in page_tables(html).items()}

    def digits(cell: str) -> str:
        # The same count in every language once the grouping signs are taken out.
        return "".join(ch for ch in cell if ch.isdigit() or ch in "<≥()–")

    grouping = {"en": ",", "fr": "\u202f", "es": ".", "ru": "\xa0", "zh-hans": ",", "ar": ","}
    for code in LANGUAGES:
        assert tables[code].keys() == tables["en"].keys()
        for key in ("trend", "victims_by_sex", "victims_by_form", "justice"):
            numbers = [
                [digits(c) for c in row if c[:1].isdigit() or c.startswith("<")] for row in tables["en"][key]
            ]
            got = [
                [digits(c) for c in row if c[:1].isdigit() or c.startswith("<")] for row in tables[code][key]
            ]
            assert got == numbers, (code, key)
        big = [
            c for row in tables[code]["trend"] for c in row if digits(c).isdigit() and int(digits(c)) >= 1000
        ]
        assert big and all(grouping[code] in c for c in big), (code, big[:3])


def test_the_home_page_explains_when_nothing_is_imported(db: Any) -> None:
    GlotipRelease.objects.update(status="superseded")
    response = Client().get(reverse("evidence:home"))
    assert response.status_code == 200
    assert "vinculo glotip import" in response.content.decode()


def test_a_profile_page_reads_the_release_once_and_then_only_looks_it_up(
    release: GlotipRelease, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    assert client.get(reverse("evidence:country", args=["BRA"])).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("evidence:country", args=["COL"])).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(reverse("evidence:countries")).status_code == 200


@pytest.mark.parametrize(
    ("code", "female", "region", "country"),
    [
        ("fr", "Féminin", "Europe de l’Ouest", "Pays-Bas"),
        ("es", "Femenino", "Europa Occidental", "Países Bajos"),
        ("en", "Female", "Western Europe", "Netherlands (Kingdom of the)"),
    ],
)
def test_category_labels_and_names_are_translated_while_downloads_keep_the_source_labels(
    release: GlotipRelease, code: str, female: str, region: str, country: str
) -> None:
    client = Client()
    client.cookies["vinculo_language"] = code
    html = client.get(reverse("evidence:country", args=["NLD"])).content.decode()
    tables = page_tables(html)
    assert female in tables["victims_by_sex"][0]
    assert f">{region}</a>" in html
    assert f"<h1>{country}</h1>" in html
    download = client.get(reverse("evidence:download", args=["country", "NLD", "victims_by_sex", "csv"]))
    assert download.status_code == 200
    header = b"".join(getattr(download, "streaming_content", [download.content])).decode().splitlines()[0]
    assert "Female" in header and female not in header.replace("Female", "")


def test_every_state_that_appears_only_as_an_origin_has_a_page_and_a_row_in_the_list(
    release: GlotipRelease,
) -> None:
    client = Client()
    html = client.get(reverse("evidence:countries")).content.decode()
    origins = page_tables(html).get("origins")
    assert origins and len(origins) > 1
    codes = [row[1] for row in origins[1:]]
    for code in codes:
        assert reverse("evidence:country", args=[code]) in html
        page = client.get(reverse("evidence:country", args=[code]))
        assert page.status_code == 200, code
        text = page.content.decode()
        assert "does not report detections to UNODC" in text
        tables = page_tables(text)
        assert len(tables["main_destinations"]) > 1
        download = client.get(
            reverse("evidence:download", args=["country", code, "main_destinations", "csv"])
        )
        assert download.status_code == 200 and download.content.decode().count("\n") >= 2
    assert "main_destinations" not in page_tables(html)


def test_the_country_list_is_searchable_filterable_and_sortable_without_script(
    release: GlotipRelease,
) -> None:
    client = Client()
    url = reverse("evidence:countries")
    full = page_tables(client.get(url).content.decode())["countries"][1:]
    found = page_tables(client.get(url, {"q": "IVOIRE"}).content.decode())["countries"][1:]
    assert [row[1] for row in found] == ["CIV"]
    assert [
        row[1] for row in page_tables(client.get(url, {"q": "nld"}).content.decode())["countries"][1:]
    ] == ["NLD"]
    europe = page_tables(client.get(url, {"region": "Europe"}).content.decode())["countries"][1:]
    assert europe and {row[2] for row in europe} == {"Europe"} and len(europe) < len(full)
    by_victims = page_tables(client.get(url, {"sort": "victims"}).content.decode())["countries"][1:]
    counts = [
        int(row[5].lstrip("≥ ").split(" ")[0].replace(",", "")) for row in by_victims if row[5][:1].isdigit()
    ]
    assert counts == sorted(counts, reverse=True) and len(by_victims) == len(full)
    unknown = client.get(url, {"sort": "'; DROP", "region": "Atlantis"})
    assert unknown.status_code == 200
    assert len(page_tables(unknown.content.decode())["countries"]) - 1 == len(full)
    arabic = Client()
    arabic.cookies["vinculo_language"] = "ar"
    html = arabic.get(url).content.decode()
    name = next(row[0] for row in page_tables(html)["countries"][1:] if row[1] == "MAR")
    assert name != "Morocco"
    hits = page_tables(arabic.get(url, {"q": name}).content.decode())["countries"][1:]
    assert [row[1] for row in hits] == ["MAR"]
    english_hits = page_tables(arabic.get(url, {"q": "morocco"}).content.decode())["countries"][1:]
    assert [row[1] for row in english_hits] == ["MAR"]


def test_chart_labels_are_written_in_the_pages_language(release: GlotipRelease) -> None:
    import re

    def svg_numbers(language: str) -> list[str]:
        client = Client()
        client.cookies["vinculo_language"] = language
        html = client.get(reverse("evidence:world")).content.decode()
        svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
        return [t for s in svgs for t in re.findall(r"<text[^>]*>([\d][\d.,\u202f\xa0 ]*\d)</text>", s)]

    english, french = svg_numbers("en"), svg_numbers("fr")
    assert any("," in t for t in english)
    assert any("\u202f" in t for t in french) and not any(re.search(r"\d,\d{3}", t) for t in french)
