"""Reads of visits: who takes part, which places a unit visits, the checklist a campaign
prescribes for a target, the scoped visit list and the contact-assignment tables."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from ducha.campaigns.models import Campaign, Participant
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person, Place

from .models import ChecklistTemplate, ContactAssignment, Visit

Target = ChecklistTemplate.Target
# Places of these kinds count as visits to villages (村、社、居): the village itself, a
# household or grid cell in it.
VILLAGE_KINDS = (
    Place.Kind.VILLAGE,
    Place.Kind.COMMUNITY,
    Place.Kind.HOUSEHOLD,
    Place.Kind.GRID_CELL,
)
# The checklists that apply to a visit by its target; UNIT is the unit-level 六个一, done
# in the unit's contact villages, so it applies to village visits too.
APPLICABLE_TARGETS = {
    Target.VILLAGE: (Target.VILLAGE, Target.UNIT, Target.ANY),
    Target.ENTERPRISE: (Target.ENTERPRISE, Target.ANY),
    Target.UNIT: (Target.UNIT, Target.ANY),
}


def today() -> datetime.date:
    """Today in China Standard Time, by the server's clock."""
    return timezone.localdate()


# --- who takes part ------------------------------------------------------------------------


def takes_part(campaign: Campaign, unit: OrgUnit) -> bool:
    """The issuing unit and its own sections, and every participant with its departments,
    log visits for a campaign."""
    if unit.pk == campaign.unit_id:
        return True
    if unit.kind == OrgUnit.Kind.DEPARTMENT and unit.parent_id == campaign.unit_id:
        return True
    return Participant.objects.filter(campaign=campaign, unit_id__in=unit.ancestor_ids).exists()


def visit_units_for_user(user, campaign: Campaign) -> list[OrgUnit]:
    """The units for which the user may log visits in the campaign, in tree order."""
    units = list(
        access.units_for_user(user, Cap.LOG_VISITS)
        .filter(path__startswith=campaign.unit.path)
        .exclude(kind=OrgUnit.Kind.DEPARTMENT)
        .order_by("path")
    )
    participant_ids = set(
        Participant.objects.filter(campaign=campaign).values_list("unit_id", flat=True)
    )
    return [u for u in units if u.pk == campaign.unit_id or u.pk in participant_ids]


def group_candidates(unit: OrgUnit) -> QuerySet[Person]:
    """People offered for a visit group: the unit's own people and its departments'."""
    return (
        Person.objects.filter(
            Q(unit=unit) | Q(unit__parent=unit, unit__kind=OrgUnit.Kind.DEPARTMENT)
        )
        .select_related("unit")
        .order_by("unit__path", "name", "id")
    )


# --- places --------------------------------------------------------------------------------


def _paired_place_ids(campaign: Campaign, unit: OrgUnit) -> QuerySet:
    """Places paired with the unit (or a unit above it) and the grid cells of its doctors."""
    return ContactAssignment.objects.filter(
        Q(kind=ContactAssignment.Kind.UNIT_PLACE, unit_id__in=unit.ancestor_ids)
        | Q(kind=ContactAssignment.Kind.DOCTOR_GRID, person__unit__path__startswith=unit.path),
        campaign=campaign,
        target_place__isnull=False,
    ).values("target_place_id")


def contact_places(campaign: Campaign, unit: OrgUnit) -> QuerySet[Place]:
    """The places a unit may record visits to: its own places (those of its subtree), the
    villages and enterprises it is paired with in the campaign, and what lies in those."""
    paired = _paired_place_ids(campaign, unit)
    return Place.objects.filter(
        Q(unit__path__startswith=unit.path) | Q(pk__in=paired) | Q(parent_id__in=paired)
    )


def target_kind_of(places: Iterable[Place], target_unit: OrgUnit | None) -> str:
    kinds = {place.kind for place in places}
    if Place.Kind.ENTERPRISE in kinds:
        return Target.ENTERPRISE
    if kinds & set(VILLAGE_KINDS):
        return Target.VILLAGE
    return Target.UNIT if target_unit is not None or not kinds else Target.VILLAGE


# --- checklists ----------------------------------------------------------------------------


def checklists_for(campaign: Campaign) -> QuerySet[ChecklistTemplate]:
    """The built-in checklists and the campaign's own: the campaign's first."""
    return ChecklistTemplate.objects.filter(
        Q(builtin=True, campaign__isnull=True) | Q(campaign=campaign)
    ).order_by("builtin", "name", "id")


