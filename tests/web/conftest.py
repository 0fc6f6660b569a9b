"""Fixtures for platform tests: organisations, one account per role, and records of each sensitivity."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from vinculo.web.accounts import actions as account_actions
from vinculo.web.accounts.models import Organisation, OrganisationKind, Role, User
from vinculo.web.core.models import Sensitivity
from vinculo.web.exchange import actions as exchange_actions
from vinculo.web.exchange.models import Notice

PASSWORD = "correct horse battery staple 42"


@dataclass
class World:
    owner: Organisation
    partner: Organisation
    other: Organisation
    users: dict[str, User | None]
    notices: dict[str, Notice]

    def client_for(self, who: str) -> Client:
        client = Client()
        user = self.users[who]
        if user is not None:
            client.force_login(user)
        return client


def make_org(name: str, kind: str = OrganisationKind.CIVIL_SOCIETY) -> Organisation:
    return account_actions.create_organisation(actor=None, name=name, short_name=name[:10], kind=kind)


def make_user(username: str, org: Organisation | None, role: str) -> User:
    return account_actions.create_user(
        actor=None,
        username=username,
        password=PASSWORD,
        organisation=org,
        role=role,
        email=f"{username}@example.org",
    )


# Who is asking, in the access matrix.
ROLES = [
    "anonymous",
    "admin",
    "owner_manager",  # data manager of the owning organisation
    "owner_author",  # analyst of the owning organisation who wrote the records
    "owner_analyst",  # another analyst of the owning organisation
    "partner_analyst",  # analyst of an organisation the restricted record is shared with
    "other_analyst",  # analyst of an unrelated organisation
    "other_reviewer",  # reviewer of an unrelated organisation
]


@pytest.fixture
def world(db: Any) -> World:
    owner = make_org("Owner Shelter")
    partner = make_org("Partner Agency", OrganisationKind.MEMBER_STATE)
    other = make_org("Other NGO")
    users: dict[str, User | None] = {
        "anonymous": None,
        "admin": make_user("admin1", None, Role.ADMIN),
        "owner_manager": make_user("owner_manager", owner, Role.DATA_MANAGER),
        "owner_author": make_user("owner_author", owner, Role.ANALYST),
        "owner_analyst": make_user("owner_analyst", owner, Role.ANALYST),
        "partner_analyst": make_user("partner_analyst", partner, Role.ANALYST),
        "other_analyst": make_user("other_analyst", other, Role.ANALYST),
        "other_reviewer": make_user("other_reviewer", other, Role.REVIEWER),
    }
    author = users["owner_author"]
    assert author is not None
    notices = {}
    for sensitivity in Sensitivity.values:
        notices[sensitivity] = exchange_actions.create_notice(
            actor=author,
            fields={"title": f"{sensitivity} notice", "body": "text", "sensitivity": sensitivity},
            shared_with=[partner] if sensitivity == Sensitivity.RESTRICTED else [],
        )
    return World(owner=owner, partner=partner, other=other, users=users, notices=notices)


@pytest.fixture(autouse=True, scope="session")
def _test_flush_passes_append_only_triggers() -> Any:
    """Transactional tests end with a flush, which on PostgreSQL is one TRUNCATE of every table; the
    audit trail's and the ledger's TRUNCATE triggers refuse it. Only the test flush runs with triggers
    off (``SET LOCAL session_replication_role``, superuser only, until the flush commits)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = original(self, style, tables, **kwargs)
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else statements

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _no_language_leaks_between_tests() -> Any:
    """A request through the locale middleware, or a test that activates a language, leaves it active
    on the worker's thread; the next test on that worker would then format in that language."""
    yield
    from django.utils import translation

    translation.deactivate()


_DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``backend_independent`` run in the SQLite pass only: the PostgreSQL pass would run
    the same code against the same files. The mark is refused on a test that opens the test database."""
    wrong = [
        item.nodeid
        for item in items
        if item.get_closest_marker("backend_independent")
        and (
            item.get_closest_marker("django_db")
            or _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
    ]
    if wrong:
        raise pytest.UsageError(
            "backend_independent on tests that open the test database: " + ", ".join(wrong)
        )
    if os.environ.get("VINCULO_TEST_DATABASE") != "postgres":
        return
    once = [item for item in items if item.get_closest_marker("backend_independent")]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [item for item in items if not item.get_closest_marker("backend_independent")]
