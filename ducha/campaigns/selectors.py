"""Reads of campaigns: the scoped list, the current phase and timeline, the adoption tree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit

from .models import Campaign, Participant, Phase


def today() -> datetime.date:
    """Today in China Standard Time (settings.TIME_ZONE), by the server's clock."""
    return timezone.localdate()


def _count(qs: QuerySet, fk: str) -> Coalesce:
    """A correlated COUNT, so several counts on one list don't multiply each other's joins."""
    rows = (
        qs.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_progress(qs: QuerySet[Campaign], on: datetime.date | None = None) -> QuerySet[Campaign]:
    """Counts and the current phase of each campaign, as columns of the same query."""
    on = on or today()
    current = Phase.objects.filter(
        campaign=OuterRef("pk"), starts_on__lte=on, ends_on__gte=on
    ).order_by("order", "starts_on", "id")
    return qs.annotate(
        participant_count=_count(Participant.objects, "campaign"),
        phase_count=_count(Phase.objects, "campaign"),
        child_count=_count(Campaign.objects, "parent"),
        current_phase_name=Subquery(current.values("name")[:1]),
    )


def campaign_list(user, *, status: str = "", q: str = "", on=None) -> QuerySet[Campaign]:
    """Campaigns the user may see, newest first, with their counts and current phase."""
    qs = access.campaigns_for_user(user).select_related("unit", "parent")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(theme__icontains=q)
            | Q(doc_number__icontains=q)
            | Q(issuer__icontains=q)
            | Q(unit__name__icontains=q)
        )
    return with_progress(qs, on).order_by(
        F("issue_date").desc(nulls_last=True), "-created_at", "-id"
    )


def phases_of(campaign: Campaign) -> list[Phase]:
    return list(campaign.phases.select_related("inherited_from"))


def current_phase(
    campaign: Campaign, on: datetime.date | None = None, phases: list[Phase] | None = None
) -> Phase | None:
    """The phase `on` falls in (the first by order when phases overlap), or None."""
    on = on or today()
    phases = phases if phases is not None else phases_of(campaign)
    return next((p for p in phases if p.is_current(on)), None)


# --- timeline ------------------------------------------------------------------------------

PAST, CURRENT, FUTURE = "past", "current", "future"


@dataclass
class TimelineRow:
    phase: Phase
    state: str  # past, current or future
    elapsed: int  # percent of the phase's days gone by
    left: float  # where its bar starts, percent of the whole timeline
    width: float


@dataclass
class Timeline:
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    today: datetime.date
    rows: list[TimelineRow] = field(default_factory=list)
    today_at: float | None = None  # the today marker, percent of the whole timeline

    @property
    def current(self) -> Phase | None:
        return next((r.phase for r in self.rows if r.state == CURRENT), None)


def phase_state(phase: Phase, on: datetime.date | None = None) -> str:
    on = on or today()
    if phase.ends_on < on:
        return PAST
    return FUTURE if phase.starts_on > on else CURRENT


def _days(start: datetime.date, end: datetime.date) -> int:
    return (end - start).days + 1


def timeline(
    campaign: Campaign, on: datetime.date | None = None, phases: list[Phase] | None = None
) -> Timeline:
    """The phases as bars on one axis from the earliest start to the latest end, each past,
    current or future on `on`, with how much of it has elapsed."""
    on = on or today()
    phases = phases if phases is not None else phases_of(campaign)
    starts = [p.starts_on for p in phases] + ([campaign.starts_on] if campaign.starts_on else [])
    ends = [p.ends_on for p in phases] + ([campaign.ends_on] if campaign.ends_on else [])
    if not starts or not ends:
        return Timeline(
            starts_on=min(starts, default=None), ends_on=max(ends, default=None), today=on
        )
    start, end = min(starts), max(ends)
    if end < start:
        start, end = end, start
    span = _days(start, end)
    result = Timeline(starts_on=start, ends_on=end, today=on)
    for phase in phases:
        length = max(_days(phase.starts_on, phase.ends_on), 1)
        # Phases that share their boundary days are both current on those days.
        state = phase_state(phase, on)
        if state == CURRENT:
            elapsed = round(100 * _days(phase.starts_on, on) / length)
        else:
            elapsed = 100 if state == PAST else 0
        result.rows.append(
            TimelineRow(
                phase=phase,
                state=state,
                elapsed=elapsed,
                left=round(100 * (phase.starts_on - start).days / span, 2),
                width=round(100 * length / span, 2),
            )
        )
    if start <= on <= end:
        result.today_at = round(100 * ((on - start).days + 0.5) / span, 2)
    return result


