"""Forms of the submission pages. They validate input; ducha/submissions/services.py decides.

Unit and period choices come from the requirement and the user's scope, so a guessed id
fails validation like any other wrong value. The model form is never saved.
"""

from __future__ import annotations

import copy
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ducha.submissions import files, services
from ducha.submissions.models import Requirement, Submission
from ducha.web.forms import UnitChoiceField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class RequirementForm(forms.ModelForm):
    units = UnitsField(
        label=_("Units"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked when every unit taking part must submit."),
    )

    class Meta:
        model = Requirement
        fields = [
            "kind",
            "title",
            "description",
            "due_date",
            "due_text",
            "recurrence",
            "repeat_until",
            "receiver",
            "units",
            "remind_days_before",
            "escalate_days_after",
            "parent",
        ]
        widgets = {
            "due_date": DATE_INPUT,
            "repeat_until": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, campaign, participants, instance=None, **kwargs):
        # The service snapshots the record it is given for the audit log: work on a copy.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["units"].queryset = participants
        if campaign.parent_id:
            self.fields["parent"].queryset = Requirement.objects.filter(
                campaign_id=campaign.parent_id
            )
            self.fields["parent"].label = _("Adopts the requirement")
        else:
            del self.fields["parent"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name. Their content is checked by the service, which names
    the file in its message, so an empty file is let through here."""

    widget = MultipleFileInput(attrs={"accept": files.ACCEPT})

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if not uploads and self.required:
            raise ValidationError(_("Attach at least one file."), code="required")
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class SubmissionForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    due_date = forms.ChoiceField(label=_("Due date"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(label=_("Files"))
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, units, due_dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.due_dates = {d.isoformat(): d for d in due_dates}
        self.fields["unit"].queryset = units
        self.fields["due_date"].choices = [
            (key, date_format(d, "Y-m-d")) for key, d in self.due_dates.items()
        ]
        self.fields["files"].help_text = _(
            "Word (.docx, .doc), Excel (.xlsx), PDF, JPEG or PNG; at most %(n)s files of "
            "%(size)s each."
        ) % {"n": services.MAX_FILES, "size": files.size_text(settings.SUBMISSION_MAX_BYTES)}
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4().hex)

    def clean_due_date(self):
        return self.due_dates[self.cleaned_data["due_date"]]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    correction_days = forms.IntegerField(
        label=_("Days to correct it"),
        min_value=0,
        max_value=services.MAX_CORRECTION_DAYS,
        initial=5,
        help_text=_(
            "Back within this many days (China Standard Time), the report keeps its first "
            "submission time."
        ),
    )


class ReviewFilterForm(forms.Form):
    ALL = "all"
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*Submission.Status.choices, (ALL, _("All"))],
    )

    def status_filter(self) -> str | None:
        """The chosen status; awaiting review unless another (or all) was asked for."""
        if not self.is_valid() or not self.cleaned_data["status"]:
            return Submission.Status.SUBMITTED
        status = self.cleaned_data["status"]
        return None if status == self.ALL else status
