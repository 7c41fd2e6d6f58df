"""Actions on the org tree, people, places and accounts. Each writes its audit entry."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot

from . import access
from .access import Cap
from .models import ApiToken, OrgUnit, OrgUnitChange, Person, Place, Post, Role, RoleAssignment

User = get_user_model()

UNIT_FIELDS = ("code", "name", "short_name", "kind", "sort_order", "is_active")
PERSON_FIELDS = ("code", "name", "gender", "phone", "email", "is_party_member")
PLACE_FIELDS = (
    "code",
    "name",
    "kind",
    "address",
    "household_kind",
    "contact_name",
    "id_number",
    "phone",
    "notes",
)


def _full_clean(obj, exclude=None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=True)


# --- org units -----------------------------------------------------------------------------


def unit_create(*, actor, parent: OrgUnit | None, **fields) -> OrgUnit:
    """Add a unit under `parent` (a root unit only for superusers)."""
    if parent is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied
    else:
        access.require_cap(actor, Cap.MANAGE_UNITS, parent)
    unit = OrgUnit(parent=parent, **{k: v for k, v in fields.items() if k in UNIT_FIELDS})
    unit.path = "/"
    _full_clean(unit, exclude=["path"])
    with transaction.atomic():
        unit.save()
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        unit.depth = (parent.depth + 1) if parent else 0
        unit.save(update_fields=["path", "depth"])
        OrgUnitChange.objects.create(
            unit=unit,
            kind=OrgUnitChange.Kind.CREATED,
            new_name=unit.name,
            new_parent=parent,
            actor=_user(actor),
        )
        audit_record(
            actor=actor, action="create", obj=unit, unit_path=unit.path, after=snapshot(unit)
        )
    access.forget_grants(actor)
    return unit


def unit_update(*, actor, unit: OrgUnit, **fields) -> OrgUnit:
    """Change a unit's own fields; a rename is kept in its history."""
    access.require_cap(actor, Cap.MANAGE_UNITS, unit)
    before = snapshot(unit)
    old_name = unit.name
    for key, value in fields.items():
        if key in UNIT_FIELDS:
            setattr(unit, key, value)
    _full_clean(unit)
    with transaction.atomic():
        unit.save()
        if unit.name != old_name:
            OrgUnitChange.objects.create(
                unit=unit,
                kind=OrgUnitChange.Kind.RENAMED,
                old_name=old_name,
                new_name=unit.name,
                actor=_user(actor),
            )
        audit_record(
            actor=actor,
            action="update",
            obj=unit,
            unit_path=unit.path,
            before=before,
            after=snapshot(unit),
        )
    return unit


