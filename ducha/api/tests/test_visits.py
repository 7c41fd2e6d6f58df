import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.visits.models import Quota, StudyRecord, Visit
from ducha.visits.tests.factories import (
    PDF_BYTES,
    TODAY,
    frozen_today,
    jpeg_bytes,
    make_campaign,
    make_enterprise,
    make_staff,
    make_visit,
    pair,
)

URL = "/api/visits"
LIST = f"{URL}/"  # the router is mounted at /api/visits/
D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def today():
    with frozen_today():
        yield TODAY


@pytest.fixture
def campaign(tree):
    return make_campaign(tree)


@pytest.fixture
def people(tree, sam, dora):
    return [sam.person, dora.person, *make_staff(tree)]


@pytest.fixture
def paired_enterprise(campaign, tree):
    enterprise = make_enterprise(tree)
    pair(campaign, tree.hospital, enterprise)
    return enterprise


def _payload(campaign, tree, person, places, **changes):
    return {
        "campaign_id": campaign.pk,
        "unit_id": tree.hospital.pk,
        "date": "2024-05-10",
        "visitor_ids": [person.pk],
        "place_ids": [p.pk for p in places],
        "checklist_answers": {"visit_poor": True},
        "notes": "入户走访",
        "discipline_affirmed": True,
        "client_token": uuid.uuid4().hex,
        **changes,
    }


def test_it_records_a_visit_once_per_token(api_as, today, tree, campaign, sam, village, household):
    api = api_as(sam)
    payload = _payload(campaign, tree, sam.person, [village, household])
    response = api.post(LIST, payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["target_kind"] == "village"
    assert body["checklist_answers"] == {"visit_poor": True}
    assert {p["code"] for p in body["places"]} == {"V01", "HH01"}
    again = api.post(LIST, payload)
    assert again.status_code == 201
    assert again.json()["id"] == body["id"]
    assert Visit.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2024-05-16"}, "date"),
        ({"date": "2024-02-01"}, "date"),
        ({"discipline_affirmed": False}, "discipline_affirmed"),
    ],
)
def test_it_refuses_bad_visits_with_the_field_named(
    api_as, today, tree, campaign, sam, village, change, field
):
    response = api_as(sam).post(LIST, _payload(campaign, tree, sam.person, [village], **change))
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not Visit.objects.exists()


def test_it_refuses_a_group_of_six(english, api_as, today, tree, campaign, sam, people, village):
    response = api_as(sam).post(
        LIST,
        _payload(campaign, tree, sam.person, [village], visitor_ids=[p.pk for p in people[:6]]),
    )
    assert response.status_code == 422
    assert response.json()["detail"]["visitors"] == [
        "A visit group has at most 5 people under this campaign; this one has 6."
    ]


def test_a_place_outside_the_callers_scope_is_an_unknown_id(
    api_as, today, tree, campaign, sam, other_village
):
    response = api_as(sam).post(LIST, _payload(campaign, tree, sam.person, [other_village]))
    assert response.status_code == 422
    assert "place_ids" in response.json()["detail"]


def test_carol_gets_the_same_404_as_for_a_missing_visit(
    api_as, today, tree, campaign, sam, carol, village
):
    visit = make_visit(campaign, tree.hospital, D(2024, 5, 1), [sam.person], [village])
    api = api_as(carol)
    refused, missing = api.get(f"{URL}/{visit.pk}"), api.get(f"{URL}/999999")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert api.get(LIST, {"campaign_id": campaign.pk}).status_code == 404
    assert api.get(LIST).json()["items"] == []
    created = api.post(LIST, _payload(campaign, tree, carol.person, []))
    assert created.status_code == 404


def test_it_masks_households_for_those_without_the_right(
    api_as, tree, campaign, sam, alice, village, household
):
    visit = make_visit(campaign, tree.hospital, D(2024, 5, 1), [sam.person], [village, household])
    places = {p["code"]: p for p in api_as(alice).get(f"{URL}/{visit.pk}").json()["places"]}
    assert places["HH01"] == {
        "id": household.pk,
        "code": "HH01",
        "name": "王***",
        "kind": "household",
        "personal_data_masked": True,
    }
    assert api_as(sam).get(f"{URL}/{visit.pk}").json()["places"][0]["name"] == "王大明户"


