"""Changes to programmes. Each is one transaction with an audit entry; views never call ``save()``.

Access is checked by the caller through ``vinculo.web.accounts.access``. Content is validated by
:func:`vinculo.registry.check_programme` before anything is written, so a refused change leaves
nothing half-written. Every change keeps the previous state as a :class:`ProgrammeVersion` and
increments ``Programme.version``; a change made from an outdated version is refused
(:class:`ProgrammeConflictError`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest

from vinculo.errors import Issue, Location, VinculoError
from vinculo.registry import (
    TRANSLATED_FIELDS,
    UN_LANGUAGES,
    apply_transition,
    check_budget,
    check_document,
    check_programme,
    raise_for_issues,
    safe_filename,
)
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.models import Country

from . import search
from .models import (
    Evaluation,
    Indicator,
    Programme,
    ProgrammeDocument,
    ProgrammeReview,
    ProgrammeStatus,
    ProgrammeTranslation,
    ProgrammeVersion,
)

EDITABLE = (
    "title",
    "problem_statement",
    "objectives",
    "activities",
    "lessons_learned",
    "original_language",
    "implementing_other",
    "funding_other",
    "start_date",
    "end_date",
    "budget_amount",
    "budget_currency",
    "pillars",
    "forms",
    "target_groups",
    "evidence_rating",
    "evidence_rationale",
)
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "result", "source")
EVALUATION_FIELDS = (
    "evaluator_name",
    "evaluator",
    "design",
    "date",
    "method",
    "relevance",
    "coherence",
    "effectiveness",
    "efficiency",
    "impact",
    "sustainability",
)


class ProgrammeConflictError(VinculoError):
    """The programme changed since the editor loaded it; their change was not saved."""

    code = "programmes.edit_conflict"


# -- snapshots ------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(programme: Programme) -> dict[str, Any]:
    """The whole content of a programme as JSON-safe data (what a version keeps)."""
    return {
        "version": programme.version,
        "status": programme.status,
        **{name: _json(getattr(programme, name)) for name in EDITABLE},
        "countries": sorted(programme.countries.values_list("iso3", flat=True)),
        "implementing_organisations": sorted(
            programme.implementing_organisations.values_list("pk", flat=True)
        ),
        "funding_organisations": sorted(programme.funding_organisations.values_list("pk", flat=True)),
        "related": sorted(programme.related.values_list("pk", flat=True)),
        "indicators": [{f: getattr(i, f) for f in INDICATOR_FIELDS} for i in programme.indicators.all()],
        "evaluations": [
            {f: _json(getattr(e, f)) for f in EVALUATION_FIELDS} for e in programme.evaluations.all()
        ],
        "translations": {
            t.language: {f: getattr(t, f) for f in TRANSLATED_FIELDS if getattr(t, f)}
            for t in programme.translations.all()
        },
    }


def _claim_version(programme: Programme, expected: int | None, actor: User | None, change: str) -> Programme:
    """Keep the current state as a version and move to the next number, or refuse a stale edit.

    The compare-and-swap ``UPDATE ... WHERE version = expected`` is atomic on every backend, so of
    two editors who loaded the same version only the first one's change is saved.
    """
    current = Programme.objects.get(pk=programme.pk)
    base = current.version if expected is None else expected
    claimed = Programme.objects.filter(pk=programme.pk, version=base).update(version=base + 1)
    if not claimed:
        raise ProgrammeConflictError(
            f"This programme was changed by someone else while you were editing it: you started from "
            f"version {base}, and it is now at version {current.version}. Your changes were not saved.",
            fields={"expected_version": base, "current_version": current.version},
            fix="Open the programme again to see the latest version, re-apply your changes and save.",
        )
    ProgrammeVersion.objects.create(
        programme=current, number=base, snapshot=snapshot(current), replaced_by=actor, change=change
    )
    current.version = base + 1
    return current


# -- validation helpers ---------------------------------------------------------------------------


def _resolve_countries(codes: Sequence[str]) -> tuple[list[Country], list[Issue]]:
    upper = [str(c).strip().upper() for c in codes]
    found = {c.iso3: c for c in Country.objects.filter(iso3__in=upper)}
    issues = [
        Issue(
            "programmes.unknown_country",
            f"{code!r} is not a known ISO 3166-1 alpha-3 country code.",
            Location(field="countries"),
            value=code,
            expected="an ISO 3166-1 alpha-3 code such as NGA or FRA",
            fix="Use the three-letter code; GET /api/countries lists them.",
        )
        for code in dict.fromkeys(upper)
        if code not in found
    ]
    return [found[c] for c in dict.fromkeys(upper) if c in found], issues


def _resolve_organisations(field: str, ids: Sequence[int]) -> tuple[list[Organisation], list[Issue]]:
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=list(ids), is_active=True)}
    issues = [
        Issue(
            "programmes.unknown_organisation",
            f"No active organisation has id {pk}.",
            Location(field=field),
            value=str(pk),
            fix="Use GET /api/organisations, or write the name under the 'other' organisations.",
        )
        for pk in dict.fromkeys(ids)
        if pk not in found
    ]
    return list(found.values()), issues


def _resolve_related(
    ids: Sequence[int], visible: Any, own_id: int | None
) -> tuple[list[Programme], list[Issue]]:
    wanted = [pk for pk in dict.fromkeys(ids) if pk != own_id]
    found = {p.pk: p for p in visible.filter(pk__in=wanted)}
    issues = [
        Issue(
            "programmes.unknown_related",
            f"There is no programme {pk} that you can see.",
            Location(field="related"),
            value=str(pk),
            fix="Link only programmes you can open.",
        )
        for pk in wanted
        if pk not in found
    ]
    return list(found.values()), issues


def _write_children(
    programme: Programme,
    indicators: Sequence[Mapping[str, Any]] | None,
    evaluations: Sequence[Mapping[str, Any]] | None,
) -> None:
    if indicators is not None:
        programme.indicators.all().delete()
        Indicator.objects.bulk_create(
            Indicator(programme=programme, position=n, **{f: row.get(f) or "" for f in INDICATOR_FIELDS})
            for n, row in enumerate(indicators)
        )
    if evaluations is not None:
        programme.evaluations.all().delete()
        Evaluation.objects.bulk_create(
            Evaluation(
                programme=programme,
                position=n,
                **{f: (row.get(f) or None) if f == "date" else (row.get(f) or "") for f in EVALUATION_FIELDS},
            )
            for n, row in enumerate(evaluations)
        )


def _apply(
    programme: Programme,
    *,
    fields: Mapping[str, Any],
    countries: Sequence[str] | None,
    implementing: Sequence[int] | None,
    funding: Sequence[int] | None,
    related: Sequence[int] | None,
    indicators: Sequence[Mapping[str, Any]] | None,
    evaluations: Sequence[Mapping[str, Any]] | None,
    visible_programmes: Any,
) -> list[str]:
    """Validate everything, then write. Returns the names of the changed fields."""
    merged: dict[str, Any] = {name: getattr(programme, name) for name in EDITABLE}
    merged.update({k: v for k, v in fields.items() if k in EDITABLE})
    merged["indicators"] = (
        list(indicators)
        if indicators is not None
        else [{f: getattr(i, f) for f in INDICATOR_FIELDS} for i in programme.indicators.all()]
        if programme.pk
        else []
    )
    merged["evaluations"] = (
        list(evaluations)
        if evaluations is not None
        else [{f: getattr(e, f) for f in EVALUATION_FIELDS} for e in programme.evaluations.all()]
        if programme.pk
        else []
    )
    issues = check_programme(merged)
    resolved_countries, more = _resolve_countries(countries) if countries is not None else ([], [])
    issues += more
    impl, more = _resolve_organisations("implementing_organisations", implementing or [])
    issues += more
    fund, more = _resolve_organisations("funding_organisations", funding or [])
    issues += more
    rel, more = _resolve_related(related or [], visible_programmes, programme.pk)
    issues += more
    raise_for_issues(issues)
    budget, _ = check_budget(merged["budget_amount"], merged["budget_currency"])
    merged["budget_amount"] = budget.amount if budget else None
    merged["budget_currency"] = budget.currency if budget else ""
    for key in ("title", "problem_statement", "objectives", "activities", "lessons_learned"):
        merged[key] = str(merged[key] or "").strip()
    changed = [k for k in EDITABLE if getattr(programme, k) != merged[k]]
    for name in EDITABLE:
        setattr(programme, name, merged[name])
    programme.full_clean(exclude=["owner", "created_by", "related", "countries"])
    programme.save()
    if countries is not None:
        programme.countries.set(resolved_countries)
        changed.append("countries")
    if implementing is not None:
        programme.implementing_organisations.set(impl)
    if funding is not None:
        programme.funding_organisations.set(fund)
    if related is not None:
        programme.related.set(rel)
    _write_children(programme, indicators, evaluations)
    return changed


# -- actions --------------------------------------------------------------------------------------


@transaction.atomic
def create_programme(
    *,
    actor: User,
    fields: Mapping[str, Any],
    countries: Sequence[str] = (),
    implementing: Sequence[int] = (),
    funding: Sequence[int] = (),
    related: Sequence[int] = (),
    indicators: Sequence[Mapping[str, Any]] = (),
    evaluations: Sequence[Mapping[str, Any]] = (),
    translations: Mapping[str, Mapping[str, str]] | None = None,
    synthetic: bool = False,
    visible_programmes: Any = None,
    request: HttpRequest | None = None,
) -> Programme:
    """A new draft owned by ``actor``'s organisation."""
    programme = Programme(owner=actor.organisation, created_by=actor, synthetic=synthetic)
    _apply(
        programme,
        fields=fields,
        countries=countries,
        implementing=implementing,
        funding=funding,
        related=related,
        indicators=indicators,
        evaluations=evaluations,
        visible_programmes=visible_programmes if visible_programmes is not None else Programme.objects.none(),
    )
    for language, texts in (translations or {}).items():
        _write_translation(programme, language, texts)
    search.index_programme(programme)
    audit(
        AuditAction.CREATE, request=request, actor=actor, obj=programme, details={"status": programme.status}
    )
    return programme


