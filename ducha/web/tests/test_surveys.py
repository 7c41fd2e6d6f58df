"""Survey pages for signed-in users: list, builder, staff answers, results, moderation,
feedback, export, QR codes and posters."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.orgs.tests.factories import OrgUnitFactory
from ducha.surveys.models import Answer, Feedback, Question, Response, Survey
from ducha.surveys.tests.factories import (  # noqa: F401  (_survey_defaults is autouse)
    _survey_defaults,
    answer_public,
    answer_staff,
    make_satisfaction_survey,
    make_staff_survey,
    satisfaction_answers,
    staff_members,
)

MAY = "2026-05"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def survey(alice, tree):
    return make_satisfaction_survey(alice, tree.county)


def results_url(survey, unit=None, period=MAY):
    query = f"?period={period}" + (f"&unit={unit.pk}" if unit else "")
    return reverse("surveys-survey-results", args=[survey.pk]) + query


# --- list and builder ------------------------------------------------------------------------


def test_the_list_shows_surveys_in_scope_with_a_fixed_number_of_queries(
    client, alice, carol, tree, django_assert_num_queries
):
    make_satisfaction_survey(alice, tree.county)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("surveys-survey-list")).status_code == 200
    for n in range(6):
        make_satisfaction_survey(alice, tree.county, title=f"满意度{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("surveys-survey-list"))
    assert len(response.context["page"]) == 7

    client.force_login(carol)
    assert len(client.get(reverse("surveys-survey-list")).context["page"]) == 0
    survey = Survey.objects.first()
    assert client.get(reverse("surveys-survey-detail", args=[survey.pk])).status_code == 404


def test_alice_creates_a_survey_through_the_form(client, alice, tree):
    client.force_login(alice)
    response = client.post(
        reverse("surveys-survey-create"),
        {
            "unit": tree.county.pk,
            "title": "2026年患者满意度调查",
            "kind": Survey.Kind.SATISFACTION,
            "audience": Survey.Audience.PUBLIC,
            "periodicity": "",
            "satisfaction_threshold": 4,
            "starter": "on",
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys-survey-detail", args=[survey.pk])
    assert (survey.unit, survey.periodicity, survey.created_by) == (tree.county, "monthly", alice)
    assert survey.current_version.questions.count() == 5


def test_staff_may_not_create_surveys(client, sam):
    client.force_login(sam)
    assert client.get(reverse("surveys-survey-create")).status_code == 403


def test_editing_a_question_after_answers_makes_a_new_version(client, alice, survey, tree, english):
    answer_public(survey, tree.hospital)
    question = survey.current_version.questions.get(code="q2")
    client.force_login(alice)

    response = client.post(
        reverse("surveys-question-update", args=[survey.pk, question.pk]),
        {"text": "护士服务态度", "kind": "scale", "required": "on", "order": 2},
        follow=True,
    )

    assert response.status_code == 200
    assert "made version 2" in response.content.decode()
    survey.refresh_from_db()
    assert survey.current_version.number == 2
    assert Question.objects.get(pk=question.pk).text == "医务人员服务态度"
    assert survey.current_version.questions.get(code="q2").text == "护士服务态度"


def test_the_other_county_can_not_edit(client, carol, survey):
    client.force_login(carol)
    question = survey.current_version.questions.first()
    url = reverse("surveys-question-update", args=[survey.pk, question.pk])
    assert client.post(url, {"text": "改", "kind": "scale"}).status_code == 404
    assert Question.objects.get(pk=question.pk).text != "改"


# --- links, QR codes, posters ----------------------------------------------------------------


def test_a_unit_prints_its_qr_code_and_poster(client, dora, survey, tree):
    client.force_login(dora)
    png = client.get(reverse("surveys-survey-qr", args=[survey.pk, tree.hospital.pk]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    poster = client.get(reverse("surveys-survey-poster", args=[survey.pk, tree.hospital.pk]))
    html = poster.content.decode()
    assert "东湖区人民医院" in html and "<svg" in html and "@page" in html
    assert f"/public/surveys/{survey.public_key}/{tree.hospital.pk}/" in html
    # Not another hospital's, not another county's.
    assert (
        client.get(reverse("surveys-survey-qr", args=[survey.pk, tree.hospital2.pk])).status_code
        == 404
    )
    client.force_login(dora)
    links = client.get(reverse("surveys-survey-links", args=[survey.pk]))
    assert [u.pk for u in links.context["page"]] == [tree.hospital.pk, tree.department.pk]


def test_the_other_county_gets_no_qr_code(client, carol, survey, tree):
    client.force_login(carol)
    url = reverse("surveys-survey-qr", args=[survey.pk, tree.hospital.pk])
    assert client.get(url).status_code == 404


# --- staff answers ---------------------------------------------------------------------------


def test_sam_answers_a_staff_survey_once(client, alice, sam, tree, english):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital2])
    client.force_login(sam)
    url = reverse("surveys-survey-answer", args=[survey.pk])

    page = client.get(url)
    assert "not linked to your account" in page.content.decode()
    empty = client.post(url, {"q1": "", "q2": ""})
    assert empty.status_code == 400
    assert not Response.objects.exists()
    response = client.post(url, {"q1": "4", "q2": "配合好"})
    assert response.status_code == 302
    assert Response.objects.get().unit == tree.hospital2
    assert "already answered" in client.get(url).content.decode()
    client.post(url, {"q1": "1", "q2": ""})
    assert Response.objects.count() == 1


def test_the_other_county_may_not_answer_a_staff_survey(client, alice, carol, tree):
    survey = make_staff_survey(alice, tree.county)
    client.force_login(carol)
    assert (
        client.post(reverse("surveys-survey-answer", args=[survey.pk]), {"q1": "5"}).status_code
        == 404
    )
    assert not Response.objects.exists()


# --- results ---------------------------------------------------------------------------------


def test_a_staff_survey_with_three_answers_shows_no_results(client, alice, tree, english):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital])
    answer_staff(survey, tree.hospital, staff_members(tree.hospital, 3), score=1, text="推诿扯皮")
    client.force_login(alice)

    response = client.get(results_url(survey, tree.hospital, period=""))

    html = response.content.decode()
    assert response.status_code == 200
    assert "3 answered. Results are shown only where at least 5 people answered" in html
    assert "推诿扯皮" not in html and "data-satisfaction" not in html
    assert response.context["cell"].questions == []

    export = client.get(
        reverse("surveys-survey-export", args=[survey.pk]) + f"?unit={tree.hospital.pk}"
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert list(book["Summary"].iter_rows(min_row=3, values_only=True))[0][:3] == (
        "东湖区人民医院",
        3,
        None,
    )
    assert book["Free text"].max_row == 1
    assert book["Questions"].max_row == 1


def test_a_staff_survey_with_five_answers_shows_the_aggregate(client, alice, tree):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital])
    answer_staff(survey, tree.hospital, staff_members(tree.hospital, 5), score=4)
    client.force_login(alice)
    response = client.get(results_url(survey, tree.hospital, period=""))
    assert response.context["cell"].satisfaction.percent == 100.0
    assert "data-satisfaction>100.0%" in response.content.decode()


@freeze_time("2026-05-20 10:00:00")
def test_the_results_page_reads_with_a_fixed_number_of_queries(
    client, alice, survey, tree, django_assert_num_queries
):
    answer_public(survey, tree.hospital, satisfaction_answers(5, q5="好"))
    client.force_login(alice)
    url = results_url(survey, tree.hospital)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        answer_public(survey, tree.hospital, satisfaction_answers(n % 5 + 1, q5=f"意见{n}"))
        answer_public(survey, tree.hospital2, satisfaction_answers(4))
        OrgUnitFactory(parent=tree.county, name=f"卫生院{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["cell"].responses == 9
    assert len(response.context["table"]) == 12  # the county, its 3 units and 8 new ones


@freeze_time("2026-05-20 10:00:00")
def test_the_unit_sees_its_results_once_published_and_only_approved_text(
    client, alice, dora, survey, tree, english
):
    answer_public(survey, tree.hospital, satisfaction_answers(5, q5="停车方便"))
    answer_public(survey, tree.hospital, satisfaction_answers(2, q5="某医生态度差"))
    client.force_login(dora)
    page = client.get(results_url(survey, tree.hospital))
    assert "has not published this period" in page.content.decode()
    assert page.context["cell"] is None

    client.force_login(alice)
    good = Answer.objects.get(text="停车方便")
    moderate = reverse("surveys-answer-moderate", args=[survey.pk, good.pk])
    assert client.post(moderate, {"decision": "approved"}).status_code == 302
    publish = client.post(
        reverse("surveys-feedback-publish", args=[survey.pk]),
        {"unit": tree.hospital.pk, "period": MAY, "text": "候诊时间偏长，请整改"},
    )
    assert publish.status_code == 302
    assert Feedback.objects.get().text == "候诊时间偏长，请整改"

    client.force_login(dora)
    html = client.get(results_url(survey, tree.hospital)).content.decode()
    assert "候诊时间偏长" in html and "停车方便" in html
    assert "某医生态度差" not in html
    assert "data-satisfaction>50.0%" in html
    # Dora sees her own hospital only, not the other one's results or the table of all.
    other = client.get(results_url(survey, tree.hospital2))
    assert other.context["unit"] == tree.hospital
    assert other.context["table"] is None
    assert client.get(reverse("surveys-survey-export", args=[survey.pk])).status_code == 403


def test_the_other_county_sees_no_results(client, carol, survey, tree):
    answer_public(survey, tree.hospital)
    client.force_login(carol)
    assert client.get(results_url(survey, tree.hospital)).status_code == 404
    assert client.get(reverse("surveys-survey-export", args=[survey.pk])).status_code == 404


def test_dora_may_not_moderate_or_publish(client, dora, survey, tree):
    answer_public(survey, tree.hospital, satisfaction_answers(q5="好"))
    answer = Answer.objects.get(question__code="q5")
    client.force_login(dora)
    url = reverse("surveys-answer-moderate", args=[survey.pk, answer.pk])
    assert client.post(url, {"decision": "approved"}).status_code == 403
    assert Answer.objects.get(pk=answer.pk).moderation == Answer.Moderation.PENDING
    publish = reverse("surveys-feedback-publish", args=[survey.pk])
    assert (
        client.post(publish, {"unit": tree.hospital.pk, "period": MAY, "text": "x"}).status_code
        == 403
    )
    assert not Feedback.objects.exists()


@freeze_time("2026-05-20 10:00:00")
def test_alice_exports_the_results(client, alice, survey, tree):
    for score, text in ((5, '=HYPERLINK("http://x")'), (3, "很好")):
        answer_public(survey, tree.hospital, satisfaction_answers(score, q5=text))
    client.force_login(alice)

    response = client.get(reverse("surveys-survey-export", args=[survey.pk]) + f"?period={MAY}")

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert summary[0][0] == f"患者满意度调查 · {MAY}"
    rows = {r[0]: r for r in summary[2:]}
    assert rows["东湖区人民医院"][1:3] == (2, 50.0)
    assert rows["东湖区中医院"][1:3] == (0, None)
    texts = [r[2] for r in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert sorted(texts) == ['=HYPERLINK("http://x")', "很好"]
    assert book.worksheets[2]["C2"].data_type == "s"
    entry = AuditEntry.objects.get(action="export", object_type="surveys.survey")
    assert entry.after["period"] == MAY and entry.actor_name == "alice"


def test_alice_changes_the_settings(client, alice, survey, tree):
    client.force_login(alice)
    url = reverse("surveys-survey-update", args=[survey.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "门诊满意度调查",
            "kind": Survey.Kind.SATISFACTION,
            "audience": Survey.Audience.PUBLIC,
            "periodicity": "monthly",
            "targets": [tree.hospital.pk, tree.hospital2.pk],
            "satisfaction_threshold": 5,
            "publish_to_public": "on",
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.satisfaction_threshold, survey.publish_to_public) == (
        "门诊满意度调查",
        5,
        True,
    )
    assert set(survey.targets.all()) == {tree.hospital, tree.hospital2}
    assert AuditEntry.objects.filter(object_type="surveys.survey", action="update").exists()


def test_staff_see_the_bureaus_open_survey_but_not_its_drafts(client, alice, sam, tree):
    draft = make_staff_survey(alice, tree.county, open_it=False, title="草稿")
    open_one = make_staff_survey(alice, tree.county, title="上下互评")
    client.force_login(sam)
    listing = client.get(reverse("surveys-survey-list"))
    assert [s.pk for s in listing.context["to_answer"]] == [open_one.pk]
    assert [s.pk for s in listing.context["page"]] == [open_one.pk]
    detail = client.get(reverse("surveys-survey-detail", args=[open_one.pk]))
    assert detail.context["can_answer"] and not detail.context["can_manage"]
    assert client.get(reverse("surveys-survey-detail", args=[draft.pk])).status_code == 404
    assert (
        client.post(
            reverse("surveys-survey-status", args=[open_one.pk]), {"status": "closed"}
        ).status_code
        == 403
    )


def test_a_party_member_review_is_answered_and_read_per_person(client, alice, tree):
    from ducha.orgs.tests.factories import PersonFactory

    member = PersonFactory(unit=tree.hospital, name="党员甲", is_party_member=True)
    survey = make_staff_survey(
        alice, tree.county, targets=[tree.hospital], kind=Survey.Kind.PARTY_MEMBER_REVIEW
    )
    users = staff_members(tree.hospital, 5)
    client.force_login(users[0])
    url = reverse("surveys-survey-answer", args=[survey.pk])
    page = client.get(url)
    assert [p.pk for p in page.context["form"].fields["subject"].queryset] == [member.pk]
    assert client.post(url, {"q1": "5"}).status_code == 400
    assert client.post(url, {"q1": "5", "subject": member.pk}).status_code == 302
    for user in users[1:]:
        client.force_login(user)
        client.post(url, {"q1": "3", "subject": member.pk})
    assert Response.objects.filter(subject=member).count() == 5

    client.force_login(alice)
    results = client.get(results_url(survey, tree.hospital, period=""))
    (row,) = results.context["subjects"]
    assert (row.label, row.responses, row.satisfaction.percent) == ("党员甲", 5, 20.0)
    assert client.get(reverse("surveys-question-create", args=[survey.pk])).status_code == 200
