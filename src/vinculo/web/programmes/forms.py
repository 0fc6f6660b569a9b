"""Forms of the programmes area. Plain forms: the action functions validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.registry import TRANSLATED_FIELDS
from vinculo.web.accounts.models import Organisation
from vinculo.web.core.countries import CountryMultipleChoiceField
from vinculo.web.core.models import Country
from vinculo.web.core.widgets import SearchableCheckboxes

from .models import (
    EvaluationDesign,
    Evaluator,
    EvidenceRating,
    FormOfExploitation,
    Language,
    Pillar,
    TargetGroup,
)

CHECKBOXES = forms.CheckboxSelectMultiple


class ProgrammeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    original_language = forms.ChoiceField(
        label=_("Language of the text"), choices=Language.choices, initial=Language.EN
    )
    problem_statement = forms.CharField(label=_("Problem statement"), widget=forms.Textarea, required=False)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea, required=False)
    activities = forms.CharField(label=_("Activities"), widget=forms.Textarea, required=False)
    implementing_organisations = forms.ModelMultipleChoiceField(
        label=_("Implementing organisations on the platform"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=SearchableCheckboxes(),
    )
    implementing_other = forms.CharField(
        label=_("Other implementing organisations"),
        help_text=_("One name per line, for organisations not on the platform."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    funding_organisations = forms.ModelMultipleChoiceField(
        label=_("Funding organisations on the platform"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=SearchableCheckboxes(),
    )
    funding_other = forms.CharField(
        label=_("Other funders"),
        help_text=_("One name per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    countries = CountryMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.all(),
        to_field_name="iso3",
        required=False,
        widget=SearchableCheckboxes(),
    )
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    budget_amount = forms.DecimalField(label=_("Budget"), required=False, max_digits=16, decimal_places=2)
    budget_currency = forms.CharField(
        label=_("Currency"),
        max_length=8,
        required=False,
        help_text=_("The ISO 4217 code, such as USD, EUR or XOF."),
        widget=forms.TextInput(attrs={"size": 4, "autocomplete": "off"}),
    )
    pillars = forms.MultipleChoiceField(
        label=_("Global Plan of Action pillars"), choices=Pillar.choices, widget=CHECKBOXES, required=False
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, widget=CHECKBOXES, required=False
    )
    evidence_rating = forms.ChoiceField(
        label=_("Strength of the evidence"),
        choices=EvidenceRating.choices,
        initial=EvidenceRating.NOT_ASSESSED,
    )
    evidence_rationale = forms.CharField(
        label=_("Rationale of the rating"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lessons_learned = forms.CharField(label=_("Lessons learned"), widget=forms.Textarea, required=False)
    related = forms.TypedMultipleChoiceField(
        label=_("Related programmes"),
        coerce=int,
        required=False,
        widget=SearchableCheckboxes(),
    )

    # Declared last: from here on the name ``forms`` is this field inside the class body.
    forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation addressed"),
        choices=FormOfExploitation.choices,
        widget=CHECKBOXES,
        required=False,
    )

    def __init__(
        self, *args: Any, related_choices: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["related"].choices = related_choices or []  # type: ignore[attr-defined]

    def action_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {k: v for k, v in data.items() if k not in ("version", "countries", "related")} | {
            "budget_amount": data.get("budget_amount"),
        }


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=80, required=False)
    baseline = forms.CharField(label=_("Baseline"), max_length=120, required=False)
    target = forms.CharField(label=_("Target"), max_length=120, required=False)
    result = forms.CharField(label=_("Result"), max_length=120, required=False)
    source = forms.CharField(label=_("Source of data"), max_length=300, required=False)


class EvaluationForm(forms.Form):
    evaluator_name = forms.CharField(label=_("Who"), max_length=200, required=False)
    evaluator = forms.ChoiceField(
        label=_("Evaluator"), choices=[("", "—"), *Evaluator.choices], required=False
    )
    design = forms.ChoiceField(
        label=_("Design"), choices=[("", "—"), *EvaluationDesign.choices], required=False
    )
    date = forms.DateField(label=_("When"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.CharField(label=_("Method"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    relevance = forms.CharField(
        label=_("Relevance"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    coherence = forms.CharField(
        label=_("Coherence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    effectiveness = forms.CharField(
        label=_("Effectiveness"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    efficiency = forms.CharField(
        label=_("Efficiency"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    impact = forms.CharField(label=_("Impact"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    sustainability = forms.CharField(
        label=_("Sustainability"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=2, can_delete=True, max_num=50)
EvaluationFormSet = forms.formset_factory(EvaluationForm, extra=1, can_delete=True, max_num=20)


def formset_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled, not deleted rows of a valid formset."""
    rows = []
    for form in formset.forms:
        data = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        if form.cleaned_data.get("DELETE") or not any(v for v in data.values()):
            continue
        rows.append(data)
    return rows


class TranslationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    problem_statement = forms.CharField(label=_("Problem statement"), widget=forms.Textarea, required=False)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea, required=False)
    activities = forms.CharField(label=_("Activities"), widget=forms.Textarea, required=False)
    lessons_learned = forms.CharField(label=_("Lessons learned"), widget=forms.Textarea, required=False)

    def texts(self) -> dict[str, str]:
        return {f: self.cleaned_data.get(f, "") for f in TRANSLATED_FIELDS}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint or OpenDocument; at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.doc,.xls,.ppt,.odt,.ods,.odp"}
        ),
    )


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    step = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("Comment to the submitter"),
        help_text=_("Required when you return the programme; the submitter sees it."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
