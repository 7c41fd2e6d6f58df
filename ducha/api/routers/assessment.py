"""A campaign's indicator system, hand scores, monthly ranking, follow-ups, published scores
and appeals: /api/assessment."""

import dataclasses
import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from ducha.api.refs import resolve_ref
from ducha.assessment import appeals, releases, scoring, services
from ducha.assessment.models import FollowUp, Indicator
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


# --- follow-ups of bottom-ranked and failed units --------------------------------------------


class FollowUpIn(Schema):
    unit_id: int
    period: str
    kind: FollowUp.Kind
    note: str


class FollowUpOut(Schema):
    id: int
    unit_id: int
    period: str
    kind: str
    note: str
    actor_id: int | None
    created_at: datetime.datetime


class FollowUpFilter(Schema):
    period: str | None = None


@router.get("/campaigns/{int:campaign_id}/follow-ups", response=list[FollowUpOut])
def follow_up_list(request, campaign_id: int, filters: Query[FollowUpFilter]):
    """The admonition talks and accountability recorded for the campaign (one month's if
    `period` is given)."""
    campaign = _campaign(request.user, campaign_id)
    follow_ups = campaign.assessment_follow_ups.all()
    if filters.period:
        follow_ups = follow_ups.filter(period=filters.period)
    return list(follow_ups)


@router.post("/campaigns/{int:campaign_id}/follow-ups", response={201: FollowUpOut})
def follow_up_create(request, campaign_id: int, payload: FollowUpIn):
    """Record what was done about a unit the month's ranking put last or failed; 422 for any
    other unit."""
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    follow_up = services.follow_up_record(
        actor=user,
        campaign=campaign,
        unit=unit,
        period=payload.period,
        kind=payload.kind,
        note=payload.note,
    )
    return Status(201, follow_up)


# --- scores from a table ---------------------------------------------------------------------


class ScoreImportIn(Schema):
    indicator_id: int
    period: str


class ScoreImportOut(Schema):
    imported: int


@router.post("/campaigns/{int:campaign_id}/scores/import", response=ScoreImportOut)
def score_import(request, campaign_id: int, payload: Form[ScoreImportIn], file: File[UploadedFile]):
    """Hand scores of many units from an .xlsx table (multipart: `indicator_id`, `period`,
    `file`; columns unit code or name, score 0–100, evidence, a header row first). All or
    nothing: any bad row gives 422 naming the rows, and no score is written."""
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    indicator = resolve_ref(
        _indicator_of(campaign), user, payload.indicator_id, field="indicator_id"
    )
    count = services.manual_scores_import(
        actor=user, indicator=indicator, period=payload.period, file=file
    )
    return {"imported": count}


# --- published scores ------------------------------------------------------------------------


class ReleaseIndicatorOut(Schema):
    id: int
    content: str
    weight: str
    source: str
    veto: bool


class ReleaseCellOut(Schema):
    indicator_id: int
    value: str | None
    met: bool | None
    source: str
    record_id: int | None


class ReleaseRowOut(Schema):
    unit_id: int
    unit_name: str
    score: str | None
    rank: int | None
    peers: int
    failed: bool
    bottom: bool
    incomplete: bool
    missing: list[str]
    cells: list[ReleaseCellOut]


class ReleaseOut(Schema):
    id: int
    campaign_id: int
    period: str
    version: int
    published_by_id: int | None
    published_at: datetime.datetime
    appeal_deadline: datetime.date
    content_hash: str
    superseded_by_id: int | None


class ReleaseDetailOut(ReleaseOut):
    indicators: list[ReleaseIndicatorOut]
    rows: list[ReleaseRowOut]


class ReleaseIn(Schema):
    period: str
    appeal_deadline: datetime.date | None = None


def _release(user, release_id: int):
    release = access.get_score_release_for_user(user, release_id)
    if not access.may_see_assessment(user, release.campaign):
        raise PermissionDenied
    return release


@router.get("/campaigns/{int:campaign_id}/releases", response=list[ReleaseOut])
def release_list(request, campaign_id: int):
    """Every published version of the campaign's monthly scores, newest first."""
    return releases.release_list(_campaign(request.user, campaign_id))


@router.post(
    "/campaigns/{int:campaign_id}/releases", response={200: ReleaseDetailOut, 201: ReleaseDetailOut}
)
def release_publish(request, campaign_id: int, payload: ReleaseIn):
    """Publish the month's ranking (201), open to appeal until `appeal_deadline` (default a
    week from today). Unchanged data publishes nothing: the latest version comes back with
    200. 422 if the weights do not add up to 100."""
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    release, created = releases.release_publish(
        actor=user,
        campaign=campaign,
        period=payload.period,
        appeal_deadline=payload.appeal_deadline,
    )
    return Status(201 if created else 200, release)


