"""Forms of inspection rounds and findings; the rules live in ducha.inspections.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.inspections.models import InspectionRound, SelfInspectionItem, SpotCheck
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
    self_inspection_deadline = forms.DateField(
        label=_("Self-inspection deadline"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Hazard sweeps only: each unit inspects itself against the checklist by this day, "
            "then the office spot-checks."
        ),
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
    checklist_item = forms.ChoiceField(label=_("Checklist item"), required=False)

    def __init__(self, *args, user, inspection_round, **kwargs):
        super().__init__(*args, **kwargs)
        units = inspection_round.units.order_by("path")
        if inspection_round.is_hazard_sweep:
            # A hazard sweep's findings belong to a spot-check: only checked units are offered.
            units = units.filter(pk__in=inspection_round.spot_checks.values("unit_id"))
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = access.problem_categories_for_user(user)
        if inspection_round.checklist:
            self.fields["checklist_item"].choices = [
                ("", "—"),
                *((item, item) for item in inspection_round.checklist),
            ]
        else:
            del self.fields["checklist_item"]


class SpotCheckForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    date = forms.DateField(label=_("Date of the spot-check"), widget=DateInput())
    note = forms.CharField(
        label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, inspection_round, **kwargs):
        # Prefixed: the round page also holds the finding form, with its own unit field.
        kwargs.setdefault("prefix", "spot")
        super().__init__(*args, **kwargs)
        checked = SpotCheck.objects.filter(round=inspection_round).values("unit_id")
        self.fields["unit"].queryset = inspection_round.units.exclude(pk__in=checked).order_by(
            "path"
        )


class SelfInspectionForm(forms.Form):
    """One answer per checklist item: free of hazards, or a hazard with its description."""

    note = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, inspection_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = list(inspection_round.checklist)
        for n, item in enumerate(self.checklist):
            self.fields[f"result_{n}"] = forms.ChoiceField(
                label=item, choices=SelfInspectionItem.Result.choices, widget=forms.RadioSelect
            )
            self.fields[f"note_{n}"] = forms.CharField(
                label=_("The hazard found"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def items(self):
        """(item, result field, note field) per checklist item, for the template."""
        return [
            (item, self[f"result_{n}"], self[f"note_{n}"]) for n, item in enumerate(self.checklist)
        ]

    def clean(self):
        cleaned = super().clean()
        for n, _item in enumerate(self.checklist):
            result, note = cleaned.get(f"result_{n}"), (cleaned.get(f"note_{n}") or "").strip()
            if result == SelfInspectionItem.Result.HAZARD and not note:
                self.add_error(f"note_{n}", _("Describe the hazard found."))
        return cleaned

    def results(self) -> list[dict]:
        return [
            {
                "item": item,
                "result": self.cleaned_data[f"result_{n}"],
                "note": self.cleaned_data.get(f"note_{n}", ""),
            }
            for n, item in enumerate(self.checklist)
        ]


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
