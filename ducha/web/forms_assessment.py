"""Forms of the indicator system and hand scores; rules live in ducha.assessment.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.assessment.models import FollowUp, Indicator
from ducha.orgs.models import OrgUnit


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "content",
            "standard",
            "method",
            "weight",
            "target",
            "comparator",
            "target_value",
            "computed_source",
            "veto",
            "leader",
            "responsible_person",
        ]
        widgets = {"standard": forms.Textarea(attrs={"rows": 2})}


class PeriodForm(forms.Form):
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
    )


class ManualScoreForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    value = forms.DecimalField(label=_("Score (0–100)"), min_value=0, max_value=100)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = campaign.indicators.filter(
            computed_source=Indicator.Source.NONE
        )
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units])


class FollowUpForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    kind = forms.ChoiceField(label=_("Follow-up"), choices=FollowUp.Kind.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units])


class ScoreImportForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    file = forms.FileField(
        label=_("Table (.xlsx)"),
        help_text=_("Columns: unit code or name, score (0–100), evidence; a header row first."),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = campaign.indicators.filter(
            computed_source=Indicator.Source.NONE
        )


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label=_("Indicator table (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