@router.get("/releases/{int:release_id}", response=ReleaseDetailOut)
def release_detail(request, release_id: int):
    """The frozen ranking: per unit its score, rank and cells, each cell naming what it rests
    on (`manual` with the hand score's id, `correction` with the appeal's id, or the computed
    source)."""
    return _release(request.user, release_id)


class ReleaseCheckOut(Schema):
    matches: bool
    content_hash: str
    current_hash: str
    changed_unit_ids: list[int]
    indicators_changed: bool
    error: str


@router.get("/releases/{int:release_id}/verify", response=ReleaseCheckOut)
def release_verify(request, release_id: int):
    """Recompute the month from current data: same hash or not, and the units whose row
    differs."""
    release = _release(request.user, release_id)
    check = releases.release_verify(release=release, user=request.user)
    return {**dataclasses.asdict(check), "content_hash": release.content_hash}


class MyScoresOut(Schema):
    release: ReleaseOut
    campaign_title: str
    indicators: list[ReleaseIndicatorOut]
    rows: list[ReleaseRowOut]
    may_appeal: bool


@router.get("/my-scores", response=list[MyScoresOut])
def my_scores(request):
    """The caller's own units' rows of the latest release of each campaign they take part in;
    never the values of other units."""
    return [
        {
            "release": block.release,
            "campaign_title": block.release.campaign.title,
            "indicators": block.indicators,
            "rows": block.rows,
            "may_appeal": block.may_appeal,
        }
        for block in releases.my_scores(request.user)
    ]


# --- appeals ---------------------------------------------------------------------------------


class AppealOut(Schema):
    id: int
    release_id: int
    unit_id: int
    unit_name: str
    indicator_id: int | None
    reasons: str
    file_name: str
    status: str
    submitted_by_id: int | None
    created_at: datetime.datetime
    decision_note: str
    corrected_value: Decimal | None
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    result_release_id: int | None

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class AppealIn(Schema):
    unit_id: int
    indicator_id: int | None = None
    reasons: str


@router.get("/releases/{int:release_id}/appeals", response=list[AppealOut])
def appeal_list(request, release_id: int):
    """Appeals against the release: all of them for the campaign's office and leaders, a
    unit's own for the unit."""
    user = request.user
    release = access.get_score_release_for_user(user, release_id)
    return list(access.appeals_for_user(user).filter(release=release).select_related("unit"))


@router.post("/releases/{int:release_id}/appeals", response={200: AppealOut, 201: AppealOut})
def appeal_create(
    request, release_id: int, payload: Form[AppealIn], file: File[UploadedFile] = None
):
    """A unit's appeal against its score, or one indicator of it (multipart: `unit_id`,
    `indicator_id` or none for the whole score, `reasons`, optional `file` as evidence), until
    the release's appeal deadline. The same open appeal filed again comes back with 200."""
    user = request.user
    release = access.get_score_release_for_user(user, release_id)
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    indicator = resolve_ref(
        _indicator_of(release.campaign), user, payload.indicator_id, field="indicator_id"
    )
    appeal, created = appeals.appeal_file(
        actor=user,
        release=release,
        unit=unit,
        indicator=indicator,
        reasons=payload.reasons,
        file=file,
    )
    return Status(201 if created else 200, appeal)


@router.get("/appeals/{int:appeal_id}", response=AppealOut)
def appeal_detail(request, appeal_id: int):
    return access.get_appeal_for_user(request.user, appeal_id)


class DecisionIn(Schema):
    decision: Literal["accepted", "rejected"]
    note: str
    corrected_value: Decimal | None = None


@router.post("/appeals/{int:appeal_id}/decide", response=AppealOut)
def appeal_decide(request, appeal_id: int, payload: DecisionIn):
    """The office accepts or rejects the appeal with a note. Accepting one on an indicator
    needs `corrected_value` (0–100); accepting publishes the ranking again
    (`result_release_id`). A decided appeal gives 422."""
    user = request.user
    appeal = access.get_appeal_for_user(user, appeal_id, write=True)
    return appeals.appeal_decide(
        actor=user,
        appeal=appeal,
        decision=payload.decision,
        note=payload.note,
        corrected_value=payload.corrected_value,
    )
