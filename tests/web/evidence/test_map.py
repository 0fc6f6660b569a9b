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
