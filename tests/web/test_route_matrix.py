"""The authorisation matrix over every route × every role, generated from the URL resolver and the OpenAPI document.

Each role asks every page (GET, then an empty POST) and every API operation (each documented method;
unsafe ones with an empty JSON body) of a platform holding restricted, internal and unpublished records of
the owning organisation. Asserted for every answer: no server error; and for every readable answer, that
the text of each non-public record appears only for the roles that the rules in the README and in
``vinculo.web.accounts.access`` let see it (written out here, not computed from the access functions):
anonymous visitors never see restricted, internal or unpublished content; members of other organisations
never see the owner's restricted records; administrators never see another organisation's identifiers
or restricted records. A route the matrix cannot fill in fails ``test_every_route_with_parameters_has_real_objects``.
"""

from __future__ import annotations

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from . import route_table
from .conftest import ROLES
from .reports import conftest as reports_conftest
from .reports.conftest import SECRET
from .route_table import IDENTIFIERS, MissingParameters, RouteWorld, all_routes, urls_for

# The fixtures of the route world (defined beside the route table).
report_world = reports_conftest.report_world
route_world = route_table.route_world

OWNER = {"owner_manager", "owner_author", "owner_analyst"}
SIGNED_IN = set(ROLES) - {"anonymous"}
REVIEWERS = {"admin", "other_reviewer"}  # reviewers and administrators curate and review

#: Text of a non-public record -> the roles that may read it.
MARKERS: dict[str, set[str]] = {
    "restricted notice": OWNER | {"partner_analyst"},  # restricted, shared with the partner organisation
    "internal notice": SIGNED_IN,
    f"{SECRET} estimate": OWNER,  # a restricted estimate, shared with nobody
    f"{SECRET} internal estimate": SIGNED_IN,
    f"{SECRET} exercise": OWNER,  # a linkage exercise: its coordinating organisation (no one invited)
    f"{SECRET} draft programme": OWNER | REVIEWERS,  # unpublished: its owner and the curators
    f"{SECRET} grant": REVIEWERS,  # Trust Fund grants: administrators and reviewers
    f"{SECRET} narrative": REVIEWERS,  # another organisation's submitted appraisal answers
    f"{SECRET} meeting": {"admin"},  # the rapporteurs' network: its members and administrators
    **{name: {"owner_manager"} for name in IDENTIFIERS},  # victims' names: the owner's data managers only
}

READABLE = ("text/", "application/json", "application/problem+json")


def _requests(
    world: RouteWorld, *, api_only: bool = False
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """(safe requests, unsafe requests, routes that cannot be filled in)."""
    safe: list[tuple[str, str]] = []
    unsafe: list[tuple[str, str]] = []
    missing: list[str] = []
    for route in all_routes():
        if api_only and not route.is_api:
            continue
        try:
            urls = urls_for(route, world)
        except MissingParameters as exc:
            missing.append(str(exc))
            continue
        for url in urls:
            for method in route.methods:
                (safe if method in ("GET", "HEAD") else unsafe).append((method, url))
            if not route.is_api:
                unsafe.append(("POST", url))
    # Signing out ends the session: ask it last.
    unsafe.sort(key=lambda request: "sign-out" in request[1])
    return safe, unsafe, missing


def body_text(response: object) -> str:
    """The body of a response as text, streamed or not."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        data = response.content  # type: ignore[attr-defined]
    # Close the response (streamed files), without the request_finished handler that would close the
    # test's database connection (Django's test client does the same).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()  # type: ignore[attr-defined]
    finally:
        request_finished.connect(close_old_connections)
    return data.decode("utf-8", "replace")


def _send(client: Client, method: str, url: str) -> tuple[int, str, str]:
    """(status, content type, body text) of one request."""
    if method == "GET":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = client.generic(method, url, data="{}", content_type="application/json")
    else:
        response = client.post(url, {})
    return response.status_code, response.get("Content-Type", ""), body_text(response)


def test_every_route_with_parameters_has_real_objects(route_world: RouteWorld) -> None:
    _safe, _unsafe, missing = _requests(route_world)
    assert not missing, "\n".join(missing)


def test_the_matrix_covers_every_area_of_the_platform(route_world: RouteWorld) -> None:
    safe, unsafe, _missing = _requests(route_world)
    prefixes = {url.split("/")[1] for _method, url in safe + unsafe}
    expected = {"", "accounts", "audit", "exchange", "estimates", "cases", "programmes", "evidence"}
    expected |= {"coordination", "reports", "api", "i18n", "linkage"}
    assert expected <= prefixes
    assert len(safe) > 150 and len(unsafe) > 100


def _ask(
    client: Client, who: str, safe: list[tuple[str, str]], unsafe: list[tuple[str, str]]
) -> tuple[list[str], set[str]]:
    """Send the requests as ``who``: (problems, the markers seen)."""
    problems: list[str] = []
    seen: set[str] = set()
    for method, url in safe:
        status, content_type, text = _send(client, method, url)
        if status >= 500:
            problems.append(f"{method} {url}: {status}")
            continue
        if not content_type.startswith(READABLE):
            continue
        for marker, allowed in MARKERS.items():
            if marker in text:
                seen.add(marker)
                if who not in allowed:
                    problems.append(f"{method} {url}: {who} sees {marker!r} ({status})")
    for method, url in unsafe:
        status, _type, _text = _send(client, method, url)
        if status >= 500:
            problems.append(f"{method} {url} (empty body): {status}")
    return problems, seen


@pytest.mark.parametrize("who", ROLES)
def test_every_route_answers_every_role_without_error_and_without_leaks(
    route_world: RouteWorld, who: str
) -> None:
    client = route_world.rw.world.client_for(who)
    safe, unsafe, _missing = _requests(route_world)
    problems, seen = _ask(client, who, safe, unsafe)
    # The records are really there: each role finds every record it may read on some page.
    for marker, allowed in MARKERS.items():
        if who in allowed and marker not in seen:
            problems.append(f"{who} may read {marker!r} but no route showed it: the matrix lost that record")
    assert not problems, f"{len(problems)} problem(s) for {who}:\n" + "\n".join(problems)


@pytest.mark.parametrize("who", ["owner_manager", "other_analyst"])
def test_the_api_with_a_token_follows_the_same_rules(route_world: RouteWorld, who: str) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {route_world.tokens[who]}")
    safe, unsafe, _missing = _requests(route_world, api_only=True)
    problems, seen = _ask(client, who, safe, unsafe)
    if who == "owner_manager":
        assert set(IDENTIFIERS) & seen, "the owner's data manager reads the names of its cases with a token"
    assert not problems, f"{len(problems)} problem(s) for {who} with a token:\n" + "\n".join(problems)
