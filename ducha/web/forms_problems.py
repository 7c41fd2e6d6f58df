"""Forms of the problem pages and of the public pages. They validate input; the services in
ducha/problems/services decide. Every choice of a unit, person, place, campaign or category
comes from a queryset of ducha/orgs/access.py, so a guessed id fails like any wrong value."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person, Place
from ducha.problems import antiabuse, selectors
from ducha.problems.models import Commitment, Problem, Rectification
from ducha.problems.services.common import MAX_FILES
from ducha.problems.services.rectification import MAX_MILESTONES
from ducha.submissions import files as submission_files
from ducha.web.forms import PersonChoiceField, PlaceChoiceField, UnitChoiceField
from ducha.web.forms_submissions import MultipleFileField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_MAX = 4000
PHOTO_ACCEPT = ".jpg,.jpeg,.png"


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        return obj.title


def _files_field(label, *, required: bool = False) -> MultipleFileField:
    field = MultipleFileField(label=label, required=required)
    field.help_text = _("Word, Excel, PDF, JPEG or PNG; at most %(n)s files of %(size)s each.") % {
        "n": MAX_FILES,
        "size": submission_files.size_text(settings.SUBMISSION_MAX_BYTES),
    }
    return field


def _photo_field(label) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )


# --- list and report ---------------------------------------------------------------------


class ProblemFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), *Problem.Status.choices],
    )
    light = forms.ChoiceField(
        label=_("Colour"),
        required=False,
        choices=[("", _("All")), *Rectification.Light.choices],
    )
    unit = UnitChoiceField(
        label=_("Unit"), required=False, queryset=OrgUnit.objects.none(), empty_label=_("All units")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=None, empty_label=_("All categories")
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *Problem.Source.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_for_user(user)
        self.fields["category"].queryset = access.problem_categories_for_user(user)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ProblemForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    campaign = CampaignChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.none()
    )
    source = forms.ChoiceField(label=_("Source"), choices=Problem.Source.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    title = forms.CharField(label=_("Problem"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=TEXT_MAX, widget=_textarea(4)
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Problem.Severity.choices, initial=Problem.Severity.MINOR
    )
    is_physical = forms.BooleanField(
        label=_("It concerns a place or a thing (closing needs a before and an after photo)"),
        required=False,
    )
    place = PlaceChoiceField(label=_("Place"), required=False, queryset=Place.objects.none())
    files = _files_field(_("Files"))
    before_photo = _photo_field(_("Photo of the problem"))

    def __init__(self, *args, user, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_for_user(
            user, Cap.LOG_VISITS
        ) | access.units_for_user(user, Cap.HANDLE_PROBLEMS)
        self.fields["campaign"].queryset = access.campaigns_for_user(user).filter(
            status=Campaign.Status.ACTIVE
        )
        self.fields["category"].queryset = access.problem_categories_for_user(user)
        # Households are personal data: a problem names villages, enterprises or grid cells.
        self.fields["place"].queryset = access.places_for_user(user).exclude(
            kind=Place.Kind.HOUSEHOLD
        )
        if visit is not None:
            # Found on a visit: the visit decides source and campaign.
            for name in ("source", "campaign"):
                del self.fields[name]


# --- routing -------------------------------------------------------------------------------


class SolveForm(forms.Form):
    solution = forms.CharField(label=_("What was done"), max_length=TEXT_MAX, widget=_textarea())


class AssignForm(forms.Form):
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=TEXT_MAX, widget=_textarea(2)
    )

    def __init__(self, *args, user, problem: Problem, **kwargs):
        kwargs.setdefault("initial", {"unit": problem.unit_id})
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_for_user(user, Cap.HANDLE_PROBLEMS)


class EscalateForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label=_("To the unit above"), required=False, queryset=OrgUnit.objects.none()
    )
    to_body = forms.CharField(
        label=_("Or to an outside coordinating body"),
        required=False,
        max_length=100,
        help_text=_("e.g. the local government's style office (作风办)"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX, widget=_textarea(2))

    def __init__(self, *args, problem: Problem, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the chain above the unit holding the problem (DOMAIN §7).
        self.fields["to_unit"].queryset = selectors.escalation_targets(problem)


class AttachForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=TEXT_MAX, widget=_textarea(2)
    )
    files = _files_field(_("Files"))
    before_photo = _photo_field(_("Photo of the problem"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX, widget=_textarea(2))


class DiscloseForm(forms.Form):
    public_title = forms.CharField(
        label=_("Public title"),
        max_length=200,
        help_text=_("What the public reads: no names, phone numbers or other personal data."),
    )
    public_text = forms.CharField(
        label=_("Public description"), required=False, max_length=TEXT_MAX, widget=_textarea(3)
    )


# --- rectification -------------------------------------------------------------------------

_MILESTONE_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s+(.+?)\s*$")


class RectificationForm(forms.Form):
    measures = forms.CharField(label=_("Measures"), max_length=TEXT_MAX, widget=_textarea())
    target = forms.CharField(label=_("Target"), max_length=TEXT_MAX, widget=_textarea(2))
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_INPUT)
    responsible_person = PersonChoiceField(
        label=_("Responsible person"), queryset=Person.objects.none()
    )
    responsible_leader = PersonChoiceField(
        label=_("Responsible leader"), required=False, queryset=Person.objects.none()
    )
    warn_days = forms.IntegerField(
        label=_("Yellow from (days before the deadline)"), min_value=0, max_value=90, initial=7
    )
    is_long_term = forms.BooleanField(label=_("Long-term item"), required=False)
    plan = forms.CharField(label=_("Plan"), required=False, max_length=TEXT_MAX, widget=_textarea())
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=_textarea(3),
        help_text=_("One per line: a date and what is done by then, e.g. 2026-07-15 制定排班表"),
    )

    def __init__(self, *args, user, problem: Problem, **kwargs):
        super().__init__(*args, **kwargs)
        people = access.people_for_user(user).select_related("unit")
        # The unit's own people and those above it whom the user can see.
        people = people.filter(unit_id__in=problem.unit.ancestor_ids) | people.filter(
            unit__path__startswith=problem.unit.path
        )
        self.fields["responsible_person"].queryset = people
        self.fields["responsible_leader"].queryset = people

    def clean_milestones(self) -> list[tuple[str, datetime.date]]:
        found = []
        for line in self.cleaned_data["milestones"].splitlines():
            if not line.strip():
                continue
            match = _MILESTONE_LINE.match(line)
            try:
                day = datetime.date.fromisoformat(
                    "-".join(f"{int(p):02d}" for p in match.group(1).split("-"))
                )
            except (AttributeError, ValueError):
                raise ValidationError(
                    _("“%(line)s”: write a date (YYYY-MM-DD), a space and the milestone."),
                    params={"line": line.strip()},
                ) from None
            found.append((match.group(2)[:200], day))
        if len(found) > MAX_MILESTONES:
            raise ValidationError(_("At most %(n)s milestones."), params={"n": MAX_MILESTONES})
        return found


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("Progress"), max_length=TEXT_MAX, widget=_textarea())
    files = _files_field(_("Evidence files"))
    public = forms.BooleanField(
        label=_("Show this update on the public page"),
        required=False,
        help_text=_("Only if it holds no personal data."),
    )


class ClaimForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=TEXT_MAX, widget=_textarea())
    files = _files_field(_("Evidence files"))


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Verification note"), required=False, max_length=TEXT_MAX, widget=_textarea(2)
    )
    files = _files_field(_("Evidence files"))
    before_photo = _photo_field(_("Photo before"))
    after_photo = _photo_field(_("Photo after"))


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX, widget=_textarea(2))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=TEXT_MAX, widget=_textarea(2)
    )


# --- categories, commitments, opinions -----------------------------------------------------


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    unit = UnitChoiceField(label=_("For the units under"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_for_user(user, Cap.MANAGE_CAMPAIGNS)


class CommitmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Commitment.Kind.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    person = PersonChoiceField(
        label=_("Person"),
        required=False,
        queryset=Person.objects.none(),
        help_text=_("The unit head for a public commitment; the party member for a pledge."),
    )
    problem = forms.ModelChoiceField(
        label=_("On the listed problem"), required=False, queryset=Problem.objects.none()
    )
    campaign = CampaignChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.none()
    )
    text = forms.CharField(label=_("Commitment"), max_length=500, widget=_textarea(2))
    target = forms.CharField(label=_("Target"), required=False, max_length=300)
    responsibility = forms.CharField(label=_("Responsibility"), required=False, max_length=200)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT)
    is_public = forms.BooleanField(label=_("Show on the public page"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        person = getattr(user, "person", None)
        units = access.units_for_user(user, Cap.HANDLE_PROBLEMS)
        people = access.people_for_user(user).select_related("unit")
        if person is not None:
            # Anyone may record their own pledge at their own unit.
            units = units | OrgUnit.objects.filter(pk=person.unit_id)
        self.fields["unit"].queryset = units
        self.fields["person"].queryset = people
        self.fields["problem"].queryset = access.problems_for_user(user).exclude(
            status=Problem.Status.INVALID
        )
        self.fields["campaign"].queryset = access.campaigns_for_user(user)


class VerifyForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[("kept", _("Kept")), ("broken", _("Broken"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=TEXT_MAX, widget=_textarea(2)
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=TEXT_MAX,
        widget=_textarea(3),
        help_text=_("Published on the unit's public page beside the opinion."),
    )


class OpinionProblemForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    title = forms.CharField(label=_("Problem"), max_length=200)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Problem.Severity.choices, initial=Problem.Severity.MINOR
    )
    campaign = CampaignChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.none()
    )
    answer = forms.CharField(
        label=_("Published answer"), required=False, max_length=TEXT_MAX, widget=_textarea(2)
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = access.problem_categories_for_user(user)
        self.fields["campaign"].queryset = access.campaigns_for_user(user).filter(
            status=Campaign.Status.ACTIVE
        )


# --- public --------------------------------------------------------------------------------


class PublicForm(forms.Form):
    """A public form: a signed one-time token, and a field people never see (bots fill it)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    website = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class OpinionForm(PublicForm):
    text = forms.CharField(
        label=_("Your opinion"),
        max_length=antiabuse.OPINION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": antiabuse.OPINION_MAX_CHARS}),
    )
    contact = forms.CharField(
        label=_("Contact (optional)"),
        required=False,
        max_length=antiabuse.CONTACT_MAX_CHARS,
        help_text=_("Only if you want a reply in person; it is never published."),
    )


class RatingForm(PublicForm):
    score = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=antiabuse.COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": antiabuse.COMMENT_MAX_CHARS}),
    )
