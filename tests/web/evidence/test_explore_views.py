"""The interactive views of the evidence pages, driven by query parameters only (no script)."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from vinculo.evidence import ExploreSelection, explore_options, origin_countries, selected_series
from vinculo.web.evidence.models import GlotipRelease
from vinculo.web.evidence.services import loaded_release

from .conftest import RawKey, expected_text, page_tables

VICTIMS = "Detected trafficking victims"
FORMS = "by form of exploitation"


def _get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:400]
    return response.content.decode()


def _country(query: dict[str, str], iso3: str = "NLD") -> str:
    return reverse("evidence:country", args=[iso3]) + ("?" + urlencode(query) if query else "")


def test_the_default_selection_is_the_trend_of_detected_victims(release: GlotipRelease) -> None:
    tables = page_tables(_get(Client(), _country({})))
    assert tables["explore"][0] == ["Year", VICTIMS]
    assert [r[:2] for r in tables["explore"][1:]] == [r[:2] for r in tables["trend"][1:]]


def test_a_selection_from_the_address_matches_the_raw_file(
    release: GlotipRelease, raw: tuple[dict[RawKey, list[str]], Any]
) -> None:
    values, _areas = raw
    query = {
        "indicator": VICTIMS,
        "from": "2015",
        "to": "2020",
        "sex": "Female",
        "age": "18 years or over",
        "form": "Sexual exploitation",
    }
    client = Client()
    html = _get(client, _country(query))
    table = page_tables(html)["explore"]
    assert table[0] == ["Year", f"{VICTIMS}, Sexual exploitation, Female, 18 years or over"]
    expected = {
        str(k[6]): expected_text(v)
        for k, v in values.items()
        if k[:6] == ("NLD", VICTIMS, FORMS, "Sexual exploitation", "Female", "18 years or over")
        and 2015 <= k[6] <= 2020
    }
    assert expected
    assert {r[0]: r[1] for r in table[1:]} == expected
    # every choice is shown selected, and the downloads hold the same rows
    assert '<option value="Female" selected>' in html and '<option value="2015" selected>' in html
    csv_url = reverse("evidence:explore_download", args=["country", "NLD", "csv"]) + "?" + urlencode(query)
    assert csv_url.replace("&", "&amp;") in html
    rows = list(csv.reader(io.StringIO(_get(client, csv_url))))
    assert rows[0] == table[0] and len(rows) == len(table)
    assert client.get(csv_url.replace(".csv", ".xlsx")).status_code == 200


def test_only_values_reported_for_the_area_are_offered(release: GlotipRelease) -> None:
    loaded = loaded_release(release)
    html = _get(Client(), reverse("evidence:region", args=["Europe"]) + "?indicator=Persons+convicted")
    options = explore_options(loaded.dataset, "region", "Europe", "Persons convicted")
    form = html[html.index('id="ex-form"') : html.index("</select>", html.index('id="ex-form"'))]
    assert form.count("<option") == len(options.forms)
    ages = html[html.index('id="ex-age"') : html.index("</select>", html.index('id="ex-age"'))]
    assert ages.count("<option") == len(options.ages)
    assert "Offences of trafficking in persons" in html  # another indicator of the region


def test_wrong_parameters_get_a_clear_message_and_the_rest_is_kept(release: GlotipRelease) -> None:
    html = _get(Client(), _country({"sex": "Robot", "from": "abc", "to": "2019"}), status=400)
    assert "“Robot” is not a sex reported for Netherlands" in html
    assert "Choose one of: Total, Female, Male" in html
    assert "“abc” is not a first year reported for Netherlands" in html
    # The one error summary of the platform (core/_error_summary.html), under the section's <h2>.
    summary = html[html.index("data-error-summary") :].split("</div>")[0]
    assert (
        '<h3 class="error-summary-title">' in summary
        and "Robot" in summary
        and 'class="form-errors"' not in html
    )
    table = page_tables(html)["explore"]
    assert table[0] == ["Year", VICTIMS] and all(int(r[0]) <= 2019 for r in table[1:])
    swapped = _get(Client(), _country({"from": "2020", "to": "2016"}), status=400)
    assert "is before the first year" in swapped
    years = [int(r[0]) for r in page_tables(swapped)["explore"][1:]]
    assert years and min(years) >= 2016 and max(years) <= 2020
    bad = reverse("evidence:explore_download", args=["country", "NLD", "csv"]) + "?sex=Robot"
    response = Client().get(bad)
    assert response.status_code == 400 and "Robot" in response.content.decode()


def test_an_empty_selection_says_so(release: GlotipRelease) -> None:
    loaded = loaded_release(release)
    options = explore_options(loaded.dataset, "country", "NLD", VICTIMS)
    empty = next(
        (
            (sex, age, form)
            for sex in options.sexes
            for age in options.ages
            for form in options.forms
            if not selected_series(
                loaded.dataset, "country", "NLD", ExploreSelection(VICTIMS, sex=sex, age=age, form=form)
            )
        ),
        None,
    )
    if empty is None:
        pytest.skip("every combination has figures")
    html = _get(Client(), _country({"sex": empty[0], "age": empty[1], "form": empty[2]}))
    assert "No figures for this selection" in html
    assert "explore" not in page_tables(html)


def test_a_country_is_compared_with_its_region(release: GlotipRelease) -> None:
    client = Client()
    tables = page_tables(_get(client, _country({}, "NGA")))
    header = tables["compare"][0]
    assert header[1] == "Nigeria" and "Africa" in header
    per_100k = [h for h in header if "per 100,000" in h]
    if per_100k:
        assert per_100k == ["Nigeria per 100,000", "Africa per 100,000"]
    counts = _get(client, _country({"sex": "Female"}, "NGA"))
    assert "per 100,000" not in "".join(page_tables(counts)["compare"][0])
    assert "the population figures are for whole populations, so the comparison is in counts" in counts
    csv_text = _get(client, reverse("evidence:compare_download", args=["NGA", "csv"]) + "?sex=Female")
    assert next(csv.reader(io.StringIO(csv_text))) == page_tables(counts)["compare"][0]


def test_the_flows_page_draws_the_chosen_origin(release: GlotipRelease) -> None:
    client = Client()
    html = _get(client, reverse("evidence:flows") + "?origin=nga&year=2020")
    table = page_tables(html)["sankey"]
    assert table[0][:3] == ["Origin", "Origin name", "Country of detection"]
    assert len(table) > 1 and all(r[0] == "NGA" for r in table[1:])
    assert '<option value="NGA" selected>' in html
    assert html.count('class="sankey-link"') >= min(len(table) - 1, 1)
    assert "Nigeria → " in html and "(2020)</title>" in html
    csv_text = _get(client, reverse("evidence:sankey_download", args=["csv"]) + "?origin=NGA&year=2020")
    assert len(list(csv.reader(io.StringIO(csv_text)))) == len(table)


def test_the_flows_page_names_a_wrong_country_or_year(release: GlotipRelease) -> None:
    html = _get(Client(), reverse("evidence:flows") + "?destination=XXQ&year=1850", status=400)
    assert "“XXQ” is not a country of detection in this release" in html
    assert "“1850” is not a year of this release" in html
    assert page_tables(html)["sankey"][0][0] == "Origin"


def test_a_country_profile_shows_flows_into_and_out_of_it(release: GlotipRelease) -> None:
    tables = page_tables(_get(Client(), _country({}, "NLD")))
    assert all(r[2] == "NLD" for r in tables["flows_into"][1:]) and len(tables["flows_into"]) > 1
    assert all(r[0] == "NLD" for r in tables["flows_out_of"][1:])


def test_an_origin_only_state_has_no_explorer_but_its_flows(release: GlotipRelease) -> None:
    loaded = loaded_release(release)
    code = sorted(origin_countries(loaded.dataset) - set(loaded.dataset.countries))[0]
    tables = page_tables(_get(Client(), _country({}, code)))
    assert "explore" not in tables and "flows_out_of" in tables
