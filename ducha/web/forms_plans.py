"""Forms of the plan import pages: the source (pasted text or a file) and the review of the
draft campaign. They validate input; ducha/plans/importer.py decides.

The review is several forms under one roof (PlanReviewForm): the campaign's own fields, what
each name of the plan stands for, and one formset per table of the plan. Units and people on
offer come from ducha/orgs/access.py querysets, so a guessed id outside the user's scope fails
validation like any other wrong value.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import LeadershipMember
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.ledgers.readers import size_text
from ducha.orgs.models import OrgUnit
from ducha.plans import importer
from ducha.submissions.models import Requirement
from ducha.visits.models import Quota

from .forms import UnitChoiceField
from .forms_campaigns import DateInput

MAX_ROWS = 200


class SourceForm(forms.Form):
    text = forms.CharField(
        label=_("Plan text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=_("Paste the whole document, its attachments included."),
    )
    file = forms.FileField(
        label=_("Or upload the document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A .docx file or a .txt file (UTF-8 or GBK), at most %(size)s. Scans, images, PDF "
            "and old .doc files cannot be read: open them and paste the text instead."
        ) % {"size": size_text(settings.IMPORT_MAX_BYTES)}

    def clean(self):
        data = super().clean()
        text, upload = data.get("text") or "", data.get("file")
        if "file" in self.errors:
            return data
        if upload and text.strip():
            raise ValidationError(_("Paste the text or upload a file, not both."))
        if not upload and not text.strip():
            raise ValidationError(_("Paste the plan's text or choose a file."))
        return data


# --- review --------------------------------------------------------------------------------

PART_CHOICES = [
    ("", "—"),
    ("early", _("early (days 1–10)")),
    ("mid", _("mid (days 11–20)")),
    ("late", _("late (day 21 to the end)")),
]
DATE_INPUT = forms.TextInput(attrs={"placeholder": "2012-05-01 / 05-01 / 05"})


class CampaignDraftForm(forms.Form):
    unit = UnitChoiceField(label=_("Issuing unit"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    doc_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issuing body"), max_length=100, required=False)
    issue_date = forms.DateField(label=_("Issue date"), required=False, widget=DateInput())
    year = forms.IntegerField(
        label=_("Year of the plan"),
        required=False,
        min_value=1949,
        max_value=2100,
        help_text=_(
            "The year of dates written without one or with a masked one (201*, 20xx); "
            "months that come back round fall in the next year."
        ),
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=DateInput(),
        help_text=_("Left empty: the first phase's start."),
    )
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DateInput(),
        help_text=_("Left empty: the last phase's end."),
    )

    def __init__(self, *args, user, year_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = importer.campaign_units(user)
        self.fields["year"].required = year_required


def _blank(choices) -> list:
    # An empty first choice, so a row the user leaves empty stays unchanged and is skipped.
    return [("", "—"), *choices]


class PhaseRowForm(forms.Form):
    name = forms.CharField(label=_("Phase"), max_length=100)
    start = forms.CharField(label=_("Start"), max_length=20, required=False, widget=DATE_INPUT)
    start_part = forms.ChoiceField(label=_("Part"), choices=PART_CHOICES, required=False)
    end = forms.CharField(label=_("End"), max_length=20, required=False, widget=DATE_INPUT)
    end_part = forms.ChoiceField(label=_("Part"), choices=PART_CHOICES, required=False)
    start_text = forms.CharField(label=_("Start as written"), max_length=60, required=False)
    end_text = forms.CharField(label=_("End as written"), max_length=60, required=False)


class KeyTaskRowForm(forms.Form):
    title = forms.CharField(label=_("Key task"), max_length=200)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeadlineRowForm(forms.Form):
    what = forms.CharField(label=_("Required submission"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(Requirement.Kind.choices))
    due = forms.CharField(
        label=_("Due"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2012-06-18 / 06-18"}),
    )
    due_text = forms.CharField(label=_("Due as written"), max_length=60, required=False)
    to = forms.CharField(label=_("Received by"), max_length=100, required=False)


class LeadershipRowForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=_blank(LeadershipMember.Role.choices))
    name = forms.CharField(label=_("Name"), max_length=50)
    post = forms.CharField(label=_("Post"), max_length=60, required=False)


class QuotaRowForm(forms.Form):
    text = forms.CharField(label=_("As written"), max_length=200, required=False)
    comparator = forms.ChoiceField(label=_("Comparator"), choices=_blank(Quota.Comparator.choices))
    number = forms.DecimalField(label=_("Number"), max_digits=8, decimal_places=1, min_value=0.1)
    activity = forms.ChoiceField(
        label=_("What is counted"),
        choices=_blank(
            [
                *Quota.Activity.choices,
                (importer.GROUP_MAX, _("Largest visit group (the campaign's limit)")),
            ]
        ),
    )
    subject = forms.ChoiceField(label=_("Counted"), choices=_blank(Quota.Subject.choices))
    period = forms.ChoiceField(label=_("Period"), choices=_blank(Quota.Period.choices))


class AssignmentRowForm(forms.Form):
    person = forms.CharField(label=_("Leader"), max_length=50)
    post = forms.CharField(label=_("Post"), max_length=60, required=False)
    target_text = forms.CharField(label=_("Visits (as written)"), max_length=200)
    target_unit = UnitChoiceField(
        label=_("Unit visited"),
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label=_("— none found —"),
    )

    def __init__(self, *args, units=None, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["target_unit"]
        if units is not None:
            field.queryset = units
        if unit_choices is not None:
            field.choices = unit_choices


class RowsFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.can_delete:
            for form in self.forms:
                form.fields["DELETE"].label = _("Leave out")

    @property
    def empty_form(self):
        form = super().empty_form
        if self.can_delete:
            form.fields["DELETE"].label = _("Leave out")
        return form

    def rows(self) -> list[dict]:
        """The rows kept: filled in and not left out."""
        return [
            {k: v for k, v in data.items() if k != "DELETE"}
            for data in self.cleaned_data
            if data and not data.get("DELETE")
        ]


def _rows_formset(form, extra: int = 1):
    return forms.formset_factory(
        form, formset=RowsFormSet, extra=extra, can_delete=True, max_num=MAX_ROWS
    )


PhaseFormSet = _rows_formset(PhaseRowForm)
KeyTaskFormSet = _rows_formset(KeyTaskRowForm)
DeadlineFormSet = _rows_formset(DeadlineRowForm)
LeadershipFormSet = _rows_formset(LeadershipRowForm)
QuotaFormSet = _rows_formset(QuotaRowForm)
AssignmentFormSet = _rows_formset(AssignmentRowForm)


class PeopleForm(forms.Form):
    """What each name of the plan stands for: a person of the user's scope with that name,
    a new person (where the user may add people), or nobody yet."""

    def __init__(self, *args, names: list[str], matches: dict, can_create: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names
        self.people = {}
        for i, name in enumerate(names):
            choices = [("", _("Leave unlinked"))]
            for person in matches.get(name, []):
                self.people[str(person.pk)] = person
                choices.append((str(person.pk), f"{person.name} · {person.unit.name}"))
            if can_create:
                choices.append((importer.CREATE, _("Create this person at the issuing unit")))
            self.fields[f"person_{i}"] = forms.ChoiceField(
                label=name, choices=choices, required=False
            )

    def links(self) -> dict:
        out = {}
        for i, name in enumerate(self.names):
            value = self.cleaned_data.get(f"person_{i}") or ""
            out[name] = importer.CREATE if value == importer.CREATE else self.people.get(value)
        return out

    def rows(self):
        """(row key, name, bound field) for the template."""
        return [(f"person-{i}", name, self[f"person_{i}"]) for i, name in enumerate(self.names)]


class PlanReviewForm:
    """The whole review page as one form: valid when every part is."""

    SECTIONS = ("phases", "key_tasks", "deadlines", "leadership", "quotas", "assignments")

    def __init__(self, data=None, *, user, draft: importer.ImportDraft):
        values = draft.data
        self.draft = draft
        self.main = CampaignDraftForm(
            data,
            user=user,
            year_required=values["year_placeholder"],
            initial={
                "unit": draft.unit.pk if draft.unit else None,
                **{
                    k: values[k]
                    for k in ("title", "doc_number", "issuer", "issue_date", "year")
                    if values[k] is not None
                },
            },
        )
        can_create = draft.unit is not None and access.has_cap(user, Cap.MANAGE_PEOPLE, draft.unit)
        links = values["people"]
        self.people = PeopleForm(
            data,
            names=draft.people,
            matches=draft.matches,
            can_create=can_create,
            initial={
                f"person_{i}": links[name].pk if links.get(name) else ""
                for i, name in enumerate(draft.people)
            },
        )
        self.phases = PhaseFormSet(data, initial=values["phases"], prefix="phases")
        self.key_tasks = KeyTaskFormSet(data, initial=values["key_tasks"], prefix="key_tasks")
        self.deadlines = DeadlineFormSet(data, initial=values["deadlines"], prefix="deadlines")
        self.leadership = LeadershipFormSet(data, initial=values["leadership"], prefix="leadership")
        self.quotas = QuotaFormSet(data, initial=values["quotas"], prefix="quotas")
        # The units on offer are read once for all the rows' lists.
        units = importer.campaign_units(user)
        choices = list(
            UnitChoiceField(queryset=units, required=False, empty_label=_("— none found —")).choices
        )
        self.assignments = AssignmentFormSet(
            data,
            initial=[
                {**row, "target_unit": row["target_unit"].pk if row["target_unit"] else None}
                for row in values["assignments"]
            ],
            prefix="assignments",
            form_kwargs={"units": units, "unit_choices": choices},
        )
        # Refusals of the importer that belong to a whole table, not to one field.
        self.section_errors: dict[str, list[str]] = {}

    def parts(self):
        return [self.main, self.people, *(getattr(self, s) for s in self.SECTIONS)]

    def is_valid(self) -> bool:
        # Every part is validated, so the page shows all its errors at once.
        results = [part.is_valid() for part in self.parts()]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return bool(self.section_errors) or any(
            (part.errors if isinstance(part, forms.Form) else part.total_error_count())
            for part in self.parts()
        )

    def cleaned(self) -> tuple[OrgUnit, dict]:
        """The issuing unit and the reviewed values in the importer's shape."""
        main = dict(self.main.cleaned_data)
        unit = main.pop("unit")
        data = {
            **main,
            "year_placeholder": self.draft.data["year_placeholder"],
            "people": self.people.links(),
            **{section: getattr(self, section).rows() for section in self.SECTIONS},
        }
        for row in data["phases"]:
            row["start"], row["end"] = row["start"].strip(), row["end"].strip()
        for row in data["deadlines"]:
            row["due"] = row["due"].strip()
        return unit, data

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.main.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            messages = [m for e in errors for m in e.messages]
            if key in self.main.fields:
                self.main.add_error(key, messages)
            elif key in (*self.SECTIONS, "people"):
                self.section_errors.setdefault(key, []).extend(messages)
            else:
                self.main.add_error(None, messages)
