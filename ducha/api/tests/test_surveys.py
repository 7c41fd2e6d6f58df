"""/api/surveys: building, staff answers, results with the five-answer rule, moderation,
feedback, the satisfaction rate, honours and typical cases."""

import io

import openpyxl
import pytest
from freezegun import freeze_time

from ducha.orgs.models import Role
from ducha.orgs.tests.factories import PersonFactory, make_member
from ducha.surveys.models import Answer, Honour, Nomination, Response, Survey, TypicalCase
from ducha.surveys.services import recognition
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


@pytest.fixture
def survey(alice, tree):
    return make_satisfaction_survey(alice, tree.county)


def test_the_schema_lists_the_survey_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/surveys/": {"get", "post"},
        "/api/surveys/{survey_id}": {"get", "patch"},
        "/api/surveys/{survey_id}/questions": {"post"},
        "/api/surveys/{survey_id}/questions/{question_id}": {"patch", "delete"},
        "/api/surveys/{survey_id}/responses": {"post"},
        "/api/surveys/{survey_id}/results": {"get"},
        "/api/surveys/{survey_id}/results.xlsx": {"get"},
        "/api/surveys/satisfaction-rate": {"get"},
        "/api/surveys/honours/{honour_id}/nominations": {"get", "post"},
        "/api/surveys/nominations/{nomination_id}/decision": {"post"},
        "/api/surveys/typical-cases/{case_id}/review": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path


def test_alice_builds_and_opens_a_survey(api_as, alice, tree):
    api = api_as(alice)
    created = api.post(
        "/api/surveys/",
        {
            "unit_id": tree.county.pk,
            "title": "部门联评",
            "kind": "cross_department",
            "audience": "staff",
            "target_ids": [tree.hospital.pk],
            "starter": False,
        },
    )
    assert created.status_code == 201, created.json()
    survey_id = created.json()["id"]
    assert created.json()["periodicity"] == "once"
    question = api.post(
        f"/api/surveys/{survey_id}/questions",
        {"text": "协作配合", "kind": "scale", "is_key": True},
    )
    assert question.status_code == 201 and question.json()["code"] == "q1"
    opened = api.post(f"/api/surveys/{survey_id}/status", {"status": "open"})
    assert opened.json()["status"] == "open"
    assert Survey.objects.get().targets.get() == tree.hospital


def test_the_other_county_is_refused(api_as, carol, survey, tree):
    api = api_as(carol)
    assert api.get(f"/api/surveys/{survey.pk}").status_code == 404
    assert api.get("/api/surveys/").json()["count"] == 0
    response = api.post(
        "/api/surveys/",
        {"unit_id": tree.county.pk, "title": "x", "kind": "satisfaction", "audience": "public"},
    )
    assert response.status_code == 422
    assert Survey.objects.count() == 1


def test_a_survey_edited_after_answers_exist_gets_a_new_version(api_as, alice, survey, tree):
    answer_public(survey, tree.hospital)
    q2 = survey.current_version.questions.get(code="q2")
    api = api_as(alice)

    response = api.patch(f"/api/surveys/{survey.pk}/questions/{q2.pk}", {"text": "护士态度"})

    assert response.status_code == 200
    assert response.json()["id"] != q2.pk and response.json()["code"] == "q2"
    detail = api.get(f"/api/surveys/{survey.pk}").json()
    assert detail["version"]["number"] == 2 and not detail["version"]["frozen"]
    q2.refresh_from_db()
    assert q2.text == "医务人员服务态度"
    # Kind and audience are fixed once answered.
    refused = api.patch(f"/api/surveys/{survey.pk}", {"audience": "staff"})
    assert refused.status_code == 422 and "audience" in refused.json()["detail"]


def test_staff_answer_through_the_api_once(api_as, alice, sam, tree):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital2])
    api = api_as(sam)
    body = {"unit_id": tree.hospital2.pk, "answers": {"q1": 4, "q2": "<script>x</script>好"}}

    first = api.post(f"/api/surveys/{survey.pk}/responses", body)
    again = api.post(f"/api/surveys/{survey.pk}/responses", body)

    assert first.status_code == 201 and first.json() == {
        "survey_id": survey.pk,
        "unit_id": tree.hospital2.pk,
        "period": "",
    }
    assert again.status_code == 422
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__code="q2").text == "x好"


