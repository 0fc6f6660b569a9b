"""The evidence API against the raw export and the CLI: profiles, indicators, figures, flows, downloads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from django.test import Client
from openpyxl import load_workbook

from vinculo.cli.glotip import glotip
from vinculo.web.evidence import services
from vinculo.web.evidence.actions import import_release
from vinculo.web.evidence.models import GlotipRelease

from .conftest import RawKey, figure_row, write_csv

VICTIMS = "Detected trafficking victims"


def _walk(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value, *(x for v in value.values() for x in _walk(v))]
    if isinstance(value, list):
        return [x for v in value for x in _walk(v)]
    return [value]


def test_the_country_profile_is_the_same_json_as_the_cli(release: GlotipRelease) -> None:
    body = Client().get("/api/evidence/countries/nld/profile").json()
    from .conftest import glotip_file

    cli = CliRunner().invoke(glotip, ["profile", "NLD", "--format", "json", "--file", str(glotip_file())])
    assert cli.exit_code == 0
    expected = json.loads(cli.output)
    assert body.pop("release") == release.version
    assert body == expected


def test_a_state_known_only_as_an_origin_has_a_profile_in_the_api_too(release: GlotipRelease) -> None:
    from vinculo.evidence import origin_countries

    loaded = services.loaded_release(release)
    only = sorted(origin_countries(loaded.dataset) - set(loaded.dataset.countries))
    assert only
    body = Client().get(f"/api/evidence/countries/{only[0].lower()}/profile").json()
    assert body["code"] == only[0] and body["reporting"] is False
    assert body["main_destinations"] and body["years"] == {}
    assert Client().get("/api/evidence/countries/zzz/profile").status_code == 404


def test_profile_values_match_the_raw_file_and_suppressed_cells_are_objects(
    release: GlotipRelease, raw: tuple[dict[RawKey, list[str]], Any]
) -> None:
    values, _areas = raw
    client = Client()
    for iso3, year in [("NLD", 2022), ("USA", 2021), ("NGA", 2020), ("PHL", 2019)]:
        body = client.get(f"/api/evidence/countries/{iso3}/profile").json()
        entry = body["years"][str(year)]
        texts = values[(iso3, VICTIMS, "Total", "Total", "Total", "Total", year)]
        expected: Any = {"suppressed": True} if texts == ["<5"] else int(texts[0].replace(",", ""))
        assert len(texts) == 1 and entry["victims_total"] == expected
        for sex, got in entry.get("victims_by_sex", {}).items():
            key = (iso3, VICTIMS, "Total", "Total", sex, "Total", year)
            if values.get(key) == ["<5"]:
                assert got == {"suppressed": True}
            elif key in values and len(values[key]) == 1:
                assert got == int(values[key][0].replace(",", ""))
    suppressed_somewhere = False
    for iso3 in ("NLD", "BEL", "MLI", "FJI"):
        body = client.get(f"/api/evidence/countries/{iso3}/profile").json()
        for node in _walk(body["years"]):
            if isinstance(node, dict) and node.get("suppressed") is True:
                suppressed_somewhere = True
                assert set(node) <= {"suppressed", "suppressed_cells"}
    assert suppressed_somewhere


def test_indicators_countries_and_area_profiles(
    release: GlotipRelease, raw: tuple[dict[RawKey, list[str]], Any]
) -> None:
    values, areas = raw
    client = Client()
    indicators = client.get("/api/evidence/indicators").json()
    pairs = {(i["indicator"], i["dimension"]) for i in indicators}
    assert pairs == {(k[1], k[2]) for k in values}
    countries = client.get("/api/evidence/countries").json()
    assert len(countries) == len(areas) == 199
    europe = client.get("/api/evidence/areas/region/profile", {"area": "Europe"}).json()
    members = [c for c, a in areas.items() if a[1] == "Europe"]
    year = 2021
    exact = 0
    n_sup = 0
    reporting = 0
    for code in members:
        texts = values.get((code, VICTIMS, "Total", "Total", "Total", "Total", year))
        if texts is None:
            continue
        reporting += 1
        for t in texts:
            if t == "<5":
                n_sup += 1
            else:
                exact += int(t.replace(",", ""))
    got = europe["years"][str(year)]
    assert got["countries_reporting"]["victims_total"] == reporting
    if n_sup:
        assert got["victims_total"]["low"] == exact and got["victims_total"]["high"] == exact + 4 * n_sup
    else:
        assert got["victims_total"] == exact
    world = client.get("/api/evidence/areas/world/profile").json()
    assert world["name"] == "World" and world["source"]["export_date"] == "2025-04-14"
    missing = client.get("/api/evidence/areas/region/profile", {"area": "Atlantis"})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    no_area = client.get("/api/evidence/areas/region/profile")
    assert no_area.status_code == 400 and no_area.json()["ok"] is False


def test_figures_filter_and_download_without_numbers_for_suppressed_cells(
    release: GlotipRelease, raw: tuple[dict[RawKey, list[str]], Any]
) -> None:
    values, _areas = raw
    client = Client()
    params = {"country": "NLD", "year_from": 2020, "year_to": 2021, "indicator": VICTIMS, "sex": "Male"}
    body = client.get("/api/evidence/figures", params).json()
    expected = {
        k for k in values if k[0] == "NLD" and k[1] == VICTIMS and k[4] == "Male" and 2020 <= k[6] <= 2021
    }
    assert {
        (f["iso3"], f["indicator"], f["dimension"], f["category"], f["sex"], f["age"], f["year"])
        for f in body["figures"]
    } == expected
    for f in body["figures"]:
        texts = values[
            (f["iso3"], f["indicator"], f["dimension"], f["category"], f["sex"], f["age"], f["year"])
        ]
        if texts == ["<5"]:
            assert f["value"] == {"suppressed": True} and f["low"] is None and f["high"] is None
    text = client.get("/api/evidence/figures", params | {"format": "csv"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(text.split("\n\n")[0])))
    assert len(rows) == len(expected)
    for row in rows:
        texts = values[
            (
                row["iso3"],
                row["indicator"],
                row["dimension"],
                row["category"],
                row["sex"],
                row["age"],
                int(row["year"]),
            )
        ]
        if texts == ["<5"]:
            assert row["value"] == "<5" and row["low"] == "" and row["high"] == ""
    book = load_workbook(
        io.BytesIO(client.get("/api/evidence/figures", params | {"format": "xlsx"}).content), read_only=True
    )
    sheet_rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(sheet_rows) == len(expected) + 1
    bad = client.get("/api/evidence/figures", {"country": "ZZZ"})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_request" and "country" in bad.json()["error"]


def test_flows_filter_by_country_region_and_years(release: GlotipRelease) -> None:
    client = Client()
    body = client.get("/api/evidence/flows", {"country": "NLD", "year_from": 2021, "year_to": 2022}).json()
    assert body["count"] > 0
    assert {f["destination"] for f in body["flows"]} == {"NLD"}
    assert {f["year"] for f in body["flows"]} <= {2021, 2022}
    assert any(f["flow_class"] == "domestic" for f in body["flows"])
    europe = client.get(
        "/api/evidence/flows", {"region": "Europe", "year_from": 2022, "year_to": 2022}
    ).json()
    assert all("Europe" in (f["origin_region"], f["destination_region"]) for f in europe["flows"])
    refused = client.get("/api/evidence/flows", {"sex": "Female"})
    assert refused.status_code == 400 and "sex" in refused.json()["error"]
    text = client.get("/api/evidence/flows", {"country": "NLD", "format": "csv"}).content.decode()
    assert text.startswith("year,origin,origin_name")


def test_downloads_neutralise_formula_injection(tmp_path: Path, release: GlotipRelease) -> None:
    rows = [
        figure_row(
            "NLD",
            "Netherlands",
            "Europe",
            "Western Europe",
            VICTIMS,
            2022,
            "3",
            dimension="by citizenship",
            category='=HYPERLINK("http://x")',
        ),
        figure_row("NLD", "Netherlands", "Europe", "Western Europe", VICTIMS, 2022, "12"),
    ]
    import_release(write_csv(tmp_path / "inject.csv", rows), None)
    client = Client()
    text = client.get("/api/evidence/figures", {"format": "csv"}).content.decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
    book = load_workbook(io.BytesIO(client.get("/api/evidence/figures", {"format": "xlsx"}).content))
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert GlotipRelease.objects.filter(source_name="inject.csv").exists()


def test_the_evidence_api_names_countries_with_the_un_names(release: GlotipRelease) -> None:
    import csv as csv_module
    from importlib import resources

    ref = resources.files("vinculo.evidence").joinpath("data", "areas.csv")
    with ref.open("r", encoding="utf-8") as fh:
        un = {row["iso3"]: row["name"] for row in csv_module.DictReader(fh)}
    client = Client()
    countries = {row["iso3"]: row["name"] for row in client.get("/api/evidence/countries").json()}
    for code in ("BOL", "GBR", "TUR", "NLD"):
        assert countries[code] == un[code], code
    assert all(name == un[code] for code, name in countries.items() if code in un)
    assert client.get("/api/evidence/countries/gbr/profile").json()["name"] == un["GBR"]
    figures = client.get("/api/evidence/figures", {"country": "BOL", "limit": 5}).json()["figures"]
    assert figures and {row["country"] for row in figures} == {un["BOL"]}
    flows = client.get("/api/evidence/flows", {"country": "GBR"}).json()["flows"]
    assert flows and {row["destination_name"] for row in flows} == {un["GBR"]}
    origins = [row for row in flows if row["origin"]]
    assert origins and all(row["origin_name"] == un[row["origin"]] for row in origins)
    table = client.get("/api/evidence/figures", {"country": "TUR", "limit": 5, "format": "csv"})
    body = b"".join(table.streaming_content) if table.streaming else table.content
    assert un["TUR"] in body.decode("utf-8-sig")
