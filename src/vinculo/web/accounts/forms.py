from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What the token is for, for example “nightly export script”."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True), required=False
    )
    is_active = forms.BooleanField(label=_("Account active"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") != Role.ADMIN and data.get("organisation") is None:
            self.add_error(
                "organisation", _("Choose an organisation: only platform administrators may have none.")
            )
        return data
