"""Forms of published scores and appeals; the rules live in ducha/assessment/releases.py and
ducha/assessment/appeals.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.assessment.models import Appeal, Indicator
from ducha.orgs.models import OrgUnit
from ducha.submissions.files import ACCEPT


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReleasePublishForm(forms.Form):
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Give the month as YYYY-MM.")},
    )
    appeal_deadline = forms.DateField(
        label=_("Appeal deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Units may appeal until the end of this day; a week from today if empty."),
    )


class AppealForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("The whole score"),
    )
    reasons = forms.CharField(
        label=_("Reasons for the appeal"), widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label=_("Evidence"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Word, Excel, PDF, JPEG or PNG."),
    )

    def __init__(self, *args, units, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["indicator"].queryset = indicators


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Appeal.Status.ACCEPTED, _("Accept the appeal")),
            (Appeal.Status.REJECTED, _("Reject the appeal")),
        ],
        widget=forms.RadioSelect,
    )
    decision_note = forms.CharField(
        label=_("Decision note"), widget=forms.Textarea(attrs={"rows": 3})
    )
    corrected_value = forms.DecimalField(
        label=_("Corrected value (0–100)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Needed to accept an appeal on one indicator; the ranking is recomputed."),
    )
