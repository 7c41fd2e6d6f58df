"""Forms of the campaign pages. They validate input; ducha/campaigns/services.py decides.

Units and people offered come from ducha/orgs/access.py querysets, so a guessed id outside the
user's scope fails validation like any other wrong value. Model forms here are never saved.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import Campaign, KeyTask, LeadershipMember, Phase
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person

from .forms import PersonChoiceField, UnitChoiceField, _unsaved


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _campaign_units(user):
    # Departments report through their unit: they neither issue nor join campaigns.
    return (
        access.units_for_user(user, Cap.MANAGE_CAMPAIGNS)
        .filter(is_active=True)
        .exclude(kind=OrgUnit.Kind.DEPARTMENT)
    )


class CampaignForm(forms.ModelForm):
    """The campaign's own fields, its issuing unit (when created) and its scope."""

    unit = UnitChoiceField(label=_("Issuing unit"), queryset=OrgUnit.objects.none())
    units = forms.ModelMultipleChoiceField(
        label=_("Chosen units"),
        required=False,
        queryset=OrgUnit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Only when the scope is “Chosen units”: units under the issuing unit."),
    )

    class Meta:
        model = Campaign
        fields = [
            "unit",
            "title",
            "theme",
            "doc_number",
            "issuer",
            "issue_date",
            "starts_on",
            "ends_on",
            "scope_mode",
            "units",
            "objectives",
            "discipline_rules",
            "visit_group_max",
        ]
        widgets = {
            "issue_date": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "scope_mode": forms.RadioSelect,
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "discipline_rules": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"issuer": _("Left empty: the issuing unit's name.")}

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {})["units"] = list(
                instance.participants.values_list("unit_id", flat=True)
            )
        super().__init__(*args, instance=_unsaved(instance), **kwargs)
        units = _campaign_units(user)
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = self.fields["unit"].label_from_instance
        if instance is None:
            self.fields["unit"].queryset = units
        else:
            del self.fields["unit"]

    def clean(self):
        data = super().clean()
        if data.get("scope_mode") != Campaign.ScopeMode.LIST:
            data["units"] = []
        return data

    def scope_changed(self) -> bool:
        return bool({"scope_mode", "units"} & set(self.changed_data))


class CampaignSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Campaign.Status.choices],
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Campaign.Status.ACTIVE, _("Activate")),
            (Campaign.Status.CLOSED, _("Close")),
            (Campaign.Status.ARCHIVED, _("Archive")),
        ]
    )


class AdoptForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _campaign_units(user)


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "order", "starts_on", "start_text", "ends_on", "end_text", "tasks"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "tasks": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "start_text": _("The plan's own wording, e.g. 3月下旬."),
            "end_text": _("The plan's own wording, e.g. 4月底 or 6月18日前."),
        }

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=_unsaved(instance), **kwargs)
        self.fields["order"].required = False


class KeyTaskForm(forms.ModelForm):
    class Meta:
        model = KeyTask
        fields = ["number", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=_unsaved(instance), **kwargs)
        self.fields["number"].required = False


class LeadershipMemberForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", "—"), *LeadershipMember.Role.choices]
    )
    person = PersonChoiceField(
        label=_("Person"),
        required=False,
        queryset=Person.objects.none(),
        help_text=_("Linked: the name is the person's."),
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=50)
    post = forms.CharField(label=_("Post"), required=False, max_length=60)

    def __init__(self, *args, people=None, person_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people if people is not None else Person.objects.none()
        if person_choices is not None:
            field.choices = person_choices

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return not data.get("person") and not (data.get("name") or "").strip()

    def clean(self):
        data = super().clean()
        if not self.is_blank and not data.get("role"):
            self.add_error("role", _("Choose the role in the group."))
        return data


class BaseLeadershipFormSet(forms.BaseFormSet):
    def __init__(self, *args, user, **kwargs):
        # The people of the user's scope are read once for every row's list.
        people = access.people_for_user(user).select_related("unit")
        choices = list(PersonChoiceField(queryset=people, required=False).choices)
        super().__init__(*args, form_kwargs={"people": people, "person_choices": choices}, **kwargs)

    def members(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if not form.is_blank and not form.cleaned_data.get("DELETE")
        ]


LeadershipFormSet = forms.formset_factory(
    LeadershipMemberForm, formset=BaseLeadershipFormSet, extra=3, can_delete=True, max_num=100
)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("At most 20 MB."))
