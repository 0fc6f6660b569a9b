"""Evidence pages against the raw export: values, suppression, rates, charts, downloads, languages."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from vinculo.population import load_population
from vinculo.web.evidence.models import GlotipRelease

from .conftest import RawKey, expected_text, page_tables

VICTIMS = "Detected trafficking victims"
CASES = [("NLD", 2022), ("NLD", 2019), ("USA", 2021), ("NGA", 2020), ("THA", 2018), ("ARG", 2022)]


def _page(client: Client, name: str, *args: str) -> str:
    response = client.get(reverse(f"evidence:{name}", args=args))
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def _row(table: list[list[str]], first: str) -> list[str]:
    for row in table:
        if row and row[0] == first:
            return row
    raise AssertionError(f"no row {first!r} in {table[:3]}")


def test_country_profile_tables_match_the_raw_file(
    release: GlotipRelease, raw: tuple[dict[RawKey, list[str]], Any]
) -> None:
    values, _areas = raw
    client = Client()
    for iso3, year in CASES:
        tables = page_tables(_page(client, "country", iso3))
        trend = _row(tables["trend"], str(year))
        assert trend[1] == expected_text(values[(iso3, VICTIMS, "Total", "Total", "Total", "Total", year)])
        checks = [
            ("victims_by_sex", (iso3, VICTIMS, "Total", "Total", sex, "Total", year), sex)
            for sex in ("Female", "Male", "Unknown")
        ]
        checks += [
            ("victims_by_age", (iso3, VICTIMS, "Total", "Total", "Total", age, year), age)
            for age in ("0 to 17 years", "18 years or over")
        ]
        checks += [
            (
                "victims_by_form",
                (iso3, VICTIMS, "by form of exploitation", form, "Total", "Total", year),
                form,
            )
            for form in ("Sexual exploitation", "Forced labour")
        ]
        checks += [
            ("justice", (iso3, indicator, "Total", "Total", "Total", "Total", year), indicator)
            for indicator in ("Persons prosecuted", "Persons convicted")
        ]
        compared = 0
        for table_key, key, column in checks:
            if key not in values:
                continue
            table = tables[table_key]
            cell = _row(table, str(year))[table[0].index(column)]
            assert cell == expected_text(values[key]), (iso3, year, column)
            compared += 1
        assert compared >= 3, (iso3, year)


def test_rates_are_count_times_100000_over_the_population_shown(release: GlotipRelease) -> None:
    population = load_population()
    tables = page_tables(_page(Client(), "country", "NLD"))
    rates = tables["rates"]
    header = rates[0]
    checked = 0
    for row in rates[1:]:
        year = int(row[0])
        count_text = row[1]
        rate_text = row[2]
        pop = population.get("NLD", year)
        assert pop is not None
        assert row[header.index("Population used")] == f"{pop:,.0f}"
        if re.fullmatch(r"[\d,]+", count_text):
            assert float(rate_text) == pytest.approx(
                int(count_text.replace(",", "")) * 100000 / pop, abs=0.006
            )
            checked += 1
        elif count_text == "<5":
            assert rate_text == "suppressed"
    assert checked >= 5


def test_no_suppressed_cell_is_shown_as_a_number_and_the_page_says_what_is_suppressed(
    release: GlotipRelease, raw: tuple[dict[RawKey, list[str]], Any]
) -> None:
    values, _areas = raw
    iso3 = "NLD"
    html = _page(Client(), "country", iso3)
    tables = page_tables(html)
    suppressed_keys = [k for k, v in values.items() if k[0] == iso3 and v == ["<5"]]
    assert suppressed_keys
    by_sex = tables["victims_by_sex"]
    header = by_sex[0]
    seen = 0
    for key in suppressed_keys:
        if key[1:4] == (VICTIMS, "Total", "Total") and key[5] == "Total" and key[4] != "Total":
            assert _row(by_sex, str(key[6]))[header.index(key[4])] == "<5"
            seen += 1
    assert seen
    assert "What is suppressed" in html and "suppressed" in tables
    assert "UNODC, Global Report on Trafficking in Persons data" in html and "2025-04-14" in html
    assert html.count("<svg") >= 5


def test_every_chart_has_a_table_and_three_downloads_that_agree(release: GlotipRelease) -> None:
    client = Client()
    html = _page(client, "country", "NLD")
    tables = page_tables(html)
    for key in ("trend", "victims_by_sex", "victims_by_form", "rates"):
        csv_text = client.get(
            reverse("evidence:download", args=["country", "NLD", key, "csv"])
        ).content.decode()
        rows = list(csv.reader(io.StringIO(csv_text)))
        assert rows[0] == tables[key][0]
        # Only the table: no blank line, no citation row, every row as wide as the header (pandas reads it).
        data = rows[1:]
        assert len(data) == len(tables[key]) - 1
        assert all(len(row) == len(rows[0]) for row in data)
        assert not csv_text.endswith("\n\n") and "Source:" not in csv_text
        body = client.get(reverse("evidence:download", args=["country", "NLD", key, "json"])).json()
        assert body["columns"] == tables[key][0] and len(body["rows"]) == len(data)
        assert body["source"].startswith("UNODC, Global Report on Trafficking in Persons data")
        response = client.get(reverse("evidence:download", args=["country", "NLD", key, "xlsx"]))
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        sheet = workbook.worksheets[0]
        assert [c for c in next(sheet.iter_rows(values_only=True))] == tables[key][0]
        citation = next(workbook["source"].iter_rows(values_only=True))[0]
        assert str(citation).startswith("Source: UNODC, Global Report on Trafficking in Persons data")
    trend = json.loads(
        client.get(reverse("evidence:download", args=["country", "NLD", "victims_by_sex", "json"])).content
    )
    for row in trend["rows"]:
        for value in row.values():
            if isinstance(value, dict):
                assert value.get("suppressed") is True or "lower_bound" in value
