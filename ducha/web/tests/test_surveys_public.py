"""The public answer page, without an account: one answer per phone and month, rate limits,
closed surveys, required questions, script in free text, the published results page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ducha.surveys import antiabuse
from ducha.surveys.models import Answer, Response, Survey
from ducha.surveys.services import builder
from ducha.surveys.services import results as result_services
from ducha.surveys.tests.factories import (  # noqa: F401  (_survey_defaults is autouse)
    _survey_defaults,
    make_satisfaction_survey,
    make_staff_survey,
)

ANSWERS = {"q1": "5", "q2": "4", "q3": "yes", "q4": "no", "q5": ""}


@pytest.fixture
def survey(alice, tree):
    return make_satisfaction_survey(alice, tree.county)


def url(survey, unit, name="surveys-public-answer"):
    return reverse(name, args=[survey.public_key, unit.pk])


def load(client, survey, unit, **extra):
    response = client.get(url(survey, unit), **extra)
    assert response.status_code == 200
    return response


def send(client, survey, unit, answers=ANSWERS, ip="10.1.1.1"):
    """Load the form as a phone would, then post it with the token it carries."""
    token = load(client, survey, unit, REMOTE_ADDR=ip).context["form"]["token"].value()
    return client.post(url(survey, unit), {**answers, "token": token}, REMOTE_ADDR=ip)


def test_a_patient_answers_through_the_link(client, survey, tree, english):
    page = load(client, survey, tree.hospital)
    assert antiabuse.CLIENT_COOKIE in page.cookies
    html = page.content.decode()
    assert "东湖区人民医院" in html and "您对本次就医的总体满意程度" in html
    assert "<script" not in html  # a light page: no script at all

    response = send(client, survey, tree.hospital, {**ANSWERS, "q5": "挂号方便"})

    assert response.status_code == 302
    assert response["Location"] == url(survey, tree.hospital, "surveys-public-thanks")
    saved = Response.objects.get()
    assert (saved.unit, saved.client_hash != "") == (tree.hospital, True)
    assert saved.answers.get(question__code="q5").text == "挂号方便"
    assert "Thank you" in client.get(response["Location"]).content.decode()


def test_the_same_phone_answering_twice_is_refused(client, survey, tree, english):
    assert send(client, survey, tree.hospital).status_code == 302
    token = antiabuse.make_form_token(
        survey_id=survey.pk,
        unit_id=tree.hospital.pk,
        client_id=client.cookies[antiabuse.CLIENT_COOKIE].value.split(":")[0],
    )
    page = client.get(url(survey, tree.hospital))
    assert "You have already answered" in page.content.decode()
    again = client.post(url(survey, tree.hospital), {**ANSWERS, "q1": "1", "token": token})
    assert again.status_code == 409
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__code="q1").number == 5
    # Another phone (another cookie) on the same network still answers.
    assert send(Client(), survey, tree.hospital).status_code == 302
    assert Response.objects.count() == 2


def test_a_flood_of_answers_from_one_client_is_stopped(survey, tree, settings, english):
    settings.SURVEY_RATE_IP = (3, 600)
    statuses = [
        send(Client(), survey, tree.hospital, ip="203.0.113.5").status_code for _ in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Response.objects.count() == 3
    page = send(Client(), survey, tree.hospital, ip="203.0.113.5")
    assert "Too many answers" in page.content.decode()


def test_an_answer_to_a_closed_survey_is_refused(client, alice, survey, tree, english):
    token = load(client, survey, tree.hospital).context["form"]["token"].value()
    builder.survey_set_status(actor=alice, survey=survey, status=Survey.Status.CLOSED)

    response = client.post(url(survey, tree.hospital), {**ANSWERS, "token": token})

    assert response.status_code == 410
    assert "This survey is closed" in response.content.decode()
    assert not Response.objects.exists()
    assert client.get(url(survey, tree.hospital)).status_code == 410


def test_a_required_question_left_empty_is_refused(client, survey, tree, english):
    response = send(client, survey, tree.hospital, {**ANSWERS, "q1": ""})

    assert response.status_code == 400
    assert response.context["form"].errors["q1"] == ["Please answer this question."]
    assert not Response.objects.exists()
    # The page comes back with the other answers kept and a fresh token to send it again.
    html = response.content.decode()
    assert re.search(r'name="q3" value="yes"[^>]*checked', html)
    token = response.context["form"]["token"].value()
    fixed = client.post(url(survey, tree.hospital), {**ANSWERS, "token": token})
    assert fixed.status_code == 302


def test_script_in_a_free_text_answer_never_runs(client, alice, survey, tree):
    builder.survey_update(actor=alice, survey=survey, publish_to_public=True)
    attack = '<script>alert("x")</script>护士<img src=x onerror=alert(1)>很耐心'
    assert send(client, survey, tree.hospital, {**ANSWERS, "q5": attack}).status_code == 302
    answer = Answer.objects.get(question__code="q5")
    assert answer.text == 'alert("x")护士很耐心'

    result_services.answer_moderate(actor=alice, survey=survey, answer=answer, decision="approved")
    period = answer.response.period
    result_services.feedback_publish(
        actor=alice,
        survey=survey,
        unit=tree.hospital,
        period=period,
        text="<b>已整改</b>",
        to_public=True,
    )
    page = Client().get(url(survey, tree.hospital, "surveys-public-results"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "护士很耐心" in html
    assert "<script" not in html and "<b>已整改" not in html and "&lt;b&gt;已整改" in html


def test_a_bot_filling_the_hidden_field_is_thanked_and_ignored(client, survey, tree):
    response = send(client, survey, tree.hospital, {**ANSWERS, "website": "http://spam"})
    assert response.status_code == 302
    assert not Response.objects.exists()


def test_an_expired_form_is_refused(client, survey, tree, english):
    load(client, survey, tree.hospital)
    response = client.post(url(survey, tree.hospital), {**ANSWERS, "token": "forged:token:x"})
    assert response.status_code == 400
    assert "load the page again" in response.content.decode()
    assert not Response.objects.exists()


def test_links_that_are_not_public_surveys_are_missing(client, alice, tree):
    draft = make_satisfaction_survey(alice, tree.county, open_it=False)
    staff = make_staff_survey(alice, tree.county)
    open_one = make_satisfaction_survey(alice, tree.county)
    for survey, unit in (
        (draft, tree.hospital),
        (staff, tree.hospital),
        (open_one, tree.other_hospital),
    ):
        assert client.get(url(survey, unit)).status_code == 404
    assert client.get(f"/public/surveys/nosuchkey/{tree.hospital.pk}/").status_code == 404
    # Results are public only when the survey allows it and the office published them.
    assert client.get(url(open_one, tree.hospital, "surveys-public-results")).status_code == 404


def test_published_cases_are_public(client, alice, dora, tree):
    from ducha.surveys.services import recognition

    shown = recognition.typical_case_submit(
        actor=dora, unit=tree.hospital, title="一站式服务", body="少跑腿"
    )
    hidden = recognition.typical_case_submit(
        actor=dora, unit=tree.hospital, title="未审核", body="草稿"
    )
    recognition.typical_case_review(actor=alice, case=shown, publish=True)

    listing = client.get(reverse("surveys-public-case-list")).content.decode()
    assert "一站式服务" in listing and "未审核" not in listing
    assert client.get(reverse("surveys-public-case-detail", args=[shown.pk])).status_code == 200
    assert client.get(reverse("surveys-public-case-detail", args=[hidden.pk])).status_code == 404