def status_display(
    campaign: Campaign, on: datetime.date | None = None, phases: list[Phase] | None = None
) -> str:
    """What the status means today: for an active campaign the current phase, or whether its
    phases have not begun or are all over."""
    if campaign.status != Campaign.Status.ACTIVE:
        return str(campaign.get_status_display())
    on = on or today()
    phases = phases if phases is not None else phases_of(campaign)
    current = current_phase(campaign, on, phases)
    if current is not None:
        return _("Active · %(phase)s") % {"phase": current.name}
    if phases and on < min(p.starts_on for p in phases):
        return _("Active · not started yet")
    if phases and on > max(p.ends_on for p in phases):
        return _("Active · all phases over")
    return str(campaign.get_status_display())


# --- cascade -------------------------------------------------------------------------------


@dataclass
class Node:
    campaign: Campaign
    depth: int  # 1 for a direct adoption
    descendants: int = 0  # campaigns below this one


def descendants(campaign: Campaign, on: datetime.date | None = None) -> list[Node]:
    """The adoption tree below `campaign` in depth-first order, read level by level: one query
    per level of the cascade, never one per campaign."""
    by_parent: dict[int, list[Campaign]] = {}
    level_ids = [campaign.pk]
    while level_ids:
        level = list(
            with_progress(Campaign.objects.filter(parent_id__in=level_ids), on)
            .select_related("unit")
            .order_by("unit__path", "id")
        )
        for child in level:
            by_parent.setdefault(child.parent_id, []).append(child)
        level_ids = [c.pk for c in level]

    nodes: list[Node] = []

    def walk(parent_id: int, depth: int) -> int:
        total = 0
        for child in by_parent.get(parent_id, []):
            node = Node(campaign=child, depth=depth)
            nodes.append(node)
            node.descendants = walk(child.pk, depth + 1)
            total += 1 + node.descendants
        return total

    walk(campaign.pk, 1)
    return nodes


def descendants_for_user(
    user, campaign: Campaign, on: datetime.date | None = None, nodes: list[Node] | None = None
) -> list[Node]:
    """The adoption tree as `user` may see it: a unit sees its own campaigns and its children's,
    not those of its sibling units. `nodes`: the whole tree when already read."""
    nodes = nodes if nodes is not None else descendants(campaign, on)
    if not nodes:
        return nodes
    visible = set(
        access.campaigns_for_user(user)
        .filter(pk__in=[n.campaign.pk for n in nodes])
        .values_list("pk", flat=True)
    )
    return [n for n in nodes if n.campaign.pk in visible]


@dataclass
class CascadeSummary:
    participants: int
    adopted: int  # participants that have adopted the campaign
    descendants: int  # campaigns anywhere below
    by_status: dict[str, int]

    @property
    def adopted_percent(self) -> int:
        return round(100 * self.adopted / self.participants) if self.participants else 0


def cascade_summary(campaign: Campaign, nodes: list[Node]) -> CascadeSummary:
    """The roll-up of the whole adoption tree: how far the cascade has gone, in what state."""
    by_status = dict.fromkeys(Campaign.Status.values, 0)
    for node in nodes:
        by_status[node.campaign.status] += 1
    participants = getattr(campaign, "participant_count", None)
    if participants is None:
        participants = campaign.participants.count()
    return CascadeSummary(
        participants=participants,
        # Adoption needs participation, and an adopting unit can't leave the scope.
        adopted=sum(1 for n in nodes if n.depth == 1),
        descendants=len(nodes),
        by_status=by_status,
    )


def participants_for_user(user, campaign: Campaign) -> QuerySet[Participant]:
    """The participants with the campaign each adopted (if any), in tree order. Who sees the
    issuing unit sees them all; a participating unit only those inside its own scope."""
    adoption = Campaign.objects.filter(parent=campaign, unit=OuterRef("unit"))
    qs = campaign.participants.select_related("unit")
    if not access.has_cap(user, Cap.VIEW, campaign.unit):
        qs = qs.filter(access.scope_q(user))
    return qs.annotate(
        adoption_id=Subquery(adoption.values("pk")[:1]),
        adoption_status=Subquery(adoption.values("status")[:1]),
    ).order_by("unit__path")


def adoptable_units(user, campaign: Campaign) -> list[OrgUnit]:
    """The user's own units (where they hold the right to run campaigns) that take part in
    `campaign` and have not adopted it yet: where "Adopt for my unit" is offered."""
    if campaign.status != Campaign.Status.ACTIVE:
        return []
    roots = access.scope_paths(user, Cap.MANAGE_CAMPAIGNS)
    if not roots:
        return []
    adopted = Campaign.objects.filter(parent=campaign).values("unit_id")
    return list(
        OrgUnit.objects.filter(
            path__in=roots, participations__campaign=campaign, is_active=True
        ).exclude(pk__in=adopted)
    )


def adoption_of(parent: Campaign, unit: OrgUnit) -> Campaign | None:
    return Campaign.objects.filter(parent=parent, unit=unit).first()
