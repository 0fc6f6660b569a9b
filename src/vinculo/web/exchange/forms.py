from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.web.accounts.models import Organisation
from vinculo.web.core.countries import CountryMultipleChoiceField
from vinculo.web.core.models import Country
from vinculo.web.core.widgets import SearchableCheckboxes

from .models import Notice


class NoticeForm(forms.ModelForm[Notice]):
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Share with these organisations"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text=_("Only used when the sensitivity is restricted."),
        widget=SearchableCheckboxes(),
    )
    countries = CountryMultipleChoiceField(
        label=_("Countries concerned"),
        queryset=Country.objects.all(),
        required=False,
        widget=SearchableCheckboxes(),
    )

    class Meta:
        model = Notice
        fields = ["kind", "title", "body", "sensitivity", "shared_with", "countries"]
