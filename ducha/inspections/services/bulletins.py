"""Bulletins (通报, DOMAIN §9): drafted from the month's data, edited by the office, issued with
the next number of the issuer's yearly sequence and frozen. On the first days of a month a
background run drafts the previous month's bulletin of every active campaign that has none."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit
from ducha.problems import services as problem_services
from ducha.problems.models import Category, Problem

from ..models import Bulletin, Finding, InspectionRound
from . import common

logger = logging.getLogger(__name__)


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
    lines.extend(_sweep_lines(campaign=campaign, start=start, end=end))
    try:
        ranking = campaign_ranking(campaign=campaign, period=period, user=user)
    except ValidationError as error:
        lines.append(_("4. Ranking: not computed (%(why)s)") % {"why": " ".join(error.messages)})
    else:
        # Ranks are among peers (same parent and kind): one group after another, as ranked.
        groups: dict[tuple, list] = {}
        for row in ranking.rows:
            if row.rank:
                groups.setdefault((row.unit.parent_id, row.unit.kind), []).append(row)
        parents = {
            u.pk: u.name
            for u in OrgUnit.objects.filter(pk__in=[key[0] for key in groups if key[0]])
        }
        parts = []
        for (parent_id, _kind), rows in groups.items():
            label = _("%(kind)s under %(parent)s") % {
                "kind": rows[0].unit.get_kind_display(),
                "parent": parents.get(parent_id, "—"),
            }
            ranks = "；".join(f"{r.rank}. {r.unit.name} {r.score}" for r in rows)
            parts.append(f"（{label}）{ranks}")
        lines.append(_("4. Ranking: %(rows)s.") % {"rows": "；".join(parts) or "—"})
        ranked = [row for rows in groups.values() for row in rows]
        # The first of a group of one has nobody to be ahead of: not commended for it.
        first = [r.unit.name for r in ranked if r.rank == 1 and r.peers > 1 and not r.failed]
        last = [r.unit.name for r in ranked if r.bottom or r.failed]
        if first:
            lines.append(_("Commended: %(units)s.") % {"units": "、".join(first)})
        if last:
            lines.append(_("Criticised: %(units)s.") % {"units": "、".join(last)})
    lines.extend(_honour_lines(campaign=campaign, start=start, end=end))
    return "\n".join(lines)


def _sweep_lines(*, campaign, start, end) -> list[str]:
    """Each hazard sweep whose self-inspection deadline fell in the month: who filed, the
    hazards reported, the spot-checks and what the self-inspections missed."""
    from ..selectors import hazard_sweep_overview

    lines = []
    sweeps = InspectionRound.objects.filter(
        campaign=campaign,
        kind=InspectionRound.Kind.HAZARD_SWEEP,
        self_inspection_deadline__gte=start,
        self_inspection_deadline__lte=end,
    ).order_by("self_inspection_deadline", "id")
    for sweep in sweeps:
        overview = hazard_sweep_overview(sweep)
        lines.append(
            _(
                "Hazard sweep “%(title)s”: %(filed)s of %(units)s units filed their "
                "self-inspection by %(deadline)s and reported %(hazards)s hazards; %(checked)s "
                "units spot-checked, %(findings)s findings, %(missed)s of them missed by the "
                "self-inspection."
            )
            % {
                "title": sweep.title,
                "filed": overview.filed,
                "units": len(overview.rows),
                "deadline": date_format(sweep.self_inspection_deadline),
                "hazards": overview.hazards,
                "checked": overview.spot_checked,
                "findings": overview.findings,
                "missed": overview.missed,
            }
        )
        if overview.missing_units:
            lines.append(
                _("No self-inspection: %(units)s.")
                % {"units": "、".join(u.name for u in overview.missing_units)}
            )
    return lines


def _honour_lines(*, campaign, start, end) -> list[str]:
    """The commendation paragraph (通报表彰): honours approved in the month for people and
    units of the campaign's issuer."""
    from ducha.assessment.scoring import day_bounds
    from ducha.surveys.selectors import honours_for_bulletin

    since, until = day_bounds(start, end)
    by_honour: dict[str, list[str]] = {}
    for nomination in honours_for_bulletin(under=campaign.unit, start=since, end=until):
        name = (
            f"{nomination.person.name}（{nomination.unit.name}）"
            if nomination.person_id
            else nomination.unit.name
        )
        by_honour.setdefault(nomination.honour.title, []).append(name)
    if not by_honour:
        return []
    return [
        _("5. Commendations: %(honours)s.")
        % {
            "honours": "；".join(
                f"{title}：{'、'.join(names)}" for title, names in by_honour.items()
            )
        }
    ]


