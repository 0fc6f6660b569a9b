"""The world map on the evidence pages: values from the country list, links, the table, the downloads."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from django.test import Client
from django.urls import reverse

from vinculo import charts
from vinculo.web.evidence.models import GlotipRelease

from .conftest import page_tables

SVG = "{http://www.w3.org/2000/svg}"


def _map(html: str) -> ET.Element:
    found = re.search(r'<svg [^>]*class="vinculo-map".*?</svg>', html, re.S)
    assert found, "no map on the page"
    return ET.fromstring(found.group(0))


def _by_code(root: ET.Element) -> dict[str, ET.Element]:
    return {e.get("data-iso3"): e for e in root.iter() if e.get("data-iso3")}


def test_world_map_colours_reporting_countries_and_links_them(release: GlotipRelease) -> None:
    client = Client()
    html = client.get(reverse("evidence:world")).content.decode()
    root = _map(html)
    shapes = _by_code(root)
    listing = page_tables(client.get(reverse("evidence:countries")).content.decode())["countries"]
    header, rows = listing[0], listing[1:]
    victims = {r[1]: r[header.index("Detected victims that year")] for r in rows}
    # each drawn reporting country is a link to its page, titled with its value from the country list
    for code in ("NLD", "BRA", "NGA", "THA"):
        node = shapes[code]
        assert node.tag == f"{SVG}a" and node.get("href") == reverse("evidence:country", args=[code])
        assert node.find(f"{SVG}title").text.endswith(": " + victims[code])
    # a country with a number is filled with a class colour; Antarctica is not drawn
    assert shapes["NLD"].find(f"{SVG}path").get("fill") in charts.MAP_PALETTE
    assert "ATA" not in shapes
    table = page_tables(html)["map"]
    assert table[0][-1] == "On the map"
    body = {r[1]: r for r in table[1:]}
    assert len(body) == len(rows)  # every reporting country has a row
    # small States that vanish at 1:110m are still in the table, and say so
    assert body["MLT"][-1] == "too small to draw at this scale" and "MLT" not in shapes
    assert body["NLD"][-1] == "yes"
    assert "Natural Earth" in html and "do not imply official endorsement" in html


def test_region_map_colours_only_the_region(release: GlotipRelease) -> None:
    html = Client().get(reverse("evidence:region", args=["Europe"])).content.decode()
    shapes = _by_code(_map(html))
    assert shapes["NLD"].tag == f"{SVG}a"
    assert "BRA" not in shapes  # outside the region: a light, unlinked, untitled outline
    others = [p for p in _map(html).iter(f"{SVG}path") if p.get("class") == "map-other"]
    assert others and all(p.get("fill") == charts.MAP_OTHER for p in others)
    codes = {r[1] for r in page_tables(html)["map"][1:]}
    assert "NLD" in codes and "BRA" not in codes
    assert "Outside Europe" in html


def test_country_list_has_the_map_and_its_region_filter_applies(release: GlotipRelease) -> None:
    client = Client()
    html = client.get(reverse("evidence:countries")).content.decode()
    assert "BRA" in _by_code(_map(html))
    html = client.get(reverse("evidence:countries"), {"region": "Africa"}).content.decode()
    shapes = _by_code(_map(html))
    assert "NGA" in shapes and "BRA" not in shapes


def test_map_in_arabic_has_arabic_names_and_rtl_captions(release: GlotipRelease) -> None:
    html = Client(headers={"accept-language": "ar"}).get(reverse("evidence:world")).content.decode()
    egypt = _by_code(_map(html))["EGY"]
    assert egypt.find(f"{SVG}title").text.startswith("مصر")
    assert egypt.find(f"{SVG}g/{SVG}text").get("direction") == "rtl"


def test_map_downloads_hold_every_row(release: GlotipRelease) -> None:
    client = Client()
    csv_text = client.get(reverse("evidence:map_download", args=["world", "World", "csv"])).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Country,Code,Latest year with detected victims")
    assert len(lines) - 1 == 199
    payload: dict[str, Any] = json.loads(
        client.get(reverse("evidence:map_download", args=["region", "Europe", "json"])).content
    )
    assert payload["level"] == "region" and all(r["Code"] for r in payload["rows"])
    assert client.get(reverse("evidence:map_download", args=["region", "Atlantis", "csv"])).status_code == 404
    assert client.get(reverse("evidence:map_download", args=["country", "NLD", "csv"])).status_code == 404
    assert client.get(reverse("evidence:map_download", args=["world", "World", "pdf"])).status_code == 404


def _raw_totals(raw: Any, indicator: str) -> dict[str, dict[int, list[str]]]:
    """iso3 -> year -> txtVALUE texts of the country totals of ``indicator``, from the raw file."""
    values, _areas = raw
    out: dict[str, dict[int, list[str]]] = {}
    for (iso3, ind, dim, cat, sex, age, year), texts in values.items():
        if ind == indicator and (dim, cat, sex, age) == ("Total", "Total", "Total", "Total"):
            out.setdefault(iso3, {})[year] = texts
    return out


def _form(html: str) -> str:
    found = re.search(r'<form [^>]*class="filters map-form".*?</form>', html, re.S)
    assert found, "no map form on the page"
    return found.group(0)


def _options(form: str, name: str) -> list[str]:
    select = re.search(rf'<select [^>]*name="{name}".*?</select>', form, re.S)
    assert select
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def test_map_form_offers_the_indicators_and_years_with_figures(release: GlotipRelease, raw: Any) -> None:
    html = Client().get(reverse("evidence:world")).content.decode()
    form = _form(html)
    assert 'method="get"' in form
    indicators = _options(form, "map_indicator")
    assert indicators[0] == "Detected trafficking victims"
    assert set(indicators) == {
        "Detected trafficking victims",
        "Persons convicted",
        "Persons prosecuted",
        "Persons brought into formal contact",
        "Offences of trafficking in persons",
    }
    years = _options(form, "map_year")
    expected = sorted(
        {y for by_year in _raw_totals(raw, "Detected trafficking victims").values() for y in by_year}
    )
    assert years == ["latest", *map(str, expected)]


def test_choosing_an_indicator_and_a_year_redraws_the_map_and_its_table(
    release: GlotipRelease, raw: Any
) -> None:
    convicted = _raw_totals(raw, "Persons convicted")
    year = max(
        {y for by_year in convicted.values() for y in by_year}
        - {max(y for b in convicted.values() for y in b)}
    )
    client = Client()
    params = {"map_indicator": "Persons convicted", "map_year": str(year)}
    response = client.get(reverse("evidence:world"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Persons convicted in {year}" in html
    table = page_tables(html)["map"]
    header, body = table[0], {r[1]: r for r in table[1:]}
    assert header[2:4] == ["Year", "Persons convicted"]
    with_figure = {iso3 for iso3, by_year in convicted.items() if year in by_year}
    shown = {code for code, r in body.items() if r[2] != "–"}
    assert shown == with_figure & set(body)
    assert all(body[c][2] == str(year) for c in shown)
    # the map's titles follow the same choice, and the form shows it selected
    shapes = _by_code(_map(html))
    exact = [c for c in sorted(shown) if c in shapes and body[c][3].replace(",", "").isdigit()]
    assert exact
    for code in exact[:5]:
        assert shapes[code].find(f"{SVG}title").text.endswith(": " + body[code][3])
        texts = convicted[code][year]
        assert int(body[code][3].replace(",", "")) == sum(int(t) for t in texts)
    form = _form(html)
    assert (
        '<option value="Persons convicted" selected>' in form and f'<option value="{year}" selected>' in form
    )
    # the downloads hold the same choice
    csv_text = client.get(
        reverse("evidence:map_download", args=["world", "World", "csv"]), params
    ).content.decode()
    assert csv_text.splitlines()[0].startswith("Country,Code,Year,Persons convicted")
    assert "map_indicator=Persons+convicted" in html and f"map_year={year}" in html


def test_bad_map_choices_fall_back_with_a_note_never_an_error(release: GlotipRelease) -> None:
    client = Client()
    for params in (
        {"map_indicator": "Bogus<script>"},
        {"map_year": "1850"},
        {"map_year": "twenty"},
        {"map_indicator": "x" * 5000, "map_year": "-1"},
    ):
        for url in (
            reverse("evidence:world"),
            reverse("evidence:countries"),
            reverse("evidence:region", args=["Europe"]),
        ):
            response = client.get(url, params)
            assert response.status_code == 400, (url, params)
            html = response.content.decode()
            assert "could not be used" in html and "Choose one of" in html
            assert "<script>" not in html.split("<main", 1)[-1].split("</main>")[0]
            # the map is still drawn, with the default choice
            assert (
                "in each country&#x27;s latest year with figures" in html
                or "latest year with figures" in html
            )
            assert _by_code(_map(html))
    ok = client.get(reverse("evidence:world"), {"map_year": "latest"})
    assert ok.status_code == 200


def test_the_map_form_keeps_the_pages_other_choices(release: GlotipRelease) -> None:
    client = Client()
    html = client.get(reverse("evidence:countries"), {"region": "Africa", "q": "ni"}).content.decode()
    form = _form(html)
    assert '<input type="hidden" name="region" value="Africa">' in form
    assert '<input type="hidden" name="q" value="ni">' in form
    html = client.get(
        reverse("evidence:world"), {"indicator": "Persons prosecuted", "map_indicator": "Persons convicted"}
    ).content.decode()
    assert '<input type="hidden" name="indicator" value="Persons prosecuted">' in _form(html)
    explore = re.search(r"<form [^>]*explore-form.*?</form>", html, re.S)
    assert (
        explore and '<input type="hidden" name="map_indicator" value="Persons convicted">' in explore.group(0)
    )
