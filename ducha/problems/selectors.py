"""Reads of problems: lists with their three-colour state, the dashboard rolled up the org
tree, who handles and who verifies a unit's problems, and the public pages' lists."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Case, Count, F, IntegerField, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from ducha.orgs import access
from ducha.orgs.access import ROLE_CAPS, Cap
from ducha.orgs.models import OrgUnit, Role, RoleAssignment

from .models import Commitment, Event, Opinion, Problem, Rectification

S = Problem.Status
OPEN = [s for s in S if s not in Problem.FINISHED]
LIGHTS = ("green", "yellow", "red")


def today() -> datetime.date:
    return timezone.localdate()


# --- lists ---------------------------------------------------------------------------------


def light_q(light: str, day: datetime.date) -> Q:
    """Open rectifications of one colour, as Rectification.light() decides it."""
    rect = "rectification__"
    red = Q(status=S.RECTIFYING, **{f"{rect}deadline__lt": day}) | Q(
        status=S.CLAIMED, **{f"{rect}claimed_at__date__gt": _deadline_ref()}
    )
    yellow = Q(
        status=S.RECTIFYING,
        **{f"{rect}deadline__gte": day, f"{rect}warn_from__lte": day},
    ) | Q(
        status=S.CLAIMED,
        **{
            f"{rect}claimed_at__date__lte": _deadline_ref(),
            f"{rect}claimed_at__date__gte": _warn_ref(),
        },
    )
    if light == "red":
        return red
    if light == "yellow":
        return yellow
    return Q(status__in=[S.RECTIFYING, S.CLAIMED]) & ~red & ~yellow


def _deadline_ref():
    return F("rectification__deadline")


def _warn_ref():
    return F("rectification__warn_from")


def problem_list(
    user,
    *,
    status: str = "",
    unit: OrgUnit | None = None,
    category=None,
    campaign=None,
    source: str = "",
    light: str = "",
    q: str = "",
    day: datetime.date | None = None,
) -> QuerySet[Problem]:
    """Problems in the user's scope, filtered; one query whatever the page shows."""
    problems = access.problems_for_user(user).select_related(
        "unit", "category", "campaign", "rectification", "escalated_to"
    )
    if status == "open":
        problems = problems.filter(status__in=OPEN)
    elif status:
        problems = problems.filter(status=status)
    if unit is not None:
        problems = problems.filter(unit__path__startswith=unit.path)
    if category is not None:
        problems = problems.filter(category=category)
    if campaign is not None:
        problems = problems.filter(campaign=campaign)
    if source:
        problems = problems.filter(source=source)
    if light in LIGHTS:
        problems = problems.filter(light_q(light, day or today()))
    if q:
        problems = problems.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return problems.order_by("-created_at", "-id")


def problem_detail(problem: Problem) -> dict:
    """The history, files, rectification, milestones and extensions of one problem."""
    events = list(
        problem.events.select_related("actor", "from_unit", "to_unit").prefetch_related("files")
    )
    rectification = (
        Rectification.objects.select_related("responsible_person", "responsible_leader")
        .prefetch_related("milestones", "extensions__requested_by", "extensions__decided_by")
        .filter(problem=problem)
        .first()
    )
    return {
        "events": events,
        "files": [f for e in events for f in e.files.all()],
        "rectification": rectification,
        "milestones": list(rectification.milestones.all()) if rectification else [],
        "extensions": list(rectification.extensions.all()) if rectification else [],
        "pending_extension": next(
            (x for x in rectification.extensions.all() if x.status == "pending"), None
        )
        if rectification
        else None,
    }


def extension_get(user, extension_id):
    """An extension request of a problem the user can see, or 404."""
    from .models import Extension

    problems = access.problems_for_user(user)
    return _get_or_404(
        Extension.objects.filter(rectification__problem__in=problems.values("pk")).select_related(
            "rectification__problem__unit"
        ),
        extension_id,
    )


def milestone_get(user, milestone_id):
    from .models import Milestone

    problems = access.problems_for_user(user)
    return _get_or_404(
        Milestone.objects.filter(rectification__problem__in=problems.values("pk")).select_related(
            "rectification__problem__unit"
        ),
        milestone_id,
    )


def evidence_get(user, evidence_id):
    """A file of a problem the user can see, or 404."""
    from .models import Evidence

    problems = access.problems_for_user(user)
    return _get_or_404(Evidence.objects.filter(problem__in=problems.values("pk")), evidence_id)


def escalation_targets(problem: Problem) -> QuerySet[OrgUnit]:
    """The units up the chain of the unit holding the problem, nearest first (DOMAIN §7)."""
    holder = problem.escalated_to or problem.unit
    return OrgUnit.objects.filter(pk__in=holder.ancestor_ids[:-1]).order_by("-depth")


