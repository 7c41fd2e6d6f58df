"""Reads of the audit log: the entries a user may browse, and how each is shown to them."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Place

from .models import AuditEntry

PLACE_TYPE = Place._meta.label_lower
# How each personal field of a household is masked, as access.masked_place_values does.
PLACE_MASKS = {
    "name": access.mask_name,
    "contact_name": access.mask_name,
    "id_number": access.mask_id_number,
    "phone": access.mask_phone,
}


def entries_for_user(user) -> QuerySet[AuditEntry]:
    """Entries recorded for units inside the user's audit scope; superusers see the whole log,
    including entries tied to no unit (logins, API tokens)."""
    if not user.is_authenticated or not user.is_active:
        return AuditEntry.objects.none()
    if user.is_superuser:
        return AuditEntry.objects.all()
    paths = access.scope_paths(user, Cap.VIEW_AUDIT)
    if not paths:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(reduce(or_, (Q(unit_path__startswith=p) for p in paths)))


def audit_entries_list(
    user,
    *,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The user's entries, newest first, filtered. Dates are whole local days, both included."""
    qs = entries_for_user(user)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    # Bounds as instants rather than `at__date`, so the index on `at` serves the range.
    if date_from:
        qs = qs.filter(at__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return qs.order_by("-seq")


def audit_entry_get(user, seq) -> AuditEntry:
    """One entry by sequence number; the same 404 for a missing one and one outside scope."""
    try:
        return entries_for_user(user).get(seq=int(seq))
    except (TypeError, ValueError, OverflowError, AuditEntry.DoesNotExist):
        raise Http404 from None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- display -------------------------------------------------------------------------------


@dataclass
class Change:
    field: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class EntryView:
    """An entry as one user may read it: households' personal data masked unless the user may
    see it at the entry's unit (DOMAIN §16), the unit named rather than given as a path."""

    entry: AuditEntry
    unit_name: str
    object_repr: str
    before: dict | None
    after: dict | None
    masked: bool

    def changes(self) -> list[Change]:
        before, after = self.before or {}, self.after or {}
        fields = list(dict.fromkeys([*before, *after]))
        return [
            Change(field, _text(before.get(field)), _text(after.get(field))) for field in fields
        ]


def entries_for_display(user, entries) -> list[EntryView]:
    """Decorate a page of entries with two queries at most, whatever its length."""
    entries = list(entries)
    unit_ids = {_last_unit_id(e.unit_path) for e in entries} - {None}
    names = dict(OrgUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    households = _household_ids(entries)
    visible_paths = access.personal_data_paths(user)
    views = []
    for entry in entries:
        must_mask = (
            entry.object_type == PLACE_TYPE
            and entry.object_id in households
            and not any(entry.unit_path.startswith(p) for p in visible_paths)
        )
        views.append(
            EntryView(
                entry=entry,
                unit_name=names.get(_last_unit_id(entry.unit_path), entry.unit_path),
                object_repr=access.mask_name(entry.object_repr) if must_mask else entry.object_repr,
                before=_masked(entry.before) if must_mask else entry.before,
                after=_masked(entry.after) if must_mask else entry.after,
                masked=must_mask,
            )
        )
    return views


def _household_ids(entries: list[AuditEntry]) -> set[str]:
    """Ids of the places among `entries` that are (or were) households. An update entry holds
    only the changed fields, so the kind is looked up; a place gone since counts as one."""
    found, unknown = set(), set()
    for entry in entries:
        if entry.object_type != PLACE_TYPE:
            continue
        kinds = {(entry.before or {}).get("kind"), (entry.after or {}).get("kind")} - {None}
        if Place.Kind.HOUSEHOLD in kinds:
            found.add(entry.object_id)
        elif not kinds:
            unknown.add(entry.object_id)
    if unknown:
        ids = [int(pk) for pk in unknown if pk.isdigit()]
        others = set(
            Place.objects.filter(pk__in=ids)
            .exclude(kind=Place.Kind.HOUSEHOLD)
            .values_list("pk", flat=True)
        )
        found |= {pk for pk in unknown if not pk.isdigit() or int(pk) not in others}
    return found


def _masked(values: dict | None) -> dict | None:
    if not values:
        return values
    return {
        key: PLACE_MASKS[key](value) if key in PLACE_MASKS and isinstance(value, str) else value
        for key, value in values.items()
    }


def _last_unit_id(path: str) -> int | None:
    parts = [p for p in path.strip("/").split("/") if p.isdigit()]
    return int(parts[-1]) if parts else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
