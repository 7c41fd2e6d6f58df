"""Answering surveys: the public without an account, staff with theirs.

Answers come as {question code: value}: a choice's value for a single choice, a list of them
for a multiple choice, 1–5 for a scale, yes/no, and text. The first answer freezes the version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record
from ducha.orgs import access
from ducha.orgs.models import OrgUnit, Person

from .. import antiabuse, periods, selectors
from ..models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    Question,
    Response,
    StaffParticipation,
    Survey,
    SurveyVersion,
)

YES = {"yes", "1", "true", "on", "是"}
NO = {"no", "0", "false", "off", "否"}


def response_submit_public(
    *,
    survey: Survey,
    unit: OrgUnit,
    answers: Mapping[str, Any],
    client_id: str,
    ip: str,
    form_token: str,
    subject: Person | None = None,
) -> Response:
    """One answer of the public about `unit`: once per client, unit and period, at a pace the
    rate limits allow (antiabuse.RateLimited otherwise)."""
    if survey.audience != Survey.Audience.PUBLIC:
        raise Http404
    if not antiabuse.valid_client_id(client_id) or not antiabuse.form_token_ok(
        form_token, survey_id=survey.pk, unit_id=unit.pk, client_id=client_id
    ):
        raise ValidationError(_("This form has expired; please load the page again."), code="token")
    client_hash = antiabuse.client_hash(client_id)
    ip_hash = antiabuse.ip_hash(ip)
    antiabuse.rate_limit(unit_id=unit.pk, client=client_hash, ip=ip_hash)
    _check_open(survey, unit, subject)
    period = periods.current(survey)
    if _answered(survey, unit, period, subject, client_hash=client_hash):
        raise _already_answered()
    try:
        with transaction.atomic():
            version = _freeze_current(survey)
            rows = parse_answers(version, answers)
            response = Response.objects.create(
                survey=survey,
                version=version,
                unit=unit,
                subject=subject,
                period=period,
                client_hash=client_hash,
                ip_hash=ip_hash,
            )
            _save_answers(response, rows)
            audit_record(
                actor=None,
                action="create",
                obj=response,
                unit_path=unit.path,
                after={
                    "survey": survey.pk,
                    "unit": unit.pk,
                    "period": period,
                    "version": version.number,
                    "answers": len(rows),
                },
            )
    except IntegrityError:
        raise _already_answered() from None
    return response


def response_submit_staff(
    *,
    actor,
    survey: Survey,
    unit: OrgUnit,
    answers: Mapping[str, Any],
    subject: Person | None = None,
) -> Response:
    """A staff member's answer about `unit`, once per period. Who answered is kept apart from
    what was answered (StaffParticipation), and results show only in groups of five or more."""
    if survey.audience != Survey.Audience.STAFF:
        raise ValidationError(_("This survey is answered by the public."), code="audience")
    if not access.may_answer_staff_survey(actor, survey):
        raise PermissionDenied
    _check_open(survey, unit, subject)
    period = periods.current(survey)
    if _answered(survey, unit, period, subject, user=actor):
        raise _already_answered()
    try:
        with transaction.atomic():
            version = _freeze_current(survey)
            rows = parse_answers(version, answers)
            participation = StaffParticipation.objects.create(
                survey=survey, unit=unit, subject=subject, period=period, user=actor
            )
            response = Response.objects.create(
                survey=survey, version=version, unit=unit, subject=subject, period=period
            )
            _save_answers(response, rows)
            # The log says who took part, never which response is theirs.
            audit_record(
                actor=actor,
                action="create",
                obj=participation,
                object_repr=f"{survey.title} · {unit.name}"[:200],
                unit_path=unit.path,
                after={"survey": survey.pk, "unit": unit.pk, "period": period},
            )
    except IntegrityError:
        raise _already_answered() from None
    return response


def has_answered_staff(user, survey: Survey, unit: OrgUnit, subject: Person | None = None) -> bool:
    return _answered(survey, unit, periods.current(survey), subject, user=user)


def has_answered_public(
    client_id: str, survey: Survey, unit: OrgUnit, subject: Person | None = None
) -> bool:
    if not antiabuse.valid_client_id(client_id):
        return False
    client_hash = antiabuse.client_hash(client_id)
    return _answered(survey, unit, periods.current(survey), subject, client_hash=client_hash)


# --- checks ----------------------------------------------------------------------------------


def _check_open(survey: Survey, unit: OrgUnit, subject: Person | None) -> None:
    if not survey.is_open:
        raise ValidationError(_("This survey is closed."), code="closed")
    if not selectors.is_target(survey, unit):
        raise ValidationError({"unit": [_("This unit is not reviewed in this survey.")]})
    if survey.has_subjects:
        if subject is None:
            raise ValidationError({"subject": [_("Choose the party member you review.")]})
        if not selectors.subjects_of(survey, unit).filter(pk=subject.pk).exists():
            raise ValidationError({"subject": [_("This person is not reviewed here.")]})
    elif subject is not None:
        raise ValidationError({"subject": [_("This survey reviews units, not people.")]})


def _answered(survey, unit, period, subject, *, client_hash: str = "", user=None) -> bool:
    if user is not None:
        rows = StaffParticipation.objects.filter(user=user)
    else:
        rows = Response.objects.filter(client_hash=client_hash)
    return rows.filter(survey=survey, unit=unit, period=period, subject=subject).exists()


def _already_answered() -> ValidationError:
    return ValidationError(
        _("You have already answered this survey for this unit in this period. Thank you!"),
        code="duplicate",
    )


def _freeze_current(survey: Survey) -> SurveyVersion:
    """Lock the current version and freeze it: from now on edits make a new version."""
    version = SurveyVersion.objects.select_for_update().get(
        pk=Survey.objects.values_list("current_version_id", flat=True).get(pk=survey.pk)
    )
    if version.frozen_at is None:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
    return version


# --- answers ---------------------------------------------------------------------------------


def parse_answers(version: SurveyVersion, data: Mapping[str, Any]) -> list[dict]:
    """Check the answers against the version's questions; the Answer rows to write, or a
    ValidationError naming each question (by code) that is missing or wrong."""
    rows: list[dict] = []
    errors: dict[str, list[str]] = {}
    for question in version.questions.prefetch_related("choices"):
        try:
            rows.extend(_answer_rows(question, data.get(question.code)))
        except ValidationError as error:
            errors[question.code] = error.messages
    if errors:
        raise ValidationError(errors)
    return rows


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not any(not _blank(v) for v in value)
    return False


def _answer_rows(question: Question, value) -> list[dict]:
    if _blank(value):
        if question.required:
            raise ValidationError(_("Please answer this question."), code="required")
        return []
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        values = value if isinstance(value, list | tuple) else [value]
        values = [str(v) for v in values if not _blank(v)]
        if kind == Question.Kind.SINGLE and len(values) != 1:
            raise ValidationError(_("Choose one answer."), code="invalid")
        choices = {c.value: c for c in question.choices.all()}
        if any(v not in choices for v in values) or len(set(values)) != len(values):
            raise ValidationError(_("Choose among the answers given."), code="invalid")
        return [{"question": question, "choice": choices[v]} for v in values]
    if kind == Question.Kind.SCALE:
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        if number is None or not SCALE_MIN <= number <= SCALE_MAX:
            raise ValidationError(
                _("Choose %(a)s to %(b)s.") % {"a": SCALE_MIN, "b": SCALE_MAX}, code="invalid"
            )
        return [{"question": question, "number": number}]
    if kind == Question.Kind.YES_NO:
        word = str(value).strip().lower() if not isinstance(value, bool) else str(int(value))
        if word not in YES | NO:
            raise ValidationError(_("Answer yes or no."), code="invalid")
        return [{"question": question, "number": 1 if word in YES else 0}]
    text = antiabuse.clean_text(str(value))
    if len(text) > antiabuse.TEXT_MAX:
        raise ValidationError(
            _("Please keep it under %(n)s characters.") % {"n": antiabuse.TEXT_MAX},
            code="too_long",
        )
    if not text:
        if question.required:
            raise ValidationError(_("Please answer this question."), code="required")
        return []
    return [{"question": question, "text": text, "moderation": Answer.Moderation.PENDING}]


def _save_answers(response: Response, rows: list[dict]) -> None:
    Answer.objects.bulk_create(Answer(response=response, **row) for row in rows)
