"""Building surveys: the survey's settings, its sections, questions and choices, opening and
closing. Editing a survey whose current version has answers copies the version first, so the
answers keep the questions they were given."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit

from ..models import SCALE_MAX, SCALE_MIN, Choice, Question, Section, Survey, SurveyVersion

SURVEY_FIELDS = (
    "title",
    "description",
    "kind",
    "audience",
    "periodicity",
    "satisfaction_threshold",
    "publish_to_public",
)
# Fixed once answers exist: changing them would mix answers of different meanings.
FIXED_WHEN_ANSWERED = ("kind", "audience", "periodicity")
QUESTION_FIELDS = ("text", "help_text", "kind", "required", "is_key", "order")
MAX_CHOICES = 20
MAX_QUESTIONS = 100

TRANSITIONS = {
    Survey.Status.DRAFT: Survey.Status.OPEN,
    Survey.Status.OPEN: Survey.Status.CLOSED,
    Survey.Status.CLOSED: Survey.Status.OPEN,
}

# Starter questions, so a new satisfaction survey can be opened at once; texts are data.
STARTERS: dict[str, list[dict]] = {
    Survey.Kind.SATISFACTION: [
        {"text": "您对本次就医的总体满意程度", "kind": Question.Kind.SCALE, "is_key": True},
        {"text": "医务人员服务态度", "kind": Question.Kind.SCALE},
        {"text": "候诊时间是否在15分钟以内", "kind": Question.Kind.YES_NO},
        {"text": "就医过程中是否遇到收受红包、推诿患者等情况", "kind": Question.Kind.YES_NO},
        {"text": "意见和建议", "kind": Question.Kind.TEXT, "required": False},
    ],
}
DEFAULT_STARTER = [
    {"text": "总体评价", "kind": Question.Kind.SCALE, "is_key": True},
    {"text": "意见和建议", "kind": Question.Kind.TEXT, "required": False},
]


def default_periodicity(kind: str) -> str:
    """Satisfaction is surveyed every month (每月一次满意度调查); reviews once."""
    if kind == Survey.Kind.SATISFACTION:
        return Survey.Periodicity.MONTHLY
    return Survey.Periodicity.ONCE


# --- surveys ---------------------------------------------------------------------------------


def survey_create(
    *,
    actor,
    unit: OrgUnit,
    title: str,
    kind: str,
    audience: str,
    periodicity: str = "",
    description: str = "",
    campaign: Campaign | None = None,
    targets: Sequence[OrgUnit] = (),
    satisfaction_threshold: int = 4,
    publish_to_public: bool = False,
    starter: bool = True,
) -> Survey:
    """A draft survey issued at `unit`, with version 1 (holding starter questions unless
    `starter` is false)."""
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, unit)
    survey = Survey(
        unit=unit,
        title=(title or "").strip(),
        description=(description or "").strip(),
        kind=kind,
        audience=audience,
        periodicity=periodicity or default_periodicity(kind),
        satisfaction_threshold=satisfaction_threshold,
        publish_to_public=publish_to_public,
        campaign=campaign,
        created_by=actor,
    )
    survey.full_clean(exclude=["current_version", "public_key"])
    _check_campaign(actor, unit, campaign)
    _check_targets(unit, targets)
    with transaction.atomic():
        survey.save()
        survey.targets.set(targets)
        version = SurveyVersion.objects.create(survey=survey, number=1)
        survey.current_version = version
        survey.save(update_fields=["current_version", "updated_at"])
        if starter:
            for order, spec in enumerate(STARTERS.get(kind, DEFAULT_STARTER), start=1):
                _new_question(version, order=order, **spec)
        audit_record(
            actor=actor,
            action="create",
            obj=survey,
            unit_path=unit.path,
            after={**snapshot(survey), "targets": [u.pk for u in targets]},
        )
    return survey


def survey_update(
    *, actor, survey: Survey, targets: Sequence[OrgUnit] | None = None, **fields
) -> Survey:
    """Change the survey's settings; kind, audience and period are fixed once answered."""
    require_manager(actor, survey)
    answered = survey.responses.exists()
    before = {**snapshot(survey), "targets": _target_ids(survey)}
    for key, value in fields.items():
        if key not in SURVEY_FIELDS and key != "campaign":
            continue
        if key in FIXED_WHEN_ANSWERED and answered and getattr(survey, key) != value:
            raise ValidationError(
                {key: [_("This can't change once the survey has answers.")]}, code="answered"
            )
        setattr(survey, key, value.strip() if isinstance(value, str) else value)
    survey.full_clean(exclude=["current_version", "public_key"])
    _check_campaign(actor, survey.unit, survey.campaign)
    if targets is not None:
        _check_targets(survey.unit, targets)
    with transaction.atomic():
        survey.save()
        if targets is not None:
            survey.targets.set(targets)
        audit_record(
            actor=actor,
            action="update",
            obj=survey,
            unit_path=survey.unit.path,
            before=before,
            after={**snapshot(survey), "targets": _target_ids(survey)},
        )
    return survey


