"""Forms of the org pages. They validate input; the services in ducha/orgs/services.py decide.

Every choice of a unit, place or person comes from a queryset of ducha/orgs/access.py, so a
guessed id outside the user's scope fails validation like any other wrong value.
The model forms here are never saved: views pass `cleaned_data` to a service.
"""

from __future__ import annotations

import copy
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person, Place, Post, Role

POST_SEPARATORS = re.compile(r"[,，、;；\n\r]+")
INDENT = "\u3000"  # an ideographic space per tree level


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented by depth so the hierarchy reads in a plain <select>."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{INDENT * obj.depth}{obj.name}"


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:
        return f"{obj.name} ({obj.code})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} · {obj.unit.name}"


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _unsaved(instance):
    # A model form writes cleaned values onto its instance; the services snapshot the record
    # they are given for the audit log, so the form works on a copy.
    return copy.copy(instance) if instance is not None else None


# --- org units -----------------------------------------------------------------------------


class UnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["code", "name", "short_name", "kind", "sort_order", "is_active"]

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=_unsaved(instance), **kwargs)


class UnitMoveForm(forms.Form):
    new_parent = UnitChoiceField(label=_("New parent unit"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = access.units_for_user(user, Cap.MANAGE_UNITS)


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrgUnit.Kind.choices]
    )

    @property
    def active(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data["q"] or self.cleaned_data["kind"])


# --- people --------------------------------------------------------------------------------


class PersonForm(forms.ModelForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    posts = forms.CharField(
        label=_("Posts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One post per line, or separated by commas, e.g. 党委书记, 院长."),
    )

    class Meta:
        model = Person
        fields = ["code", "name", "gender", "unit", "phone", "email", "is_party_member"]

    def __init__(self, *args, user, instance=None, **kwargs):
        # The posts field edits the posts held at the person's own unit.
        self.initial_titles: list[str] = []
        if instance is not None:
            self.initial_titles = list(
                instance.posts.filter(unit=instance.unit).values_list("title", flat=True)
            )
            kwargs.setdefault("initial", {})["posts"] = "\n".join(self.initial_titles)
        super().__init__(*args, instance=_unsaved(instance), **kwargs)
        self.fields["unit"].queryset = access.units_for_user(user, Cap.MANAGE_PEOPLE)

    def clean_posts(self) -> list[str]:
        titles: list[str] = []
        for title in POST_SEPARATORS.split(self.cleaned_data["posts"]):
            title = title.strip()
            if title and title not in titles:
                titles.append(title)
        limit = Post._meta.get_field("title").max_length
        too_long = [t for t in titles if len(t) > limit]
        if too_long:
            raise ValidationError(
                _("A post has at most %(n)d characters: %(post)s"),
                params={"n": limit, "post": too_long[0]},
            )
        return titles


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = UnitChoiceField(
        label=_("Unit"), required=False, queryset=OrgUnit.objects.none(), empty_label=_("All units")
    )
    party = forms.ChoiceField(
        label=_("Party member"),
        required=False,
        choices=[("", _("All")), ("yes", _("Party members")), ("no", _("Not party members"))],
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_for_user(user)


# --- places --------------------------------------------------------------------------------


class PlaceForm(forms.ModelForm):
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    parent = PlaceChoiceField(label=_("Located in"), required=False, queryset=Place.objects.none())
    responsible_doctor = PersonChoiceField(
        label=_("Responsible doctor"),
        required=False,
        queryset=Person.objects.none(),
        help_text=_("Grid cells only."),
    )

    class Meta:
        model = Place
        fields = [
            "code",
            "name",
            "kind",
            "unit",
            "parent",
            "address",
            "household_kind",
            "contact_name",
            "id_number",
            "phone",
            "responsible_doctor",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    # A household's name counts as personal data (DOMAIN §16), like the contact fields.
    PERSONAL = ("name", "contact_name", "id_number", "phone")

    def __init__(self, *args, user, instance=None, personal_visible: bool = True, **kwargs):
        super().__init__(*args, instance=_unsaved(instance), **kwargs)
        self.fields["unit"].queryset = access.units_for_user(user, Cap.MANAGE_PLACES)
        # Households contain no places, and listing them would show their names.
        parents = access.places_for_user(user).exclude(kind=Place.Kind.HOUSEHOLD)
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["responsible_doctor"].queryset = access.people_for_user(user).select_related(
            "unit"
        )
        # Someone who may edit a household but not read its personal data edits the rest only:
        # the fields never reach the page, and the kind stays "household" so nothing unmasks.
        self.personal_hidden = (
            instance is not None and instance.is_household and not personal_visible
        )
        if self.personal_hidden:
            for name in (*self.PERSONAL, "kind"):
                del self.fields[name]


class PlaceSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Place.Kind.choices]
    )
    household_kind = forms.ChoiceField(
        label=_("Household kind"),
        required=False,
        choices=[("", _("All households")), *Place.HouseholdKind.choices],
    )
    unit = UnitChoiceField(
        label=_("Unit"), required=False, queryset=OrgUnit.objects.none(), empty_label=_("All units")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_for_user(user)
