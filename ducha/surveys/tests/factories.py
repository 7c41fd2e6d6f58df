"""Builders the survey, page and API tests share. Surveys are built through the services, as
the office would; answers too, so their checks are part of every setup."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache

from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.surveys import antiabuse
from ducha.surveys.models import Question, Survey
from ducha.surveys.services import answering, builder

_clients = itertools.count(1)


@pytest.fixture(autouse=True)
def _survey_defaults(settings, tmp_path):
    """Rate-limit counters start empty, forms may be posted at once (the minimum filling
    time is tested on its own) and evidence files go to a temporary directory."""
    cache.clear()
    settings.SURVEY_FORM_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


def make_satisfaction_survey(actor, unit, *, open_it: bool = True, **fields) -> Survey:
    """A monthly public satisfaction survey with the starter questions: q1 key scale, q2
    scale, q3 yes/no (waiting), q4 yes/no (red envelopes), q5 free text (optional)."""
    fields = {
        "title": "患者满意度调查",
        "kind": Survey.Kind.SATISFACTION,
        "audience": Survey.Audience.PUBLIC,
        **fields,
    }
    survey = builder.survey_create(actor=actor, unit=unit, **fields)
    if open_it:
        builder.survey_set_status(actor=actor, survey=survey, status=Survey.Status.OPEN)
    return survey


def make_staff_survey(actor, unit, *, targets=(), open_it: bool = True, **fields) -> Survey:
    """A once-only cross-department review answered by staff: q1 key scale, q2 free text."""
    fields = {
        "title": "部门联评",
        "kind": Survey.Kind.CROSS_DEPARTMENT_REVIEW,
        "audience": Survey.Audience.STAFF,
        **fields,
    }
    survey = builder.survey_create(actor=actor, unit=unit, targets=targets, **fields)
    if open_it:
        builder.survey_set_status(actor=actor, survey=survey, status=Survey.Status.OPEN)
    return survey


def satisfaction_answers(score: int = 5, **more) -> dict:
    return {"q1": score, "q2": 4, "q3": "yes", "q4": "no", **more}


def new_client_id() -> str:
    return f"test-client-{next(_clients):08d}"


def answer_public(survey, unit, answers=None, *, client_id=None, ip="10.0.0.1", subject=None):
    client_id = client_id or new_client_id()
    token = antiabuse.make_form_token(survey_id=survey.pk, unit_id=unit.pk, client_id=client_id)
    return answering.response_submit_public(
        survey=survey,
        unit=unit,
        answers=satisfaction_answers() if answers is None else answers,
        client_id=client_id,
        ip=ip,
        form_token=token,
        subject=subject,
    )


def staff_members(unit, count: int, *, prefix: str = "staff") -> list:
    """`count` staff accounts at `unit`."""
    return [
        make_member(f"{prefix}{n}", unit, Role.STAFF, name=f"职工{n}").user
        for n in range(1, count + 1)
    ]


def answer_staff(survey, unit, users, score: int = 5, text: str = "") -> None:
    for user in users:
        answering.response_submit_staff(
            actor=user, survey=survey, unit=unit, answers={"q1": score, "q2": text}
        )


def key_question(survey) -> Question:
    return survey.current_version.questions.get(is_key=True)