def survey_set_status(*, actor, survey: Survey, status: str) -> Survey:
    """Open a draft (it needs a question), close an open survey, or open a closed one again."""
    require_manager(actor, survey)
    if TRANSITIONS.get(survey.status) != status:
        raise ValidationError(
            _("A survey that is %(now)s can't be set to %(new)s.")
            % {"now": survey.get_status_display(), "new": Survey.Status(status).label},
            code="transition",
        )
    if status == Survey.Status.OPEN and not survey.current_version.questions.exists():
        raise ValidationError(_("Add at least one question before opening."), code="empty")
    before = snapshot(survey)
    now = timezone.now()
    survey.status = status
    if status == Survey.Status.OPEN:
        survey.opened_at, survey.closed_at = survey.opened_at or now, None
    else:
        survey.closed_at = now
    with transaction.atomic():
        survey.save(update_fields=["status", "opened_at", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            obj=survey,
            unit_path=survey.unit.path,
            before=before,
            after=snapshot(survey),
        )
    return survey


def require_manager(actor, survey: Survey) -> None:
    if not access.may_manage_survey(actor, survey):
        raise PermissionDenied


def _check_campaign(actor, unit: OrgUnit, campaign: Campaign | None) -> None:
    if (
        campaign is not None
        and not access.campaigns_for_user(actor).filter(pk=campaign.pk).exists()
    ):
        raise ValidationError({"campaign": [_("No such record in your scope.")]})


def _check_targets(unit: OrgUnit, targets: Sequence[OrgUnit]) -> None:
    for target in targets:
        if not target.path.startswith(unit.path):
            raise ValidationError(
                {"targets": [_("“%(u)s” is not under the issuing unit.") % {"u": target.name}]}
            )


def _target_ids(survey: Survey) -> list[int]:
    return sorted(survey.targets.values_list("pk", flat=True))


# --- versions --------------------------------------------------------------------------------


def editable_version(survey: Survey) -> tuple[SurveyVersion, dict[int, int]]:
    """The version edits go to: the current one while unanswered, else a new copy made now.
    Returns it with a map from the old version's question ids to the copy's (empty if none
    was made). Runs inside the caller's transaction."""
    current = SurveyVersion.objects.select_for_update().get(pk=survey.current_version_id)
    if not current.is_frozen:
        return current, {}
    copy = SurveyVersion.objects.create(survey=survey, number=current.number + 1)
    sections = {}
    for section in current.sections.all():
        sections[section.pk] = Section.objects.create(
            version=copy, order=section.order, title=section.title, description=section.description
        )
    mapping = {}
    for question in current.questions.prefetch_related("choices"):
        new = Question.objects.create(
            version=copy,
            section=sections.get(question.section_id),
            order=question.order,
            code=question.code,
            text=question.text,
            help_text=question.help_text,
            kind=question.kind,
            required=question.required,
            is_key=question.is_key,
        )
        Choice.objects.bulk_create(
            Choice(question=new, order=c.order, value=c.value, label=c.label)
            for c in question.choices.all()
        )
        mapping[question.pk] = new.pk
    survey.current_version = copy
    survey.save(update_fields=["current_version", "updated_at"])
    return copy, mapping


def _version_audit(actor, survey: Survey, version: SurveyVersion, what: str, detail: dict) -> None:
    audit_record(
        actor=actor,
        action="update",
        obj=survey,
        unit_path=survey.unit.path,
        after={"version": version.number, what: detail},
    )


# --- sections --------------------------------------------------------------------------------


def section_add(*, actor, survey: Survey, title: str, description: str = "") -> Section:
    require_manager(actor, survey)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("This field is required.")]})
    with transaction.atomic():
        version, _mapping = editable_version(survey)
        order = (version.sections.aggregate(m=Max("order"))["m"] or 0) + 1
        section = Section.objects.create(
            version=version, order=order, title=title[:200], description=description.strip()
        )
        _version_audit(actor, survey, version, "section_added", {"title": section.title})
    return section