def test_a_required_question_left_empty_is_a_field_error(api_as, alice, sam, tree):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital2])
    response = api_as(sam).post(
        f"/api/surveys/{survey.pk}/responses", {"unit_id": tree.hospital2.pk, "answers": {}}
    )
    assert response.status_code == 422 and "q1" in response.json()["detail"]
    assert not Response.objects.exists()


def test_an_answer_to_a_closed_survey_is_refused(api_as, alice, sam, tree):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital2])
    api_as(alice).post(f"/api/surveys/{survey.pk}/status", {"status": "closed"})
    response = api_as(sam).post(
        f"/api/surveys/{survey.pk}/responses", {"unit_id": tree.hospital2.pk, "answers": {"q1": 5}}
    )
    assert response.status_code == 422
    assert not Response.objects.exists()


def test_a_staff_survey_with_three_answers_shows_no_results(api_as, alice, tree):
    survey = make_staff_survey(alice, tree.county, targets=[tree.hospital])
    answer_staff(survey, tree.hospital, staff_members(tree.hospital, 3), score=1, text="差")
    api = api_as(alice)

    body = api.get(f"/api/surveys/{survey.pk}/results", {"unit_id": tree.hospital.pk}).json()

    assert body["responses"] == 3 and body["hidden"] is True
    assert body["satisfaction_rate"] is None and body["questions"] == []
    units = api.get(f"/api/surveys/{survey.pk}/units").json()
    assert units == [
        {
            "unit_id": tree.hospital.pk,
            "unit_name": "东湖区人民医院",
            "responses": 3,
            "hidden": True,
            "satisfaction_rate": None,
        }
    ]
    answer_staff(survey, tree.hospital, staff_members(tree.hospital, 5, prefix="more")[3:], score=5)
    body = api.get(f"/api/surveys/{survey.pk}/results", {"unit_id": tree.hospital.pk}).json()
    assert (body["responses"], body["hidden"], body["satisfaction_rate"]) == (5, False, 0.4)


@freeze_time("2026-05-20 10:00:00")
def test_results_moderation_and_feedback(api_as, alice, dora, survey, tree):
    answer_public(survey, tree.hospital, satisfaction_answers(5, q5="服务好"))
    answer_public(survey, tree.hospital, satisfaction_answers(3, q5="骂人的话"))
    office = api_as(alice)
    query = {"unit_id": tree.hospital.pk, "period": MAY}
    body = office.get(f"/api/surveys/{survey.pk}/results", query).json()
    assert body["satisfaction_rate"] == 0.5
    texts = {t["text"]: t for q in body["questions"] for t in q["texts"]}
    assert set(texts) == {"服务好", "骂人的话"}

    good = texts["服务好"]["id"]
    moderated = office.post(
        f"/api/surveys/{survey.pk}/answers/{good}/moderation", {"decision": "approved"}
    )
    assert moderated.status_code == 200 and moderated.json()["moderation"] == "approved"

    unit = api_as(dora)
    assert unit.get(f"/api/surveys/{survey.pk}/results", query).status_code == 403
    published = api_as(alice).post(
        f"/api/surveys/{survey.pk}/feedback",
        {"unit_id": tree.hospital.pk, "period": MAY, "text": "请整改"},
    )
    assert published.status_code == 200
    body = api_as(dora).get(f"/api/surveys/{survey.pk}/results", query).json()
    assert [t["text"] for q in body["questions"] for t in q["texts"]] == ["服务好"]
    assert body["feedback"] == "请整改"
    assert api_as(dora).get(f"/api/surveys/{survey.pk}/units", {"period": MAY}).status_code == 403


