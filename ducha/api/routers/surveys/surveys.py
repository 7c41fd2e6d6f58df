"""Building surveys and answering staff surveys: /api/surveys/, /api/surveys/{id}/…"""

from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from ninja.patch_dict import PatchDict

from ducha.api.refs import resolve_ref
from ducha.orgs import access
from ducha.surveys import periods, selectors
from ducha.surveys.models import Question, Survey
from ducha.surveys.services import answering, builder

router = Router(tags=["surveys"])


# --- schemas: surveys ------------------------------------------------------------------------


class ChoiceOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    id: int
    code: str
    section_id: int | None
    order: int
    text: str
    help_text: str
    kind: str
    required: bool
    is_key: bool
    choices: list[ChoiceOut]

    @staticmethod
    def resolve_choices(obj) -> list:
        return list(obj.choices.all())


class SectionOut(Schema):
    id: int
    order: int
    title: str
    description: str


class VersionOut(Schema):
    number: int
    frozen: bool
    sections: list[SectionOut]
    questions: list[QuestionOut]


class SurveyOut(Schema):
    id: int
    title: str
    description: str
    unit_id: int
    unit_name: str
    campaign_id: int | None
    kind: str
    kind_label: str
    audience: str
    periodicity: str
    status: str
    satisfaction_threshold: int
    publish_to_public: bool
    target_ids: list[int]

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_target_ids(obj) -> list[int]:
        return [u.pk for u in obj.targets.all()]


class SurveyDetailOut(SurveyOut):
    version: VersionOut
    response_count: int

    @staticmethod
    def resolve_version(obj) -> dict:
        version = selectors.version_with_questions(obj.current_version)
        return {
            "number": version.number,
            "frozen": version.is_frozen,
            "sections": version.section_list,
            "questions": version.question_list,
        }

    @staticmethod
    def resolve_response_count(obj) -> int:
        return obj.responses.count()


def _detail(survey: Survey) -> Survey:
    return Survey.objects.select_related("unit", "current_version").get(pk=survey.pk)


def campaign_ref(user, campaign_id: int | None):
    return resolve_ref(access.get_campaign_for_user, user, campaign_id, field="campaign_id")


def _targets(user, ids: list[int] | None):
    if ids is None:
        return None
    return [resolve_ref(access.get_unit_for_user, user, pk, field="target_ids") for pk in ids]


# --- surveys ---------------------------------------------------------------------------------


class SurveyFilters(Schema):
    q: str = ""
    status: Survey.Status | None = None
    kind: Survey.Kind | None = None


@router.get("", response=list[SurveyOut])
@paginate(PageNumberPagination)
def survey_list(request, filters: Query[SurveyFilters]):
    """Surveys issued in the caller's scope, and those issued above it that are not drafts."""
    return selectors.survey_list(
        request.user, q=filters.q.strip(), status=filters.status or "", kind=filters.kind or ""
    ).prefetch_related("targets")


class SurveyIn(Schema):
    unit_id: int
    title: str
    kind: Survey.Kind
    audience: Survey.Audience
    periodicity: Survey.Periodicity | None = None
    description: str = ""
    campaign_id: int | None = None
    target_ids: list[int] = []
    satisfaction_threshold: int = 4
    publish_to_public: bool = False
    starter: bool = True


@router.post("", response={201: SurveyDetailOut})
def survey_create(request, payload: SurveyIn):
    """A draft survey; `starter` puts in the usual questions of its kind. Monthly periods for
    satisfaction surveys unless `periodicity` says otherwise."""
    user = request.user
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    fields = payload.model_dump(exclude={"unit_id", "campaign_id", "target_ids"})
    fields["periodicity"] = fields["periodicity"] or ""
    survey = builder.survey_create(
        actor=user,
        unit=unit,
        campaign=campaign_ref(user, payload.campaign_id),
        targets=_targets(user, payload.target_ids),
        **fields,
    )
    return Status(201, _detail(survey))


@router.get("/{int:survey_id}", response=SurveyDetailOut)
def survey_get(request, survey_id: int):
    return access.get_survey_for_user(request.user, survey_id)


class SurveyPatch(Schema):
    title: str
    description: str
    kind: Survey.Kind
    audience: Survey.Audience
    periodicity: Survey.Periodicity
    campaign_id: int | None = None
    target_ids: list[int]
    satisfaction_threshold: int
    publish_to_public: bool


