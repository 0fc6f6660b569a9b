from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.web.core.countries import CountryChoiceField

from .models import GRANTABLE_ROLES, Organisation, Role


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What the token is for, for example “nightly export script”."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=GRANTABLE_ROLES)
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
        if data.get("role") == Role.ADMIN and data.get("organisation") is not None:
            self.add_error(
                "organisation",
                _(
                    "A platform administrator belongs to no organisation: leave the organisation empty, "
                    "or choose another role."
                ),
            )
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("refuse", _("Refuse"))])


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "country", "icat_role", "website", "description"]
        field_classes = {"country": CountryChoiceField}


class PersonForm(forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and . @ + - _ only."),
        error_messages={"invalid": _("Use only letters, digits and . @ + - _ in a user name.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The invitation to choose a password goes here.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=GRANTABLE_ROLES, initial=Role.ANALYST)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True), required=False
    )

    def clean_username(self) -> str:
        from .models import User

        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken. Choose another."))
        return username

    def clean_email(self) -> str:
        from .models import User

        email: str = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "This e-mail address already belongs to an account. Each address holds one account: "
                    "change that account's role instead, or use the person's own address."
                )
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") != Role.ADMIN and data.get("organisation") is None:
            self.add_error(
                "organisation", _("Choose an organisation: only platform administrators may have none.")
            )
        if data.get("role") == Role.ADMIN and data.get("organisation") is not None:
            self.add_error(
                "organisation",
                _(
                    "A platform administrator belongs to no organisation: leave the organisation empty, "
                    "or choose another role."
                ),
            )
        return data
