"""Actions on inspection rounds: create a round, record a finding (which becomes a problem)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit
from ducha.problems import services as problem_services
from ducha.problems.models import Category, Problem

from .models import Bulletin, Finding, InspectionRound


def _clean_lines(items: Iterable[str]) -> list[str]:
    return [str(item).strip() for item in items if str(item).strip()]


def inspection_round_create(
    *,
    actor,
    campaign,
    title: str,
    date: datetime.date,
    units: Sequence[OrgUnit],
    kind: str = InspectionRound.Kind.MONTHLY,
    mode: str = InspectionRound.Mode.OPEN,
    bodies: str = "",
    checklist: Iterable[str] = (),
) -> InspectionRound:
    """A round of the campaign's office over units under the issuing unit."""
    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    units = list(units)
    if not units:
        raise ValidationError({"units": [_("Choose at least one unit to inspect.")]})
    root = campaign.unit.path
    if any(not u.path.startswith(root) or u.pk == campaign.unit_id for u in units):
        raise ValidationError({"units": [_("Inspected units must be under the issuing unit.")]})
    inspection_round = InspectionRound(
        campaign=campaign,
        unit=campaign.unit,
        title=(title or "").strip(),
        kind=kind,
        mode=mode,
        bodies="\n".join(_clean_lines((bodies or "").splitlines())),
        date=date,
        checklist=_clean_lines(checklist),
        created_by=actor,
    )
    inspection_round.full_clean(exclude=["created_by"])
    with transaction.atomic():
        inspection_round.save()
        inspection_round.units.set(units)
        audit_record(
            actor=actor,
            action="create",
            obj=inspection_round,
            unit_path=campaign.unit.path,
            after={**snapshot(inspection_round), "units": sorted(u.pk for u in units)},
        )
    return inspection_round


def finding_record(
    *,
    actor,
    inspection_round: InspectionRound,
    unit: OrgUnit,
    text: str,
    severity: str = Problem.Severity.MINOR,
    category: Category | None = None,
    evidence: IO[bytes] | None = None,
) -> Finding:
    """Record a finding at one of the round's units; it is reported as a problem of that unit
    (source inspection, or hazard sweep) so it enters the rectification loop."""
    if not access.has_cap(actor, Cap.MANAGE_CAMPAIGNS, inspection_round.unit):
        raise PermissionDenied
    if not inspection_round.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": [_("This unit is not inspected in this round.")]})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Say what was found.")]})
    if category is None:
        category = Category.objects.get(code="other")
    source = (
        Problem.Source.HAZARD_SWEEP
        if inspection_round.kind == InspectionRound.Kind.HAZARD_SWEEP
        else Problem.Source.INSPECTION
    )
    with transaction.atomic():
        problem = problem_services.problem_report(
            actor=actor,
            unit=unit,
            category=category,
            title=text.splitlines()[0][:200],
            description=text,
            source=source,
            severity=severity,
            campaign=inspection_round.campaign,
            files=[evidence] if evidence is not None else (),
        )
        finding = Finding(
            round=inspection_round,
            unit=unit,
            text=text,
            severity=severity,
            problem=problem,
            recorded_by=actor,
        )
        finding.full_clean(exclude=["recorded_by"])
        finding.save()
        audit_record(
            actor=actor,
            action="create",
            obj=finding,
            unit_path=unit.path,
            after=snapshot(finding),
        )
    return finding


# --- bulletins (通报) -------------------------------------------------------------------------


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _visits_lines(*, campaign, start, end, user) -> list[str]:
    """Visits logged in the month and each quota's attainment in its window at month end."""
    from ducha.visits.models import Quota, Visit
    from ducha.visits.quotas import quota_attainment

    visits = Visit.objects.filter(campaign=campaign, date__gte=start, date__lte=end).count()
    lines = [_("Visits: %(n)s logged.") % {"n": visits}]
    for quota in Quota.objects.filter(campaign=campaign):
        attainment = quota_attainment(quota, user=user, today=end)
        lines.append(
            _("Quota “%(quota)s”: %(met)s of %(all)s met (%(rate)s).")
            % {
                "quota": quota,
                "met": attainment.met,
                "all": len(attainment.rows),
                "rate": _pct(attainment.met, len(attainment.rows)),
            }
        )
    return lines