@router.patch("/{int:survey_id}", response=SurveyDetailOut)
def survey_update(request, survey_id: int, payload: PatchDict[SurveyPatch]):
    """Change the settings; kind, audience and period are fixed once the survey has answers."""
    user = request.user
    survey = access.get_survey_for_user(user, survey_id, write=True)
    if "campaign_id" in payload:
        payload["campaign"] = campaign_ref(user, payload.pop("campaign_id"))
    targets = _targets(user, payload.pop("target_ids", None))
    builder.survey_update(actor=user, survey=survey, targets=targets, **payload)
    return _detail(survey)


class StatusIn(Schema):
    status: Survey.Status


@router.post("/{int:survey_id}/status", response=SurveyDetailOut)
def survey_status(request, survey_id: int, payload: StatusIn):
    """Draft → open → closed, and closed → open again."""
    survey = access.get_survey_for_user(request.user, survey_id, write=True)
    builder.survey_set_status(actor=request.user, survey=survey, status=payload.status)
    return _detail(survey)


# --- sections and questions ------------------------------------------------------------------


class SectionIn(Schema):
    title: str
    description: str = ""


@router.post("/{int:survey_id}/sections", response={201: SectionOut})
def section_create(request, survey_id: int, payload: SectionIn):
    survey = access.get_survey_for_user(request.user, survey_id, write=True)
    return Status(
        201, builder.section_add(actor=request.user, survey=survey, **payload.model_dump())
    )


class QuestionIn(Schema):
    text: str
    kind: Question.Kind
    required: bool = True
    help_text: str = ""
    is_key: bool = False
    section_id: int | None = None
    choices: list[str] = []
    order: int | None = None


def _section(survey: Survey, section_id: int | None):
    if section_id is None:
        return None
    section = survey.current_version.sections.filter(pk=section_id).first()
    if section is None:
        raise ValidationError({"section_id": [_("No such section in this survey.")]})
    return section


@router.post("/{int:survey_id}/questions", response={201: QuestionOut})
def question_create(request, survey_id: int, payload: QuestionIn):
    """A question at the end of the current version; if it has answers, of a new version."""
    survey = access.get_survey_for_user(request.user, survey_id, write=True)
    fields = payload.model_dump(exclude={"section_id"})
    question = builder.question_add(
        actor=request.user, survey=survey, section=_section(survey, payload.section_id), **fields
    )
    return Status(201, question)


class QuestionPatch(Schema):
    text: str
    kind: Question.Kind
    required: bool
    help_text: str
    is_key: bool
    section_id: int | None = None
    choices: list[str]
    order: int


def _question(survey: Survey, question_id: int) -> Question:
    return get_object_or_404(survey.current_version.questions, pk=question_id)


@router.patch("/{int:survey_id}/questions/{int:question_id}", response=QuestionOut)
def question_update(request, survey_id: int, question_id: int, payload: PatchDict[QuestionPatch]):
    """Change a question of the current version. If the version has answers, the change makes
    a new version (and a new question id); the answered one stays as it was."""
    survey = access.get_survey_for_user(request.user, survey_id, write=True)
    question = _question(survey, question_id)
    if "section_id" in payload:
        payload["section"] = _section(survey, payload.pop("section_id"))
    return builder.question_update(actor=request.user, survey=survey, question=question, **payload)


@router.delete("/{int:survey_id}/questions/{int:question_id}", response={204: None})
def question_delete(request, survey_id: int, question_id: int):
    survey = access.get_survey_for_user(request.user, survey_id, write=True)
    builder.question_delete(
        actor=request.user, survey=survey, question=_question(survey, question_id)
    )
    return Status(204, None)


# --- staff answers ---------------------------------------------------------------------------


class StaffAnswerIn(Schema):
    unit_id: int
    subject_id: int | None = None
    answers: dict[str, Any]


class AnsweredOut(Schema):
    survey_id: int
    unit_id: int
    period: str


@router.post("/{int:survey_id}/responses", response={201: AnsweredOut})
def response_create(request, survey_id: int, payload: StaffAnswerIn):
    """Answer a staff survey about one unit: `answers` maps question codes to a choice value,
    a list of them, 1–5, "yes"/"no" or text. Once per unit (and person reviewed) and period;
    the response is not linked to the caller's account."""
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    unit = selectors.targets_of(survey).filter(pk=payload.unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": [_("This unit is not reviewed in this survey.")]})
    subject = None
    if payload.subject_id is not None:
        subject = selectors.subjects_of(survey, unit).filter(pk=payload.subject_id).first()
        if subject is None:
            raise ValidationError({"subject_id": [_("This person is not reviewed here.")]})
    answering.response_submit_staff(
        actor=user, survey=survey, unit=unit, answers=payload.answers, subject=subject
    )
    return Status(
        201, {"survey_id": survey.pk, "unit_id": unit.pk, "period": periods.current(survey)}
    )
