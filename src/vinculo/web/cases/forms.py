from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.web.accounts.models import Organisation
from vinculo.web.core.models import Sensitivity
from vinculo.web.core.widgets import SearchableCheckboxes


class SubmissionForm(forms.Form):
    file = forms.FileField(
        label=_("Case file"),
        help_text=_(
            "CSV, Excel (.xlsx), JSON, or a KoBoToolbox/ODK export of the HTCDS form. Row 1 holds the HTCDS "
            "field names (the HTCDS Excel templates can be used as they are)."
        ),
    )
    mapping = forms.FileField(
        label=_("Mapping file (optional)"),
        required=False,
        help_text=_("CSV or JSON that maps your column names and values to HTCDS fields."),
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity of the records"), choices=Sensitivity.choices, initial=Sensitivity.RESTRICTED
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Share with these organisations"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text=_("Cases without consent to share are never shown outside your organisation."),
        widget=SearchableCheckboxes(),
    )


class ConfirmForm(forms.Form):
    valid_only = forms.BooleanField(
        label=_("Import only the valid rows and keep the others in an encrypted quarantine file"),
        required=False,
    )
