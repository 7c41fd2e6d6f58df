"""Forms of the visit pages. They validate input; ducha/visits/services decides.

Every choice of a unit, person or place comes from a queryset scoped by access.py or the
visit selectors, so a guessed id fails validation like any other wrong value. Households
are labelled through PlaceMasker: their names are personal data (DOMAIN §16).
"""

from __future__ import annotations

import copy
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person, Place
from ducha.visits import photos, selectors, services
from ducha.visits.models import ChecklistTemplate, ContactAssignment, Quota, StudyRecord
from ducha.web.forms import INDENT, UnitChoiceField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ITEM_PREFIX = "item"


class PersonCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Person) -> str:
        return obj.name if obj.unit.kind != OrgUnit.Kind.DEPARTMENT else f"{obj.name} · {obj.unit}"


class PlaceCheckboxes(forms.ModelMultipleChoiceField):
    """Places as checkboxes, households under a masked name for those who may not read it."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, masker=None, **kwargs):
        self.masker = masker
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Place) -> str:
        name = self.masker.values(obj)["name"] if self.masker else obj.name
        if obj.is_household and obj.parent_id:
            return f"{INDENT}{name} · {obj.get_household_kind_display() or obj.get_kind_display()}"
        return f"{name} · {obj.get_kind_display()}"


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos under one name; the service checks each one's content."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            PhotoInput(attrs={"accept": "image/*", "capture": "environment"}),
        )
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(upload, initial) for upload in uploads]


def campaign_field(user, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=access.campaigns_for_user(user).order_by("-starts_on", "-id"),
        **kwargs,
    )


# --- visits --------------------------------------------------------------------------------


class VisitFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False, empty_label=_("All campaigns")
    )
    unit = UnitChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("All units")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    place_kind = forms.ChoiceField(
        label=_("Place kind"),
        required=False,
        choices=[("", _("All kinds")), *Place.Kind.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = access.campaigns_for_user(user).order_by(
            "-starts_on", "-id"
        )
        self.fields["unit"].queryset = access.units_for_user(user).exclude(
            kind=OrgUnit.Kind.DEPARTMENT
        )


class VisitForm(forms.Form):
    """The phone form of a visit: one column, the checklist of the chosen template."""

    date = forms.DateField(label=_("Date of the visit"), widget=DATE_INPUT)
    visitors = PersonCheckboxes(label=_("Visit group"), queryset=Person.objects.none())
    places = PlaceCheckboxes(
        label=_("Places visited"), queryset=Place.objects.none(), required=False
    )
    target_unit = UnitChoiceField(
        label=_("Unit visited"), queryset=OrgUnit.objects.none(), required=False
    )
    checklist = forms.ModelChoiceField(
        label=_("Checklist"), queryset=ChecklistTemplate.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("What was seen and done"),
        required=False,
        max_length=services.visits.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    problems_found = forms.CharField(
        label=_("Problems found"),
        required=False,
        max_length=services.visits.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One problem per line."),
    )
    photos = PhotosField(label=_("Photos"))
    discipline_affirmed = forms.BooleanField(
        label=_("The visit group kept these rules"), required=False
    )
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, campaign, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign, self.unit = campaign, unit
        self.rules = [r.strip() for r in campaign.discipline_rules.splitlines() if r.strip()]
        self.fields["visitors"].queryset = selectors.group_candidates(unit)
        self.fields["visitors"].help_text = _("At most %(n)s people.") % {
            "n": campaign.visit_group_max
        }
        places = self.fields["places"]
        places.masker = access.PlaceMasker(user)
        # Each village or enterprise, then the households and grid cells inside it.
        places.queryset = (
            selectors.contact_places(campaign, unit)
            .select_related("unit", "parent")
            .annotate(
                area=Coalesce("parent__code", "code"),
                inner=Case(When(parent__isnull=True, then=0), default=1),
            )
            .order_by("area", "inner", "code")
        )
        if unit.pk == campaign.unit_id:
            # Only the issuing bureau's people (its leaders) record visits to units.
            self.fields["target_unit"].queryset = (
                access.units_for_user(user)
                .filter(path__startswith=campaign.unit.path)
                .exclude(pk=campaign.unit_id)
                .exclude(kind=OrgUnit.Kind.DEPARTMENT)
            )
        else:
            del self.fields["target_unit"]
        self.templates = list(selectors.checklists_for(campaign))
        self.fields["checklist"].queryset = selectors.checklists_for(campaign)
        self.fields["checklist"].empty_label = None
        self.fields["photos"].help_text = _(
            "JPEG, PNG or WebP; at most %(n)s photos of %(size)s each."
        ) % {
            "n": services.MAX_PHOTOS,
            "size": photos.size_text(settings.PHOTO_MAX_BYTES),
        }
        if self.rules:
            self.fields["discipline_affirmed"].required = True
        else:
            del self.fields["discipline_affirmed"]
        self.item_fields: dict[int, list[tuple[str, dict]]] = {}
        for template in self.templates:
            names = []
            for item in template.items:
                name = f"{ITEM_PREFIX}-{template.pk}-{item['key']}"
                if item.get("kind") == "text":
                    self.fields[name] = forms.CharField(
                        label=item["text"],
                        required=False,
                        max_length=services.visits.MAX_ANSWER,
                    )
                else:
                    self.fields[name] = forms.BooleanField(label=item["text"], required=False)
                names.append((name, item))
            self.item_fields[template.pk] = names
        if not self.is_bound:
            person = getattr(user, "person", None) if hasattr(user, "person") else None
            default = selectors.default_checklist(
                self.templates,
                ChecklistTemplate.Target.UNIT
                if unit.pk == campaign.unit_id
                else ChecklistTemplate.Target.VILLAGE,
            )
            self.initial.setdefault("client_token", uuid.uuid4().hex)
            self.initial.setdefault("date", selectors.today())
            self.initial.setdefault("visitors", [person.pk] if person else [])
            self.initial.setdefault("checklist", default.pk if default else None)

    # Groups of bound item fields for the template: one fieldset per checklist.
    def checklist_groups(self):
        return [
            (template, [self[name] for name, _item in self.item_fields[template.pk]])
            for template in self.templates
        ]

    def main_fields(self, *names):
        return [self[name] for name in names if name in self.fields]

    def clean(self):
        data = super().clean()
        template = data.get("checklist")
        answers = {}
        if template is not None:
            for name, item in self.item_fields.get(template.pk, []):
                value = data.get(name)
                if value:
                    answers[item["key"]] = value
        data["checklist_answers"] = answers
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "visitors": list(data["visitors"]),
            "places": list(data["places"]),
            "target_unit": data.get("target_unit"),
            "checklist": data.get("checklist"),
            "checklist_answers": data["checklist_answers"],
            "notes": data["notes"],
            "problems_found": data["problems_found"],
            "discipline_affirmed": data.get("discipline_affirmed", False),
            "photos": data["photos"],
            "client_token": data["client_token"],
        }


# --- contact assignments -------------------------------------------------------------------


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} · {obj.unit.name}"


class PlaceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:
        return f"{obj.name} ({obj.code}) · {obj.get_kind_display()}"


class ContactAssignmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactAssignment.Kind.choices)
    person = PersonChoice(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("The leader or doctor (not for a unit's pairs)."),
    )
    post = forms.CharField(label=_("Post"), max_length=60, required=False)
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("The unit paired with villages and enterprises."),
    )
    target_unit = UnitChoiceField(
        label=_("Unit visited"), queryset=OrgUnit.objects.none(), required=False
    )
    target_place = PlaceChoice(
        label=_("Place visited"),
        queryset=Place.objects.none(),
        required=False,
        help_text=_("A village, community or enterprise; a grid cell for a doctor."),
    )
    target_text = forms.CharField(label=_("As written in the plan"), max_length=200, required=False)

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        root = campaign.unit.path
        self.fields["person"].queryset = (
            access.people_for_user(user).filter(unit__path__startswith=root).select_related("unit")
        )
        units = access.units_for_user(user).filter(path__startswith=root)
        self.fields["unit"].queryset = units
        self.fields["target_unit"].queryset = units
        self.fields["target_place"].queryset = (
            access.places_for_user(user)
            .filter(unit__path__startswith=root)
            .exclude(kind=Place.Kind.HOUSEHOLD)
            .order_by("kind", "code")
        )


class ChecklistForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    target = forms.ChoiceField(label=_("For visits to"), choices=ChecklistTemplate.Target.choices)
    checks = forms.CharField(
        label=_("Items to tick"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line, e.g. 访贫困户."),
    )
    questions = forms.CharField(
        label=_("Questions answered in words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question per line, e.g. 问发展思路."),
    )

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        data["checks"] = self._lines(data.get("checks", ""))
        data["questions"] = self._lines(data.get("questions", ""))
        too_long = [t for t in data["checks"] + data["questions"] if len(t) > 100]
        if too_long:
            raise ValidationError(
                _("An item has at most 100 characters: %(item)s") % {"item": too_long[0]}
            )
        return data


class VisitSettingsForm(forms.Form):
    keep_photo_location = forms.BooleanField(
        label=_("Keep where photos were taken (GPS)"),
        required=False,
        help_text=_("Off: the location is removed from every photo, the stored original too."),
    )


# --- quotas --------------------------------------------------------------------------------


class QuotaForm(forms.ModelForm):
    class Meta:
        model = Quota
        fields = ["activity", "comparator", "number", "subject", "period", "text"]

    def __init__(self, *args, instance=None, **kwargs):
        # The service snapshots the record it is given for the audit log: work on a copy.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)


class QuotaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Quota) -> str:
        return (
            f"{obj.get_activity_display()} {obj.get_comparator_display()} "
            f"{obj.number.normalize():f} · {obj.get_subject_display()} · {obj.get_period_display()}"
        )


class DashboardForm(forms.Form):
    quota = QuotaChoice(label=_("Quota"), queryset=Quota.objects.none(), required=False)
    window = forms.ChoiceField(label=_("Period"), required=False)
    unit = UnitChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("All units")
    )
    behind = forms.BooleanField(label=_("Only those behind"), required=False)

    def __init__(self, *args, user, campaign, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota"].queryset = campaign.quotas.order_by("activity", "id")
        self.fields["quota"].empty_label = None
        self.fields["unit"].queryset = (
            access.units_for_user(user)
            .filter(path__startswith=campaign.unit.path)
            .exclude(kind=OrgUnit.Kind.DEPARTMENT)
        )
        self.fields["window"].choices = [(w.key, w.label) for w in windows]


# --- study ---------------------------------------------------------------------------------


class StudyRecordForm(forms.ModelForm):
    person = PersonChoice(label=_("Person"), queryset=Person.objects.none())
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False, empty_label=_("No campaign")
    )

    class Meta:
        model = StudyRecord
        fields = ["person", "date", "hours", "kind", "topic", "campaign"]
        widgets = {"date": DATE_INPUT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        person = getattr(user, "person", None) if hasattr(user, "person") else None
        others = access.people_for_user(user).filter(access.scope_q(user, cap=Cap.SUBMIT))
        choices = Person.objects.filter(pk=person.pk) if person else Person.objects.none()
        if others.exists():
            choices = (choices | others).distinct()
        self.fields["person"].queryset = choices.select_related("unit").order_by(
            "unit__path", "name"
        )
        self.fields["campaign"].queryset = access.campaigns_for_user(user).order_by("-starts_on")
        self.fields["hours"].widget.attrs.update({"step": "0.5", "min": "0.5", "max": "24"})
        if not self.is_bound:
            self.initial.setdefault("person", person.pk if person else None)
            self.initial.setdefault("date", selectors.today())


# --- report --------------------------------------------------------------------------------


class VisitReportForm(forms.Form):
    text = forms.CharField(
        label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 24})
    )
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4().hex)
