from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.web.accounts.models import Organisation, OrganisationKind

from .models import GrantCycle

DATE = forms.DateInput(attrs={"type": "date"})


class ContributionForm(forms.Form):
    donor_organisation = forms.ModelChoiceField(
        label=_("Donor organisation"), queryset=Organisation.objects.filter(is_active=True), required=False
    )
    donor_name = forms.CharField(label=_("Or donor name"), max_length=200, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    amount = forms.CharField(label=_("Amount"), max_length=20, help_text=_("e.g. 25000 or 1250.50"))
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="USD")
    earmarking = forms.CharField(
        label=_("Earmarking"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CycleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2010, max_value=2100)
    opens_on = forms.DateField(label=_("Call opens"), widget=DATE)
    closes_on = forms.DateField(label=_("Call closes"), widget=DATE)


class GrantForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Grant cycle"), queryset=GrantCycle.objects.all())
    grantee = forms.ModelChoiceField(
        label=_("Grantee NGO"),
        queryset=Organisation.objects.filter(is_active=True, kind=OrganisationKind.CIVIL_SOCIETY),
    )
    title = forms.CharField(label=_("Project"), max_length=200)
    amount = forms.CharField(label=_("Amount granted"), max_length=20)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="USD")
    starts_on = forms.DateField(label=_("Period starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Period ends"), widget=DATE)
    services = forms.CharField(label=_("Services funded"), widget=forms.Textarea(attrs={"rows": 3}))


class DisbursementForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    amount = forms.CharField(label=_("Amount"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Report"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    received_on = forms.DateField(label=_("Received on"), widget=DATE, required=False)
