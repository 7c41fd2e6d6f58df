"""Surveys in a browser: a patient answers on a phone without an account; Alice reads the
results once five staff have answered."""

import pytest

from ducha.surveys.models import Answer, Response
from ducha.surveys.tests.factories import (  # noqa: F401  (_survey_defaults is autouse)
    _survey_defaults,
    answer_staff,
    make_satisfaction_survey,
    make_staff_survey,
    staff_members,
)

pytestmark = pytest.mark.e2e


def test_a_patient_answers_on_a_phone(phone_page, live_server, alice, tree):
    survey = make_satisfaction_survey(alice, tree.county)
    page = phone_page
    page.goto(f"/public/surveys/{survey.public_key}/{tree.hospital.pk}/")

    assert "东湖区人民医院" in page.inner_text("h1 + .unit-name")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("script").count() == 0
    # Every choice is a large touch target: the whole row is the label.
    row = page.locator("label[for='id_q1_0']")
    assert row.bounding_box()["height"] >= 44
    assert row.bounding_box()["width"] >= 300

    # Sending with the key question left empty brings the form back with the answers kept.
    page.locator("label[for='id_q2_1']").tap()
    with page.expect_navigation():
        page.locator("form.answer-form button[type=submit]").tap()
    assert page.locator("#q-q1 .error").is_visible()
    assert page.locator("#id_q2_1").is_checked()
    assert not Response.objects.exists()

    page.locator("label[for='id_q1_0']").tap()  # 5
    page.locator("label[for='id_q3_0']").tap()  # yes
    page.locator("label[for='id_q4_1']").tap()  # no
    page.fill("#id_q5", "<b>导诊</b>很热情")
    with page.expect_navigation():
        page.locator("form.answer-form button[type=submit]").tap()

    assert page.url.endswith(f"/public/surveys/{survey.public_key}/{tree.hospital.pk}/thanks/")
    response = Response.objects.get()
    assert response.unit == tree.hospital
    assert response.answers.get(question__code="q1").number == 5
    assert Answer.objects.get(question__code="q5").text == "导诊很热情"

    # The same phone coming back is told it has answered.
    page.goto(f"/public/surveys/{survey.public_key}/{tree.hospital.pk}/")
    assert page.locator("form.answer-form").count() == 0
    assert Response.objects.count() == 1


def test_alice_reads_the_results_after_five_answers(
    page, live_server, alice, tree, password, log_in
):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital])
    staff = staff_members(tree.hospital, 5)
    answer_staff(survey, tree.hospital, staff[:4], score=5, text="配合积极")
    log_in(page, "alice", password)
    page.goto(f"/surveys/{survey.pk}/results/?unit={tree.hospital.pk}")

    assert page.locator("[data-hidden-results]").is_visible()
    assert page.locator("[data-satisfaction]").count() == 0
    assert "配合积极" not in page.inner_text("main")

    answer_staff(survey, tree.hospital, staff[4:], score=2, text="沟通不够")
    page.reload()

    assert page.locator("[data-hidden-results]").count() == 0
    assert page.inner_text("[data-responses]") == "5"
    assert page.inner_text("[data-satisfaction]") == "80.0%"
    key = page.locator(".question-result[data-question='q1'] .bars li")
    assert key.count() == 5
    assert "4 · 80.0%" in key.nth(0).inner_text()
    texts = page.locator(".texts li .text").all_inner_texts()
    assert sorted(texts) == ["沟通不够"] + ["配合积极"] * 4

    # Approving a free-text answer from the page.
    first = page.locator(".texts li").first
    with page.expect_navigation():
        first.locator("button[value=approved]").click()
    assert Answer.objects.filter(moderation=Answer.Moderation.APPROVED).count() == 1
