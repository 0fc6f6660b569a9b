"""Every form's failed submit starts with the one error summary (issue 11, item 5).

Every page route of the route table is sent an empty form by a few roles (and a few forms a bad file
or bad answers); whenever a page comes back instead of a redirect, a denial or an
error page, it is a form shown again with its errors, and it must start with the summary of
``core/_error_summary.html``: a heading, one line per error, each field's error a link to an id that
exists on the page, and no older, linkless error box beside it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from . import route_table
from .conftest import World
from .reports import conftest as reports_conftest
from .route_table import MissingParameters, RouteWorld, page_routes, urls_for
from .test_route_matrix import body_text

report_world = reports_conftest.report_world
route_world = route_table.route_world

#: Who submits: visitors (sign-in, password reset), an administrator, a data manager and an analyst
#: and an analyst of an organisation acting for a State (yearly figures) cover every form's author.
SUBMITTERS = ("anonymous", "admin", "owner_manager", "owner_author", "partner_analyst")

#: What a browser sends for a form left empty: its CSRF token only (the test client does not check it),
#: so that views reading ``request.POST or None`` see a submitted form.
EMPTY = {"csrfmiddlewaretoken": "empty-form"}

#: Forms a test of this module must reach with errors (namespace:name): the walk would otherwise
#: pass by finding nothing.
EXPECTED = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:organisation_create",
    "appraisal:point_edit",
    "cases:submit",
    "estimates:create",
    "events:create",
    "evidence:submission_create",
    "exchange:create",
    "linkage:create",
    "linkage:invite",
    "network:create",
    "programmes:create",
    "programmes:document_upload",
    "treaties:edit",
    "trustfund:grant_create",
}


class _Ids(HTMLParser):
    """The ids of a page, the summaries' links, and whether a summary is the first thing in its form."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.summaries = 0
        self.links: list[str] = []
        self._in_summary = 0
        self._depth = 0
        self.first_in_form: list[bool] = []
        self._form_open = False
        self._form_had_content = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "form":
            self._form_open, self._form_had_content = True, False
        elif self._form_open and not self._in_summary and "data-error-summary" not in a:
            visible = not (tag == "input" and a.get("type") == "hidden")
            self._form_had_content = self._form_had_content or visible
        if "data-error-summary" in a:
            self.summaries += 1
            self._in_summary, self._depth = 1, 0
            if self._form_open:
                self.first_in_form.append(not self._form_had_content)
        elif self._in_summary:
            if tag not in ("br", "img", "input"):
                self._depth += 1
            if tag == "a":
                self.links.append(str(a.get("href") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form_open = False
        if self._in_summary:
            if self._depth == 0:
                self._in_summary = 0
            else:
                self._depth -= 1


def check_summary(page: str) -> list[str]:
    """What is wrong with the error summary of ``page`` (nothing when it is right)."""
    parsed = _Ids()
    parsed.feed(page)
    problems = []
    if parsed.summaries != 1:
        problems.append(f"{parsed.summaries} error summaries")
    if 'class="form-errors"' in page:
        problems.append("an error box without links beside the summary")
    summary = page[page.find("data-error-summary") :]
    if not re.search(r'<h[2-6] class="error-summary-title">', summary[:400]):
        problems.append("no heading at the top of the summary")
    if "<li>" not in summary.split("</ul>")[0]:
        problems.append("an empty summary")
    if parsed.first_in_form and not all(parsed.first_in_form):
        problems.append("the summary is not the first thing in its form")
    for href in parsed.links:
        if not href.startswith("#") or href[1:] not in parsed.ids:
            problems.append(f"the link {href!r} points at no id of the page")
    field_errors = re.findall(r'<p class="field-error" id="([^"]+)_error"', page)
    anchors = {h[1:] for h in parsed.links}
    for auto_id in field_errors:
        if not any(a == auto_id or a.startswith(f"{auto_id}_") for a in anchors):
            problems.append(f"the error of {auto_id} has no link in the summary")
    return problems


def _is_form_shown_again(status: int, content_type: str, text: str) -> bool:
    return (
        status in (200, 400, 409, 422)
        and content_type.startswith("text/html")
        and "<form" in text
        and ('class="field-error"' in text or "data-error-summary" in text or 'class="form-errors"' in text)
    )


def test_every_form_submitted_empty_starts_with_a_summary_linking_to_its_fields(
    route_world: RouteWorld,
) -> None:
    problems: list[str] = []
    reached: set[str] = set()
    for who in SUBMITTERS:
        client = route_world.rw.world.client_for(who)
        for route in page_routes():
            if "sign-out" in route.pattern or route.key.startswith(("set_language", "api-1")):
                continue
            try:
                urls = urls_for(route, route_world)
            except MissingParameters:
                continue  # test_route_matrix names it
            for url in urls:
                response = client.post(url, EMPTY)
                text = body_text(response)
                if not _is_form_shown_again(response.status_code, response.get("Content-Type", ""), text):
                    continue
                reached.add(route.key)
                problems += [f"{who} POST {url} ({response.status_code}): {p}" for p in check_summary(text)]
    assert EXPECTED <= reached, sorted(EXPECTED - reached)
    assert not problems, "\n".join(problems)


def test_a_file_the_case_import_cannot_read_is_summarised_in_the_form(route_world: RouteWorld) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = route_world.rw.world.client_for("owner_manager")
    bad = SimpleUploadedFile("cases.csv", b"\x00\x01 not a table", content_type="text/csv")
    response = client.post(reverse("cases:submit"), {"file": bad, "sensitivity": "restricted"})
    page = body_text(response)
    assert response.status_code == 400
    assert check_summary(page) == []
    summary = page[page.index("data-error-summary") :].split("</div>")[0]
    assert "The file cannot be used:" in summary and "Nothing was stored." in summary


def test_the_appraisal_questionnaire_links_an_answer_problem_to_its_field(route_world: RouteWorld) -> None:
    q = route_world.questionnaire_draft
    answer = q.answers.select_related("action_point").first()
    assert answer is not None
    code = answer.action_point.code
    who = next(
        name
        for name, user in route_world.rw.world.users.items()
        if user is not None and user.organisation_id == q.organisation_id and name != "admin"
    )
    client: Client = route_world.rw.world.client_for(who)
    response = client.post(
        reverse("appraisal:questionnaire", args=[q.pk]),
        {"version": q.version, f"status-{code}": "bogus", f"links-{code}": "not a link"},
    )
    page = body_text(response)
    assert response.status_code == 400, page[:300]
    assert check_summary(page) == []
    assert f'<a href="#status-{code}">' in page


@pytest.mark.parametrize(
    "sources",
    [["One problem.", "Another."], []],
)
def test_the_summary_is_absent_without_errors_and_lists_texts_without_links(sources: list[str]) -> None:
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("en"):
        html = Template("{% load form_tags %}{% error_summary problems %}").render(
            Context({"problems": sources})
        )
    if not sources:
        assert html.strip() == ""
    else:
        assert "data-error-summary" in html and "<a " not in html
        assert "<li>One problem.</li>" in html and "<li>Another.</li>" in html
        assert "Please correct" not in html  # no field is marked


def test_the_column_mapping_summary_links_to_the_columns_in_error(world: World) -> None:
    from vinculo.web.cases.models import Submission

    from .cases.test_guided_import import OWN, client_of, upload

    assert upload(world, OWN).status_code == 302
    url = reverse("cases:mapping", args=[Submission.objects.get().pk])
    response = client_of(world).post(url, {"col_1": "prs_Gender", "col_2": "prs_Gender", "col_3": "no_such"})
    page = body_text(response)
    assert response.status_code == 400
    assert check_summary(page) == []
    summary = page[page.index("data-error-summary") :].split("</div>")[0]
    assert '<a href="#id_col_3">' in summary and "Referred on: " in summary


def test_case_filters_not_understood_are_summarised_with_links_to_their_boxes(world: World) -> None:
    response = world.client_for("owner_manager").get(reverse("cases:list"), {"year": "abc", "country": "ZZ"})
    page = body_text(response)
    assert check_summary(page) == []
    summary = page[page.index("data-error-summary") :].split("</div>")[0]
    assert '<a href="#f-year">year: not a year.' in summary and '<a href="#f-country">country: ' in summary
    assert (
        world.client_for("owner_manager").get(reverse("cases:list")).content.count(b"data-error-summary") == 0
    )


def test_returning_a_programme_without_a_comment_links_the_summary_to_the_comment_box(world: World) -> None:
    from .programmes.test_actions import make_programme

    programme = make_programme(world, status="submitted")
    response = world.client_for("other_reviewer").post(
        reverse("programmes:step", args=[programme.pk]), {"step": "return", "version": programme.version}
    )
    page = body_text(response)
    assert response.status_code == 400
    assert check_summary(page) == []
    assert '<a href="#id_comment">' in page and 'id="id_comment_error"' in page
    programme.refresh_from_db()
    assert programme.status == "submitted"