@freeze_time("2026-05-20 10:00:00")
def test_the_satisfaction_rate_for_the_indicator_system(api_as, alice, carol, survey, tree):
    for score in (5, 4, 2, 1):
        answer_public(survey, tree.hospital, satisfaction_answers(score))
    response = api_as(alice).get(
        "/api/surveys/satisfaction-rate",
        {"unit_id": tree.county.pk, "period": MAY, "subtree": True},
    )
    assert response.json() == {
        "unit_id": tree.county.pk,
        "period": MAY,
        "satisfied": 2,
        "answered": 4,
        "rate": 0.5,
    }
    bad = api_as(alice).get(
        "/api/surveys/satisfaction-rate", {"unit_id": tree.county.pk, "period": "May"}
    )
    assert bad.status_code == 422
    other = api_as(carol).get(
        "/api/surveys/satisfaction-rate", {"unit_id": tree.hospital.pk, "period": MAY}
    )
    assert other.status_code == 404


@freeze_time("2026-05-20 10:00:00")
def test_the_export(api_as, alice, survey, tree):
    answer_public(survey, tree.hospital, satisfaction_answers(5))
    response = api_as(alice).get(f"/api/surveys/{survey.pk}/results.xlsx", {"period": MAY})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    assert ("东湖区人民医院", 1, 100.0) in [r[:3] for r in rows]


# --- honours and typical cases ---------------------------------------------------------------


@pytest.fixture
def cathy(tree):
    return make_member("cathy", tree.city, Role.CAMPAIGN_OFFICE, name="凯西").user


def test_a_nomination_goes_up_to_approval(api_as, cathy, alice, dora, tree):
    doctor = PersonFactory(unit=tree.hospital, name="王医生")
    honour = api_as(cathy).post(
        "/api/surveys/honours",
        {"unit_id": tree.city.pk, "title": "行风标兵", "subject_kind": "person", "year": 2026},
    )
    assert honour.status_code == 201
    honour_id = honour.json()["id"]
    created = api_as(dora).post(
        f"/api/surveys/honours/{honour_id}/nominations",
        {"from_unit_id": tree.hospital.pk, "person_id": doctor.pk, "reasons": "零投诉"},
    )
    assert created.status_code == 201 and created.json()["at_unit_id"] == tree.county.pk
    nomination_id = created.json()["id"]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_as(dora).client
    evidence = client.post(
        f"/api/surveys/nominations/{nomination_id}/evidence",
        {"files": [SimpleUploadedFile("证明.png", png, content_type="image/png")]},
    )
    assert evidence.status_code == 201 and evidence.json()[0]["original_name"] == "证明.png"

    decision = f"/api/surveys/nominations/{nomination_id}/decision"
    assert api_as(dora).post(decision, {"decision": "recommend"}).status_code == 403
    assert (
        api_as(alice).post(decision, {"decision": "recommend"}).json()["at_unit_id"] == tree.city.pk
    )
    approved = api_as(cathy).post(decision, {"decision": "approve"}).json()
    assert approved["status"] == "approved"
    assert [s["decision"] for s in approved["steps"]] == ["nominated", "recommended", "approved"]


def test_a_nomination_of_a_person_outside_the_nominators_scope_is_refused(
    api_as, cathy, dora, tree
):
    honour = recognition.honour_create(
        actor=cathy,
        unit=tree.city,
        title="优秀党员",
        subject_kind=Honour.SubjectKind.PERSON,
        year=2026,
    )
    stranger = PersonFactory(unit=tree.other_hospital, name="外县党员")
    response = api_as(dora).post(
        f"/api/surveys/honours/{honour.pk}/nominations",
        {"from_unit_id": tree.hospital.pk, "person_id": stranger.pk, "reasons": "优秀"},
    )
    assert response.status_code == 422 and "person" in response.json()["detail"]
    assert not Nomination.objects.exists()


def test_a_typical_case_is_published(api_as, alice, dora, tree):
    created = api_as(dora).post(
        "/api/surveys/typical-cases",
        {"unit_id": tree.hospital.pk, "title": "预约诊疗", "body": "全覆盖"},
    )
    assert created.status_code == 201
    case_id = created.json()["id"]
    assert (
        api_as(dora)
        .post(f"/api/surveys/typical-cases/{case_id}/review", {"publish": True})
        .status_code
        == 403
    )
    published = api_as(alice).post(
        f"/api/surveys/typical-cases/{case_id}/review", {"publish": True}
    )
    assert published.json()["status"] == "published"
    assert TypicalCase.objects.get().published_at is not None