@transaction.atomic
def update_programme(
    *,
    actor: User,
    programme: Programme,
    expected_version: int | None,
    fields: Mapping[str, Any],
    countries: Sequence[str] | None = None,
    implementing: Sequence[int] | None = None,
    funding: Sequence[int] | None = None,
    related: Sequence[int] | None = None,
    indicators: Sequence[Mapping[str, Any]] | None = None,
    evaluations: Sequence[Mapping[str, Any]] | None = None,
    visible_programmes: Any = None,
    request: HttpRequest | None = None,
) -> Programme:
    """Change a programme edited from ``expected_version`` (``None``: the current one)."""
    current = _claim_version(programme, expected_version, actor, "update")
    changed = _apply(
        current,
        fields=fields,
        countries=countries,
        implementing=implementing,
        funding=funding,
        related=related,
        indicators=indicators,
        evaluations=evaluations,
        visible_programmes=visible_programmes if visible_programmes is not None else Programme.objects.none(),
    )
    search.index_programme(current)
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=current,
        details={"changed": changed, "version": current.version},
    )
    return current


def _write_translation(programme: Programme, language: str, texts: Mapping[str, str]) -> None:
    issues: list[Issue] = []
    if language not in UN_LANGUAGES:
        issues.append(
            Issue(
                "registry.unknown_language",
                f"{language!r} is not one of the six UN languages.",
                Location(field="language"),
                fix=f"Use one of: {', '.join(UN_LANGUAGES)}.",
            )
        )
    elif language == programme.original_language:
        issues.append(
            Issue(
                "programmes.translation_of_original",
                f"{UN_LANGUAGES[language]} is the original language of this programme.",
                Location(field="language"),
                fix="Edit the programme itself to change its original text.",
            )
        )
    title = str(texts.get("title") or "")
    if len(title) > 300:
        issues.append(
            Issue(
                "registry.too_long",
                "The translated title is longer than 300 characters.",
                Location(field="title"),
            )
        )
    raise_for_issues(issues, "The translation")
    values = {f: str(texts.get(f) or "").strip() for f in TRANSLATED_FIELDS}
    if any(values.values()):
        ProgrammeTranslation.objects.update_or_create(programme=programme, language=language, defaults=values)
    else:
        ProgrammeTranslation.objects.filter(programme=programme, language=language).delete()


