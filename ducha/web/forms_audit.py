"""The filters of the audit log page."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ducha.audit.models import AuditEntry


def object_type_choices() -> list[tuple[str, str]]:
    """Every kind of record the log may describe, by its translated name; no query."""
    user_model = get_user_model()
    models = [
        m
        for m in apps.get_models()
        if m is user_model or (m.__module__.startswith("ducha.") and m._meta.app_label != "audit")
    ]
    choices = sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name)) for m in models), key=lambda c: c[1]
    )
    return [("", _("All records")), *choices]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditEntry.Action.choices],
    )
    object_type = forms.ChoiceField(label=_("Record"), required=False, choices=())
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=40)
    actor = forms.CharField(label=_("By (username)"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = object_type_choices()

    def filters(self) -> dict:
        """The cleaned filters, or none at all if any is malformed."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