def bulletin_text(*, campaign, period: str, user) -> str:
    """The draft text of a month's bulletin, from the campaign's data: submissions on time,
    late and missing, problems found, closed and overdue, inspection findings, ranking."""
    from ducha.assessment.scoring import campaign_ranking, check_period
    from ducha.submissions.rates import CellStatus, campaign_rates

    start, end = check_period(period)
    year, month = start.year, start.month
    lines = [
        _("In %(year)s-%(month)02d the campaign “%(title)s” went as follows.")
        % {"year": year, "month": month, "title": campaign.title}
    ]
    rates = campaign_rates(campaign=campaign, user=user, as_of=end)
    counts = dict.fromkeys(CellStatus.values, 0)
    for (_req, _unit, due), status in rates.cells.items():
        if start <= due <= end:
            counts[status] += 1
    due = counts["on_time"] + counts["late"] + counts["returned"] + counts["missing"]
    lines.append(
        _(
            "1. Submissions: %(due)s were due, %(on_time)s on time (%(rate)s), %(late)s late, "
            "%(missing)s missing."
        )
        % {**counts, "due": due, "rate": _pct(counts["on_time"], due)}
    )
    late = sorted({i.unit.name for i in rates.late if start <= i.due_date <= end})
    missing = sorted({i.unit.name for i in rates.missing if start <= i.due_date <= end})
    if late:
        lines.append(_("Late: %(units)s.") % {"units": "、".join(late)})
    if missing:
        lines.append(_("Missing: %(units)s.") % {"units": "、".join(missing)})
    lines.extend(_visits_lines(campaign=campaign, start=start, end=end, user=user))
    problems = Problem.objects.filter(
        campaign=campaign, created_at__date__gte=start, created_at__date__lte=end
    ).exclude(status=Problem.Status.INVALID)
    found = problems.count()
    closed = problems.filter(status__in=Problem.FINISHED).count()
    overdue = Problem.objects.filter(
        campaign=campaign, status=Problem.Status.RECTIFYING, rectification__deadline__lt=end
    ).count()
    lines.append(
        _("2. Problems: %(found)s found, %(closed)s closed (%(rate)s), %(overdue)s overdue.")
        % {"found": found, "closed": closed, "rate": _pct(closed, found), "overdue": overdue}
    )
    findings = Finding.objects.filter(
        round__campaign=campaign, round__date__gte=start, round__date__lte=end
    ).select_related("unit")
    by_unit: dict[str, int] = {}
    for finding in findings:
        by_unit[finding.unit.name] = by_unit.get(finding.unit.name, 0) + 1
    lines.append(
        _("3. Inspections: %(n)s findings%(detail)s.")
        % {
            "n": sum(by_unit.values()),
            "detail": (
                "（" + "、".join(f"{name}{n}" for name, n in sorted(by_unit.items())) + "）"
                if by_unit
                else ""
            ),
        }
    )
    try:
        ranking = campaign_ranking(campaign=campaign, period=period, user=user)
    except ValidationError as error:
        lines.append(_("4. Ranking: not computed (%(why)s)") % {"why": " ".join(error.messages)})
    else:
        ranked = sorted((r for r in ranking.rows if r.rank), key=lambda r: (r.rank, r.unit.path))
        lines.append(
            _("4. Ranking: %(rows)s.")
            % {"rows": "；".join(f"{r.rank}. {r.unit.name} {r.score}" for r in ranked) or "—"}
        )
        first = [r.unit.name for r in ranked if r.rank == 1 and not r.failed]
        last = [r.unit.name for r in ranked if r.bottom or r.failed]
        if first:
            lines.append(_("Commended: %(units)s.") % {"units": "、".join(first)})
        if last:
            lines.append(_("Criticised: %(units)s.") % {"units": "、".join(last)})
    return "\n".join(lines)


