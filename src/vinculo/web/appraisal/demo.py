"""Fictitious appraisal answers for the demo, clearly labelled."""

from __future__ import annotations

from django.db import transaction

from vinculo.web.accounts.models import Role, User

from . import actions
from .models import ActionPoint, Cycle, Questionnaire

STATUSES = ["achieved", "in_progress", "not_started", "in_progress", "not_applicable"]


@transaction.atomic
def load_demo() -> list[str]:
    user = User.objects.filter(username="rapporteur.analyst").first()
    cycle = Cycle.objects.filter(year=2025).first()
    if user is None or cycle is None or user.role not in (Role.ANALYST, Role.DATA_MANAGER):
        return []
    if Questionnaire.objects.filter(organisation=user.organisation, cycle=cycle).exists():
        return []
    if not cycle.is_open:
        actions.set_cycle_open(actor=user, cycle=cycle, is_open=True)
    q = actions.start_questionnaire(actor=user, cycle=cycle)
    answers = {
        p.code: {
            "status": STATUSES[i % len(STATUSES)],
            "narrative": "Demo answer (fictitious).",
            "evidence_links": [],
        }
        for i, p in enumerate(ActionPoint.objects.all())
    }
    actions.save_answers(
        actor=user, questionnaire_id=q.pk, expected_version=q.version, answers=answers, submit=True
    )
    return ["Appraisal: one fictitious submitted questionnaire for the 2025 cycle (demo rapporteur office)."]
