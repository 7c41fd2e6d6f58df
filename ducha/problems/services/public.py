"""What the public does without an account, and its answers: the opinion box (意见箱) and the
rating of a closed, disclosed rectification. Each opinion becomes a problem or gets an answer,
and the answer is published (DOMAIN §11)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs.models import OrgUnit

from .. import antiabuse
from ..models import Category, Opinion, Problem, Rating
from .common import require_handler, required_text
from .routing import problem_report


def _clean(value: str, field: str, max_length: int) -> str:
    try:
        return antiabuse.clean_text(value, max_length=max_length)
    except ValueError:
        raise ValidationError(
            {field: [_("At most %(n)s characters.") % {"n": max_length}]}
        ) from None


def opinion_submit(*, unit: OrgUnit, text: str, contact: str = "", client: str) -> Opinion:
    """Put an opinion in `unit`'s box. HTML is stripped; an empty opinion is refused."""
    if not unit.is_active:
        raise ValidationError(_("This unit takes no opinions."), code="inactive")
    text = _clean(text, "text", antiabuse.OPINION_MAX_CHARS)
    if not text:
        raise ValidationError({"text": [_("Write your opinion.")]})
    opinion = Opinion(
        unit=unit,
        text=text,
        contact=_clean(contact, "contact", antiabuse.CONTACT_MAX_CHARS),
        client=client[:64],
    )
    with transaction.atomic():
        opinion.save()
        # The contact is personal data: the log keeps that there was one, not what it said.
        audit_record(
            actor=None,
            action="create",
            obj=opinion,
            unit_path=unit.path,
            after={"unit_id": unit.pk, "text": text, "contact_given": bool(opinion.contact)},
        )
    return opinion


def opinion_answer(*, actor, opinion: Opinion, answer: str) -> Opinion:
    """Answer an opinion; the answer is published beside it on the unit's public page."""
    require_handler(actor, opinion.unit)
    answer = required_text(answer, "answer", _("Write the answer."))
    before = snapshot(opinion)
    with transaction.atomic():
        if opinion.status == Opinion.Status.NEW:
            opinion.status = Opinion.Status.ANSWERED
        opinion.answer = answer
        opinion.answered_by = actor
        opinion.answered_at = timezone.now()
        opinion.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
        audit_record(
            actor=actor,
            action="answer",
            obj=opinion,
            unit_path=opinion.unit.path,
            before=before,
            after=snapshot(opinion),
        )
    return opinion


def opinion_to_problem(
    *,
    actor,
    opinion: Opinion,
    category: Category,
    title: str,
    severity: str = Problem.Severity.MINOR,
    campaign=None,
    answer: str = "",
) -> Problem:
    """Register the opinion as a problem of its unit; the published answer says so."""
    require_handler(actor, opinion.unit)
    if opinion.problem_id is not None:
        raise ValidationError(_("This opinion is a problem already."), code="registered")
    before = snapshot(opinion)
    with transaction.atomic():
        problem = problem_report(
            actor=actor,
            unit=opinion.unit,
            category=category,
            title=title,
            source=Problem.Source.OPINION,
            description=opinion.text,
            severity=severity,
            campaign=campaign,
        )
        opinion.problem = problem
        opinion.status = Opinion.Status.PROBLEM
        opinion.answer = (answer or "").strip() or _(
            "Thank you. Your opinion was registered as a problem and is being rectified."
        )
        opinion.answered_by = actor
        opinion.answered_at = timezone.now()
        opinion.save(
            update_fields=[
                "problem",
                "status",
                "answer",
                "answered_by",
                "answered_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="answer",
            obj=opinion,
            unit_path=opinion.unit.path,
            before=before,
            after=snapshot(opinion),
        )
    return problem


def rating_submit(*, problem: Problem, score: int, comment: str = "", client: str) -> Rating:
    """The public rates a closed rectification shown on a public page, once per client."""
    if not problem.disclosed:
        raise ValidationError(_("This problem is not public."), code="not_public")
    if problem.status != Problem.Status.CLOSED:
        raise ValidationError(_("Only a closed rectification can be rated."), code="not_closed")
    if score not in range(1, 6):
        raise ValidationError({"score": [_("Give 1 to 5 stars.")]})
    rating = Rating(
        problem=problem,
        score=score,
        comment=_clean(comment, "comment", antiabuse.COMMENT_MAX_CHARS),
        client=client[:64],
    )
    try:
        with transaction.atomic():
            rating.save()
            audit_record(
                actor=None,
                action="create",
                obj=rating,
                unit_path=problem.unit.path,
                after={"problem_id": problem.pk, "score": score, "comment": rating.comment},
            )
    except IntegrityError:
        raise ValidationError(
            _("You have rated this rectification already."), code="rated"
        ) from None
    return rating
