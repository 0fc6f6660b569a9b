from __future__ import annotations

from django import forms

from .models import Event

DATE = forms.DateInput(attrs={"type": "date"})


class EventForm(forms.ModelForm[Event]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = ["kind", "title", "description", "location", "url", "starts_on", "ends_on", "yearly"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