def unit_move(*, actor, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Put a unit (and its whole subtree) under another parent, in one UPDATE of the paths."""
    access.require_cap(actor, Cap.MANAGE_UNITS, unit)
    access.require_cap(actor, Cap.MANAGE_UNITS, new_parent)
    if unit.parent_id is None:
        raise ValidationError(_("A root unit cannot be moved."))
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            _("“%(unit)s” cannot be moved under itself or one of its own subordinate units.")
            % {"unit": unit.name}
        )
    if new_parent.pk == unit.parent_id:
        return unit
    old_parent = unit.parent
    before = snapshot(unit)
    old_path = unit.path
    new_path = f"{new_parent.path}{unit.pk}/"
    depth_shift = new_parent.depth + 1 - unit.depth
    with transaction.atomic():
        OrgUnit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
            depth=F("depth") + depth_shift,
        )
        OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
        unit.refresh_from_db()
        OrgUnitChange.objects.create(
            unit=unit,
            kind=OrgUnitChange.Kind.MOVED,
            old_parent=old_parent,
            new_parent=new_parent,
            actor=_user(actor),
        )
        audit_record(
            actor=actor,
            action="update",
            obj=unit,
            unit_path=unit.path,
            before=before,
            after=snapshot(unit),
        )
    return unit


def unit_delete(*, actor, unit: OrgUnit) -> None:
    """Delete an empty unit. One with subordinate units, people or places is refused."""
    access.require_cap(actor, Cap.MANAGE_UNITS, unit)
    if unit.children.exists() or unit.people.exists() or unit.places.exists():
        raise ValidationError(
            _(
                "“%(unit)s” still has subordinate units, people or places; move or remove them "
                "first, or mark the unit inactive."
            )
            % {"unit": unit.name}
        )
    with transaction.atomic():
        audit_record(
            actor=actor, action="delete", obj=unit, unit_path=unit.path, before=snapshot(unit)
        )
        unit.changes.all().delete()
        unit.delete()


# --- people --------------------------------------------------------------------------------


def person_create(*, actor, unit: OrgUnit, posts: list[str] | None = None, **fields) -> Person:
    access.require_cap(actor, Cap.MANAGE_PEOPLE, unit)
    person = Person(unit=unit, **{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    _full_clean(person)
    with transaction.atomic():
        person.save()
        for order, title in enumerate(posts or []):
            Post.objects.create(person=person, unit=unit, title=title, sort_order=order)
        audit_record(
            actor=actor,
            action="create",
            obj=person,
            unit_path=unit.path,
            after={**snapshot(person), "posts": list(posts or [])},
        )
    return person


def person_update(*, actor, person: Person, unit: OrgUnit | None = None, **fields) -> Person:
    access.require_cap(actor, Cap.MANAGE_PEOPLE, person.unit)
    if unit is not None and unit.pk != person.unit_id:
        access.require_cap(actor, Cap.MANAGE_PEOPLE, unit)
        person.unit = unit
    before = snapshot(Person.objects.get(pk=person.pk))
    for key, value in fields.items():
        if key in PERSON_FIELDS:
            setattr(person, key, value)
    _full_clean(person)
    with transaction.atomic():
        person.save()
        audit_record(
            actor=actor,
            action="update",
            obj=person,
            unit_path=person.unit.path,
            before=before,
            after=snapshot(person),
        )
    return person


def person_delete(*, actor, person: Person) -> None:
    access.require_cap(actor, Cap.MANAGE_PEOPLE, person.unit)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delete",
            obj=person,
            unit_path=person.unit.path,
            before=snapshot(person),
        )
        user = person.user
        person.delete()
        if user is not None:
            user.is_active = False
            user.save(update_fields=["is_active"])


def post_set(*, actor, person: Person, unit: OrgUnit, titles: list[str]) -> None:
    """Replace the posts a person holds at one unit."""
    access.require_cap(actor, Cap.MANAGE_PEOPLE, unit)
    before = list(person.posts.filter(unit=unit).values_list("title", flat=True))
    titles = [t.strip() for t in titles if t.strip()]
    with transaction.atomic():
        person.posts.filter(unit=unit).exclude(title__in=titles).delete()
        for order, title in enumerate(titles):
            Post.objects.update_or_create(
                person=person, unit=unit, title=title, defaults={"sort_order": order}
            )
        audit_record(
            actor=actor,
            action="update",
            obj=person,
            unit_path=unit.path,
            before={"posts": before},
            after={"posts": titles},
        )


def role_assign(*, actor, person: Person, unit: OrgUnit, role: str) -> RoleAssignment:
    """Give a role at a unit. Only account managers of that unit may do it."""
    access.require_cap(actor, Cap.MANAGE_ACCOUNTS, unit)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            person=person, unit=unit, role=role
        )
        if created:
            audit_record(
                actor=actor,
                action="create",
                obj=assignment,
                unit_path=unit.path,
                after=snapshot(assignment),
            )
    if person.user_id:
        access.forget_grants(person.user)
    return assignment


def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    access.require_cap(actor, Cap.MANAGE_ACCOUNTS, assignment.unit)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delete",
            obj=assignment,
            unit_path=assignment.unit.path,
            before=snapshot(assignment),
        )
        assignment.delete()


# --- places --------------------------------------------------------------------------------


def place_create(
    *,
    actor,
    unit: OrgUnit,
    parent: Place | None = None,
    responsible_doctor: Person | None = None,
    **fields,
) -> Place:
    access.require_cap(actor, Cap.MANAGE_PLACES, unit)
    place = Place(
        unit=unit,
        parent=parent,
        responsible_doctor=responsible_doctor,
        **{k: v for k, v in fields.items() if k in PLACE_FIELDS},
    )
    _check_place(place)
    with transaction.atomic():
        place.save()
        audit_record(
            actor=actor, action="create", obj=place, unit_path=unit.path, after=snapshot(place)
        )
    return place


def place_update(*, actor, place: Place, unit: OrgUnit | None = None, **fields) -> Place:
    access.require_cap(actor, Cap.MANAGE_PLACES, place.unit)
    if unit is not None and unit.pk != place.unit_id:
        access.require_cap(actor, Cap.MANAGE_PLACES, unit)
        place.unit = unit
    before = snapshot(Place.objects.get(pk=place.pk))
    for key, value in fields.items():
        if key in PLACE_FIELDS or key in ("parent", "responsible_doctor"):
            setattr(place, key, value)
    _check_place(place)
    with transaction.atomic():
        place.save()
        audit_record(
            actor=actor,
            action="update",
            obj=place,
            unit_path=place.unit.path,
            before=before,
            after=snapshot(place),
        )
    return place


def place_delete(*, actor, place: Place) -> None:
    access.require_cap(actor, Cap.MANAGE_PLACES, place.unit)
    if place.children.exists():
        raise ValidationError(
            _("“%(place)s” still contains other places; remove them first.") % {"place": place.name}
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delete",
            obj=place,
            unit_path=place.unit.path,
            before=snapshot(place),
        )
        place.delete()


def _check_place(place: Place) -> None:
    _full_clean(place, exclude=["parent", "responsible_doctor", "unit"])
    if place.kind == Place.Kind.HOUSEHOLD and not place.household_kind:
        place.household_kind = Place.HouseholdKind.OTHER
    if place.kind != Place.Kind.HOUSEHOLD:
        place.household_kind = ""
        place.contact_name = place.contact_name if place.kind == Place.Kind.ENTERPRISE else ""
        place.id_number = ""
    if place.parent_id and place.parent_id == place.pk:
        raise ValidationError(_("A place cannot be inside itself."))
    if place.responsible_doctor_id and place.kind != Place.Kind.GRID_CELL:
        place.responsible_doctor = None


# --- accounts ------------------------------------------------------------------------------


def account_create(*, actor, person: Person, username: str, password: str):
    """Open a login account for a person."""
    access.require_cap(actor, Cap.MANAGE_ACCOUNTS, person.unit)
    if person.user_id:
        raise ValidationError(_("%(name)s already has an account.") % {"name": person.name})
    username = username.strip()
    if not username:
        raise ValidationError(_("Enter a username."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username “%(u)s” is taken.") % {"u": username})
    user = User(username=username, first_name=person.name[:150], email=person.email)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        audit_record(
            actor=actor,
            action="create",
            obj=user,
            unit_path=person.unit.path,
            after={"username": username, "person_id": person.pk},
        )
    return user


def account_set_active(*, actor, person: Person, active: bool) -> None:
    """Disable or re-enable a person's account; a disabled account can't log in or use tokens."""
    access.require_cap(actor, Cap.MANAGE_ACCOUNTS, person.unit)
    user = person.user
    if user is None:
        raise ValidationError(_("%(name)s has no account.") % {"name": person.name})
    if user.pk == getattr(actor, "pk", None) and not active:
        raise ValidationError(_("You cannot disable your own account."))
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="update",
            obj=user,
            unit_path=person.unit.path,
            before={"is_active": not active},
            after={"is_active": active},
        )


def account_set_password(*, actor, person: Person, password: str) -> None:
    access.require_cap(actor, Cap.MANAGE_ACCOUNTS, person.unit)
    user = person.user
    if user is None:
        raise ValidationError(_("%(name)s has no account.") % {"name": person.name})
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=actor,
            action="update",
            obj=user,
            unit_path=person.unit.path,
            before={"password": "…"},
            after={"password": "(reset)"},
        )


def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor; the clear value is returned once and never stored."""
    raw = "dch_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name.strip()[:50] or "API", prefix=raw[4:12], digest=token_digest(raw)
        )
        audit_record(
            actor=actor,
            action="create",
            obj=token,
            after={"name": token.name, "prefix": token.prefix},
        )
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delete",
            obj=token,
            before={"name": token.name, "prefix": token.prefix},
        )
        token.delete()


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