def test_it_lists_visits_with_a_fixed_number_of_queries(
    api_as, tree, campaign, sam, village, django_assert_num_queries
):
    api = api_as(sam)
    make_visit(campaign, tree.hospital, D(2024, 5, 1), [sam.person], [village])
    api.get(LIST)
    with django_assert_num_queries(12) as captured:
        api.get(LIST, {"campaign_id": campaign.pk})
    for n in range(5):
        make_visit(campaign, tree.hospital, D(2024, 4, 1 + n), [sam.person], [village])
    with django_assert_num_queries(len(captured)):
        response = api.get(LIST, {"campaign_id": campaign.pk})
    assert response.json()["count"] == 6


def test_a_photo_is_added_and_a_pdf_is_refused(api_as, today, tree, campaign, sam, village):
    visit = make_visit(
        campaign, tree.hospital, D(2024, 5, 1), [sam.person], [village], created_by=sam
    )
    client = api_as(sam).client
    ok = client.post(
        f"{URL}/{visit.pk}/photos", {"photo": SimpleUploadedFile("a.jpg", jpeg_bytes((400, 300)))}
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["width"] == 400
    bad = client.post(f"{URL}/{visit.pk}/photos", {"photo": SimpleUploadedFile("b.jpg", PDF_BYTES)})
    assert bad.status_code == 422
    assert visit.photos.count() == 1


def test_it_reports_quota_attainment_per_window(api_as, tree, campaign, alice, sam, dora, village):
    quota = Quota.objects.create(
        campaign=campaign,
        activity=Quota.Activity.VISIT_VILLAGE,
        comparator=">=",
        number=2,
        subject=Quota.Subject.PERSON,
        period=Quota.Period.YEAR,
    )
    make_visit(campaign, tree.hospital, D(2024, 4, 1), [sam.person], [village])
    make_visit(campaign, tree.hospital, D(2024, 4, 2), [sam.person], [village])
    response = api_as(alice).get(f"{URL}/quotas/{quota.pk}/attainment", {"behind": "true"})
    assert response.status_code == 200
    body = response.json()
    assert body["window"]["label"] == "2024"
    assert (body["met"], body["counted"]) == (1, 2)
    assert [s["name"] for s in body["subjects"]] == ["多拉"]
    assert (
        api_as(make_member("x", tree.other_county, Role.STAFF).user)
        .get(f"{URL}/quotas/{quota.pk}/attainment")
        .status_code
        == 404
    )


def test_checklists_and_assignments_are_listed(api_as, tree, campaign, sam, paired_enterprise):
    api = api_as(sam)
    codes = {c["code"] for c in api.get(f"{URL}/checklists", {"campaign_id": campaign.pk}).json()}
    assert {"sanfang-sanwen-sancha", "sanfang-sanwen-sanfuwu", "liugeyi"} <= codes
    rows = api.get(f"{URL}/contact-assignments", {"campaign_id": campaign.pk}).json()
    assert [(r["kind"], r["target_place_name"]) for r in rows] == [
        ("unit_place", "东湖模具有限公司")
    ]


def test_staff_log_their_own_study_hours(api_as, today, sam, campaign):
    api = api_as(sam)
    response = api.post(
        f"{URL}/study-records",
        {
            "date": "2024-05-10",
            "hours": "2.5",
            "kind": "self",
            "topic": "医改政策",
            "campaign_id": campaign.pk,
        },
    )
    assert response.status_code == 201, response.json()
    record = StudyRecord.objects.get()
    assert (record.person, record.hours) == (sam.person, Decimal("2.5"))
    assert api.get(f"{URL}/study-records").json()["count"] == 1
    assert AuditEntry.objects.filter(object_type="visits.studyrecord").exists()
