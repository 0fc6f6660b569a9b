"""Demo events: the real World Day (30 July, every year) and one fictitious launch, labelled."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from vinculo.web.accounts.models import User

from . import actions
from .models import Event


@transaction.atomic
def load_demo() -> list[str]:
    user = User.objects.filter(username="admin").first()
    if user is None or Event.objects.exists():
        return []
    actions.create_event(
        actor=user,
        fields={
            "kind": "world_day",
            "title": "World Day against Trafficking in Persons",
            "starts_on": date(2025, 7, 30),
            "ends_on": date(2025, 7, 30),
            "yearly": True,
            "description": "Designated by General Assembly resolution 68/192; observed every year on 30 July.",
        },
    )
    actions.create_event(
        actor=user,
        fields={
            "kind": "launch",
            "title": "Demo: launch of a national report (fictitious)",
            "starts_on": date(2025, 9, 15),
            "ends_on": date(2025, 9, 15),
            "location": "Online",
            "description": "Fictitious demo event.",
        },
    )
    return ["Events: the World Day against Trafficking in Persons (30 July) and one fictitious launch."]
