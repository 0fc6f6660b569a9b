"""Template helpers for the shared form templates (``core/_form.html``, ``core/_field.html``) and the one
error summary every form shows after a failed submit (``core/_error_summary.html``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.utils.translation import gettext as _

from vinculo.errors import Issue

register = template.Library()


@dataclass(frozen=True)
class SummaryItem:
    """One line of the error summary: its text and the id of the field it links to ("" for none)."""

    text: str
    anchor: str = ""


@register.filter
def field_anchor(field: forms.BoundField) -> str:
    """The id a link to ``field`` should target: its input, or the first box of a list of choices."""
    if field.id_for_label:
        return str(field.id_for_label)
    return f"{field.auto_id}_0" if field.auto_id else ""


def _issue_text(message: str, fix: str | None, row: int | None) -> str:
    text = message + (f" {fix}" if fix else "")
    return f"{_('Row %(n)s') % {'n': row}}: {text}" if row is not None else text


def _form_items(form: forms.BaseForm) -> tuple[list[SummaryItem], int]:
    items = [SummaryItem(str(e)) for e in form.non_field_errors()]
    items += [SummaryItem(str(e)) for field in form.hidden_fields() for e in field.errors]
    fields = 0
    for field in form.visible_fields():
        fields += bool(field.errors)
        items += [SummaryItem(f"{field.label}: {e}", field_anchor(field)) for e in field.errors]
    return items, fields


def summary_items(*sources: Any) -> tuple[list[SummaryItem], int]:
    """(the summary's lines, how many fields have errors) from forms, formsets, issues and texts.

    A source may be a form, a formset (its own errors and each form's), a :class:`SummaryItem`, an
    :class:`~vinculo.errors.Issue` (or its ``to_dict()``), a text, or a list of these; empty ones are
    skipped.
    """
    items: list[SummaryItem] = []
    fields = 0
    for source in sources:
        if source is None or source == "":
            continue
        if isinstance(source, forms.BaseForm):
            found, n = _form_items(source)
        elif isinstance(source, forms.BaseFormSet):
            found, n = summary_items([str(e) for e in source.non_form_errors()], *source.forms)
        elif isinstance(source, SummaryItem):
            found, n = [source], 0
        elif isinstance(source, Issue):
            found, n = [SummaryItem(_issue_text(source.message, source.fix, source.location.row))], 0
        elif isinstance(source, Mapping):  # an issue as stored and shown (Issue.to_dict, no value)
            row = (source.get("location") or {}).get("row")
            found, n = [SummaryItem(_issue_text(str(source.get("message", "")), source.get("fix"), row))], 0
        elif isinstance(source, str):
            found, n = [SummaryItem(source)], 0
        elif isinstance(source, Iterable):
            found, n = summary_items(*source)
        else:
            found, n = [SummaryItem(str(source))], 0
        items += found
        fields += n
    return items, fields


@register.inclusion_tag("core/_error_summary.html")
def error_summary(*sources: Any, intro: str = "", outro: str = "", level: int = 2) -> dict[str, Any]:
    """The error summary of a failed submit (nothing when there is no error); see :func:`summary_items`.

    ``intro`` and ``outro`` are sentences shown before and after the list (e.g. "Nothing was stored.");
    ``level`` is its heading's (3 inside a section headed by an ``<h2>``).
    """
    items, fields = summary_items(*sources)
    heading = min(max(int(level), 2), 6)
    return {"items": items, "n_fields": fields, "intro": intro, "outro": outro, "level": heading}
