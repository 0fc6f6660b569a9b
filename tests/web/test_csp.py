"""Content-Security-Policy (issue 9, finding 7): a strict policy on every page and no inline script or style.

Every page route of the URL resolver (``route_table.py``) and the API documentation is asked by an
anonymous visitor, an administrator and a data manager in a platform with data in every area. Each
answer must carry the strict policy, and each HTML answer must hold no ``<script>`` body, no
``<style>`` element, no ``style`` attribute, no ``on*`` event handler and no ``javascript:`` URL.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from vinculo.web.core import views as core_views

from . import route_table
from .reports import conftest as reports_conftest
from .route_table import MissingParameters, RouteWorld, api_routes, page_routes, urls_for
from .test_route_matrix import body_text

report_world = reports_conftest.report_world
route_world = route_table.route_world

ROOT = Path(__file__).resolve().parents[2]

#: The policy every response carries (docs/security/web.md explains each directive).
EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
LOOSE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:", "'strict-dynamic'")


def parse_policy(header: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0].lower()] = words[1:]
    return policy


def policy_problems(header: str | None) -> list[str]:
    if not header:
        return ["no Content-Security-Policy header"]
    policy = parse_policy(header)
    if policy.get("default-src") == ["'none'"] and "sandbox" in policy and len(policy) == 2:
        return []  # an uploaded document served as an attachment: stricter than the pages' policy
    problems = [
        f"{directive} is {policy.get(directive)!r}, expected {values!r}"
        for directive, values in EXPECTED.items()
        if policy.get(directive) != values
    ]
    problems += [
        f"{directive} allows {value}"
        for directive, values in policy.items()
        for value in values
        if value in LOOSE
    ]
    return problems


class InlineFinder(HTMLParser):
    """Collects every inline script or style of an HTML page, as short descriptions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.found.append(f"<{tag} {name}=...> (event handler)")
            elif name in ("href", "src", "action", "formaction", "xlink:href") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.found.append("<style> element")
        elif tag == "script":
            self._script = "" if dict(attrs).get("src") else None
            if self._script is None:
                self.found.append("<script> without src (inline script or data block)")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            if self._script.strip():
                self.found.append(f"<script> body {self._script.strip()[:40]!r}")
            self._script = None


