"""The campaign dashboard: phase timeline, reporting figures, the units × requirements grid,
the late and missing lists and two charts; and the grid as .xlsx."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ducha.orgs import access
from ducha.submissions import periods, rates, rates_export
from ducha.submissions.rates import CellStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The page lists this many late and missing reports; the count covers the rest.
LIST_LIMIT = 100
# The bar chart shows at most this many units (the grid has them all).
CHART_UNITS = 40
# A grid longer than this shows the top two levels only (or its first rows): a city's 2,000
# units would make a page of megabytes. Names link down the tree; the export has every row.
GRID_ROWS = 300


@dataclass
class TimelinePhase:
    phase: object
    state: str  # "past", "current" or "upcoming"


def phase_timeline(phases, today: datetime.date) -> list[TimelinePhase]:
    """The phases in order, each past, current (today falls in it) or upcoming."""
    timeline = []
    for phase in phases:
        if phase.ends_on < today:
            state = "past"
        elif phase.starts_on <= today:
            state = "current"
        else:
            state = "upcoming"
        timeline.append(TimelinePhase(phase, state))
    return timeline


def _filters(request, user):
    """The ?under= unit (404 when outside the user's scope) and the ?period= date."""
    under_id = request.GET.get("under")
    under = access.get_unit_for_user(user, under_id) if under_id else None
    try:
        period = datetime.date.fromisoformat(request.GET.get("period", ""))
    except ValueError:
        period = None
    return under, period


@login_required
@require_GET
def campaign_dashboard(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    under, period = _filters(request, user)
    result = rates.campaign_rates(campaign=campaign, user=user, under=under)
    grid = rates.rates_grid(result, period=period)
    rows = grid.rows
    if len(rows) > GRID_ROWS:
        top = [row for row in rows if row.unit.level <= 1]
        rows = top if len(top) <= GRID_ROWS else rows[:GRID_ROWS]
    today = periods.today_cst()
    return render(
        request,
        "web/dashboard/campaign.html",
        {
            "campaign": campaign,
            "under": under,
            "period": period,
            "rates": result,
            "grid": grid,
            "grid_rows": rows,
            "grid_hidden": len(grid.rows) - len(rows),
            "timeline": phase_timeline(campaign.phases.all(), today),
            "today": today,
            "statuses": CellStatus.choices,
            "late": result.late[:LIST_LIMIT],
            "missing": result.missing[:LIST_LIMIT],
            "late_hidden": max(0, len(result.late) - LIST_LIMIT),
            "missing_hidden": max(0, len(result.missing) - LIST_LIMIT),
            "chart_data": _chart_data(result),
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def grid_export(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    under, period = _filters(request, user)
    out = rates_export.rates_grid_export(actor=user, campaign=campaign, under=under, period=period)
    return FileResponse(out.file, as_attachment=True, filename=out.filename, content_type=XLSX)


def _chart_data(result: rates.CampaignRates) -> dict:
    """What static/js/dashboard.js draws: rates of the units one level below the top (the top
    itself when it stands alone) and the statuses per due date."""
    units = [u for u in result.units if u.level == 1] or [u for u in result.units if u.level == 0]
    units = units[:CHART_UNITS]
    # Not yet due goes last, on top of the stack: it isn't counted in the rates.
    shown = [
        CellStatus.ON_TIME,
        CellStatus.LATE,
        CellStatus.RETURNED,
        CellStatus.MISSING,
        CellStatus.PENDING,
    ]
    return {
        "labels": {
            "reporting_rate": _("Reporting rate"),
            "timeliness": _("Timeliness"),
            "statuses": {s.value: str(s.label) for s in shown},
            "no_data": _("Nothing is due yet."),
        },
        "units": {
            "names": [u.name for u in units],
            "reporting_rate": [result.rolled[u.id].as_dict()["reporting_rate"] for u in units],
            "timeliness": [result.rolled[u.id].as_dict()["timeliness"] for u in units],
        },
        "periods": {
            "dates": [d.isoformat() for d in result.by_period],
            "series": {
                s.value: [getattr(t, s.value) for t in result.by_period.values()] for s in shown
            },
        },
    }
