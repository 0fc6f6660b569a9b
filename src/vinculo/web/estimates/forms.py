from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vinculo.web.accounts.models import Organisation
from vinculo.web.core.countries import CountryChoiceField
from vinculo.web.core.models import Country, Sensitivity
from vinculo.web.core.widgets import SearchableCheckboxes

METHOD_CHOICES = [
    ("stepwise", _("Stepwise selection of list interactions (Chan, Silverman & Vincent 2021)")),
    ("bic", _("Best model by BIC over all hierarchical models (Silverman, Chan & Vincent 2024)")),
    ("aic", _("Best model by AIC over all hierarchical models")),
    ("main", _("Main effects only (lists independent)")),
    ("bayes", _("Bayesian model averaging over decomposable graphs (Madigan & York 1997)")),
]
CI_CHOICES = [
    ("wald", _("Wald interval (fast)")),
    ("profile", _("Profile likelihood interval")),
    ("bca", _("Bootstrap with model selection repeated (BCa)")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class EstimateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("Capture histories (CSV)"),
        required=False,
        help_text=_("One 0/1 column per list and a count column; one row per combination of lists."),
    )
    list_files = MultipleFileField(
        label=_("Or: one file per list (CSV)"),
        required=False,
        help_text=_(
            "Each file holds the identifiers of the cases on one list (column id), and its name is the "
            "list name. Cases are matched by identical identifiers; only the counts are kept."
        ),
    )
    stratum_column = forms.CharField(
        label=_("Stratum column (optional)"),
        max_length=100,
        required=False,
        help_text=_(
            "For example year or sex: each stratum is estimated separately and the estimates are summed."
        ),
    )
    country = CountryChoiceField(label=_("Country"), queryset=Country.objects.all(), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    method = forms.ChoiceField(label=_("Model choice"), choices=METHOD_CHOICES, initial="stepwise")
    ci = forms.ChoiceField(label=_("Interval"), choices=CI_CHOICES, initial="wald")
    level = forms.FloatField(label=_("Confidence level"), min_value=0.5, max_value=0.999, initial=0.95)
    pthresh = forms.FloatField(
        label=_("Stepwise p-value threshold"), min_value=1e-6, max_value=0.5, initial=0.02
    )
    max_order = forms.IntegerField(
        label=_("Highest interaction order (BIC/AIC)"), min_value=1, max_value=4, initial=2
    )
    nboot = forms.IntegerField(label=_("Bootstrap replicates"), min_value=50, max_value=10000, initial=1000)
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, initial=1234)
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"), choices=Sensitivity.choices, initial=Sensitivity.RESTRICTED
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Share with these organisations"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=SearchableCheckboxes(),
    )

    #: Statistical settings whose defaults suit most tables: shown behind "Advanced settings".
    ADVANCED = ("method", "ci", "level", "pthresh", "max_order", "nboot", "seed")

    def basic_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name not in self.ADVANCED]

    def advanced_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name in self.ADVANCED]

    def advanced_errors(self) -> bool:
        """Open the group when one of its fields is wrong, so the error is not hidden."""
        return any(name in self.errors for name in self.ADVANCED)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_table = bool(data.get("file"))
        n_lists = len(data.get("list_files") or [])
        if has_table == bool(n_lists):
            self.add_error("file", _("Upload either a capture-history table or one file per list, not both."))
        elif n_lists == 1:
            self.add_error(
                "list_files", _("Upload at least two list files: estimation needs overlapping lists.")
            )
        return data

    def settings(self) -> dict[str, Any]:
        data = self.cleaned_data
        ci = data["ci"]
        if data["method"] == "bayes":
            ci = "none"
        return {
            "method": data["method"],
            "ci": ci,
            "level": data["level"],
            "pthresh": data["pthresh"],
            "max_order": data["max_order"],
            "nboot": data["nboot"],
            "seed": data["seed"],
        }