def section_delete(*, actor, survey: Survey, section: Section) -> None:
    """Remove a section; its questions stay, without a section."""
    require_manager(actor, survey)
    with transaction.atomic():
        version, _mapping = editable_version(survey)
        if section.version_id != version.pk:
            section = version.sections.get(order=section.order, title=section.title)
        section.questions.update(section=None)
        title = section.title
        section.delete()
        _version_audit(actor, survey, version, "section_deleted", {"title": title})


# --- questions -------------------------------------------------------------------------------


def question_add(
    *,
    actor,
    survey: Survey,
    text: str,
    kind: str,
    required: bool = True,
    help_text: str = "",
    is_key: bool = False,
    section: Section | None = None,
    choices: Sequence[str] = (),
    order: int | None = None,
) -> Question:
    """A question at the end of the current version (or of a new one, if it has answers)."""
    require_manager(actor, survey)
    with transaction.atomic():
        version, _mapping = editable_version(survey)
        if version.questions.count() >= MAX_QUESTIONS:
            raise ValidationError(
                _("A survey holds at most %(n)s questions.") % {"n": MAX_QUESTIONS}
            )
        section = _section_in(version, section)
        if order is None:
            order = (version.questions.aggregate(m=Max("order"))["m"] or 0) + 1
        question = _new_question(
            version,
            order=order,
            text=text,
            kind=kind,
            required=required,
            help_text=help_text,
            is_key=is_key,
            section=section,
            choices=choices,
        )
        _version_audit(
            actor, survey, version, "question_added", {"code": question.code, "text": question.text}
        )
    return question


def question_update(
    *, actor, survey: Survey, question: Question, choices: Sequence[str] | None = None, **fields
) -> Question:
    """Change a question of the current version. If that version has answers, the change goes
    to a new version and the answered one stays as it was."""
    require_manager(actor, survey)
    if question.version_id != survey.current_version_id:
        raise ValidationError(_("Only questions of the current version can be edited."))
    with transaction.atomic():
        version, mapping = editable_version(survey)
        if mapping:
            question = Question.objects.get(pk=mapping[question.pk])
        before = _question_snapshot(question)
        if "section" in fields:
            question.section = _section_in(version, fields.pop("section"))
        for key, value in fields.items():
            if key in QUESTION_FIELDS:
                setattr(question, key, value.strip() if isinstance(value, str) else value)
        if choices is None and question.has_choices:
            choices = [c.label for c in question.choices.all()]
        _validate_question(question, choices or ())
        _clear_other_key(version, question)
        question.save()
        _set_choices(question, choices or ())
        _version_audit(
            actor,
            survey,
            version,
            "question_changed",
            {"code": question.code, "before": before, "after": _question_snapshot(question)},
        )
    return question


