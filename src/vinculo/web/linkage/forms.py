from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.web.accounts.models import Organisation
from vinculo.web.core.widgets import SearchableCheckboxes

from .models import PERSON_FIELDS, Decision, Mode


def _organisations() -> Any:
    return Organisation.objects.filter(is_active=True).order_by("name")


class ExerciseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why the lists are linked, and what the result will be used for (the invited organisations read it)."
        ),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, initial=Mode.TRUSTED)
    person_fields = forms.MultipleChoiceField(
        label=_("Person fields compared"),
        choices=[(f, f) for f in PERSON_FIELDS],
        initial=list(PERSON_FIELDS),
        widget=forms.CheckboxSelectMultiple,
    )
    year_from = forms.IntegerField(
        label=_("From year (optional)"), min_value=1990, max_value=2100, required=False
    )
    year_to = forms.IntegerField(
        label=_("To year (optional)"), min_value=1990, max_value=2100, required=False
    )
    threshold = forms.FloatField(
        label=_("Match threshold (optional)"),
        min_value=0.01,
        max_value=0.99,
        required=False,
        help_text=_("Leave empty for the linker's default (estimated from the data)."),
    )
    invite = forms.ModelMultipleChoiceField(
        label=_("Invite these organisations"),
        queryset=_organisations(),
        required=False,
        widget=SearchableCheckboxes(),
    )


class InviteForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Invite these organisations"),
        queryset=_organisations(),
        widget=SearchableCheckboxes(),
        error_messages={"required": _("Choose at least one organisation to invite.")},
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class EncodingsForm(forms.Form):
    file = forms.FileField(
        label=_("Encodings file (.enc)"),
        help_text=_(
            "Made at your organisation with `vinculo encode`, with the secret shared among the organisations only."
        ),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, required=False)
