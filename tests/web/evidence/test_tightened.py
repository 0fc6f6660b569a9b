"""Profile pages show the narrower range that published totals imply for a "<5" cell (issue 11, item 1)."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from vinculo.web.evidence import services
from vinculo.web.evidence.models import GlotipRelease

from .conftest import page_tables


def _first_tightened(release: GlotipRelease) -> tuple[str, str, int, str, Any]:
    """A country, section, year and part with a tightened value, found from the stored release."""
    loaded = services.loaded_release(release)
    for iso3 in sorted(loaded.dataset.countries):
        profile = loaded.country_profile(iso3)
        for key, by_year in sorted(profile.tightened.items()):
            for year, parts in sorted(by_year.items()):
                for part, t in sorted(parts.items()):
                    return iso3, key, year, part, t
    raise AssertionError("no tightened value in the export")


def test_the_profile_shows_the_derived_range_its_reason_and_the_csv_columns(release: GlotipRelease) -> None:
    iso3, key, year, part, t = _first_tightened(release)
    client = Client()
    html = client.get(reverse("evidence:country", args=[iso3])).content.decode()
    table = page_tables(html)[key]
    header = table[0]
    row = next(r for r in table if r[0] == str(year))
    cell = row[header.index(part)]
    assert cell.startswith("<5") or cell.startswith("≥")
    expected = f"exactly {t.low}" if t.is_exact else f"{t.low} to {t.high}"
    assert f"(derived: {expected})" in cell and "[1]" in cell
    # The reason is visible text under the table, with the published total and its parts.
    assert f'id="note-{key}-1"' in html
    total_label, total_count = t.equations[0][0]
    assert f"{total_label} {total_count.render()} = " in html
    assert "because the published total and its parts must add up" in html
    listed = [r for r in page_tables(html)["suppressed"] if r[1:3] == [str(year), part] and r[0] == key]
    assert len(listed) == 1 and f"(derived: {expected})" in listed[0][3]

    response = client.get(reverse("evidence:download", args=["country", iso3, key, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    columns = rows[0]
    assert [f"{part}: low", f"{part}: high", f"{part}: derived_from"] == columns[
        columns.index(part) + 1 : columns.index(part) + 4
    ]
    data = next(r for r in rows[1:] if r[0] == str(year))
    # The published cell stays as published; the range is in its own columns.
    assert data[columns.index(part)] == t.count.render()
    assert data[columns.index(f"{part}: low")] == str(t.low)
    assert data[columns.index(f"{part}: high")] == str(t.high)
    assert data[columns.index(f"{part}: derived_from")] == t.explain()
    assert all(len(r) == len(columns) for r in rows)

    body = client.get(reverse("evidence:download", args=["country", iso3, key, "json"])).json()
    assert body["columns"] == columns
    got = next(r for r in body["rows"] if r[columns[0]] == year)
    assert (got[f"{part}: low"], got[f"{part}: high"]) == (t.low, t.high)


def test_the_explorer_shows_the_derived_range_of_the_selected_cell(release: GlotipRelease) -> None:
    loaded = services.loaded_release(release)
    found = None
    for iso3 in sorted(loaded.dataset.countries):
        by_year = loaded.country_profile(iso3).tightened.get("victims_by_sex_age", {})
        for year, parts in sorted(by_year.items()):
            for part, t in sorted(parts.items()):
                found = found or (iso3, year, part, t)
    assert found is not None
    iso3, year, part, t = found
    sex, age = part.split(", ")
    query = {"indicator": "Detected trafficking victims", "sex": sex, "age": age}
    client = Client()
    html = client.get(reverse("evidence:country", args=[iso3]) + "?" + urlencode(query)).content.decode()
    row = next(r for r in page_tables(html)["explore"] if r[0] == str(year))
    assert "(derived: " in row[1] and 'id="note-explore-' in html
    url = reverse("evidence:explore_download", args=["country", iso3, "csv"]) + "?" + urlencode(query)
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    assert rows[0][2:] == [f"{rows[0][1]}: low", f"{rows[0][1]}: high", f"{rows[0][1]}: derived_from"]
    data = next(r for r in rows[1:] if r[0] == str(year))
    assert data[1] == t.count.render() and data[2:4] == [str(t.low), str(t.high)]
