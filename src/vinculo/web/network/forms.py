from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.web.accounts.models import Organisation
from vinculo.web.core.countries import CountryChoiceField, CountryMultipleChoiceField
from vinculo.web.core.models import Country
from vinculo.web.core.widgets import SearchableCheckboxes

from .models import Mechanism

DATE = forms.DateInput(attrs={"type": "date"})


class MechanismForm(forms.ModelForm[Mechanism]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Mechanism
        field_classes = {"country": CountryChoiceField}
        fields = [
            "country",
            "organisation",
            "kind",
            "mandate",
            "legal_basis",
            "independence",
            "independence_note",
            "contact_email",
            "contact_phone",
            "contact_address",
        ]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=SearchableCheckboxes(),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("PDF document"), help_text=_("PDF only, at most 10 MB."))


class NoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    countries = CountryMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.all(),
        required=False,
        widget=SearchableCheckboxes(),
    )
    programme_id = forms.IntegerField(label=_("Programme id (optional)"), required=False, min_value=1)