# --- who acts ------------------------------------------------------------------------------


def _people(units: Iterable[OrgUnit]) -> dict[int, list[tuple[str, int]]]:
    """{unit id: [(role, user id)]} for the units and every unit above them, one query."""
    ids = {i for unit in units for i in unit.ancestor_ids}
    if not ids:
        return {}
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    rows = RoleAssignment.objects.filter(
        unit_id__in=ids, person__user__isnull=False, person__user__is_active=True
    ).values_list("unit_id", "role", "person__user_id")
    for unit_id, role, user_id in rows:
        found[unit_id].append((role, user_id))
    return found


def _nearest(people, chain: list[int], cap: str) -> list[int]:
    for unit_id in reversed(chain):
        users = [uid for role, uid in people.get(unit_id, ()) if cap in ROLE_CAPS.get(role, ())]
        if users:
            return sorted(set(users))
    return []


def handler_ids(people, unit: OrgUnit) -> list[int]:
    """Those who run the unit's problems: at the unit itself, else the nearest level above."""
    return _nearest(people, unit.ancestor_ids, Cap.HANDLE_PROBLEMS)


def verifier_ids(people, unit: OrgUnit) -> list[int]:
    """The level above: holders of Cap.VERIFY at the nearest unit above that has any."""
    return _nearest(people, unit.ancestor_ids[:-1], Cap.VERIFY)


def head_ids(people, unit: OrgUnit) -> list[int]:
    return sorted({uid for role, uid in people.get(unit.pk, ()) if role == Role.UNIT_HEAD})


def problem_handler_ids(unit: OrgUnit) -> list[int]:
    return handler_ids(_people([unit]), unit)


def problem_verifier_ids(unit: OrgUnit) -> list[int]:
    return verifier_ids(_people([unit]), unit)


def people_of(units: Iterable[OrgUnit]):
    return _people(units)


# --- the dashboard -------------------------------------------------------------------------

METRICS = ("found", "on_spot", "in_progress", "overdue", "closed", "invalid")


@dataclass
class Counts:
    found: int = 0
    on_spot: int = 0
    in_progress: int = 0
    overdue: int = 0
    closed: int = 0
    invalid: int = 0

    def add(self, status: str, overdue: bool, n: int) -> None:
        if status == S.INVALID:
            self.invalid += n
            return
        self.found += n
        if status == S.SOLVED_ON_SPOT:
            self.on_spot += n
        elif status == S.CLOSED:
            self.closed += n
        elif overdue:
            self.overdue += n
        else:
            self.in_progress += n

    @property
    def closed_rate(self) -> int | None:
        done = self.closed + self.on_spot
        return round(100 * done / self.found) if self.found else None


@dataclass
class Row:
    unit: OrgUnit | None
    label: str
    counts: Counts = field(default_factory=Counts)
    own: bool = False  # the problems of the root unit itself, not of a unit below


@dataclass
class Dashboard:
    root: OrgUnit | None
    units: list[Row]
    categories: list[Row]
    total: Counts
    oldest: list[Problem]


def _overdue_flag(day: datetime.date):
    return Case(
        When(Q(status=S.RECTIFYING, rectification__deadline__lt=day), then=1),
        default=0,
        output_field=IntegerField(),
    )


def problem_dashboard(
    user, *, root: OrgUnit | None = None, campaign=None, day: datetime.date | None = None
) -> Dashboard:
    """Found / on the spot / in progress / overdue / closed for each unit directly under
    `root` (each counting its whole subtree) and for each category, with the oldest open
    problems. Four queries, whatever the size of the tree."""
    day = day or today()
    problems = access.problems_for_user(user)
    if campaign is not None:
        problems = problems.filter(campaign=campaign)
    if root is not None:
        problems = problems.filter(unit__path__startswith=root.path)
        units = list(access.units_for_user(user).filter(parent=root).order_by("sort_order", "path"))
    else:
        units = list(access.scope_roots(user).order_by("path"))
    flagged = problems.annotate(overdue=_overdue_flag(day)).order_by()

    rows = [Row(unit=u, label=u.name) for u in units]
    own = Row(unit=root, label=root.name if root else "", own=True)
    total = Counts()
    by_unit = flagged.values_list("unit__path", "status", "overdue").annotate(n=Count("id"))
    for path, status, overdue, n in by_unit:
        total.add(status, bool(overdue), n)
        for row in rows:
            if path.startswith(row.unit.path):
                row.counts.add(status, bool(overdue), n)
                break
        else:
            own.counts.add(status, bool(overdue), n)
    if root is not None and own.counts.found + own.counts.invalid:
        rows.insert(0, own)

    categories: dict[int, Row] = {}
    by_category = flagged.values_list(
        "category_id", "category__name", "status", "overdue"
    ).annotate(n=Count("id"))
    for category_id, name, status, overdue, n in by_category:
        row = categories.setdefault(category_id, Row(unit=None, label=name))
        row.counts.add(status, bool(overdue), n)

    oldest = list(
        problems.filter(status__in=OPEN)
        .select_related("unit", "category", "rectification")
        .order_by("created_at", "id")[:10]
    )
    return Dashboard(
        root=root,
        units=rows,
        categories=sorted(categories.values(), key=lambda r: (-r.counts.found, r.label)),
        total=total,
        oldest=oldest,
    )


