"""Reads of surveys, honours and typical cases: scoped lists, the units a survey reviews, the
party members reviewed, honours awarded to a unit or a person."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet

from ducha.orgs import access
from ducha.orgs.models import OrgUnit, Person

from .models import (
    Feedback,
    Honour,
    Nomination,
    Response,
    Survey,
    SurveyVersion,
    TypicalCase,
)

# --- surveys ---------------------------------------------------------------------------------


def survey_list(user, *, q: str = "", status: str = "", kind: str = "") -> QuerySet[Survey]:
    """Surveys the user sees, newest first, with their response counts."""
    qs = access.surveys_for_user(user).select_related("unit", "campaign")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(unit__name__icontains=q))
    return qs.annotate(response_count=Count("responses")).order_by("-created_at", "-id")


def targets_of(survey: Survey) -> QuerySet[OrgUnit]:
    """The units the survey reviews: those chosen, else every active unit under the issuing
    unit (the issuing unit itself included)."""
    chosen = survey.targets.all()
    if chosen.exists():
        return chosen.order_by("path")
    return OrgUnit.objects.filter(path__startswith=survey.unit.path, is_active=True).order_by(
        "path"
    )


def is_target(survey: Survey, unit: OrgUnit) -> bool:
    return targets_of(survey).filter(pk=unit.pk).exists()


def subjects_of(survey: Survey, unit: OrgUnit) -> QuerySet[Person]:
    """Party members reviewed at `unit` (its own staff and its departments')."""
    if not survey.has_subjects:
        return Person.objects.none()
    return Person.objects.filter(unit__path__startswith=unit.path, is_party_member=True).order_by(
        "name", "id"
    )


def version_with_questions(version: SurveyVersion) -> SurveyVersion:
    """The version with its sections and questions (with choices) loaded in order:
    `question_list`, `section_list` (each with `question_list`) and `loose_questions`."""
    version.question_list = list(version.questions.prefetch_related("choices"))
    version.section_list = list(version.sections.all())
    for section in version.section_list:
        section.question_list = [q for q in version.question_list if q.section_id == section.pk]
    version.loose_questions = [q for q in version.question_list if q.section_id is None]
    return version


def result_units_for_user(user, survey: Survey) -> QuerySet[OrgUnit]:
    """Units whose results the user may read: every reviewed unit for those who see the
    issuing unit; otherwise the reviewed units in their scope (once feedback is published)."""
    units = targets_of(survey)
    if access.may_see_survey_results(user, survey):
        return units
    return units.filter(access.scope_q(user, field=""))


def published_feedback(survey: Survey, unit: OrgUnit, period: str) -> Feedback | None:
    return Feedback.objects.filter(survey=survey, unit=unit, period=period).first()


def results_for_user(user, survey: Survey, unit: OrgUnit, period: str, *, subject=None):
    """(results or None, feedback or None) of one unit and period as the user may read them:
    the office everything, with all free text; the unit reviewed only once feedback is
    published to it, with approved free text only. The unit must be one of
    result_units_for_user (the caller checks)."""
    from . import results

    office = access.may_see_survey_results(user, survey)
    feedback = published_feedback(survey, unit, period)
    if not office and feedback is None:
        return None, None
    cell = results.cell_results(
        survey, unit, period, subject=subject, approved_texts_only=not office
    )
    return cell, feedback


def trend_for_user(user, survey: Survey, unit: OrgUnit, period: str) -> list:
    """The unit's monthly trend; outside the office only months whose feedback is published."""
    from . import results

    rows = results.trend(survey, unit, period)
    if access.may_see_survey_results(user, survey):
        return rows
    published = set(
        Feedback.objects.filter(survey=survey, unit=unit).values_list("period", flat=True)
    )
    return [row for row in rows if row.key in published]


def periods_answered(survey: Survey, unit: OrgUnit | None = None) -> list[str]:
    """Periods with at least one answer, newest first."""
    rows = Response.objects.filter(survey=survey)
    if unit is not None:
        rows = rows.filter(unit=unit)
    return list(rows.order_by("-period").values_list("period", flat=True).distinct())


def surveys_to_answer(user) -> QuerySet[Survey]:
    """Open staff surveys the user is asked to answer: those issued in or above their scope
    (access.may_answer_staff_survey holds for each of them)."""
    return (
        access.surveys_for_user(user)
        .filter(status=Survey.Status.OPEN, audience=Survey.Audience.STAFF)
        .select_related("unit")
    )


# --- honours ---------------------------------------------------------------------------------


def honour_list(user) -> QuerySet[Honour]:
    return (
        access.honours_for_user(user)
        .select_related("unit", "campaign")
        .annotate(
            nomination_count=Count("nominations", distinct=True),
            approved_count=Count(
                "nominations",
                filter=Q(nominations__status=Nomination.Status.APPROVED),
                distinct=True,
            ),
        )
        .order_by("-year", "title", "id")
    )


def nomination_list(user, *, honour: Honour | None = None, status: str = "") -> QuerySet:
    qs = access.nominations_for_user(user).select_related(
        "honour", "person", "unit", "from_unit", "at_unit"
    )
    if honour is not None:
        qs = qs.filter(honour=honour)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def awaiting_decision(user) -> QuerySet[Nomination]:
    """Pending nominations at a level where the user decides."""
    paths = access.scope_paths(user, access.Cap.SUBMIT) + access.scope_paths(
        user, access.Cap.MANAGE_CAMPAIGNS
    )
    if not paths:
        return Nomination.objects.none()
    q = Q()
    for path in paths:
        q |= Q(at_unit__path__startswith=path)
    return (
        Nomination.objects.filter(q, status=Nomination.Status.PENDING)
        .select_related("honour", "person", "unit", "at_unit")
        .order_by("created_at", "id")
    )


def honours_awarded(*, unit: OrgUnit | None = None, person: Person | None = None) -> QuerySet:
    """Approved nominations of a person, or of a unit itself (not its people), newest first:
    what the person's and the unit's pages show."""
    qs = Nomination.objects.filter(status=Nomination.Status.APPROVED).select_related(
        "honour__unit", "person", "unit"
    )
    if person is not None:
        qs = qs.filter(person=person)
    elif unit is not None:
        qs = qs.filter(unit=unit, person__isnull=True)
    else:
        return qs.none()
    return qs.order_by("-honour__year", "-decided_at", "-id")


def honours_for_bulletin(
    *, under: OrgUnit, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Nomination]:
    """Honours approved in [start, end) for people and units under `under`: the bulletin's
    commendation paragraph (通报表彰)."""
    return (
        Nomination.objects.filter(
            status=Nomination.Status.APPROVED,
            unit__path__startswith=under.path,
            decided_at__gte=start,
            decided_at__lt=end,
        )
        .select_related("honour", "person", "unit")
        .order_by("honour__title", "unit__path", "id")
    )


# --- typical cases ---------------------------------------------------------------------------


def typical_case_list(user, *, status: str = "") -> QuerySet[TypicalCase]:
    qs = access.typical_cases_for_user(user).select_related("unit", "campaign")
    if status:
        qs = qs.filter(status=status)
    return qs


def published_cases() -> QuerySet[TypicalCase]:
    return (
        TypicalCase.objects.filter(status=TypicalCase.Status.PUBLISHED)
        .select_related("unit")
        .order_by("-published_at", "-id")
    )
