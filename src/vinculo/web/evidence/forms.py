from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SubmissionForm(forms.Form):
    file = forms.FileField(
        label=_("Figures (xlsx, csv or csv.gz)"),
        help_text=_(
            "The same layout as the UNODC export data_glotip.xlsx: columns Iso3_code, Country, Region, "
            "Subregion, Indicator, Dimension, Category, Sex, Age, Year, Unit of measurement, txtVALUE, "
            'Source. Only your country\'s rows. Write counts below 5 as "<5".'
        ),
    )


class ReviewForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("start_review", _("Start the review")),
            ("publish", _("Publish the figures")),
            ("return", _("Return with comments")),
        ],
    )
    comments = forms.CharField(
        label=_("Comments to the organisation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