def inline_content(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


@pytest.mark.backend_independent
def test_the_inline_finder_recognises_each_kind_of_inline_code() -> None:
    page = (
        "<p style='color:red'>a</p><button onclick='x()'>b</button><script>alert(1)</script>"
        '<style>p{}</style><a href=" JavaScript:alert(1)">c</a><svg><rect style="fill:red"/></svg>'
        '<script type="application/json">{"a": 1}</script><script src="/static/ok.js"></script>'
    )
    found = inline_content(page)
    assert len(found) == 7, found
    assert inline_content('<script src="/static/a.js" defer></script><p class="x">ok</p>') == []


@pytest.mark.backend_independent
def test_the_policy_check_refuses_loose_or_missing_directives() -> None:
    strict = "; ".join(f"{k} {' '.join(v)}" for k, v in EXPECTED.items())
    assert policy_problems(strict) == []
    assert policy_problems(None) == ["no Content-Security-Policy header"]
    assert policy_problems(strict.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"))
    assert policy_problems(strict.replace("; object-src 'none'", ""))


@pytest.mark.parametrize("who", ["anonymous", "admin", "owner_manager"])
def test_every_page_has_a_strict_policy_and_no_inline_script_or_style(
    route_world: RouteWorld, who: str
) -> None:
    client = route_world.rw.world.client_for(who)
    problems: list[str] = []
    pages = 0
    for route in page_routes():
        try:
            urls = urls_for(route, route_world)
        except MissingParameters as exc:
            problems.append(str(exc))
            continue
        for url in urls:
            response = client.get(url)
            for problem in policy_problems(response.get("Content-Security-Policy")):
                problems.append(f"GET {url} ({response.status_code}): {problem}")
            content_type = response.get("Content-Type", "")
            text = body_text(response)
            if content_type.startswith("text/html"):
                pages += 1
                problems += [f"GET {url} ({response.status_code}): {item}" for item in inline_content(text)]
    assert pages > 60
    assert not problems, f"{len(problems)} problem(s) for {who}:\n" + "\n".join(problems)


def test_api_answers_carry_the_policy_too(route_world: RouteWorld) -> None:
    client = route_world.rw.world.client_for("owner_manager")
    problems = []
    for route in api_routes():
        if "GET" not in route.methods:
            continue
        for url in urls_for(route, route_world):
            response = client.get(url)
            problems += [f"GET {url}: {p}" for p in policy_problems(response.get("Content-Security-Policy"))]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_api_documentation_runs_swagger_ui_from_static_files_only() -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert policy_problems(response.get("Content-Security-Policy")) == []
    assert inline_content(html) == []
    assert '<script src="/static/ninja/swagger-ui-bundle.js"></script>' in html
    assert '<script src="/static/vinculo/api-docs.js"></script>' in html
    # The settings travel in a data attribute, and still point at the OpenAPI document.
    start = html.index('data-swagger-settings="') + len('data-swagger-settings="')
    import html as html_module

    settings = json.loads(html_module.unescape(html[start : html.index('"', start)]))
    assert settings["url"] == "/api/openapi.json"
    static = ROOT / "src/vinculo/web/core/static/vinculo/api-docs.js"
    assert "swagger-settings" in static.read_text()
    bundle = Client().get("/static/ninja/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    body_text(bundle)  # reads and closes the streamed file


@pytest.mark.django_db
def test_the_error_pages_comply_too() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    for view in (core_views.server_error, core_views.bad_request, core_views.permission_denied):
        response = view(request) if view is core_views.server_error else view(request, Exception())
        assert inline_content(response.content.decode()) == [], view


def _settings(module: str, **env: str) -> dict[str, dict[str, list[str]]]:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("VINCULO_") and k != "DJANGO_SETTINGS_MODULE"
    }
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'enforce': settings.SECURE_CSP, 'report_only': settings.SECURE_CSP_REPORT_ONLY}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.backend_independent
def test_production_enforces_the_policy_and_a_switch_makes_it_report_only() -> None:
    prod = {
        "VINCULO_SECRET_KEY": "x" * 60,
        "VINCULO_DATABASE_URL": "sqlite:////tmp/vinculo-csp-check.sqlite3",
        "VINCULO_ALLOWED_HOSTS": "vinculo.example.org",
        "VINCULO_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM=",
        "VINCULO_AUDIT_KEYS": "csp-check-audit-chain-key-0123456789abcdef",
    }
    enforced = _settings("vinculo.web.settings.prod", **prod)
    assert enforced["enforce"] == EXPECTED and enforced["report_only"] == {}
    trial = _settings(
        "vinculo.web.settings.prod",
        **prod,
        VINCULO_CSP_REPORT_ONLY="true",
        VINCULO_CSP_REPORT_URI="https://reports.example.org/csp",
    )
    assert trial["enforce"] == {}
    assert trial["report_only"] == {**EXPECTED, "report-uri": ["https://reports.example.org/csp"]}
    assert _settings("vinculo.web.settings.dev")["enforce"] == EXPECTED


#: Templates that are not web pages: the stand-alone report document that WeasyPrint lays out as a PDF
#: (and ``vinculo report --format html`` writes to a file) keeps its style sheet inline.
NOT_WEB_PAGES = {"reports/templates/reports/document.html"}


@pytest.mark.backend_independent
def test_no_template_holds_inline_script_or_style_even_in_states_the_walk_does_not_reach() -> None:
    web = ROOT / "src/vinculo/web"
    problems = []
    for path in sorted(web.glob("*/templates/**/*.html")):
        relative = path.relative_to(web).as_posix()
        if relative in NOT_WEB_PAGES:
            continue
        text = path.read_text(encoding="utf-8")
        # Template tags are not HTML: blank them so that the parser sees the markup only.
        markup = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "x", text, flags=re.S)
        problems += [f"{path.relative_to(ROOT)}: {item}" for item in inline_content(markup)]
    assert not problems, "\n".join(problems)