# --- opinions and commitments ----------------------------------------------------------------


def opinion_list(user, *, status: str = "") -> QuerySet[Opinion]:
    opinions = access.opinions_for_user(user).select_related("unit", "problem")
    if status:
        opinions = opinions.filter(status=status)
    return opinions.order_by("-created_at", "-id")


def commitment_list(user, *, unit: OrgUnit | None = None, person=None, kind: str = ""):
    commitments = access.commitments_for_user(user).select_related(
        "unit", "person", "problem", "campaign", "verified_by"
    )
    if unit is not None:
        commitments = commitments.filter(unit__path__startswith=unit.path)
    if person is not None:
        commitments = commitments.filter(person=person)
    if kind:
        commitments = commitments.filter(kind=kind)
    return commitments.order_by("-created_at", "-id")


def commitments_of_unit(unit: OrgUnit) -> list[Commitment]:
    """For the unit's page: its own commitments (those of units below have their pages)."""
    return list(
        Commitment.objects.filter(unit=unit)
        .select_related("person", "problem")
        .order_by("-created_at", "-id")[:50]
    )


def commitments_of_person(person) -> list[Commitment]:
    return list(
        Commitment.objects.filter(person=person)
        .select_related("unit", "problem")
        .order_by("-created_at", "-id")[:50]
    )


# --- public pages --------------------------------------------------------------------------


def public_unit(unit_id) -> OrgUnit:
    """An active unit for the public pages, or 404."""
    return _get_or_404(OrgUnit.objects.filter(is_active=True), unit_id)


def public_campaign(campaign_id):
    """A campaign that has been launched (not a draft), or 404."""
    from ducha.campaigns.models import Campaign

    return _get_or_404(
        Campaign.objects.exclude(status=Campaign.Status.DRAFT).select_related("unit"), campaign_id
    )


def public_problems(unit: OrgUnit) -> QuerySet[Problem]:
    return (
        Problem.objects.filter(disclosed=True, unit__path__startswith=unit.path)
        .exclude(status=S.INVALID)
        .select_related("unit", "category", "rectification")
        .annotate(rating_avg=Avg("ratings__score"), rating_count=Count("ratings"))
        .order_by("-disclosed_at", "-id")
    )


def public_problem(problem_id) -> Problem:
    return _get_or_404(
        Problem.objects.filter(disclosed=True, unit__is_active=True)
        .exclude(status=S.INVALID)
        .select_related("unit", "category", "rectification")
        .annotate(rating_avg=Avg("ratings__score"), rating_count=Count("ratings")),
        problem_id,
    )


def public_progress(problem: Problem) -> list[Event]:
    """What the public sees of the history: the steps, and the notes of updates the unit
    marked public. Never who did them."""
    shown = [
        Event.Kind.REPORTED,
        Event.Kind.ASSIGNED,
        Event.Kind.RECTIFICATION_SET,
        Event.Kind.PROGRESS,
        Event.Kind.MILESTONE_DONE,
        Event.Kind.CLAIMED,
        Event.Kind.CLOSED,
        Event.Kind.EXTENSION_GRANTED,
    ]
    return list(problem.events.filter(kind__in=shown).only("kind", "at", "note", "public"))


def public_opinions(unit: OrgUnit) -> QuerySet[Opinion]:
    return (
        Opinion.objects.filter(unit=unit)
        .exclude(status=Opinion.Status.NEW)
        .exclude(answer="")
        .order_by("-answered_at", "-id")
    )


def public_commitments(*, unit: OrgUnit | None = None, campaign=None) -> QuerySet[Commitment]:
    commitments = Commitment.objects.filter(is_public=True, unit__is_active=True).select_related(
        "unit", "problem"
    )
    if unit is not None:
        commitments = commitments.filter(unit__path__startswith=unit.path)
    if campaign is not None:
        commitments = commitments.filter(campaign=campaign)
    return commitments.order_by("unit__path", "-created_at", "-id")


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, queryset.model.DoesNotExist):
        raise Http404 from None
