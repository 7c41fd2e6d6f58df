"""Results of surveys, moderation, feedback and the satisfaction rate: /api/surveys/{id}/results
and the rest. Staff answers are read only in aggregate, from groups of five or more."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from ducha.orgs import access
from ducha.surveys import exports, periods, results, selectors
from ducha.surveys.models import Answer, Survey
from ducha.surveys.services import results as result_services

router = Router(tags=["surveys"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- results ---------------------------------------------------------------------------------


class BarOut(Schema):
    label: str
    count: int
    share: float


class TextOut(Schema):
    id: int
    text: str
    moderation: str
    created_at: datetime.datetime


class QuestionResultOut(Schema):
    code: str
    text: str
    kind: str
    is_key: bool
    answered: int
    mean: float | None
    bars: list[BarOut]
    texts: list[TextOut]


class ResultsOut(Schema):
    unit_id: int
    period: str
    subject_id: int | None
    responses: int
    hidden: bool  # a staff group under five: nothing but the count is shown
    satisfied: int | None
    answered_key_question: int | None
    satisfaction_rate: float | None
    questions: list[QuestionResultOut]
    feedback: str | None


class ResultFilters(Schema):
    unit_id: int
    period: str = ""
    subject_id: int | None = None


def _result_unit(user, survey: Survey, unit_id: int):
    unit = selectors.result_units_for_user(user, survey).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def _period(survey: Survey, period: str) -> str:
    if not period and survey.is_monthly:
        return periods.current(survey)
    if not periods.is_valid(survey, period):
        raise ValidationError({"period": [_("Not a period of this survey.")]})
    return period


@router.get("/{int:survey_id}/results", response=ResultsOut)
def survey_results(request, survey_id: int, filters: Query[ResultFilters]):
    """One unit's results in a period ("2026-05"; empty for a survey answered once, or this
    month). The office reads every unit with all free text; a unit reviewed reads its own
    once feedback is published, with approved free text only (403 before)."""
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    unit = _result_unit(user, survey, filters.unit_id)
    period = _period(survey, filters.period)
    subject = None
    if filters.subject_id is not None:
        subject = selectors.subjects_of(survey, unit).filter(pk=filters.subject_id).first()
        if subject is None:
            raise Http404
    cell, feedback = selectors.results_for_user(user, survey, unit, period, subject=subject)
    if cell is None:
        raise PermissionDenied
    satisfaction = cell.satisfaction
    return {
        "unit_id": unit.pk,
        "period": period,
        "subject_id": subject.pk if subject else None,
        "responses": cell.responses,
        "hidden": cell.hidden,
        "satisfied": satisfaction.satisfied if satisfaction else None,
        "answered_key_question": satisfaction.answered if satisfaction else None,
        "satisfaction_rate": satisfaction.rate if satisfaction else None,
        "questions": cell.questions,
        "feedback": feedback.text if feedback else None,
    }


class RowOut(Schema):
    unit_id: int
    unit_name: str
    responses: int
    hidden: bool
    satisfaction_rate: float | None


@router.get("/{int:survey_id}/units", response=list[RowOut])
def survey_units(request, survey_id: int, period: str = ""):
    """Every reviewed unit's count and satisfaction in a period (the office only)."""
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    if not access.may_see_survey_results(user, survey):
        raise PermissionDenied
    period = _period(survey, period)
    rows = results.unit_table(survey, period, selectors.targets_of(survey))
    return [
        {
            "unit_id": r.key,
            "unit_name": r.label,
            "responses": r.responses,
            "hidden": r.hidden,
            "satisfaction_rate": r.satisfaction.rate if r.satisfaction else None,
        }
        for r in rows
    ]


class TrendOut(Schema):
    period: str
    responses: int
    hidden: bool
    satisfaction_rate: float | None


@router.get("/{int:survey_id}/trend", response=list[TrendOut])
def survey_trend(request, survey_id: int, filters: Query[ResultFilters]):
    """A unit's last twelve months up to `period` (monthly surveys)."""
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    unit = _result_unit(user, survey, filters.unit_id)
    rows = selectors.trend_for_user(user, survey, unit, _period(survey, filters.period))
    return [
        {
            "period": r.key,
            "responses": r.responses,
            "hidden": r.hidden,
            "satisfaction_rate": r.satisfaction.rate if r.satisfaction else None,
        }
        for r in rows
    ]


@router.get("/{int:survey_id}/results.xlsx")
def survey_export(request, survey_id: int, period: str = ""):
    """The results of every reviewed unit in a period as .xlsx (the office only)."""
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    if not access.may_see_survey_results(user, survey):
        raise PermissionDenied
    out, filename = exports.results_export(
        actor=user,
        survey=survey,
        period=_period(survey, period),
        units=selectors.targets_of(survey),
    )
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


class ModerationIn(Schema):
    decision: Answer.Moderation


@router.post("/{int:survey_id}/answers/{int:answer_id}/moderation", response=TextOut)
def answer_moderate(request, survey_id: int, answer_id: int, payload: ModerationIn):
    """Approve a free-text answer (it may then be shown outside the office) or reject it."""
    survey = access.get_survey_for_user(request.user, survey_id, write=True)
    answer = get_object_or_404(
        Answer.objects.select_related("question", "response__unit"),
        pk=answer_id,
        response__survey=survey,
    )
    answer = result_services.answer_moderate(
        actor=request.user, survey=survey, answer=answer, decision=payload.decision
    )
    answer.created_at = answer.response.created_at
    return answer


class FeedbackIn(Schema):
    unit_id: int
    period: str = ""
    text: str = ""
    to_public: bool = False


class FeedbackOut(Schema):
    unit_id: int
    period: str
    text: str
    to_public: bool
    published_at: datetime.datetime


@router.post("/{int:survey_id}/feedback", response=FeedbackOut)
def feedback_publish(request, survey_id: int, payload: FeedbackIn):
    """Publish feedback on a unit's results for a period to the unit (and the public when
    `to_public` and the survey allow it); publishing again replaces it."""
    survey = access.get_survey_for_user(request.user, survey_id, write=True)
    unit = selectors.targets_of(survey).filter(pk=payload.unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": [_("This unit is not reviewed in this survey.")]})
    return result_services.feedback_publish(
        actor=request.user,
        survey=survey,
        unit=unit,
        period=payload.period,
        text=payload.text,
        to_public=payload.to_public,
    )


class RateOut(Schema):
    unit_id: int
    period: str
    satisfied: int
    answered: int
    rate: float | None


@router.get("/satisfaction-rate", response=RateOut)
def satisfaction_rate(request, unit_id: int, period: str, subtree: bool = False):
    """The satisfaction rate of a unit in a month from every satisfaction survey (what the
    indicator system reads): the share of key-question answers at or above the threshold."""
    unit = access.get_unit_for_user(request.user, unit_id)
    if not periods.is_month(period):
        raise ValidationError({"period": [_("Give a month as 2026-05.")]})
    counts = results.satisfaction_counts(unit, period, subtree=subtree)
    return {
        "unit_id": unit.pk,
        "period": period,
        "satisfied": counts.satisfied,
        "answered": counts.answered,
        "rate": counts.rate,
    }
