"""Building surveys: settings, questions and versions, opening and closing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.surveys.models import Question, Response, Survey, SurveyVersion
from ducha.surveys.services import builder

from .factories import answer_public, make_satisfaction_survey


def test_it_creates_a_draft_with_starter_questions(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county, open_it=False)

    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT
    assert survey.periodicity == Survey.Periodicity.MONTHLY
    assert survey.current_version.number == 1
    questions = list(survey.current_version.questions.values_list("code", "kind", "is_key"))
    assert questions[0] == ("q1", Question.Kind.SCALE, True)
    assert [q[0] for q in questions] == ["q1", "q2", "q3", "q4", "q5"]
    entry = AuditEntry.objects.get(object_type="surveys.survey", action="create")
    assert entry.actor_name == "alice"
    assert entry.after["title"] == "患者满意度调查"


def test_it_refuses_other_county(carol, alice, tree):
    with pytest.raises(PermissionDenied):
        make_satisfaction_survey(carol, tree.county)
    survey = make_satisfaction_survey(alice, tree.county)
    with pytest.raises(PermissionDenied):
        builder.question_add(actor=carol, survey=survey, text="x", kind=Question.Kind.TEXT)
    assert survey.current_version.questions.count() == 5


def test_a_staff_member_may_not_build(sam, tree):
    with pytest.raises(PermissionDenied):
        make_satisfaction_survey(sam, tree.hospital)


def test_it_refuses_targets_outside_the_issuing_unit(alice, tree):
    with pytest.raises(ValidationError) as error:
        make_satisfaction_survey(alice, tree.county, targets=[tree.other_hospital])
    assert "targets" in error.value.message_dict
    assert not Survey.objects.exists()


def test_editing_an_unanswered_version_changes_it_in_place(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county)
    question = survey.current_version.questions.get(code="q2")

    builder.question_update(actor=alice, survey=survey, question=question, text="护士服务态度")

    survey.refresh_from_db()
    assert survey.current_version.number == 1
    assert SurveyVersion.objects.filter(survey=survey).count() == 1
    assert Question.objects.get(pk=question.pk).text == "护士服务态度"


def test_a_survey_edited_after_answers_exist_gets_a_new_version(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county)
    answered = answer_public(survey, tree.hospital)
    v1 = survey.current_version
    question = v1.questions.get(code="q2")

    builder.question_update(actor=alice, survey=survey, question=question, text="护士服务态度")
    builder.question_add(
        actor=alice,
        survey=survey,
        text="挂号方式",
        kind=Question.Kind.SINGLE,
        choices=["窗口", "手机预约"],
        required=False,
    )

    survey.refresh_from_db()
    v2 = survey.current_version
    assert v2.number == 2
    # The answered version is exactly as it was answered.
    assert Question.objects.get(pk=question.pk).text == "医务人员服务态度"
    assert v1.questions.count() == 5
    assert Response.objects.get(pk=answered.pk).version_id == v1.pk
    # The new version carries the change and the new question, with the codes kept.
    assert v2.questions.get(code="q2").text == "护士服务态度"
    assert v2.questions.get(code="q6").choices.count() == 2
    assert v2.questions.get(is_key=True).code == "q1"
    # One more edit goes to version 2 (not yet answered): no third version.
    builder.question_delete(actor=alice, survey=survey, question=v2.questions.get(code="q6"))
    assert SurveyVersion.objects.filter(survey=survey).count() == 2
    assert AuditEntry.objects.filter(
        object_type="surveys.survey", after__version=2, action="update"
    ).exists()


def test_kind_and_audience_are_fixed_once_answered(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county)
    answer_public(survey, tree.hospital)
    with pytest.raises(ValidationError) as error:
        builder.survey_update(actor=alice, survey=survey, audience=Survey.Audience.STAFF)
    assert "audience" in error.value.message_dict
    assert Survey.objects.get(pk=survey.pk).audience == Survey.Audience.PUBLIC
    builder.survey_update(actor=alice, survey=survey, title="2026年患者满意度")
    assert Survey.objects.get(pk=survey.pk).title == "2026年患者满意度"


def test_the_key_question_must_be_a_scale_and_is_unique(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county, open_it=False)
    with pytest.raises(ValidationError) as error:
        builder.question_add(
            actor=alice, survey=survey, text="是否满意", kind=Question.Kind.YES_NO, is_key=True
        )
    assert "is_key" in error.value.message_dict
    new = builder.question_add(
        actor=alice, survey=survey, text="环境卫生", kind=Question.Kind.SCALE, is_key=True
    )
    assert list(survey.current_version.questions.filter(is_key=True)) == [new]


def test_choice_questions_need_two_different_choices(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county, open_it=False)
    for choices in (["只有一个"], ["同", "同"]):
        with pytest.raises(ValidationError) as error:
            builder.question_add(
                actor=alice, survey=survey, text="来院方式", kind="single", choices=choices
            )
        assert "choices" in error.value.message_dict
    assert survey.current_version.questions.count() == 5


def test_a_kept_choice_keeps_its_value(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county, open_it=False)
    question = builder.question_add(
        actor=alice, survey=survey, text="来院方式", kind="single", choices=["步行", "公交"]
    )
    builder.question_update(
        actor=alice, survey=survey, question=question, choices=["公交", "自驾", "步行"]
    )
    values = dict(question.choices.values_list("label", "value"))
    assert values == {"步行": "c1", "公交": "c2", "自驾": "c3"}


def test_sections_group_questions(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county, open_it=False)
    section = builder.section_add(actor=alice, survey=survey, title="服务态度")
    question = builder.question_add(
        actor=alice, survey=survey, text="导医服务", kind="scale", section=section
    )
    assert question.section == section
    builder.section_delete(actor=alice, survey=survey, section=section)
    question.refresh_from_db()
    assert question.section is None


def test_status_moves_one_step_at_a_time(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county, open_it=False, starter=False)
    with pytest.raises(ValidationError):
        builder.survey_set_status(actor=alice, survey=survey, status=Survey.Status.OPEN)
    builder.question_add(actor=alice, survey=survey, text="总体满意度", kind="scale")
    builder.survey_set_status(actor=alice, survey=survey, status=Survey.Status.OPEN)
    with pytest.raises(ValidationError):
        builder.survey_set_status(actor=alice, survey=survey, status=Survey.Status.DRAFT)
    builder.survey_set_status(actor=alice, survey=survey, status=Survey.Status.CLOSED)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert survey.closed_at is not None
