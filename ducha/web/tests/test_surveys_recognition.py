"""Pages of honours, nominations and typical cases."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ducha.orgs.models import Role
from ducha.orgs.tests.factories import PersonFactory, make_member
from ducha.surveys.models import Honour, Nomination, TypicalCase
from ducha.surveys.services import recognition
from ducha.surveys.tests.factories import _survey_defaults  # noqa: F401  (autouse)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def cathy(tree):
    return make_member("cathy", tree.city, Role.CAMPAIGN_OFFICE, name="凯西").user


@pytest.fixture
def honour(cathy, tree):
    return recognition.honour_create(
        actor=cathy,
        unit=tree.city,
        title="优秀党员",
        subject_kind=Honour.SubjectKind.PERSON,
        year=2026,
    )


@pytest.fixture
def doctor(tree):
    return PersonFactory(unit=tree.hospital, name="张医生", is_party_member=True)


def nominate(client, honour, person, unit, **extra):
    return client.post(
        reverse("surveys-nomination-create", args=[honour.pk]),
        {
            "from_unit": unit.pk,
            "person": person.pk,
            "reasons": "带头服务群众",
            "files": [SimpleUploadedFile("事迹材料.png", PNG, content_type="image/png")],
            **extra,
        },
    )


def test_a_nomination_goes_up_and_shows_on_the_persons_page(
    client, honour, doctor, dora, alice, cathy, tree
):
    client.force_login(dora)
    response = nominate(client, honour, doctor, tree.hospital)
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert (nomination.at_unit, nomination.evidence.count()) == (tree.county, 1)
    evidence = nomination.evidence.get()
    download = client.get(reverse("surveys-evidence-download", args=[nomination.pk, evidence.pk]))
    assert b"".join(download.streaming_content) == PNG

    decide = reverse("surveys-nomination-decide", args=[nomination.pk])
    assert client.post(decide, {"decision": "recommend"}).status_code == 403
    client.force_login(alice)
    assert client.post(decide, {"decision": "recommend"}).status_code == 302
    client.force_login(cathy)
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    assert Nomination.objects.get().status == Nomination.Status.APPROVED

    client.force_login(dora)
    page = client.get(reverse("orgs-person-detail", args=[doctor.pk])).content.decode()
    assert "2026 优秀党员" in page


def test_a_nomination_of_a_person_outside_the_nominators_scope_is_refused(
    client, honour, dora, tree
):
    stranger = PersonFactory(unit=tree.other_hospital, name="外县医生")
    client.force_login(dora)
    response = nominate(client, honour, stranger, tree.hospital)
    assert response.status_code == 400
    assert "person" in response.context["form"].errors
    assert not Nomination.objects.exists()


def test_the_other_county_can_not_see_a_nomination(client, honour, doctor, dora, carol, tree):
    nomination = recognition.nomination_create(
        actor=dora, honour=honour, from_unit=tree.hospital, person=doctor, reasons="优秀"
    )
    client.force_login(carol)
    assert client.get(reverse("surveys-nomination-detail", args=[nomination.pk])).status_code == 404
    decide = reverse("surveys-nomination-decide", args=[nomination.pk])
    assert client.post(decide, {"decision": "decline", "note": "x"}).status_code == 404
    assert Nomination.objects.get().status == Nomination.Status.PENDING


def test_a_unit_honour_shows_on_the_units_page(client, cathy, alice, tree):
    honour = recognition.honour_create(
        actor=cathy, unit=tree.city, title="先进基层党组织", subject_kind="unit", year=2026
    )
    nomination = recognition.nomination_create(
        actor=alice, honour=honour, from_unit=tree.county, unit=tree.hospital, reasons="党建引领"
    )
    recognition.nomination_decide(actor=cathy, nomination=nomination, decision="approve")
    client.force_login(alice)
    page = client.get(reverse("orgs-unit-detail", args=[tree.hospital.pk])).content.decode()
    assert "先进基层党组织" in page


def test_honours_list_for_the_office(client, honour, cathy, carol):
    client.force_login(cathy)
    assert client.get(reverse("surveys-honour-list")).context["page"][0] == honour
    client.force_login(carol)
    # Honours of the city are open to nominations from its counties, the other one included.
    assert list(client.get(reverse("surveys-honour-list")).context["page"]) == [honour]


def test_a_case_is_written_reviewed_and_published(client, dora, alice, tree):
    client.force_login(dora)
    response = client.post(
        reverse("surveys-case-create"),
        {"unit": tree.hospital.pk, "title": "一站式服务中心", "body": "患者少跑腿"},
    )
    case = TypicalCase.objects.get()
    assert response.status_code == 302 and case.status == TypicalCase.Status.SUBMITTED
    review = reverse("surveys-case-review", args=[case.pk])
    client.post(review, {"publish": "1"})
    assert TypicalCase.objects.get().status == TypicalCase.Status.SUBMITTED  # Dora can't
    client.force_login(alice)
    client.post(review, {"publish": "1"})
    assert TypicalCase.objects.get().status == TypicalCase.Status.PUBLISHED
    client.logout()
    assert "一站式服务中心" in client.get(reverse("surveys-public-case-list")).content.decode()


def test_every_page_renders(client, honour, doctor, dora, alice, cathy, tree, english):
    nomination = recognition.nomination_create(
        actor=dora, honour=honour, from_unit=tree.hospital, person=doctor, reasons="优秀"
    )
    case = recognition.typical_case_submit(
        actor=dora, unit=tree.hospital, title="一站式服务", body="少跑腿"
    )
    pages = {
        alice: [
            reverse("surveys-honour-list"),
            reverse("surveys-honour-detail", args=[honour.pk]),
            reverse("surveys-nomination-create", args=[honour.pk]),
            reverse("surveys-nomination-detail", args=[nomination.pk]),
            reverse("surveys-case-list"),
            reverse("surveys-case-create"),
            reverse("surveys-case-detail", args=[case.pk]),
        ],
        cathy: [reverse("surveys-honour-create")],
        dora: [reverse("surveys-case-update", args=[case.pk])],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, url
    client.force_login(alice)
    detail = client.get(reverse("surveys-nomination-detail", args=[nomination.pk]))
    assert detail.context["may_decide"] and not detail.context["at_top"]
    assert "Recommend upward" in detail.content.decode()
    client.force_login(dora)
    assert (
        "Recommend upward"
        not in client.get(
            reverse("surveys-nomination-detail", args=[nomination.pk])
        ).content.decode()
    )
    client.force_login(cathy)
    created = client.post(
        reverse("surveys-honour-create"),
        {"unit": tree.city.pk, "title": "行风标兵", "subject_kind": "person", "year": 2026},
    )
    assert created.status_code == 302
    assert Honour.objects.filter(title="行风标兵", unit=tree.city).exists()


def test_a_declined_nomination_needs_a_note(client, honour, doctor, dora, alice, tree, english):
    nomination = recognition.nomination_create(
        actor=dora, honour=honour, from_unit=tree.hospital, person=doctor, reasons="优秀"
    )
    client.force_login(alice)
    url = reverse("surveys-nomination-decide", args=[nomination.pk])
    response = client.post(url, {"decision": "decline", "note": ""})
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    assert Nomination.objects.get().status == Nomination.Status.PENDING
    assert client.post(url, {"decision": "decline", "note": "材料不实"}).status_code == 302
    assert Nomination.objects.get().status == Nomination.Status.DECLINED
