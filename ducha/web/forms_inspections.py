"""Forms of inspection rounds and findings; the rules live in ducha.inspections.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.inspections.models import InspectionRound
from ducha.orgs import access
from ducha.orgs.models import OrgUnit
from ducha.problems.models import Problem

from .forms_campaigns import DateInput


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionRound.Kind.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=InspectionRound.Mode.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    bodies = forms.CharField(
        label=_("Supervising bodies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; several make a joint inspection."),
    )
    checklist = forms.CharField(
        label=_("Checklist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One item per line."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Inspected units"),
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (
            access.units_for_user(user)
            .filter(path__startswith=campaign.unit.path, is_active=True)
            .exclude(pk=campaign.unit_id)
            .order_by("path")
        )

    def clean_checklist(self):
        return [line for line in self.cleaned_data["checklist"].splitlines() if line.strip()]


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Problem.Severity.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, user, inspection_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspection_round.units.order_by("path")
        self.fields["category"].queryset = access.problem_categories_for_user(user)


class BulletinDraftForm(forms.Form):
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    doc_prefix = forms.CharField(
        label=_("Document number prefix"),
        max_length=20,
        required=False,
        help_text=_("The issuer's short name, e.g. 黄卫通 in 黄卫通〔2012〕3号."),
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    criticised = forms.ModelMultipleChoiceField(
        label=_("Units criticised by name"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each becomes a problem of that unit when the bulletin is issued."),
    )
    copy_to = forms.CharField(label=_("Copy to"), max_length=300, required=False)

    def __init__(self, *args, bulletin, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": bulletin.title,
                "doc_prefix": bulletin.doc_prefix,
                "body": bulletin.body,
                "criticised": list(bulletin.criticised.all()),
                "copy_to": bulletin.copy_to,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["criticised"].queryset = (
            OrgUnit.objects.filter(participations__campaign=bulletin.campaign, is_active=True)
            .exclude(kind=OrgUnit.Kind.DEPARTMENT)
            .order_by("path")
        )
