"""Forms of the survey, commendation and typical-case pages. They validate input; the
services in ducha/surveys/services/ decide.

Units, people and campaigns offered come from ducha/orgs/access.py querysets, so a guessed id
outside the user's scope fails validation like any other wrong value. The answer form is built
from a survey version's questions; whether a required one was answered is the service's call,
so the same rule holds for the public form, the staff form and the API.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit
from ducha.surveys import antiabuse
from ducha.surveys.models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    Honour,
    Question,
    Survey,
    TypicalCase,
)
from ducha.surveys.services.recognition import Decision

from .forms import PersonChoiceField, UnitChoiceField, _unsaved
from .forms_submissions import MultipleFileField

HONOUR_SUGGESTIONS = [
    "优秀党员",
    "先进基层党组织",
    "白求恩式医疗卫生工作者",
    "行风标兵",
    "优秀党务工作者",
]


def _campaigns(user):
    return access.campaigns_for_user(user).order_by("-issue_date", "-id")


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        return obj.title


# --- surveys ---------------------------------------------------------------------------------


class SurveyForm(forms.ModelForm):
    unit = UnitChoiceField(label=_("Issuing unit"), queryset=OrgUnit.objects.none())
    campaign = CampaignChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.none()
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Units reviewed"),
        required=False,
        queryset=OrgUnit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("None chosen: every unit under the issuing unit."),
    )
    periodicity = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[("", _("As the kind suggests")), *Survey.Periodicity.choices],
        help_text=_("Satisfaction surveys are monthly; reviews are answered once."),
    )
    starter = forms.BooleanField(
        label=_("Start with the usual questions"), required=False, initial=True
    )

    class Meta:
        model = Survey
        fields = [
            "unit",
            "title",
            "description",
            "kind",
            "audience",
            "campaign",
            "targets",
            "satisfaction_threshold",
            "publish_to_public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, instance=None, **kwargs):
        super().__init__(*args, instance=_unsaved(instance), **kwargs)
        units = access.units_for_user(user, Cap.MANAGE_CAMPAIGNS).filter(is_active=True)
        self.fields["unit"].queryset = units
        self.fields["campaign"].queryset = _campaigns(user)
        self.fields["targets"].queryset = access.units_for_user(user).filter(is_active=True)
        if instance is not None:
            del self.fields["unit"], self.fields["starter"]
            self.fields["periodicity"].required = True
            self.fields["periodicity"].choices = Survey.Periodicity.choices
            self.initial["periodicity"] = instance.periodicity
            self.initial["targets"] = list(instance.targets.all())


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Explanation"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Choice questions only: one choice per line."),
    )
    section = forms.ModelChoiceField(label=_("Section"), required=False, queryset=None)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    is_key = forms.BooleanField(
        label=_("Key question (the satisfaction rate is read from it)"), required=False
    )
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=999)

    def __init__(self, *args, version, question: Question | None = None, **kwargs):
        if question is not None:
            kwargs.setdefault(
                "initial",
                {
                    "text": question.text,
                    "help_text": question.help_text,
                    "kind": question.kind,
                    "choices": "\n".join(c.label for c in question.choices.all()),
                    "section": question.section_id,
                    "required": question.required,
                    "is_key": question.is_key,
                    "order": question.order,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = version.sections.all()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = [line for line in data["choices"].splitlines() if line.strip()]
        if data.get("order") is None:
            data.pop("order")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Survey.Status.choices)


class PeriodUnitForm(forms.Form):
    """Which unit and period the results page shows."""

    unit = forms.ModelChoiceField(queryset=None, required=False)
    period = forms.CharField(required=False, max_length=7)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class FeedbackForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    period = forms.CharField(required=False, max_length=7, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Feedback to the unit"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    to_public = forms.BooleanField(label=_("Publish to the public as well"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (Answer.Moderation.APPROVED, _("Approve")),
            (Answer.Moderation.REJECTED, _("Reject")),
        ]
    )


class AnswerForm(forms.Form):
    """The questions of a version as fields named by their codes (q1, q2 …), plus, for the
    public, the form token and a field people never see but scripts fill in."""

    def __init__(self, *args, version, subjects=None, token: str = "", public: bool = False, **kw):
        super().__init__(*args, **kw)
        self.version = version
        if subjects is not None:
            self.fields["subject"] = PersonChoiceField(
                label=_("Party member reviewed"), queryset=subjects, required=False
            )
            self.fields["subject"].label_from_instance = lambda person: person.name
        for question in version.question_list:
            self.fields[question.code] = _answer_field(question)
        if public:
            self.fields["token"] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=token
            )
            self.fields["website"] = forms.CharField(
                required=False,
                label=_("Leave this empty"),
                widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            )
        self.attach_fields()

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def answers(self) -> dict:
        return {q.code: self.cleaned_data.get(q.code) for q in self.version.question_list}

    def attach_fields(self) -> None:
        """Give each question of the version its bound field, so templates that walk the
        sections can render it (question.field)."""
        for question in self.version.question_list:
            question.field = self[question.code]


def _answer_field(question: Question) -> forms.Field:
    attrs = {"required": True} if question.required else {}
    common = {"label": question.text, "required": False, "help_text": question.help_text}
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        choices = [(c.value, c.label) for c in question.choices.all()]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs=attrs), **common)
    if kind == Question.Kind.MULTIPLE:
        choices = [(c.value, c.label) for c in question.choices.all()]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Question.Kind.SCALE:
        labels = {
            5: _("5 · very satisfied"),
            4: _("4 · satisfied"),
            3: _("3 · fair"),
            2: _("2 · dissatisfied"),
            1: _("1 · very dissatisfied"),
        }
        choices = [(str(v), labels[v]) for v in range(SCALE_MAX, SCALE_MIN - 1, -1)]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs=attrs), **common)
    if kind == Question.Kind.YES_NO:
        return forms.ChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect(attrs=attrs),
            **common,
        )
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": antiabuse.TEXT_MAX, **attrs}),
        **common,
    )


class StaffTargetForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit reviewed"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


# --- honours and nominations -----------------------------------------------------------------


class HonourForm(forms.ModelForm):
    unit = UnitChoiceField(label=_("Awarding unit"), queryset=OrgUnit.objects.none())
    campaign = CampaignChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.none()
    )

    class Meta:
        model = Honour
        fields = ["unit", "title", "subject_kind", "year", "campaign", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(attrs={"list": "honour-titles"}),
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", datetime.date.today().year)
        super().__init__(*args, **kwargs)
        units = access.units_for_user(user, Cap.MANAGE_CAMPAIGNS).filter(is_active=True)
        self.fields["unit"].queryset = units.exclude(kind=OrgUnit.Kind.DEPARTMENT)
        self.fields["campaign"].queryset = _campaigns(user)
        self.suggestions = HONOUR_SUGGESTIONS


class NominationForm(forms.Form):
    from_unit = UnitChoiceField(label=_("Nominated by"), queryset=None)
    person = PersonChoiceField(label=_("Person"), queryset=None, required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=None, required=False)
    reasons = forms.CharField(
        label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = MultipleFileField(label=_("Evidence"), required=False)

    def __init__(self, *args, user, honour: Honour, **kwargs):
        super().__init__(*args, **kwargs)
        nominating = (
            access.units_for_user(user, Cap.SUBMIT)
            | access.units_for_user(user, Cap.MANAGE_CAMPAIGNS)
        ).filter(is_active=True, path__startswith=honour.unit.path)
        self.fields["from_unit"].queryset = nominating.distinct()
        if honour.subject_kind == Honour.SubjectKind.PERSON:
            self.fields["person"].queryset = access.people_for_user(user).select_related("unit")
            self.fields["person"].required = True
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = access.units_for_user(user).filter(is_active=True)
            self.fields["unit"].required = True
            del self.fields["person"]


class EvidenceForm(forms.Form):
    files = MultipleFileField(label=_("Evidence"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (Decision.RECOMMEND, _("Recommend upward")),
            (Decision.APPROVE, _("Approve")),
            (Decision.DECLINE, _("Decline")),
        ]
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- typical cases ---------------------------------------------------------------------------


class TypicalCaseForm(forms.ModelForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    campaign = CampaignChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.none()
    )

    class Meta:
        model = TypicalCase
        fields = ["unit", "campaign", "title", "summary", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, user, instance=None, **kwargs):
        super().__init__(*args, instance=_unsaved(instance), **kwargs)
        units = access.units_for_user(user, Cap.SUBMIT) | access.units_for_user(
            user, Cap.MANAGE_CAMPAIGNS
        )
        self.fields["unit"].queryset = units.filter(is_active=True).distinct()
        self.fields["campaign"].queryset = _campaigns(user)
        if instance is not None:
            del self.fields["unit"], self.fields["campaign"]


class CaseReviewForm(forms.Form):
    publish = forms.TypedChoiceField(
        choices=[("1", _("Publish")), ("0", _("Return to the unit"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
