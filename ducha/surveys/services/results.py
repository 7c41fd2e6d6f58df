"""The office's work on results: moderating free-text answers and publishing feedback to the
unit reviewed and, where the survey allows, to the public (通报整改情况，向社会公布)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs.models import OrgUnit

from .. import periods, selectors
from ..models import Answer, Feedback, Question, Survey
from .builder import require_manager

FEEDBACK_MAX = 5000


def answer_moderate(*, actor, survey: Survey, answer: Answer, decision: str) -> Answer:
    """Approve a free-text answer (it may then be shown outside the office) or reject it."""
    require_manager(actor, survey)
    if answer.question.kind != Question.Kind.TEXT or answer.response.survey_id != survey.pk:
        raise ValidationError(_("Only free-text answers are moderated."), code="not_text")
    if decision not in (Answer.Moderation.APPROVED, Answer.Moderation.REJECTED):
        raise ValidationError({"decision": [_("Approve or reject.")]})
    before = snapshot(answer, fields=["moderation"])
    answer.moderation = decision
    answer.moderated_by = actor
    answer.moderated_at = timezone.now()
    with transaction.atomic():
        answer.save(update_fields=["moderation", "moderated_by", "moderated_at"])
        audit_record(
            actor=actor,
            action="update",
            obj=answer,
            object_repr=f"{survey.title} · {answer.response.unit.name}"[:200],
            unit_path=answer.response.unit.path,
            before=before,
            after=snapshot(answer, fields=["moderation"]),
        )
    return answer


def feedback_publish(
    *, actor, survey: Survey, unit: OrgUnit, period: str, text: str, to_public: bool = False
) -> Feedback:
    """Publish (or publish again, changed) the feedback on one unit's results for a period.
    The unit then sees its results; the public too, when `to_public` and the survey allow."""
    require_manager(actor, survey)
    if not selectors.is_target(survey, unit):
        raise ValidationError({"unit": [_("This unit is not reviewed in this survey.")]})
    if not periods.is_valid(survey, period):
        raise ValidationError({"period": [_("Not a period of this survey.")]})
    if to_public and not survey.publish_to_public:
        raise ValidationError(
            {"to_public": [_("This survey's results are not published to the public.")]}
        )
    text = (text or "").strip()
    if len(text) > FEEDBACK_MAX:
        raise ValidationError({"text": [_("At most %(n)s characters.") % {"n": FEEDBACK_MAX}]})
    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update()
            .filter(survey=survey, unit=unit, period=period)
            .first()
        )
        before = snapshot(feedback) if feedback else None
        if feedback is None:
            feedback = Feedback(survey=survey, unit=unit, period=period)
        feedback.text = text
        feedback.to_public = to_public
        feedback.published_by = actor
        feedback.published_at = timezone.now()
        feedback.save()
        audit_record(
            actor=actor,
            action="create" if before is None else "update",
            obj=feedback,
            object_repr=f"{survey.title} · {unit.name} · {periods.label(period)}"[:200],
            unit_path=unit.path,
            before=before,
            after=snapshot(feedback),
        )
    return feedback
