"""Demo accounts and records for trying the platform. Everything here is fictitious and labelled so.

The demo password is public (it is printed by ``vinculo demo`` and written in the README): never
load demo data into a server that holds real data. Other areas add their own demo loaders with
:func:`register_loader`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from vinculo.web.accounts import actions as account_actions
from vinculo.web.accounts.models import Organisation, OrganisationKind, Role, User
from vinculo.web.core.models import Country, Sensitivity
from vinculo.web.exchange import actions as exchange_actions
from vinculo.web.exchange.models import Notice

DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105 - public on purpose, demo only

_LOADERS: list[Callable[[], list[str]]] = []


def register_loader(loader: Callable[[], list[str]]) -> None:
    if loader not in _LOADERS:
        _LOADERS.append(loader)


def _org(name: str, short: str, kind: str, iso3: str | None) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    if existing:
        return existing
    country = Country.objects.get(iso3=iso3) if iso3 else None
    return account_actions.create_organisation(
        actor=None,
        name=name,
        short_name=short,
        kind=kind,
        country=country,
        description="Demo organisation (fictitious).",
    )


def _user(username: str, org: Organisation | None, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user:
        return user
    return account_actions.create_user(
        actor=None,
        username=username,
        password=DEMO_PASSWORD,
        organisation=org,
        role=role,
        email=f"{username}@example.org",
        first_name="Demo",
    )


#: Where ``vinculo serve`` and ``vinculo demo`` listen unless told otherwise.
DEFAULT_ADDRESS = "http://127.0.0.1:8000"


@transaction.atomic
def load_demo(address: str = DEFAULT_ADDRESS) -> list[str]:
    """Load the demo records; the summary names the sign-in page at ``address``, where the demo is served."""
    ngo = _org("Demo Shelter Network (fictitious)", "DSN", OrganisationKind.CIVIL_SOCIETY, "NGA")
    rapporteur = _org(
        "Demo National Rapporteur Office (fictitious)", "DNRO", OrganisationKind.RAPPORTEUR, "NLD"
    )
    unodc = Organisation.objects.get(short_name="UNODC")
    _user("admin", None, Role.ADMIN)
    manager = _user("ngo.manager", ngo, Role.DATA_MANAGER)
    _user("ngo.analyst", ngo, Role.ANALYST)
    rapp = _user("rapporteur.analyst", rapporteur, Role.ANALYST)
    _user("unodc.reviewer", unodc, Role.REVIEWER)
    _user("unodc.analyst", unodc, Role.ANALYST)

    if not Notice.objects.filter(owner=ngo).exists():
        exchange_actions.create_notice(
            actor=manager,
            fields={
                "kind": "alert",
                "title": "Demo: recruitment adverts for domestic work abroad",
                "body": "Fictitious demo alert. Partner shelters report adverts promising domestic work abroad "
                "with travel paid in advance; check any referral that mentions them.",
                "sensitivity": Sensitivity.PUBLIC,
            },
            countries=Country.objects.filter(iso3__in=["NGA", "LBY", "ITA"]),
        )
        exchange_actions.create_notice(
            actor=manager,
            fields={
                "kind": "request",
                "title": "Demo: request for information on a transit route",
                "body": "Fictitious demo request, restricted to the shelter network and the rapporteur office.",
                "sensitivity": Sensitivity.RESTRICTED,
            },
            shared_with=[rapporteur],
        )
    if not Notice.objects.filter(owner=rapporteur).exists():
        exchange_actions.create_notice(
            actor=rapp,
            fields={
                "kind": "briefing",
                "title": "Demo: preparing the national report",
                "body": "Fictitious internal briefing visible to every signed-in member of the platform.",
                "sensitivity": Sensitivity.INTERNAL,
            },
        )
    lines = [
        f"Demo data loaded. Sign in at {address.rstrip('/')}/accounts/sign-in/ with one of these accounts,",
        f"all with the password {DEMO_PASSWORD!r} (demo only):",
        "  admin (platform administrator), ngo.manager (data manager), ngo.analyst, rapporteur.analyst,",
        "  unodc.reviewer (reviewer), unodc.analyst.",
    ]
    for loader in _LOADERS:
        lines.extend(loader())
    return lines
