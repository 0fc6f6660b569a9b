"""Changes in the appraisal: each a transaction with an audit entry; concurrent saves refused by version."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from vinculo.errors import Issue, Location, VinculoError
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.treaties.actions import StaleVersionError, stale

from .models import ActionPoint, Answer, Cycle, Progress, Questionnaire, QuestionnaireStatus

MAX_LINKS = 10


def check_links(text_or_list: str | list[str], field: str) -> list[str]:
    items = text_or_list.split() if isinstance(text_or_list, str) else list(text_or_list)
    links = []
    for item in items:
        parsed = urlparse(item.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise VinculoError(
                f"{field}: {item!r} is not a web address. Give full links starting with https://, one per line.",
                code="coordination.invalid_link",
                issues=[
                    Issue(
                        "coordination.invalid_link", "Not a web address.", Location(field=field), value=item
                    )
                ],
            )
        links.append(item.strip())
    if len(links) > MAX_LINKS:
        raise VinculoError(f"{field}: at most {MAX_LINKS} links.", code="coordination.too_many_links")
    return links


@transaction.atomic
def start_questionnaire(*, actor: User, cycle: Cycle, request: HttpRequest | None = None) -> Questionnaire:
    org = actor.organisation
    assert org is not None
    existing = Questionnaire.objects.filter(cycle=cycle, organisation=org).first()
    if existing is not None:
        return existing
    if not cycle.is_open:
        raise VinculoError(
            f"The {cycle.year} appraisal cycle is closed. Ask an administrator to open it.",
            code="coordination.cycle_closed",
        )
    q = Questionnaire.objects.create(cycle=cycle, organisation=org, country=org.country, created_by=actor)
    Answer.objects.bulk_create([Answer(questionnaire=q, action_point=ap) for ap in ActionPoint.objects.all()])
    audit(AuditAction.CREATE, request=request, actor=actor, obj=q, details={"cycle": cycle.year})
    return q


@transaction.atomic
def save_answers(
    *,
    actor: User,
    questionnaire_id: int,
    expected_version: int,
    answers: dict[str, dict[str, Any]],
    submit: bool = False,
    request: HttpRequest | None = None,
) -> Questionnaire:
    """Save the answers (keyed by action point code); with ``submit`` also submit the questionnaire.

    A submitted questionnaire is final. Submitting needs a progress status for every action point.
    """
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire_id)
    if q.version != expected_version:
        raise stale(str(q), expected_version, q.version)
    if q.submitted:
        raise VinculoError(
            "This questionnaire was already submitted and cannot be changed.",
            code="coordination.already_submitted",
        )
    if not q.cycle.is_open:
        raise VinculoError(
            f"The {q.cycle.year} appraisal cycle is closed: answers can no longer be saved or submitted.",
            code="coordination.cycle_closed",
            fix="Ask an administrator to reopen the cycle if answers are still expected.",
        )
    by_code = {a.action_point.code: a for a in q.answers.select_related("action_point")}
    issues: list[Issue] = []
    for code, values in answers.items():
        answer = by_code.get(code)
        if answer is None:
            issues.append(
                Issue(
                    "coordination.unknown_action_point", f"{code}: not an action point.", Location(field=code)
                )
            )
            continue
        status = values.get("status", answer.status) or ""
        if status and status not in Progress.values:
            issues.append(
                Issue(
                    "coordination.invalid_progress",
                    f"{code}: {status!r} is not a progress status.",
                    Location(field=f"{code}.status"),
                    expected=", ".join(Progress.values),
                )
            )
            continue
        try:
            links = check_links(values.get("evidence_links", answer.evidence_links), f"{code}.evidence_links")
        except VinculoError as exc:  # too many links has no issue of its own: it must not pass unseen
            issues.extend(exc.issues or [Issue(exc.code, str(exc), Location(field=f"{code}.evidence_links"))])
            continue
        answer.status = status
        answer.narrative = str(values.get("narrative", answer.narrative))[:20000]
        answer.evidence_links = links
    if submit:
        missing = sorted(code for code, a in by_code.items() if not a.status)
        if missing:
            issues.append(
                Issue(
                    "coordination.incomplete",
                    f"Give a progress status for every action point before submitting; missing: {', '.join(missing)}.",
                    Location(field="status"),
                )
            )
    if issues:
        raise VinculoError(
            " ".join(i.message for i in issues), code="coordination.invalid_answers", issues=issues
        )
    Answer.objects.bulk_update(list(by_code.values()), ["status", "narrative", "evidence_links"])
    q.version += 1
    if submit:
        q.status = QuestionnaireStatus.SUBMITTED
        q.submitted_at = timezone.now()
        q.submitted_by = actor
    q.save()
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=q,
        details={
            "answered": sum(1 for a in by_code.values() if a.status),
            "submitted": submit,
            "version": q.version,
        },
    )
    return q


@transaction.atomic
def update_action_point(
    *,
    actor: User,
    point_id: int,
    expected_version: int,
    text: str,
    reference: str,
    provisional: bool,
    request: HttpRequest | None = None,
) -> ActionPoint:
    point = ActionPoint.objects.select_for_update().get(pk=point_id)
    if point.version != expected_version:
        raise stale(point.code, expected_version, point.version)
    if not text.strip():
        raise VinculoError("text: an action point needs its text.", code="coordination.missing_text")
    point.text, point.reference, point.provisional = text.strip(), reference.strip(), provisional
    point.version += 1
    point.save()
    audit(AuditAction.UPDATE, request=request, actor=actor, obj=point, details={"provisional": provisional})
    return point


@transaction.atomic
def set_cycle_open(*, actor: User, cycle: Cycle, is_open: bool, request: HttpRequest | None = None) -> Cycle:
    cycle.is_open = is_open
    cycle.save(update_fields=["is_open"])
    audit(AuditAction.UPDATE, request=request, actor=actor, obj=cycle, details={"is_open": is_open})
    return cycle


__all__ = [
    "StaleVersionError",
    "check_links",
    "save_answers",
    "set_cycle_open",
    "start_questionnaire",
    "update_action_point",
]