@transaction.atomic
def save_translation(
    *,
    actor: User,
    programme: Programme,
    language: str,
    texts: Mapping[str, str],
    expected_version: int | None,
    request: HttpRequest | None = None,
) -> Programme:
    """Set the translation of the free text into ``language`` (empty fields: not translated)."""
    current = _claim_version(programme, expected_version, actor, f"translation:{language}")
    _write_translation(current, language, texts)
    current.save(update_fields=["version", "updated_at"])
    search.index_programme(current)
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=current,
        details={"translation": language, "fields": sorted(k for k, v in texts.items() if v)},
    )
    return current


@transaction.atomic
def transition_programme(
    *,
    actor: User,
    programme: Programme,
    name: str,
    comment: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Programme:
    """Move a programme through the curation workflow (the caller checked who may take the step)."""
    target = apply_transition(programme.status, name, comment)
    current = _claim_version(programme, expected_version, actor, name)
    if current.status != programme.status:  # changed meanwhile: re-check from the stored status
        target = apply_transition(current.status, name, comment)
    before = current.status
    current.status = target
    current.save(update_fields=["status", "version", "updated_at"])
    ProgrammeReview.objects.create(
        programme=current, action=name, status=target, comment=comment.strip(), actor=actor
    )
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=current,
        details={"transition": name, "from": before, "to": target},
    )
    return current