def bulletin_draft(*, actor, campaign, period: str, title: str = "") -> Bulletin:
    """A draft bulletin of the campaign's office for a month, its text drafted from the data."""
    from ducha.assessment.scoring import check_period

    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    start, _end = check_period(period)
    bulletin = Bulletin(
        campaign=campaign,
        unit=campaign.unit,
        period=period,
        title=(title or "").strip()
        or _("Bulletin on the campaign in %(year)s-%(month)02d")
        % {"year": start.year, "month": start.month},
        body=bulletin_text(campaign=campaign, period=period, user=actor),
    )
    bulletin.full_clean(exclude=["issued_by"])
    with transaction.atomic():
        bulletin.save()
        audit_record(
            actor=actor,
            action="create",
            obj=bulletin,
            unit_path=campaign.unit.path,
            after=snapshot(bulletin),
        )
    return bulletin


def _refuse_if_issued(bulletin: Bulletin) -> None:
    if bulletin.is_issued:
        raise ValidationError(_("An issued bulletin is frozen: it can no longer be changed."))


def bulletin_update(
    *,
    actor,
    bulletin: Bulletin,
    title: str,
    body: str,
    doc_prefix: str = "",
    copy_to: str = "",
    criticised: Sequence[OrgUnit] = (),
) -> Bulletin:
    """The office edits the draft's text and names the units it criticises."""
    if not access.has_cap(actor, Cap.MANAGE_CAMPAIGNS, bulletin.unit):
        raise PermissionDenied
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        _refuse_if_issued(bulletin)
        criticised = list(criticised)
        if any(not u.path.startswith(bulletin.unit.path) for u in criticised):
            raise ValidationError(
                {"criticised": [_("Only units under the issuing unit may be named.")]}
            )
        before = {
            **snapshot(bulletin),
            "criticised": sorted(bulletin.criticised.values_list("pk", flat=True)),
        }
        bulletin.title = (title or "").strip()
        bulletin.body = (body or "").strip()
        bulletin.doc_prefix = (doc_prefix or "").strip()
        bulletin.copy_to = (copy_to or "").strip()
        bulletin.full_clean(exclude=["issued_by"])
        bulletin.save(update_fields=["title", "body", "doc_prefix", "copy_to", "updated_at"])
        bulletin.criticised.set(criticised)
        audit_record(
            actor=actor,
            action="update",
            obj=bulletin,
            unit_path=bulletin.unit.path,
            before=before,
            after={**snapshot(bulletin), "criticised": sorted(u.pk for u in criticised)},
        )
    return bulletin


def bulletin_issue(*, actor, bulletin: Bulletin) -> Bulletin:
    """Issue the bulletin: the next number of the issuer's yearly sequence, frozen from now on;
    each unit criticised by name gets a problem to rectify."""
    from django.utils import timezone

    if not access.has_cap(actor, Cap.MANAGE_CAMPAIGNS, bulletin.unit):
        raise PermissionDenied
    with transaction.atomic():
        # Locking the issuer's row serialises numbering: two offices issuing at once never
        # get the same number.
        OrgUnit.objects.select_for_update().get(pk=bulletin.unit_id)
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        _refuse_if_issued(bulletin)
        if not bulletin.doc_prefix:
            raise ValidationError(
                {"doc_prefix": [_("Give the issuer's short name for the document number.")]}
            )
        now = timezone.now()
        year = timezone.localdate(now).year
        last = (
            Bulletin.objects.filter(unit=bulletin.unit, year=year)
            .exclude(number__isnull=True)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        bulletin.year, bulletin.number = year, (last or 0) + 1
        bulletin.status, bulletin.issued_at, bulletin.issued_by = (
            Bulletin.Status.ISSUED,
            now,
            actor,
        )
        bulletin.save(
            update_fields=["year", "number", "status", "issued_at", "issued_by", "updated_at"]
        )
        category = Category.objects.get(code="other")
        for unit in bulletin.criticised.order_by("path"):
            problem = problem_services.problem_report(
                actor=actor,
                unit=unit,
                category=category,
                title=_("Criticised by name in %(number)s") % {"number": bulletin.doc_number},
                description=bulletin.title,
                source=Problem.Source.INSPECTION,
                campaign=bulletin.campaign,
            )
            bulletin.problems.add(problem)
        audit_record(
            actor=actor,
            action="issue",
            obj=bulletin,
            unit_path=bulletin.unit.path,
            after={
                **snapshot(bulletin),
                "problems": list(bulletin.problems.values_list("pk", flat=True)),
            },
        )
    return bulletin
