"""The campaign dashboard's figures: /api/dashboard/campaigns/{id}."""

import datetime

from ninja import Query, Router, Schema

from ducha.orgs import access
from ducha.submissions import rates

router = Router(tags=["dashboard"])


class TotalsOut(Schema):
    expected: int
    received: int
    on_time: int
    late: int
    returned: int
    missing: int
    pending: int
    # Percentages with one decimal; null when nothing was expected (not 0).
    reporting_rate: float | None
    timeliness: float | None


class UnitRowOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    level: int
    is_reporting: bool
    has_children: bool
    totals: TotalsOut


class RequirementRowOut(Schema):
    id: int
    title: str
    kind: str
    recurrence: str
    due_dates: list[datetime.date]
    totals: TotalsOut


class PeriodRowOut(Schema):
    due_date: datetime.date
    totals: TotalsOut


class DashboardOut(Schema):
    campaign_id: int
    title: str
    as_of: datetime.date
    under_id: int | None
    summary: TotalsOut
    requirements: list[RequirementRowOut]
    periods: list[PeriodRowOut]
    units: list[UnitRowOut]


class DashboardFilters(Schema):
    under: int | None = None


@router.get("/campaigns/{int:campaign_id}", response=DashboardOut)
def campaign_dashboard(request, campaign_id: int, filters: Query[DashboardFilters]):
    """Expected, received, on time, late, returned and missing, with the reporting rate and
    timeliness, for the whole scope, each requirement, each due date and each unit (a unit's
    figures cover the reporting units below it). Only units in the caller's scope appear."""
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    under = access.get_unit_for_user(user, filters.under) if filters.under else None
    result = rates.campaign_rates(campaign=campaign, user=user, under=under)
    chains = result.chains
    return {
        "campaign_id": campaign.pk,
        "title": campaign.title,
        "as_of": result.as_of,
        "under_id": under.pk if under else None,
        "summary": result.total.as_dict(),
        "requirements": [
            {
                "id": r.pk,
                "title": r.title,
                "kind": r.kind,
                "recurrence": r.recurrence,
                "due_dates": result.occurrences[r.pk],
                "totals": result.by_requirement[r.pk].as_dict(),
            }
            for r in result.requirements
        ],
        "periods": [{"due_date": d, "totals": t.as_dict()} for d, t in result.by_period.items()],
        "units": [
            {
                "id": u.id,
                "code": u.code,
                "name": u.name,
                "parent_id": chains[u.id][-2] if len(chains[u.id]) > 1 else None,
                "level": u.level,
                "is_reporting": u.is_reporting,
                "has_children": u.has_children,
                "totals": result.rolled[u.id].as_dict(),
            }
            for u in result.units
        ],
    }
