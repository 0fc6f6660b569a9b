"""Template helpers for the shared form templates (``core/_form.html``, ``core/_field.html``)."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def field_anchor(field: forms.BoundField) -> str:
    """The id a link to ``field`` should target: its input, or the first box of a list of choices."""
    if field.id_for_label:
        return str(field.id_for_label)
    return f"{field.auto_id}_0" if field.auto_id else ""
