"""A campaign's indicator system, hand scores and monthly ranking: /api/assessment."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema, Status

from ducha.api.refs import resolve_ref
from ducha.assessment import scoring, services
from ducha.assessment.models import Indicator
from ducha.orgs import access

router = Router(tags=["assessment"])


def _campaign(user, campaign_id: int):
    campaign = access.get_campaign_for_user(user, campaign_id)
    if not access.may_see_assessment(user, campaign):
        raise PermissionDenied
    return campaign


class IndicatorOut(Schema):
    id: int
    content: str
    standard: str
    method: str
    weight: Decimal
    target: str
    comparator: str
    target_value: Decimal | None
    computed_source: str
    veto: bool
    leader: str
    responsible_person: str


class IndicatorIn(Schema):
    content: str
    weight: Decimal
    standard: str = ""
    method: Indicator.Method = Indicator.Method.MATERIAL_REVIEW
    target: str = ""
    comparator: Indicator.Comparator = Indicator.Comparator.NONE
    target_value: Decimal | None = None
    computed_source: Indicator.Source = Indicator.Source.NONE
    veto: bool = False
    leader: str = ""
    responsible_person: str = ""


@router.get("/campaigns/{int:campaign_id}/indicators", response=list[IndicatorOut])
def indicator_list(request, campaign_id: int):
    return list(_campaign(request.user, campaign_id).indicators.all())


@router.post("/campaigns/{int:campaign_id}/indicators", response={201: IndicatorOut})
def indicator_create(request, campaign_id: int, payload: IndicatorIn):
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    indicator = services.indicator_create(
        actor=request.user, campaign=campaign, **payload.model_dump()
    )
    return Status(201, indicator)


class ScoreIn(Schema):
    indicator_id: int
    unit_id: int
    period: str
    value: Decimal
    evidence: str


class ScoreOut(Schema):
    id: int
    indicator_id: int
    unit_id: int
    period: str
    value: Decimal
    evidence: str


def _indicator_of(campaign):
    def get(_user, pk):
        try:
            return campaign.indicators.get(pk=int(pk))
        except (TypeError, ValueError, Indicator.DoesNotExist):
            raise Http404 from None

    return get


@router.post("/campaigns/{int:campaign_id}/scores", response=ScoreOut)
def score_set(request, campaign_id: int, payload: ScoreIn):
    """Score a unit on a hand-scored indicator for a month; replaces an earlier score."""
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    indicator = resolve_ref(
        _indicator_of(campaign), user, payload.indicator_id, field="indicator_id"
    )
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    return services.manual_score_set(
        actor=user,
        indicator=indicator,
        unit=unit,
        period=payload.period,
        value=payload.value,
        evidence=payload.evidence,
    )


class CellOut(Schema):
    indicator_id: int
    value: Decimal | None
    met: bool | None


class RowOut(Schema):
    unit_id: int
    unit_name: str
    cells: list[CellOut]
    score: Decimal | None
    incomplete: bool
    missing: list[str]
    failed: bool
    rank: int | None
    peers: int
    bottom: bool


class RankingOut(Schema):
    period: str
    rows: list[RowOut]


class PeriodIn(Schema):
    period: str


@router.get("/campaigns/{int:campaign_id}/ranking", response=RankingOut)
def ranking(request, campaign_id: int, filters: Query[PeriodIn]):
    """Each unit's score for the month (YYYY-MM), its rank among its peers (same parent and
    kind; ties share a rank), veto failures and the bottom-ranked flag; a missing value is
    null, not 0. 422 if the weights do not add up to 100."""
    campaign = _campaign(request.user, campaign_id)
    result = scoring.campaign_ranking(campaign=campaign, period=filters.period, user=request.user)
    return {
        "period": result.period,
        "rows": [
            {
                "unit_id": row.unit.pk,
                "unit_name": row.unit.name,
                "cells": [
                    {"indicator_id": c.indicator.pk, "value": c.value, "met": c.met}
                    for c in row.cells
                ],
                "score": row.score,
                "incomplete": row.incomplete,
                "missing": row.missing,
                "failed": row.failed,
                "rank": row.rank,
                "peers": row.peers,
                "bottom": row.bottom,
            }
            for row in result.rows
        ],
    }
