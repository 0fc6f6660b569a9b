from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TreatyEntry


class TreatyEntryForm(forms.ModelForm[TreatyEntry]):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("For the edit history, e.g. 'checked the UNTC page on 2025-06-01'."),
    )

    class Meta:
        model = TreatyEntry
        fields = [
            "status",
            "signature_date",
            "signature_precision",
            "action_kind",
            "action_date",
            "action_precision",
            "source",
            "citation",
            "note",
        ]
        widgets = {
            "signature_date": forms.DateInput(attrs={"type": "date"}),
            "action_date": forms.DateInput(attrs={"type": "date"}),
            "citation": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
