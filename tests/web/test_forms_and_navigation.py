"""Shared form and page pieces (issue 11, item 5): the phone menu, the error summary, the searchable
list of checkboxes for long multiple choices, and the programme facets as disclosures."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from vinculo.web.accounts.models import Organisation
from vinculo.web.estimates.forms import EstimateForm
from vinculo.web.estimates.models import Estimate

from .conftest import World
from .test_estimates import upload


def test_the_header_offers_the_navigation_in_the_row_and_behind_a_menu_button(world: World) -> None:
    page = world.client_for("owner_manager").get(reverse("estimates:list")).content.decode()
    wide, phone = page.split('<details class="phone-menu">')
    assert '<div class="wide-menu">' in wide
    assert '<summary class="menu-button">Menu</summary>' in phone
    # The same links in both, with one current page each; ids stay unique.
    for part in (wide, phone.split("</header>")[0]):
        assert part.count('aria-current="true"') == 1 and 'href="/estimates/"' in part
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'for="language-select-phone"' in page and 'id="language-select-phone"' in page


def test_a_failed_submit_starts_the_form_with_a_summary_linking_to_each_field(world: World) -> None:
    response = world.client_for("owner_manager").post(
        reverse("estimates:create"), {"title": "", "method": "bogus", "level": "2"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index('<div class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "data-error-summary" in summary
    form = page[page.index("<form") :]
    assert form.index("error-summary") < form.index('class="field')  # first in the form
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    targets = [t for t, _text in links]
    assert "id_title" in targets and "id_method" in targets and "id_level" in targets
    for target in targets:
        assert f'id="{target}"' in page
    assert any(text.startswith("Title: ") for _t, text in links)
    # The advanced settings holding an error are open.
    assert '<details class="advanced" open>' in page


def test_a_list_of_choices_links_to_its_first_box_and_is_a_fieldset(world: World) -> None:
    form = EstimateForm(data={"shared_with": ["999999"]})
    form.is_valid()
    with translation.override("en"):  # outside a request: the language is whatever another test left
        html = render_to_string("core/_form.html", {"form": form})
    assert '<a href="#id_shared_with_0">' in html
    fieldset = html[html.index('<fieldset class="field field-invalid"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert "<legend>Share with these organisations</legend>" in fieldset
    assert 'aria-describedby="id_shared_with_error"' in fieldset


def test_share_with_is_a_list_of_checkboxes_that_the_script_can_filter(world: World) -> None:
    for i in range(30):
        Organisation.objects.create(name=f"Organisation {i:02d}", kind=world.owner.kind)
    page = world.client_for("owner_manager").get(reverse("estimates:create")).content.decode()
    box = page[page.index("data-pick-list") :]
    box = box[: box.index("</fieldset>")]
    assert "<select" not in box
    assert (
        box.count('type="checkbox" name="shared_with"') == Organisation.objects.filter(is_active=True).count()
    )
    assert 'data-filter-label="Filter the list"' in box and "{n}" in box and "{shown}" in box
    assert "vinculo/pick-list.js" in page and "vinculo/error-summary.js" in page


def test_sharing_through_the_checkboxes_is_stored(world: World) -> None:
    response = upload(world, shared_with=[str(world.partner.pk), str(world.other.pk)])
    assert response.status_code == 302
    assert set(Estimate.objects.get().shared_with.all()) == {world.partner, world.other}