def _draft_write(*, actor, reader, campaign, period: str, title: str = "") -> Bulletin:
    from ducha.assessment.scoring import check_period

    start, _end = check_period(period)
    bulletin = Bulletin(
        campaign=campaign,
        unit=campaign.unit,
        period=period,
        title=(title or "").strip()
        or _("Bulletin on the campaign in %(year)s-%(month)02d")
        % {"year": start.year, "month": start.month},
        body=bulletin_text(campaign=campaign, period=period, user=reader),
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


def bulletin_draft(*, actor, campaign, period: str, title: str = "") -> Bulletin:
    """A draft bulletin of the campaign's office for a month, its text drafted from the data."""
    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    return _draft_write(actor=actor, reader=actor, campaign=campaign, period=period, title=title)


# The previous month's draft is written on these first days of a month (China Standard Time);
# the later days catch up a scheduler that was down on the 1st.
MONTHLY_DRAFT_DAYS = 5


def _previous_month(day: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    end = day.replace(day=1) - datetime.timedelta(days=1)
    return f"{end.year:04d}-{end.month:02d}", end.replace(day=1), end


def bulletins_draft_monthly(*, today: datetime.date | None = None) -> dict:
    """On the first MONTHLY_DRAFT_DAYS days of a month, draft the previous month's bulletin of
    each active campaign that ran in that month and has no bulletin for it yet, draft or
    issued, and tell its campaign office. Idempotent: a second run drafts nothing more, and
    no existing bulletin is ever touched. Returns the period and how many were drafted."""
    from ducha.campaigns.models import Campaign

    day = today or common.today()
    period, start, end = _previous_month(day)
    if day.day > MONTHLY_DRAFT_DAYS:
        return {"period": period, "drafted": 0}
    due = (
        Campaign.objects.filter(status=Campaign.Status.ACTIVE)
        .exclude(starts_on__gt=end)
        .exclude(ends_on__lt=start)
        .exclude(bulletins__period=period)
        .select_related("unit")
        .order_by("id")
    )
    drafted = 0
    # Bulletins are stored in the site's language, whichever worker runs this.
    with translation.override(settings.LANGUAGE_CODE):
        for campaign in due:
            try:
                drafted += _draft_for_office(campaign=campaign, period=period)
            except Exception:
                # One campaign's broken data must not keep the others' drafts from the office.
                logger.exception(
                    "drafting the %s bulletin of campaign %s failed", period, campaign.pk
                )
    return {"period": period, "drafted": drafted}


def _draft_for_office(*, campaign, period: str) -> int:
    from ducha.campaigns.models import Campaign
    from ducha.notify.models import Notification
    from ducha.notify.services import notify
    from ducha.orgs.models import Role, RoleAssignment

    with transaction.atomic():
        # Locking the campaign serialises runs: the second one finds the first one's draft.
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        if Bulletin.objects.filter(campaign=campaign, period=period).exists():
            return 0
        bulletin = _draft_write(
            actor=None, reader=access.office_reader(campaign.unit), campaign=campaign, period=period
        )
        office = RoleAssignment.objects.filter(
            unit=campaign.unit,
            role=Role.CAMPAIGN_OFFICE,
            person__user__isnull=False,
            person__user__is_active=True,
        ).values_list("person__user_id", flat=True)
        notify(
            users=office,
            kind=Notification.Kind.INFO,
            title=_("The %(period)s bulletin was drafted: %(campaign)s")
            % {"period": period, "campaign": campaign.title},
            body=_("Review and edit the draft, then issue it."),
            key=f"inspections:bulletin-draft:{campaign.pk}:{period}",
            url=common.url_of("inspections-bulletin-detail", bulletin.pk),
        )
    return 1


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
