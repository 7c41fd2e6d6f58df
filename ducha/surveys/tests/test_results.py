"""Results per unit and period, the five-answer rule for staff, moderation, feedback and the
satisfaction rate the indicator system reads."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.surveys import results
from ducha.surveys.models import Answer, Feedback, Question, Survey
from ducha.surveys.services import builder
from ducha.surveys.services import results as result_services

from .factories import (
    answer_public,
    answer_staff,
    make_satisfaction_survey,
    make_staff_survey,
    satisfaction_answers,
    staff_members,
)

MAY = "2026-05"


@pytest.fixture
def survey(alice, tree):
    return make_satisfaction_survey(alice, tree.county)


@freeze_time("2026-05-20 10:00:00")
def test_the_satisfaction_rate_is_the_share_at_four_or_five(survey, tree):
    for score in (5, 4, 4, 3, 1):
        answer_public(survey, tree.hospital, satisfaction_answers(score))
    answer_public(survey, tree.hospital2, satisfaction_answers(2))

    assert results.satisfaction_rate(tree.hospital, MAY) == pytest.approx(0.6)
    assert results.satisfaction_rate(tree.hospital2, MAY) == 0.0
    counts = results.satisfaction_counts(tree.county, MAY, subtree=True)
    assert (counts.satisfied, counts.answered) == (3, 6)
    assert results.satisfaction_rate(tree.hospital, "2026-04") is None
    assert results.satisfaction_rate(tree.county, MAY) is None


@freeze_time("2026-05-20 10:00:00")
def test_the_threshold_is_configurable(alice, survey, tree):
    for score in (5, 4, 3):
        answer_public(survey, tree.hospital, satisfaction_answers(score))
    builder.survey_update(actor=alice, survey=survey, satisfaction_threshold=5)
    assert results.satisfaction_rate(tree.hospital, MAY) == pytest.approx(1 / 3)


@freeze_time("2026-05-20 10:00:00")
def test_cell_results_give_distributions_and_means(survey, tree):
    for score in (5, 5, 4, 2):
        answer_public(survey, tree.hospital, satisfaction_answers(score, q3="no"))

    cell = results.cell_results(survey, tree.hospital, MAY)

    assert (cell.responses, cell.hidden) == (4, False)
    assert cell.satisfaction.percent == 75.0
    by_code = {q.code: q for q in cell.questions}
    assert [(b.label, b.count) for b in by_code["q1"].bars] == [
        ("5", 2),
        ("4", 1),
        ("3", 0),
        ("2", 1),
        ("1", 0),
    ]
    assert by_code["q1"].mean == 4.0
    assert [b.count for b in by_code["q3"].bars] == [0, 4]
    assert by_code["q1"].is_key


@freeze_time("2026-05-20 10:00:00")
def test_questions_add_up_across_versions(alice, survey, tree):
    answer_public(survey, tree.hospital, satisfaction_answers(5))
    q2 = survey.current_version.questions.get(code="q2")
    builder.question_update(actor=alice, survey=survey, question=q2, text="护士服务态度")
    survey.refresh_from_db()
    answer_public(survey, tree.hospital, satisfaction_answers(3))

    cell = results.cell_results(survey, tree.hospital, MAY)
    q2_result = next(q for q in cell.questions if q.code == "q2")
    assert (q2_result.text, q2_result.answered) == ("护士服务态度", 2)
    assert cell.satisfaction.answered == 2


@freeze_time("2026-05-20 10:00:00")
def test_free_text_shows_outside_the_office_only_once_approved(alice, survey, tree):
    answer_public(survey, tree.hospital, satisfaction_answers(q5="停车难"))
    answer_public(survey, tree.hospital, satisfaction_answers(q5="谩骂内容"))
    good, bad = Answer.objects.filter(question__code="q5").order_by("id")

    def texts(approved_only):
        cell = results.cell_results(survey, tree.hospital, MAY, approved_texts_only=approved_only)
        return [t.text for q in cell.questions for t in q.texts]

    assert texts(True) == []
    assert sorted(texts(False)) == ["停车难", "谩骂内容"]
    result_services.answer_moderate(actor=alice, survey=survey, answer=good, decision="approved")
    result_services.answer_moderate(actor=alice, survey=survey, answer=bad, decision="rejected")
    assert texts(True) == ["停车难"]
    assert Answer.objects.get(pk=bad.pk).moderation == Answer.Moderation.REJECTED
    assert AuditEntry.objects.filter(object_type="surveys.answer").count() == 2


def test_only_the_office_moderates(survey, dora, tree):
    answer_public(survey, tree.hospital, satisfaction_answers(q5="停车难"))
    answer = Answer.objects.get(question__code="q5")
    with pytest.raises(PermissionDenied):
        result_services.answer_moderate(
            actor=dora, survey=survey, answer=answer, decision="approved"
        )
    assert Answer.objects.get(pk=answer.pk).moderation == Answer.Moderation.PENDING


def test_a_staff_survey_with_three_answers_shows_no_results(alice, tree):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital])
    answer_staff(survey, tree.hospital, staff_members(tree.hospital, 3), score=2, text="推诿")

    cell = results.cell_results(survey, tree.hospital, "", approved_texts_only=False)
    assert (cell.responses, cell.hidden) == (3, True)
    assert cell.satisfaction is None and cell.questions == []
    (row,) = results.unit_table(survey, "", [tree.hospital])
    assert (row.responses, row.hidden, row.satisfaction) == (3, True, None)
    assert results.satisfaction_rate(tree.hospital, "", survey=survey) is None


def test_a_staff_survey_with_five_answers_shows_them_in_aggregate(alice, tree):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital])
    users = staff_members(tree.hospital, 5)
    answer_staff(survey, tree.hospital, users[:3], score=5)
    answer_staff(survey, tree.hospital, users[3:], score=2)

    cell = results.cell_results(survey, tree.hospital, "")
    assert (cell.responses, cell.hidden) == (5, False)
    assert cell.satisfaction.percent == 60.0
    assert results.satisfaction_rate(tree.hospital, "", survey=survey) == pytest.approx(0.6)


def test_the_trend_shows_each_month(survey, tree):
    for day, score in (("2026-03-10", 5), ("2026-05-03", 2), ("2026-05-04", 5)):
        with freeze_time(f"{day} 10:00:00"):
            answer_public(survey, tree.hospital, satisfaction_answers(score))

    rows = results.trend(survey, tree.hospital, MAY, months=3)

    assert [(r.label, r.responses) for r in rows] == [("2026-03", 1), ("2026-04", 0), (MAY, 2)]
    assert [r.satisfaction.percent if r.satisfaction else None for r in rows] == [
        100.0,
        None,
        50.0,
    ]


@freeze_time("2026-05-20 10:00:00")
def test_feedback_is_published_to_the_unit_and_the_public_when_allowed(alice, survey, tree):
    with pytest.raises(ValidationError) as error:
        result_services.feedback_publish(
            actor=alice, survey=survey, unit=tree.hospital, period=MAY, text="整改", to_public=True
        )
    assert "to_public" in error.value.message_dict
    builder.survey_update(actor=alice, survey=survey, publish_to_public=True)
    result_services.feedback_publish(
        actor=alice, survey=survey, unit=tree.hospital, period=MAY, text="候诊时间长，限期整改"
    )
    result_services.feedback_publish(
        actor=alice, survey=survey, unit=tree.hospital, period=MAY, text="已整改", to_public=True
    )
    feedback = Feedback.objects.get()
    assert (feedback.text, feedback.to_public, feedback.published_by) == ("已整改", True, alice)
    assert [e.action for e in AuditEntry.objects.filter(object_type="surveys.feedback")] == [
        "update",
        "create",
    ]


def test_feedback_needs_a_period_of_the_survey(alice, survey, tree):
    with pytest.raises(ValidationError):
        result_services.feedback_publish(
            actor=alice, survey=survey, unit=tree.hospital, period="", text="x"
        )
    assert not Feedback.objects.exists()


@freeze_time("2026-05-20 10:00:00")
def test_only_satisfaction_surveys_feed_the_indicator(alice, survey, tree):
    review = make_satisfaction_survey(
        alice, tree.county, kind=Survey.Kind.PUBLIC_REVIEW, periodicity="monthly"
    )
    answer_public(review, tree.hospital, {"q1": 1})
    answer_public(survey, tree.hospital, satisfaction_answers(5))
    assert results.satisfaction_rate(tree.hospital, MAY) == 1.0
    assert results.satisfaction_rate(tree.hospital, MAY, survey=review) == 0.0
    assert Question.objects.filter(version__survey=review, is_key=True).count() == 1


def test_a_small_group_can_not_be_read_by_subtracting_from_the_unit(alice, tree):
    from ducha.orgs.tests.factories import PersonFactory
    from ducha.surveys.services import answering

    shown, small = (
        PersonFactory(unit=tree.hospital, name=name, is_party_member=True)
        for name in ("党员甲", "党员乙")
    )
    survey = make_staff_survey(
        alice, tree.county, targets=[tree.hospital], kind=Survey.Kind.PARTY_MEMBER_REVIEW
    )
    for user in staff_members(tree.hospital, 5):
        answering.response_submit_staff(
            actor=user, survey=survey, unit=tree.hospital, answers={"q1": 5}, subject=shown
        )
    for user in staff_members(tree.hospital, 2, prefix="few"):
        answering.response_submit_staff(
            actor=user, survey=survey, unit=tree.hospital, answers={"q1": 1}, subject=small
        )

    cell = results.cell_results(survey, tree.hospital, "")
    # Seven answered, but only the group of five counts: the two low scores stay unread.
    assert (cell.responses, cell.hidden) == (7, False)
    assert (cell.satisfaction.satisfied, cell.satisfaction.answered) == (5, 5)
    rows = {r.label: r for r in results.subject_table(survey, tree.hospital, "")}
    assert rows["党员乙"].hidden and rows["党员乙"].satisfaction is None
    assert rows["党员甲"].satisfaction.percent == 100.0
    (unit_row,) = results.unit_table(survey, "", [tree.hospital])
    assert (unit_row.responses, unit_row.satisfaction.answered) == (7, 5)
    assert results.satisfaction_counts(tree.hospital, "", survey=survey).answered == 5