@transaction.atomic
def delete_programme(*, actor: User, programme: Programme, request: HttpRequest | None = None) -> None:
    audit(AuditAction.DELETE, request=request, actor=actor, obj=programme)
    files = [d.file.name for d in programme.documents.all() if d.file.name]
    pk = programme.pk
    programme.delete()
    search.unindex_programme(pk)
    storage = ProgrammeDocument._meta.get_field("file").storage

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def add_document(
    *,
    actor: User,
    programme: Programme,
    data: bytes,
    filename: str,
    title: str = "",
    max_bytes: int,
    request: HttpRequest | None = None,
) -> ProgrammeDocument:
    """Store an uploaded document under a random name after checking its size and type by content."""
    kind = check_document(data, filename, max_bytes=max_bytes)
    document = ProgrammeDocument(
        programme=programme,
        title=title.strip()[:200],
        original_name=safe_filename(filename),
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    document.file.save("upload", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
            audit(
                AuditAction.CREATE,
                request=request,
                actor=actor,
                obj=document,
                details={"programme": programme.pk, "type": kind.extension, "size": len(data)},
            )
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def remove_document(*, actor: User, document: ProgrammeDocument, request: HttpRequest | None = None) -> None:
    audit(
        AuditAction.DELETE,
        request=request,
        actor=actor,
        obj=document,
        details={"programme": document.programme_id},
    )
    name = document.file.name or ""
    storage = document.file.storage
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def status_label(status: str) -> str:
    return str(ProgrammeStatus(status).label)
