import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.campaigns.tests.factories import make_county_campaign
from ducha.inspections import services
from ducha.inspections.models import Finding, InspectionRound
from ducha.problems.models import Problem
from ducha.submissions.tests.factories import jpeg_bytes


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def inspection_round(alice, tree, campaign):
    return services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="三月督查",
        date=datetime.date(2024, 3, 15),
        units=[tree.hospital, tree.hospital2],
    )


def test_alice_creates_a_round_with_two_units(client, alice, tree, campaign):
    client.force_login(alice)
    response = client.post(
        reverse("inspections-round-create", args=[campaign.pk]),
        {
            "title": "四月六督联查",
            "kind": "monthly",
            "mode": "unannounced",
            "date": "2024-04-10",
            "bodies": "区卫生局\n区纪委",
            "checklist": "门诊秩序\n收费公示",
            "units": [tree.hospital.pk, tree.hospital2.pk],
        },
    )
    created = InspectionRound.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("inspections-round-detail", args=[created.pk])
    assert created.mode == InspectionRound.Mode.UNANNOUNCED
    assert created.is_joint
    assert set(created.units.values_list("pk", flat=True)) == {tree.hospital.pk, tree.hospital2.pk}


def test_the_form_offers_only_units_under_the_issuer(client, alice, tree, campaign):
    client.force_login(alice)
    response = client.post(
        reverse("inspections-round-create", args=[campaign.pk]),
        {
            "title": "x",
            "kind": "monthly",
            "mode": "open",
            "date": "2024-04-10",
            "units": [tree.other_hospital.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["units"]
    assert not InspectionRound.objects.exists()


def test_it_records_a_finding_that_appears_as_a_problem(
    client, alice, tree, inspection_round, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    response = client.post(
        reverse("inspections-finding-create", args=[inspection_round.pk]),
        {
            "unit": tree.hospital.pk,
            "text": "收费未公示",
            "severity": "serious",
            "evidence": SimpleUploadedFile("photo.jpg", jpeg_bytes(), "image/jpeg"),
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    problem = Problem.objects.get()
    assert problem.evidence.count() == 1  # the evidence goes with the problem
    assert finding.problem == problem
    assert (problem.unit, problem.source) == (tree.hospital, Problem.Source.INSPECTION)
    assert AuditEntry.objects.filter(object_id=str(finding.pk), action="create").exists()
    page = client.get(reverse("inspections-round-detail", args=[inspection_round.pk]))
    assert reverse("problems-problem-detail", args=[problem.pk]) in page.content.decode()


def test_it_refuses_a_finding_for_a_unit_not_in_the_round(client, alice, tree, campaign, english):
    only_one = services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="单位督查",
        date=datetime.date(2024, 3, 15),
        units=[tree.hospital],
    )
    client.force_login(alice)
    response = client.post(
        reverse("inspections-finding-create", args=[only_one.pk]),
        {"unit": tree.hospital2.pk, "text": "问题", "severity": "minor"},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Problem.objects.exists()


def test_it_refuses_other_county(client, alice, carol, inspection_round, campaign):
    for user, expected in ((alice, 200), (carol, 404)):
        client.force_login(user)
        assert (
            client.get(reverse("inspections-round-detail", args=[inspection_round.pk])).status_code
            == expected
        )
        assert (
            client.get(reverse("inspections-round-list", args=[campaign.pk])).status_code
            == expected
        )
    response = client.post(
        reverse("inspections-finding-create", args=[inspection_round.pk]),
        {"unit": inspection_round.units.first().pk, "text": "x", "severity": "minor"},
    )
    assert response.status_code == 404
    assert not Problem.objects.exists()
    client.force_login(carol)
    index = client.get(reverse("inspections-round-index"))
    assert "三月督查" not in index.content.decode()


def test_the_inspected_unit_is_refused_the_findings_form(client, dora, tree, inspection_round):
    client.force_login(dora)
    # Dora's hospital takes part in the campaign but does not see the county's rounds.
    assert (
        client.get(reverse("inspections-round-detail", args=[inspection_round.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("inspections-finding-create", args=[inspection_round.pk]),
        {"unit": tree.hospital.pk, "text": "x", "severity": "minor"},
    )
    assert response.status_code == 404
    assert not Problem.objects.exists()


def test_the_round_list_runs_a_fixed_number_of_queries(
    client, alice, tree, campaign, django_assert_num_queries
):
    client.force_login(alice)
    url = reverse("inspections-round-index")
    services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="一",
        date=datetime.date(2024, 3, 1),
        units=[tree.hospital],
    )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        services.inspection_round_create(
            actor=alice,
            campaign=campaign,
            title=f"轮{n}",
            date=datetime.date(2024, 4, 1),
            units=[tree.hospital, tree.hospital2],
        )
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 4


def test_it_refuses_evidence_that_is_not_a_document(
    client, alice, tree, inspection_round, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    response = client.post(
        reverse("inspections-finding-create", args=[inspection_round.pk]),
        {
            "unit": tree.hospital.pk,
            "text": "收费未公示",
            "severity": "minor",
            "evidence": SimpleUploadedFile("run.exe", b"MZ\x90\x00 not a document"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Finding.objects.exists() and not Problem.objects.exists()
