"""Reads of the org tree, people and places beyond one-line filters."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from . import access
from .models import OrgUnit, Person, Place, RoleAssignment


def grants_for_user(user) -> QuerySet[RoleAssignment]:
    if not user.is_authenticated:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(person__user=user).select_related("unit")


def scope_counts(user) -> dict[str, int]:
    return {
        "units": access.units_for_user(user).count(),
        "people": access.people_for_user(user).count(),
        "places": access.places_for_user(user).count(),
    }


def unit_children(user, parent: OrgUnit | None) -> QuerySet[OrgUnit]:
    """Children of `parent` (or the user's scope roots) with their own child counts."""
    if parent is None:
        qs = access.scope_roots(user)
    else:
        qs = access.units_for_user(user).filter(parent=parent)
    return qs.annotate(
        child_count=Count("children", distinct=True),
        people_count=Count("people", distinct=True),
    ).order_by("sort_order", "name", "id")


def unit_ancestors(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(pk__in=unit.ancestor_ids[:-1]).order_by("depth")


def units_search(
    user, *, q: str = "", kind: str = "", under: OrgUnit | None = None
) -> QuerySet[OrgUnit]:
    qs = access.units_for_user(user).select_related("parent")
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(short_name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def people_search(
    user, *, q: str = "", unit: OrgUnit | None = None, party: str = "", role: str = ""
) -> QuerySet[Person]:
    qs = access.people_for_user(user).select_related("unit", "user").prefetch_related("posts")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(posts__title__icontains=q))
    if party in ("yes", "no"):
        qs = qs.filter(is_party_member=(party == "yes"))
    if role:
        qs = qs.filter(roles__role=role)
    return qs.distinct() if (q or role) else qs


def places_search(
    user, *, q: str = "", kind: str = "", unit: OrgUnit | None = None, household_kind: str = ""
) -> QuerySet[Place]:
    qs = access.places_for_user(user).select_related("unit", "parent", "responsible_doctor")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if q:
        # Households are searched by code and address only: their names are personal data.
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(address__icontains=q)
            | (Q(name__icontains=q) & ~Q(kind=Place.Kind.HOUSEHOLD))
        )
    if kind:
        qs = qs.filter(kind=kind)
    if household_kind:
        qs = qs.filter(household_kind=household_kind)
    return qs


def unit_totals(unit: OrgUnit) -> dict[str, int]:
    """Subordinate units, people and places in the unit's whole subtree."""
    return {
        "units": OrgUnit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).count(),
        "people": Person.objects.filter(unit__path__startswith=unit.path).count(),
        "places": Place.objects.filter(unit__path__startswith=unit.path).count(),
    }