def applicable(templates: Iterable[ChecklistTemplate], target_kind: str) -> list:
    targets = APPLICABLE_TARGETS.get(target_kind, (Target.ANY,))
    return [t for t in templates if t.target in targets]


def default_checklist(
    templates: Iterable[ChecklistTemplate], target_kind: str
) -> ChecklistTemplate | None:
    """What the campaign prescribes for this kind of target: its own checklist for exactly
    that target, else the built-in one, else any that applies."""
    templates = list(templates)
    exact = [t for t in templates if t.target == target_kind]
    for pool in (
        [t for t in exact if not t.builtin],
        [t for t in exact if t.builtin],
        applicable(templates, target_kind),
    ):
        if pool:
            return pool[0]
    return None


# --- lists ---------------------------------------------------------------------------------


def visits_list(
    user,
    *,
    campaign: Campaign | None = None,
    unit: OrgUnit | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    place_kind: str = "",
) -> QuerySet[Visit]:
    """Visits the user may see, newest first, with what a list row shows prefetched."""
    qs = access.visits_for_user(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if place_kind:
        qs = qs.filter(
            Exists(
                Visit.places.through.objects.filter(visit=OuterRef("pk"), place__kind=place_kind)
            )
        )
    return (
        qs.select_related("campaign", "unit", "target_unit", "checklist")
        .prefetch_related(
            Prefetch("visitors", queryset=Person.objects.order_by("name", "id")),
            Prefetch("places", queryset=Place.objects.select_related("unit").order_by("code")),
        )
        .annotate(photo_count=Count("photos", distinct=True))
        .order_by("-date", "-id")
    )


def contact_assignments(campaign: Campaign, user, *, kind: str = "") -> QuerySet:
    """The campaign's assignments the user may see: those whose visiting side (person or
    unit) or visited side lies in the user's scope."""
    paths = access.scope_paths(user)
    if not paths:
        return ContactAssignment.objects.none()
    seen = Q()
    for path in paths:
        seen |= (
            Q(person__unit__path__startswith=path)
            | Q(unit__path__startswith=path)
            | Q(target_unit__path__startswith=path)
            | Q(target_place__unit__path__startswith=path)
        )
    qs = ContactAssignment.objects.filter(seen, campaign=campaign)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("person__unit", "unit", "target_unit", "target_place__unit").order_by(
        "kind", "person__name", "unit__path", "id"
    )


def assignments_of_person(user, person: Person) -> QuerySet:
    """The assignments naming this person, in the campaigns the user can see."""
    return (
        ContactAssignment.objects.filter(
            person=person, campaign__in=access.campaigns_for_user(user)
        )
        .select_related("campaign", "target_unit", "target_place__unit")
        .order_by("-campaign__starts_on", "kind", "id")
    )


def assignments_of_place(user, place: Place) -> QuerySet:
    """The units and doctors this place is paired with, in the campaigns the user can see."""
    return (
        ContactAssignment.objects.filter(
            target_place=place, campaign__in=access.campaigns_for_user(user)
        )
        .select_related("campaign", "unit", "person__unit")
        .order_by("-campaign__starts_on", "kind", "id")
    )


def visits_to_place(user, place: Place, *, limit: int = 10) -> list[Visit]:
    return list(
        access.visits_for_user(user)
        .filter(places=place)
        .select_related("campaign", "unit")
        .order_by("-date", "-id")[:limit]
    )


def places_never_visited(user, campaign: Campaign, *, under: OrgUnit | None = None) -> list:
    """Villages, communities and enterprises paired with a unit in the campaign that no
    visit of the campaign has reached (nor a household or grid cell inside them)."""
    paired = ContactAssignment.objects.filter(
        campaign=campaign,
        kind=ContactAssignment.Kind.UNIT_PLACE,
        target_place__isnull=False,
    ).filter(access.scope_q(user, field="unit"))
    if under is not None:
        paired = paired.filter(unit__path__startswith=under.path)
    visited = Visit.places.through.objects.filter(
        Q(place_id=OuterRef("target_place_id")) | Q(place__parent_id=OuterRef("target_place_id")),
        visit__campaign=campaign,
    )
    return list(
        paired.filter(~Exists(visited))
        .select_related("unit", "target_place")
        .order_by("unit__path", "target_place__code")
    )
