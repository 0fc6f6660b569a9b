"""The clients of the load benchmark (locust): visitors of public pages, signed-in analysts, API scripts.

Driven by ``bench/bench_load.py``, which seeds the platform and passes what the clients need in
``VINCULO_LOAD_PLAN`` (a JSON file: session cookies, API tokens, case ids, country codes) and where
to write every request's time in ``VINCULO_LOAD_SAMPLES``. Each request is named "group: route", the
group being ``public``, ``signed-in`` or ``api``; an answer of 300 or more counts as an error
(a signed-in page that redirects to the sign-in page is not a success).
"""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(open(os.environ["VINCULO_LOAD_PLAN"], encoding="utf-8").read())
WAIT = [float(x) for x in os.environ.get("VINCULO_LOAD_WAIT", "1-3").split("-")]
#: (when, "group: route", milliseconds, failed, HTTP status or 0 when no answer came)
SAMPLES: list[tuple[float, str, float, bool, int]] = []


@events.request.add_listener
def record(name: str, response_time: float, exception: Any, response: Any = None, **kwargs: Any) -> None:
    status = int(getattr(response, "status_code", 0) or 0)
    SAMPLES.append((time.time(), name, response_time, exception is not None, status))


@events.quitting.add_listener
def write_samples(**kwargs: Any) -> None:
    with open(os.environ["VINCULO_LOAD_SAMPLES"], "w", encoding="utf-8") as fh:
        json.dump(SAMPLES, fh)


def fetch(user: HttpUser, path: str, name: str, **kwargs: Any) -> None:
    """GET ``path``; an answer of 400 or more, or a redirect (e.g. to the sign-in page), is an error."""
    with user.client.get(path, name=name, allow_redirects=False, catch_response=True, **kwargs) as response:
        if response.status_code >= 300:
            where = response.headers.get("Location", "")
            response.failure(f"HTTP {response.status_code} {where}".strip())


def _filters() -> dict[str, str]:
    picked = random.sample(sorted(PLAN["filters"]), random.choice((1, 2)))
    return {d: random.choice(PLAN["filters"][d]) for d in picked}


class PublicVisitor(HttpUser):
    """Someone reading the Global Report evidence and the public registry, not signed in."""

    weight = 2
    wait_time = between(*WAIT)

    @task(2)
    def home(self) -> None:
        fetch(self, "/", name="public: /")

    @task(3)
    def evidence_home(self) -> None:
        fetch(self, "/evidence/", name="public: /evidence/")

    @task(6)
    def country(self) -> None:
        iso3 = random.choice(PLAN["countries"])
        fetch(self, f"/evidence/countries/{iso3}/", name="public: /evidence/countries/[iso3]/")

    @task(2)
    def countries(self) -> None:
        fetch(self, "/evidence/countries/", name="public: /evidence/countries/")

    @task(2)
    def flows(self) -> None:
        fetch(self, "/evidence/flows/", name="public: /evidence/flows/")

    @task(2)
    def programmes(self) -> None:
        fetch(self, "/programmes/", name="public: /programmes/")


class SignedInAnalyst(HttpUser):
    """An analyst of the organisation that owns the cases, browsing signed in."""

    weight = 2
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", random.choice(PLAN["sessions"]))

    @task(3)
    def case_list(self) -> None:
        fetch(self, "/cases/", params=_filters(), name="signed-in: /cases/?filters")

    @task(3)
    def case_counts(self) -> None:
        fetch(self, "/cases/counts/", params=_filters(), name="signed-in: /cases/counts/?filters")

    @task(2)
    def case_detail(self) -> None:
        case_id = random.choice(PLAN["case_ids"])
        fetch(self, f"/cases/{case_id}/", name="signed-in: /cases/[id]/")

    @task(1)
    def estimates(self) -> None:
        fetch(self, "/estimates/", name="signed-in: /estimates/")

    @task(1)
    def account(self) -> None:
        fetch(self, "/accounts/account/", name="signed-in: /accounts/account/")


class ApiScript(HttpUser):
    """A script of another organisation reading counts and evidence through the API with a token."""

    weight = 1
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {random.choice(PLAN['tokens'])}"

    @task(4)
    def counts(self) -> None:
        params = {**_filters(), "dimensions": random.choice(sorted(PLAN["filters"]))}
        fetch(self, "/api/cases/counts", params=params, name="api: /api/cases/counts")

    @task(2)
    def cases(self) -> None:
        fetch(self, "/api/cases", params={"limit": "20"}, name="api: /api/cases")

    @task(2)
    def evidence_countries(self) -> None:
        fetch(self, "/api/evidence/countries", name="api: /api/evidence/countries")

    @task(1)
    def flows(self) -> None:
        fetch(self, "/api/evidence/flows", params={"year": "2020"}, name="api: /api/evidence/flows")
