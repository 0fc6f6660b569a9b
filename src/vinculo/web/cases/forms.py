from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.web.accounts.models import Organisation
from vinculo.web.core.models import Sensitivity
from vinculo.web.core.widgets import SearchableCheckboxes

from .models import DateOrder, SavedMapping


class SubmissionForm(forms.Form):
    file = forms.FileField(
        label=_("Case file"),
        help_text=_(
            "CSV, Excel (.xlsx), JSON, or a KoBoToolbox/ODK export of the HTCDS form. Row 1 holds the HTCDS "
            "field names (the HTCDS Excel templates can be used as they are)."
        ),
    )
    saved_mapping = forms.ModelChoiceField(
        label=_("Saved mapping (optional)"),
        queryset=SavedMapping.objects.none(),
        required=False,
        empty_label=_("None: read the columns by their names"),
        help_text=_("A mapping of columns saved on an earlier upload of your organisation."),
    )
    mapping = forms.FileField(
        label=_("Mapping file (optional)"),
        required=False,
        help_text=_("CSV or JSON that maps your column names and values to HTCDS fields."),
    )
    date_order = forms.ChoiceField(
        label=_("Dates such as 03/04/2021"),
        choices=DateOrder.choices,
        required=False,
        help_text=_("If not chosen, a date that reads both ways (12/05/1988) is reported as a problem."),
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

    def __init__(self, *args: Any, owner_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["saved_mapping"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            SavedMapping.objects.filter(owner_id=owner_id) if owner_id else SavedMapping.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("saved_mapping") and data.get("mapping"):
            raise forms.ValidationError(
                _("Choose either a saved mapping or a mapping file, not both."), code="two_mappings"
            )
        return data


class ConfirmForm(forms.Form):
    valid_only = forms.BooleanField(
        label=_("Import only the valid rows and keep the others in an encrypted quarantine file"),
        required=False,
    )


IGNORE = "-"
# Columns the user maps on the mapping page; the others (record id, export metadata, KoBo option
# columns, row numbers and columns without a header) are shown but read as they are.
MAPPABLE_HOWS = frozenset(
    {
        "name",
        "alias",
        "normalised",
        "label",
        "group_path",
        "mapping",
        "ignored",
        "unknown",
        "duplicate",
        "ambiguous",
    }
)


class MappingForm(forms.Form):
    """One choice per named column of the file (an HTCDS field, or ignore), the date order, a name to save."""

    date_order = forms.ChoiceField(
        label=_("Dates such as 03/04/2021"), choices=DateOrder.choices, required=False
    )
    save_as = forms.CharField(
        label=_("Save this mapping for the next uploads as (optional)"),
        max_length=100,
        required=False,
        help_text=_("Your organisation's data managers can then choose it on the upload page."),
    )

    def __init__(
        self, *args: Any, columns: list[dict[str, Any]], field_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.column_names: list[tuple[str, dict[str, Any]]] = []
        for col in columns:
            name = f"col_{col['index']}"
            initial = col.get("field") or (IGNORE if col.get("how") == "ignored" else "")
            self.fields[name] = forms.ChoiceField(
                label=col["header"],
                choices=[
                    ("", _("Automatic, by the column's name (unknown names: kept as extra data, protected)")),
                    (IGNORE, _("Ignore this column (its values are not kept)")),
                    *field_choices,
                ],
                required=False,
                initial=initial,
            )
            self.column_names.append((name, col))

    def column_fields(self) -> list[tuple[forms.BoundField, dict[str, Any]]]:
        return [(self[name], col) for name, col in self.column_names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        taken: dict[str, str] = {}
        for name, col in self.column_names:
            target = data.get(name) or ""
            if target and target != IGNORE:
                if target in taken:
                    self.add_error(
                        name,
                        _(
                            "Columns “%(a)s” and “%(b)s” are both mapped to %(field)s; map one of them to another "
                            "field or ignore it."
                        )
                        % {"a": taken[target], "b": col["header"], "field": target},
                    )
                else:
                    taken[target] = col["header"]
        return data

    def chosen_columns(self) -> dict[str, str | None]:
        """Header -> HTCDS field (or None to ignore) for every column mapped or ignored on purpose."""
        out: dict[str, str | None] = {}
        for name, col in self.column_names:
            target = self.cleaned_data.get(name) or ""
            if target == IGNORE:
                out[col["header"]] = None
            elif target:
                out[col["header"]] = target
        return out
