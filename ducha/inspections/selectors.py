"""Reads of inspection rounds, findings and hazard sweeps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from ducha.orgs import access
from ducha.orgs.models import OrgUnit
from ducha.submissions.periods import today_cst

from .models import Finding, InspectionRound, SelfInspection, SelfInspectionItem, SpotCheck


def inspection_round_list(user, campaign=None) -> QuerySet[InspectionRound]:
    rounds = access.inspection_rounds_for_user(user).select_related("campaign", "unit")
    if campaign is not None:
        rounds = rounds.filter(campaign=campaign)
    # Grouping drops Meta.ordering: order explicitly so pages are stable.
    return rounds.order_by("-date", "-id").annotate(
        finding_count=Count("findings", distinct=True), unit_count=Count("units", distinct=True)
    )


def findings_of(inspection_round: InspectionRound) -> QuerySet[Finding]:
    return inspection_round.findings.select_related("unit", "problem").annotate(
        evidence_count=Count("problem__evidence")
    )


def findings_count(*, campaign, unit=None, since=None, until=None) -> int:
    """Findings of a campaign's rounds, under `unit` and within dates (for bulletins)."""
    findings = Finding.objects.filter(round__campaign=campaign)
    if unit is not None:
        findings = findings.filter(unit__path__startswith=unit.path)
    if since is not None:
        findings = findings.filter(round__date__gte=since)
    if until is not None:
        findings = findings.filter(round__date__lte=until)
    return findings.count()


# --- hazard sweeps -----------------------------------------------------------------------------


def self_inspection_status(
    inspection_round: InspectionRound, filed: bool, today: datetime.date
) -> str:
    if filed:
        return SelfInspection.Status.FILED
    deadline = inspection_round.self_inspection_deadline
    if deadline is not None and today > deadline:
        return SelfInspection.Status.MISSING
    return SelfInspection.Status.PENDING


@dataclass
class SweepRow:
    """One inspected unit of a hazard sweep."""

    unit: OrgUnit
    status: str
    self_inspection: SelfInspection | None = None
    hazards: int = 0
    spot_check: SpotCheck | None = None
    findings: int = 0
    missed: int = 0

    @property
    def status_label(self) -> str:
        return SelfInspection.Status(self.status).label


@dataclass
class SweepOverview:
    rows: list[SweepRow] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def filed(self) -> int:
        return self._count(SelfInspection.Status.FILED)

    @property
    def missing(self) -> int:
        return self._count(SelfInspection.Status.MISSING)

    @property
    def pending(self) -> int:
        return self._count(SelfInspection.Status.PENDING)

    @property
    def missing_units(self) -> list[OrgUnit]:
        return [row.unit for row in self.rows if row.status == SelfInspection.Status.MISSING]

    @property
    def hazards(self) -> int:
        return sum(row.hazards for row in self.rows)

    @property
    def spot_checked(self) -> int:
        return sum(1 for row in self.rows if row.spot_check is not None)

    @property
    def findings(self) -> int:
        return sum(row.findings for row in self.rows)

    @property
    def missed(self) -> int:
        return sum(row.missed for row in self.rows)


def hazard_sweep_overview(
    inspection_round: InspectionRound, *, today: datetime.date | None = None
) -> SweepOverview:
    """Per inspected unit: the self-inspection's status and hazards reported, the spot-check,
    its findings and how many of them the self-inspection missed. Four queries."""
    today = today or today_cst()
    units = list(inspection_round.units.order_by("path"))
    filed = {
        s.unit_id: s
        for s in SelfInspection.objects.filter(round=inspection_round).annotate(
            hazard_count=Count("items", filter=Q(items__result=SelfInspectionItem.Result.HAZARD))
        )
    }
    checks = {s.unit_id: s for s in SpotCheck.objects.filter(round=inspection_round)}
    findings = {
        row["unit_id"]: row
        for row in Finding.objects.filter(round=inspection_round)
        .values("unit_id")
        .annotate(n=Count("id"), missed=Count("id", filter=Q(missed_by_self_inspection=True)))
        .order_by()
    }
    overview = SweepOverview()
    for unit in units:
        self_inspection = filed.get(unit.pk)
        counts = findings.get(unit.pk, {})
        overview.rows.append(
            SweepRow(
                unit=unit,
                status=self_inspection_status(inspection_round, self_inspection is not None, today),
                self_inspection=self_inspection,
                hazards=self_inspection.hazard_count if self_inspection else 0,
                spot_check=checks.get(unit.pk),
                findings=counts.get("n", 0),
                missed=counts.get("missed", 0),
            )
        )
    return overview


def self_inspection_of(inspection_round: InspectionRound, unit: OrgUnit) -> SelfInspection | None:
    """The unit's self-inspection with its items and their problems, if filed."""
    return (
        SelfInspection.objects.filter(round=inspection_round, unit=unit)
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch("items", queryset=SelfInspectionItem.objects.select_related("problem"))
        )
        .first()
    )


def spot_check_of(inspection_round: InspectionRound, unit: OrgUnit) -> SpotCheck | None:
    return (
        SpotCheck.objects.filter(round=inspection_round, unit=unit)
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.select_related("problem")))
        .first()
    )


@dataclass
class SweepToFile:
    """A hazard sweep one of the user's units must inspect itself for."""

    round: InspectionRound
    unit: OrgUnit
    status: str
    self_inspection: SelfInspection | None

    @property
    def status_label(self) -> str:
        return SelfInspection.Status(self.status).label


def hazard_sweeps_to_file(user, *, limit: int = 100) -> list[SweepToFile]:
    """The user's units in the announced hazard sweeps that inspect them, latest deadline
    first, with their self-inspection's status. Three queries."""
    rounds = list(
        access.hazard_sweeps_for_unit_user(user)
        .select_related("campaign", "unit")
        .prefetch_related(Prefetch("units", queryset=OrgUnit.objects.order_by("path")))
        .order_by("-self_inspection_deadline", "-id")[:limit]
    )
    filed = {(s.round_id, s.unit_id): s for s in SelfInspection.objects.filter(round__in=rounds)}
    today = today_cst()
    rows = []
    for inspection_round in rounds:
        for unit in inspection_round.units.all():
            if not access.may_file_self_inspection(user, inspection_round, unit):
                continue
            self_inspection = filed.get((inspection_round.pk, unit.pk))
            rows.append(
                SweepToFile(
                    round=inspection_round,
                    unit=unit,
                    status=self_inspection_status(
                        inspection_round, self_inspection is not None, today
                    ),
                    self_inspection=self_inspection,
                )
            )
    return rows
