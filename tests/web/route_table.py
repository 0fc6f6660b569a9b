"""Every route of the platform, generated from the URL resolver and the OpenAPI document, with real objects.

The page routes come from Django's URL resolver and the API operations from the OpenAPI document of the
NinjaAPI, so a new route is covered by the route tests (``test_route_matrix.py``, ``test_csp.py``) as
soon as it exists. A route with parameters needs an entry in :data:`PAGE_PARAMETERS` or
:data:`API_PARAMETERS` that fills them in with objects of :class:`RouteWorld`; a route without one makes
those tests fail and names the route and the table to extend.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from vinculo.evidence import COLUMNS
from vinculo.web.accounts import actions as account_actions
from vinculo.web.accounts.models import ApiToken, Organisation
from vinculo.web.api import api
from vinculo.web.appraisal.models import Questionnaire, QuestionnaireStatus
from vinculo.web.cases.models import CaseRecord
from vinculo.web.cases.models import Submission as CaseSubmission
from vinculo.web.core.models import Country, Sensitivity
from vinculo.web.events.models import Event
from vinculo.web.evidence import actions as evidence_actions
from vinculo.web.evidence.models import FigureSubmission
from vinculo.web.network import actions as network_actions
from vinculo.web.network.models import Mechanism, Meeting, MeetingDocument, PracticeNote
from vinculo.web.programmes import actions as programme_actions
from vinculo.web.programmes.models import ProgrammeDocument
from vinculo.web.trustfund.models import Grant

from .cases.conftest import HEADER, csv_bytes
from .cases.conftest import ROWS as CASE_ROWS
from .reports.conftest import SECRET, ReportWorld

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

#: Names in the case file of the owning organisation: identifiers, shown to its data managers only.
IDENTIFIERS = tuple(value for row in CASE_ROWS for value in row[1:3])


@dataclass
class RouteWorld:
    """The report world (every area, public and not) plus the objects the routes need."""

    rw: ReportWorld
    token: ApiToken
    case_submission: CaseSubmission
    case: CaseRecord
    figure_submission: FigureSubmission
    meeting: Meeting
    meeting_document: MeetingDocument
    note: PracticeNote
    mechanism: Mechanism
    programme_document: ProgrammeDocument
    event: Event
    grant: Grant
    questionnaire_submitted: Questionnaire
    questionnaire_draft: Questionnaire
    tokens: dict[str, str] = field(default_factory=dict)  # role -> raw API token


def _case_file() -> bytes:
    rows = [[f"ROUTE-{row[0]}", *row[1:]] for row in CASE_ROWS]
    return csv_bytes(rows, HEADER)


def _figure_file(tmp_path: Path) -> bytes:
    path = tmp_path / "nld_figures.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerow(
            ["NLD", "Netherlands (Kingdom of the)", "Europe", "Western Europe", "Detected trafficking victims",
             "Total", "Total", "Total", "Total", "2024", "Counts", "1,300", "National authority"]
        )  # fmt: skip
    return path.read_bytes()


def build_route_world(rw: ReportWorld, tmp_path: Path) -> RouteWorld:
    from vinculo.web.cases import actions as case_actions

    world = rw.world
    manager = world.users["owner_manager"]
    author = world.users["owner_author"]
    partner_analyst = world.users["partner_analyst"]
    assert manager is not None and author is not None and partner_analyst is not None
    token, raw_token = account_actions.issue_token(user=manager, name="route matrix")
    other = world.users["other_analyst"]
    assert other is not None
    _other_token, raw_other = account_actions.issue_token(user=other, name="route matrix")
    submission = case_actions.create_submission(
        actor=manager, data=_case_file(), file_name="route-cases.csv", sensitivity=Sensitivity.RESTRICTED
    )
    submission = case_actions.confirm_submission(actor=manager, submission=submission, valid_only=True)
    case = CaseRecord.objects.filter(submission=submission, consent_to_share=True).order_by("pk").first()
    assert case is not None
    Organisation.objects.filter(pk=world.partner.pk).update(country=Country.objects.get(iso3="NLD"))
    partner_analyst.refresh_from_db()
    figures = evidence_actions.submit_figures(
        actor=partner_analyst, source=_figure_file(tmp_path), name="nld_figures.csv"
    )
    meeting = Meeting.objects.get(title=f"{SECRET} meeting")
    document = network_actions.add_document(
        actor=rw.admin, meeting=meeting, title="Minutes", name="minutes.pdf", data=PDF
    )
    programme_document = programme_actions.add_document(
        actor=author, programme=rw.unpublished, data=PDF, filename="plan.pdf", title="Plan", max_bytes=10**6
    )
    return RouteWorld(
        rw=rw,
        token=token,
        case_submission=submission,
        case=case,
        figure_submission=figures,
        meeting=meeting,
        meeting_document=document,
        note=PracticeNote.objects.get(),
        mechanism=Mechanism.objects.get(),
        programme_document=programme_document,
        event=Event.objects.order_by("pk").first() or Event(),
        grant=Grant.objects.get(),
        questionnaire_submitted=Questionnaire.objects.get(
            cycle=rw.cycle, status=QuestionnaireStatus.SUBMITTED, organisation__short_name="RO"
        ),
        questionnaire_draft=Questionnaire.objects.get(cycle=rw.cycle, status=QuestionnaireStatus.DRAFT),
        tokens={"owner_manager": raw_token, "other_analyst": raw_other},
    )


@pytest.fixture
def route_world(report_world: ReportWorld, tmp_path: Path) -> RouteWorld:
    return build_route_world(report_world, tmp_path)


Fill = Callable[[RouteWorld], list[dict[str, Any]]]


def _pk(attr: str, name: str = "pk") -> Fill:
    return lambda w: [{name: getattr(w, attr).pk}]


def _programmes(name: str = "pk") -> Fill:
    """The draft programme (visible to its owner and reviewers only) and the published one."""
    return lambda w: [{name: w.rw.unpublished.pk}, {name: w.rw.published.pk}]


def _estimates(name: str = "pk") -> Fill:
    return lambda w: [{name: w.rw.restricted_estimate.pk}, {name: w.rw.public_estimate.pk}]


def _notices(name: str = "pk") -> Fill:
    return lambda w: [{name: n.pk} for n in w.rw.world.notices.values()]


def _questionnaires(name: str = "pk") -> Fill:
    return lambda w: [{name: w.questionnaire_submitted.pk}, {name: w.questionnaire_draft.pk}]


def _exercise(w: RouteWorld) -> Any:
    """A restricted linkage exercise of the owning organisation (opened on first use)."""
    from vinculo.web.linkage import actions as linkage_actions
    from vinculo.web.linkage.models import Exercise

    found = Exercise.objects.filter(title=f"{SECRET} exercise").first()
    if found is None:
        manager = w.rw.world.users["owner_manager"]
        assert manager is not None
        found = linkage_actions.open_exercise(
            actor=manager, title=f"{SECRET} exercise", purpose="route matrix", mode="trusted"
        )
    return found


def _exercises(name: str = "pk") -> Fill:
    return lambda w: [{name: _exercise(w).pk}]


_LINKAGE_PAGES = (
    "detail",
    "status",
    "invite",
    "answer",
    "contribute",
    "run",
    "records",
    "review",
    "estimate",
)
_LINKAGE_API = ("", "/invitations", "/answer", "/contributions/cases", "/contributions/encodings", "/run",
                "/records", "/pairs", "/estimate")  # fmt: skip


def _report_years(w: RouteWorld) -> list[dict[str, Any]]:
    return [{"kind": "sg", "year": 2024}, {"kind": "appraisal", "year": w.rw.cycle.year}]


#: Page routes with parameters (``namespace:name``, or the pattern of an unnamed route) -> the values.
PAGE_PARAMETERS: dict[str, Fill] = {
    "accounts:password_reset_confirm": lambda w: [{"uidb64": "MQ", "token": "set-password"}],
    "accounts:revoke_token": _pk("token", "token_id"),
    "accounts:organisation": lambda w: [{"pk": w.rw.world.owner.pk}],
    "accounts:person": lambda w: [{"pk": w.rw.world.users["owner_manager"].pk}],  # type: ignore[union-attr]
    "accounts:person_two_factor_reset": lambda w: [{"pk": w.rw.world.users["owner_manager"].pk}],  # type: ignore[union-attr]
    "appraisal:point_edit": lambda w: [{"pk": 1}],
    "appraisal:questionnaire": _questionnaires(),
    "appraisal:start": lambda w: [{"year": w.rw.cycle.year}],
    "appraisal:cycle_toggle": lambda w: [{"year": w.rw.cycle.year}],
    "cases:detail": _pk("case"),
    "cases:history": _pk("case"),
    "cases:submission": _pk("case_submission"),
    "cases:mapping": _pk("case_submission"),
    "cases:template": lambda w: [{"fmt": "csv"}, {"fmt": "xlsx"}],
    "cases:submission_status": _pk("case_submission"),
    "cases:problems": _pk("case_submission"),
    "cases:quarantine": _pk("case_submission"),
    "cases:confirm": _pk("case_submission"),
    "cases:cancel": _pk("case_submission"),
    "estimates:detail": _estimates(),
    "estimates:status": _estimates(),
    "estimates:download": _estimates(),
    "estimates:delete": _estimates(),
    "events:detail": _pk("event"),
    "events:ics": _pk("event"),
    "events:edit": _pk("event"),
    "events:delete": _pk("event"),
    "evidence:country": lambda w: [{"iso3": "NLD"}, {"iso3": "ITA"}],
    "evidence:region": lambda w: [{"name": "Europe"}],
    "evidence:subregion": lambda w: [{"name": "Western Europe"}],
    "evidence:download": lambda w: [
        {"level": "country", "code": "NLD", "key": "victims", "fmt": "csv"},
        {"level": "region", "code": "Europe", "key": "victims", "fmt": "xlsx"},
    ],
    "evidence:flow_matrix": lambda w: [{"fmt": "csv"}, {"fmt": "xlsx"}],
    "evidence:sankey_download": lambda w: [{"fmt": "csv"}, {"fmt": "json"}],
    "evidence:explore_download": lambda w: [
        {"level": "country", "code": "NLD", "fmt": "csv"},
        {"level": "world", "code": "World", "fmt": "xlsx"},
    ],
    "evidence:compare_download": lambda w: [{"iso3": "NLD", "fmt": "csv"}],
    "guides:detail": lambda w: [{"slug": "reading-a-country-profile"}, {"slug": "administrator"}],
    "guides:screenshot": lambda w: [{"name": "map-desktop-en.png"}],
    "evidence:map_download": lambda w: [
        {"level": "world", "code": "World", "fmt": "csv"},
        {"level": "region", "code": "Europe", "fmt": "json"},
    ],
    "evidence:submission": _pk("figure_submission"),
    "evidence:submission_review": _pk("figure_submission"),
    "exchange:detail": _notices(),
    "exchange:edit": _notices(),
    "exchange:delete": _notices(),
    **{f"linkage:{name}": _exercises() for name in _LINKAGE_PAGES},
    "linkage:decide": lambda w: [{"pk": _exercise(w).pk, "pair": 1}],
    "network:detail": _pk("mechanism"),
    "network:edit": _pk("mechanism"),
    "network:meeting": _pk("meeting"),
    "network:document_upload": _pk("meeting"),
    "network:document": _pk("meeting_document"),
    "network:note": _pk("note"),
    "programmes:detail": _programmes(),
    "programmes:edit": _programmes(),
    "programmes:step": _programmes(),
    "programmes:translate": lambda w: [{"pk": w.rw.unpublished.pk, "language": "fr"}],
    "programmes:history": _programmes(),
    "programmes:version": lambda w: [{"pk": w.rw.unpublished.pk, "number": 1}],
    "programmes:document_upload": _programmes(),
    "programmes:document": lambda w: [{"pk": w.rw.unpublished.pk, "doc": w.programme_document.pk}],
    "programmes:document_delete": lambda w: [{"pk": w.rw.unpublished.pk, "doc": w.programme_document.pk}],
    "reports:html": _report_years,
    "reports:pdf": lambda w: [{"kind": "appraisal", "year": w.rw.cycle.year}],
    "treaties:state": lambda w: [{"iso3": "NLD"}],
    "treaties:confirm": lambda w: [{"iso3": "NLD"}],
    "treaties:edit": lambda w: [{"iso3": "NLD", "instrument": "tip_protocol"}],
    "treaties:history": lambda w: [{"iso3": "NLD", "instrument": "tip_protocol"}],
    "trustfund:grant": _pk("grant"),
    "trustfund:disbursement_create": _pk("grant"),
    "trustfund:report_create": _pk("grant"),
    "^api/(?P<rest>.*)$": lambda w: [{"rest": "no-such-route"}],
}

#: API operations with path parameters (the path as in the OpenAPI document) -> the values.
API_PARAMETERS: dict[str, Fill] = {
    "/api/appraisal/action-points/{code}": lambda w: [{"code": "nope"}],
    "/api/appraisal/cycles/{year}/questionnaires": lambda w: [{"year": w.rw.cycle.year}],
    "/api/appraisal/questionnaires/{qid}": _questionnaires("qid"),
    "/api/cases/submissions/{submission_id}": _pk("case_submission", "submission_id"),
    "/api/cases/submissions/{submission_id}/confirm": _pk("case_submission", "submission_id"),
    "/api/cases/submissions/{submission_id}/problems": _pk("case_submission", "submission_id"),
    "/api/cases/{case_id}": _pk("case", "case_id"),
    "/api/cases/{case_id}/history": _pk("case", "case_id"),
    "/api/estimates/{estimate_id}": _estimates("estimate_id"),
    "/api/events/{event_id}": _pk("event", "event_id"),
    "/api/evidence/areas/{level}/profile": lambda w: [{"level": "region"}, {"level": "world"}],
    "/api/evidence/countries/{iso3}/profile": lambda w: [{"iso3": "NLD"}],
    **{f"/api/linkage/{{exercise_id}}{tail}": _exercises("exercise_id") for tail in _LINKAGE_API},
    "/api/linkage/{exercise_id}/pairs/{pair_id}": lambda w: [{"exercise_id": _exercise(w).pk, "pair_id": 1}],
    "/api/network/{mechanism_id}": _pk("mechanism", "mechanism_id"),
    "/api/notices/{notice_id}": _notices("notice_id"),
    "/api/organisations/{org_id}": lambda w: [{"org_id": w.rw.world.owner.pk}],
    "/api/programmes/{programme_id}": _programmes("programme_id"),
    "/api/programmes/{programme_id}/steps": _programmes("programme_id"),
    "/api/programmes/{programme_id}/translations/{language}": lambda w: [
        {"programme_id": w.rw.unpublished.pk, "language": "fr"}
    ],
    "/api/treaties/{iso3}": lambda w: [{"iso3": "NLD"}],
    "/api/treaties/{iso3}/confirm": lambda w: [{"iso3": "NLD"}],
    "/api/treaties/{iso3}/{instrument}": lambda w: [{"iso3": "NLD", "instrument": "tip_protocol"}],
    "/api/treaties/{iso3}/{instrument}/history": lambda w: [{"iso3": "NLD", "instrument": "tip_protocol"}],
    "/api/trustfund/grants/{grant_id}": _pk("grant", "grant_id"),
    "/api/trustfund/grants/{grant_id}/disbursements": _pk("grant", "grant_id"),
}

#: NinjaAPI URL names that are pages rather than operations of the OpenAPI document.
API_PAGES = {"openapi-json", "openapi-view"}


@dataclass(frozen=True)
class Route:
    key: str  # namespace:name, or the pattern of an unnamed route, or the API path
    pattern: str  # the full pattern, for messages
    parameters: tuple[str, ...]
    methods: tuple[str, ...]  # for API operations; pages are asked with GET (and POST, see the tests)
    is_api: bool
    name: str | None = None
    regex: str | None = None


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str, Any, str | None]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.pattern, entry.name


def _parameters(pattern_text: str) -> tuple[str, ...]:
    names = re.findall(r"<(?:\w+:)?(\w+)>", pattern_text)
    names += re.findall(r"\(\?P<(\w+)>", pattern_text)
    return tuple(dict.fromkeys(names))


def page_routes() -> list[Route]:
    """Every URL pattern of the platform except the API operations (see :func:`api_routes`)."""
    routes = []
    for text, namespace, pattern, name in _walk(get_resolver().url_patterns, "", ""):
        if namespace == "api-1" and name not in API_PAGES:
            continue
        key = f"{namespace}:{name}" if namespace and name else (name or text)
        regex = text if isinstance(pattern, RegexPattern) else None
        assert isinstance(pattern, RoutePattern | RegexPattern)
        routes.append(Route(key, text, _parameters(text), ("GET",), False, key if name else None, regex))
    return routes


def api_routes() -> list[Route]:
    """Every operation of the OpenAPI document, one route per path with its methods."""
    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        methods = tuple(sorted(m.upper() for m in operations))
        routes.append(Route(path, path, tuple(re.findall(r"{(\w+)}", path)), methods, True))
    return routes


def all_routes() -> list[Route]:
    return page_routes() + api_routes()


class MissingParameters(AssertionError):
    pass


def _fill_regex(regex: str, values: dict[str, Any]) -> str:
    text = regex.replace("^", "").replace("$", "")
    for name, value in values.items():
        text = re.sub(rf"\(\?P<{name}>[^)]*\)", str(value), text)
    return "/" + text


def urls_for(route: Route, world: RouteWorld) -> list[str]:
    """The concrete URLs of ``route`` in ``world`` (one per row of its table entry)."""
    if not route.parameters:
        return [reverse(route.name) if route.name else "/" + route.pattern.lstrip("^").rstrip("$")]
    table = API_PARAMETERS if route.is_api else PAGE_PARAMETERS
    fill = table.get(route.key)
    if fill is None:
        raise MissingParameters(
            f"The route {route.pattern!r} ({route.key}) has parameters {', '.join(route.parameters)} that the "
            f"route tests cannot fill in. Add an entry for {route.key!r} to "
            f"{'API_PARAMETERS' if route.is_api else 'PAGE_PARAMETERS'} in tests/web/route_table.py "
            "with real objects (a restricted or internal one where the route has such records)."
        )
    urls = []
    for values in fill(world):
        missing = set(route.parameters) - set(values)
        if missing:
            raise MissingParameters(f"{route.key}: the table entry lacks {', '.join(sorted(missing))}.")
        if route.is_api:
            url = route.pattern
            for name, value in values.items():
                url = url.replace("{" + name + "}", str(value))
        elif route.name:
            url = reverse(route.name, kwargs=values)
        else:
            url = _fill_regex(route.regex or route.pattern, values)
        urls.append(url)
    return urls