def question_delete(*, actor, survey: Survey, question: Question) -> None:
    require_manager(actor, survey)
    if question.version_id != survey.current_version_id:
        raise ValidationError(_("Only questions of the current version can be edited."))
    with transaction.atomic():
        version, mapping = editable_version(survey)
        if mapping:
            question = Question.objects.get(pk=mapping[question.pk])
        detail = _question_snapshot(question)
        question.delete()
        _version_audit(actor, survey, version, "question_deleted", detail)


def _section_in(version: SurveyVersion, section: Section | None) -> Section | None:
    """The section of `version` that `section` (maybe of the version it was copied from) is."""
    if section is None or section.version_id == version.pk:
        return section
    found = version.sections.filter(order=section.order, title=section.title).first()
    if found is None:
        raise ValidationError({"section": [_("No such section in this survey.")]})
    return found


def _new_question(
    version: SurveyVersion,
    *,
    order: int,
    text: str,
    kind: str,
    required: bool = True,
    help_text: str = "",
    is_key: bool = False,
    section: Section | None = None,
    choices: Sequence[str] = (),
) -> Question:
    question = Question(
        version=version,
        section=section,
        order=order,
        code=_next_code(version),
        text=(text or "").strip(),
        help_text=(help_text or "").strip(),
        kind=kind,
        required=required,
        is_key=is_key,
    )
    _validate_question(question, choices)
    _clear_other_key(version, question)
    question.save()
    _set_choices(question, choices)
    return question


def _next_code(version: SurveyVersion) -> str:
    """q1, q2 …: never reused within a survey, since results add up by code across versions."""
    codes = Question.objects.filter(version__survey_id=version.survey_id).values_list(
        "code", flat=True
    )
    used = [int(c[1:]) for c in codes if c[1:].isdigit()]
    return f"q{max(used, default=0) + 1}"


def _validate_question(question: Question, choices: Sequence[str]) -> None:
    question.full_clean(exclude=["version", "section", "code"], validate_unique=False)
    labels = [c.strip() for c in choices if c and c.strip()]
    if question.has_choices:
        if len(labels) < 2:
            raise ValidationError({"choices": [_("Give at least two choices.")]})
        if len(labels) > MAX_CHOICES:
            raise ValidationError({"choices": [_("At most %(n)s choices.") % {"n": MAX_CHOICES}]})
        if len(set(labels)) != len(labels):
            raise ValidationError({"choices": [_("Each choice must be different.")]})
    elif labels:
        raise ValidationError({"choices": [_("Only choice questions have choices.")]})
    if question.is_key and question.kind != Question.Kind.SCALE:
        raise ValidationError(
            {
                "is_key": [
                    _("The key question must be a scale of %(a)s to %(b)s.")
                    % {"a": SCALE_MIN, "b": SCALE_MAX}
                ]
            }
        )


def _clear_other_key(version: SurveyVersion, question: Question) -> None:
    if question.is_key:
        version.questions.exclude(pk=question.pk).filter(is_key=True).update(is_key=False)


def _set_choices(question: Question, labels: Sequence[str]) -> None:
    """Replace the choices; a label kept keeps its value, so results still add up."""
    labels = [c.strip()[:200] for c in labels if c and c.strip()]
    existing = {c.label: c for c in question.choices.all()}
    if [c.label for c in existing.values()] == labels:
        return
    used = {c.value for c in existing.values()}
    question.choices.all().delete()
    next_number = max((int(v[1:]) for v in used if v[1:].isdigit()), default=0)
    rows = []
    for order, label in enumerate(labels, start=1):
        if label in existing:
            value = existing[label].value
        else:
            next_number += 1
            value = f"c{next_number}"
        rows.append(Choice(question=question, order=order, value=value, label=label))
    Choice.objects.bulk_create(rows)


def _question_snapshot(question: Question) -> dict:
    return {
        **snapshot(question, fields=["text", "help_text", "kind", "required", "is_key", "order"]),
        "choices": [c.label for c in question.choices.all()],
    }
