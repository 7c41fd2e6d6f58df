"""Answering: the public through a link, staff with their accounts, and the bad input each
must survive."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.surveys import antiabuse
from ducha.surveys.models import Answer, Response, StaffParticipation, Survey
from ducha.surveys.services import answering, builder

from .factories import (
    answer_public,
    answer_staff,
    make_satisfaction_survey,
    make_staff_survey,
    new_client_id,
    satisfaction_answers,
    staff_members,
)


@pytest.fixture
def survey(alice, tree):
    return make_satisfaction_survey(alice, tree.county)


@freeze_time("2026-05-31 17:00:00")  # 1 June, 01:00 in China
def test_a_public_answer_is_kept_for_the_unit_and_month(survey, tree):
    response = answer_public(survey, tree.hospital, satisfaction_answers(4, q5="挂号很快"))

    response = Response.objects.get(pk=response.pk)
    assert (response.unit, response.period) == (tree.hospital, "2026-06")
    assert len(response.client_hash) == 64 and response.client_hash != ""
    answers = {a.question.code: a for a in response.answers.select_related("question")}
    assert answers["q1"].number == 4
    assert answers["q3"].number == 1 and answers["q4"].number == 0
    assert answers["q5"].text == "挂号很快"
    assert answers["q5"].moderation == Answer.Moderation.PENDING
    survey.current_version.refresh_from_db()
    assert survey.current_version.is_frozen
    entry = AuditEntry.objects.get(object_type="surveys.response")
    assert entry.actor_id is None and entry.after["period"] == "2026-06"


def test_the_same_phone_answering_twice_is_refused(survey, tree):
    phone = new_client_id()
    answer_public(survey, tree.hospital, client_id=phone)
    with pytest.raises(ValidationError) as error:
        answer_public(survey, tree.hospital, satisfaction_answers(1), client_id=phone)
    assert error.value.code == "duplicate"
    assert Response.objects.count() == 1
    # The same phone may review another hospital, and answer again next month.
    answer_public(survey, tree.hospital2, client_id=phone)
    assert Response.objects.count() == 2


def test_the_same_phone_answers_again_in_the_next_month(survey, tree):
    phone = new_client_id()
    with freeze_time("2026-05-20 10:00:00"):
        answer_public(survey, tree.hospital, client_id=phone)
    with freeze_time("2026-06-02 10:00:00"):
        answer_public(survey, tree.hospital, client_id=phone)
    assert sorted(Response.objects.values_list("period", flat=True)) == ["2026-05", "2026-06"]


def test_a_flood_from_one_client_is_rate_limited(survey, tree, settings):
    settings.SURVEY_RATE_CLIENT = (3, 600)
    phone = new_client_id()
    answer_public(survey, tree.hospital, client_id=phone)
    for _ in range(2):
        with pytest.raises(ValidationError):
            answer_public(survey, tree.hospital, client_id=phone)
    with pytest.raises(antiabuse.RateLimited):
        answer_public(survey, tree.hospital2, client_id=phone)
    assert Response.objects.count() == 1


def test_a_flood_from_one_address_with_fresh_cookies_is_rate_limited(survey, tree, settings):
    settings.SURVEY_RATE_IP = (5, 600)
    with freeze_time("2026-05-20 10:00:00") as clock:
        for _ in range(5):
            answer_public(survey, tree.hospital, ip="203.0.113.9")
        with pytest.raises(antiabuse.RateLimited):
            answer_public(survey, tree.hospital, ip="203.0.113.9")
        # Other patients on another network are not held up.
        answer_public(survey, tree.hospital, ip="198.51.100.7")
        assert Response.objects.count() == 6
        # The window passes and the address may answer again.
        clock.tick(601)
        answer_public(survey, tree.hospital, ip="203.0.113.9")
    assert Response.objects.count() == 7


def test_a_flood_for_one_unit_is_rate_limited(survey, tree, settings):
    settings.SURVEY_RATE_UNIT = (4, 600)
    for n in range(4):
        answer_public(survey, tree.hospital, ip=f"10.0.0.{n}")
    with pytest.raises(antiabuse.RateLimited):
        answer_public(survey, tree.hospital, ip="10.0.1.1")
    answer_public(survey, tree.hospital2, ip="10.0.1.1")
    assert Response.objects.filter(unit=tree.hospital).count() == 4


def test_an_answer_to_a_closed_survey_is_refused(survey, alice, tree):
    builder.survey_set_status(actor=alice, survey=survey, status=Survey.Status.CLOSED)
    with pytest.raises(ValidationError) as error:
        answer_public(survey, tree.hospital)
    assert error.value.code == "closed"
    assert not Response.objects.exists()


def test_an_answer_to_a_draft_survey_is_refused(alice, tree):
    survey = make_satisfaction_survey(alice, tree.county, open_it=False)
    with pytest.raises(ValidationError):
        answer_public(survey, tree.hospital)
    assert not Response.objects.exists()


def test_a_required_question_left_empty_is_refused(survey, tree):
    with pytest.raises(ValidationError) as error:
        answer_public(survey, tree.hospital, {"q1": "", "q2": 4, "q3": "yes", "q4": "no"})
    assert list(error.value.message_dict) == ["q1"]
    assert not Response.objects.exists()
    # The optional free text may stay empty.
    answer_public(survey, tree.hospital, satisfaction_answers(5, q5="  "))
    assert not Answer.objects.filter(question__code="q5").exists()


@pytest.mark.parametrize(("code", "value"), [("q1", 6), ("q1", "很好"), ("q3", "maybe"), ("q2", 0)])
def test_out_of_range_answers_are_refused(survey, tree, code, value):
    with pytest.raises(ValidationError) as error:
        answer_public(survey, tree.hospital, satisfaction_answers(**{code: value}))
    assert code in error.value.message_dict
    assert not Response.objects.exists()


def test_a_choice_must_be_one_of_the_question(alice, survey, tree):
    builder.question_add(
        actor=alice, survey=survey, text="就诊科室", kind="multiple", choices=["内科", "外科"]
    )
    with pytest.raises(ValidationError):
        answer_public(survey, tree.hospital, satisfaction_answers(q6=["c1", "c9"]))
    response = answer_public(survey, tree.hospital, satisfaction_answers(q6=["c1", "c2"]))
    assert response.answers.filter(question__code="q6").count() == 2


def test_script_in_a_free_text_answer_is_stripped(survey, tree):
    response = answer_public(
        survey,
        tree.hospital,
        satisfaction_answers(q5='<script>alert("x")</script><b>护士</b>很好<img src=x onerror=1>'),
    )
    text = response.answers.get(question__code="q5").text
    assert text == 'alert("x")护士很好'
    assert "<" not in text


def test_a_free_text_answer_too_long_is_refused(survey, tree):
    with pytest.raises(ValidationError) as error:
        answer_public(survey, tree.hospital, satisfaction_answers(q5="很" * 1001))
    assert "q5" in error.value.message_dict
    assert not Response.objects.exists()


def test_a_unit_outside_the_survey_is_refused(survey, tree):
    with pytest.raises(ValidationError):
        answer_public(survey, tree.other_hospital)
    assert not Response.objects.exists()


def test_a_form_token_for_another_unit_or_client_is_refused(survey, tree):
    client = new_client_id()
    token = antiabuse.make_form_token(
        survey_id=survey.pk, unit_id=tree.hospital2.pk, client_id=client
    )
    for unit, client_id in ((tree.hospital, client), (tree.hospital2, new_client_id())):
        with pytest.raises(ValidationError) as error:
            answering.response_submit_public(
                survey=survey,
                unit=unit,
                answers=satisfaction_answers(),
                client_id=client_id,
                ip="10.0.0.1",
                form_token=token,
            )
        assert error.value.code == "token"
    assert not Response.objects.exists()


def test_a_form_posted_too_fast_or_too_late_is_refused(survey, tree, settings):
    settings.SURVEY_FORM_MIN_SECONDS = 3
    client = new_client_id()

    def post(token):
        return answering.response_submit_public(
            survey=survey,
            unit=tree.hospital,
            answers=satisfaction_answers(),
            client_id=client,
            ip="10.0.0.1",
            form_token=token,
        )

    with freeze_time("2026-05-20 10:00:00") as clock:
        token = antiabuse.make_form_token(
            survey_id=survey.pk, unit_id=tree.hospital.pk, client_id=client
        )
        with pytest.raises(ValidationError):
            post(token)
        clock.tick(3 * 3600)
        with pytest.raises(ValidationError):
            post(token)
        token = antiabuse.make_form_token(
            survey_id=survey.pk, unit_id=tree.hospital.pk, client_id=client
        )
        clock.tick(5)
        post(token)
    assert Response.objects.count() == 1


# --- staff -----------------------------------------------------------------------------------


def test_a_staff_answer_is_not_linked_to_the_account(alice, tree):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital, tree.hospital2])
    (user,) = staff_members(tree.hospital, 1)

    answering.response_submit_staff(
        actor=user, survey=survey, unit=tree.hospital2, answers={"q1": 3, "q2": "协作及时"}
    )

    response = Response.objects.get()
    assert response.client_hash == "" and response.unit == tree.hospital2
    assert not hasattr(response, "user")
    participation = StaffParticipation.objects.get(user=user, unit=tree.hospital2)
    entry = AuditEntry.objects.get(object_type="surveys.staffparticipation")
    assert (entry.actor_name, entry.object_id) == (user.username, str(participation.pk))
    assert entry.after == {"survey": survey.pk, "unit": tree.hospital2.pk, "period": ""}
    assert not AuditEntry.objects.filter(object_type="surveys.response").exists()


def test_a_staff_member_answers_once_per_unit_even_after_a_new_version(alice, tree):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital, tree.hospital2])
    users = staff_members(tree.hospital, 1)
    answer_staff(survey, tree.hospital2, users)
    builder.question_add(actor=alice, survey=survey, text="补充", kind="text", required=False)
    with pytest.raises(ValidationError) as error:
        answer_staff(survey, tree.hospital2, users)
    assert error.value.code == "duplicate"
    answer_staff(survey, tree.hospital, users)
    assert Response.objects.count() == 2


def test_staff_of_another_county_may_not_answer(alice, carol, tree):
    survey = make_staff_survey(alice, tree.county)
    with pytest.raises(PermissionDenied):
        answer_staff(survey, tree.hospital, [carol])
    assert not Response.objects.exists()


def test_the_public_may_not_answer_a_staff_survey(alice, tree):
    survey = make_staff_survey(alice, tree.county)
    with pytest.raises(Exception):  # noqa: B017 — a 404 for the public, whatever the kind
        answer_public(survey, tree.hospital, {"q1": 5})
    assert not Response.objects.exists()


def test_a_party_member_review_is_about_one_party_member(alice, tree):
    from ducha.orgs.tests.factories import PersonFactory

    member = PersonFactory(unit=tree.department, name="党员甲", is_party_member=True)
    other = PersonFactory(unit=tree.hospital, name="群众乙", is_party_member=False)
    survey = make_satisfaction_survey(
        alice, tree.county, kind=Survey.Kind.PARTY_MEMBER_REVIEW, title="评议党员"
    )
    with pytest.raises(ValidationError) as error:
        answer_public(survey, tree.hospital, {"q1": 5})
    assert "subject" in error.value.message_dict
    with pytest.raises(ValidationError):
        answer_public(survey, tree.hospital, {"q1": 5}, subject=other)
    phone = new_client_id()
    answer_public(survey, tree.hospital, {"q1": 5}, subject=member, client_id=phone)
    with pytest.raises(ValidationError):
        answer_public(survey, tree.hospital, {"q1": 4}, subject=member, client_id=phone)
    assert Response.objects.get().subject == member
