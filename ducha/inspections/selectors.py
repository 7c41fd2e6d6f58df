"""Reads of inspection rounds and findings."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ducha.orgs import access

from .models import Finding, InspectionRound


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
