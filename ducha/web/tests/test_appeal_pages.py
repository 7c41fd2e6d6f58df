"""Pages of published scores and appeals."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from ducha.assessment import appeals, releases, services
from ducha.assessment.models import Appeal, ManualScore, ScoreRelease
from ducha.assessment.tests.factories import PERIOD, PNG
from ducha.campaigns.tests.factories import make_county_campaign


@pytest.fixture(autouse=True)
def _april():
    with freeze_time("2024-04-03 09:00:00"):
        yield


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def indicators(alice, tree, campaign):
    a = services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(60)
    )
    b = services.indicator_create(
        actor=alice,
        campaign=campaign,
        content="整改销号率",
        weight=Decimal(40),
        computed_source="closure_rate",
    )
    for unit, value in ((tree.hospital, 70), (tree.hospital2, 90)):
        services.manual_score_set(
            actor=alice,
            indicator=a,
            unit=unit,
            period=PERIOD,
            value=Decimal(value),
            evidence=f"{unit.name}台账",
        )
    return a, b


@pytest.fixture
def release(alice, campaign, indicators):
    release, _created = releases.release_publish(actor=alice, campaign=campaign, period=PERIOD)
    return release


def test_alice_publishes_from_the_release_list(client, alice, campaign, indicators):
    client.force_login(alice)
    page = client.get(reverse("assessment-release-list", args=[campaign.pk]))
    assert page.status_code == 200 and page.context["form"] is not None
    url = reverse("assessment-release-publish", args=[campaign.pk])
    response = client.post(url, {"period": PERIOD, "appeal_deadline": "2024-04-12"})
    release = ScoreRelease.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assessment-release-detail", args=[release.pk])
    assert release.appeal_deadline == datetime.date(2024, 4, 12)
    again = client.post(url, {"period": PERIOD}, follow=True)  # a double click
    assert ScoreRelease.objects.count() == 1
    assert again.redirect_chain[-1][0] == response.url


def test_publishing_shows_bad_input(client, alice, campaign, indicators, english):
    client.force_login(alice)
    url = reverse("assessment-release-publish", args=[campaign.pk])
    response = client.post(url, {"period": PERIOD, "appeal_deadline": "2024-04-01"})
    assert response.status_code == 400
    assert "cannot be before today" in response.content.decode()
    response = client.post(url, {"period": "2024-13"})
    assert response.status_code == 400 and response.context["form"].errors["period"]
    assert not ScoreRelease.objects.exists()


def test_release_pages_are_refused_out_of_place(client, dora, carol, campaign, release):
    client.force_login(dora)
    assert client.get(reverse("assessment-release-list", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("assessment-release-detail", args=[release.pk])).status_code == 403
    url = reverse("assessment-release-publish", args=[campaign.pk])
    assert client.post(url, {"period": PERIOD}).status_code == 403
    client.force_login(carol)
    assert client.get(reverse("assessment-release-detail", args=[release.pk])).status_code == 404
    assert client.post(url, {"period": PERIOD}).status_code == 404
    assert ScoreRelease.objects.count() == 1


def test_every_number_links_to_what_it_rests_on(client, alice, tree, campaign, release):
    client.force_login(alice)
    response = client.get(reverse("assessment-release-detail", args=[release.pk]))
    assert response.status_code == 200
    rows = {row["unit_id"]: row for row in response.context["rows"]}
    manual, computed = rows[tree.hospital.pk]["cells"]
    score = ManualScore.objects.get(unit=tree.hospital)
    assert manual["url"] == (
        f"{reverse('assessment-score-evidence', args=[score.pk])}?release={release.pk}"
    )
    assert computed["url"] == (
        f"{reverse('problems-dashboard')}?campaign={campaign.pk}&unit={tree.hospital.pk}"
    )
    content = response.content.decode()
    assert manual["url"].replace("&", "&amp;") in content
    assert 'data-verify="match"' in content


def test_the_release_page_marks_rows_that_no_longer_match(client, alice, tree, release, indicators):
    services.manual_score_set(
        actor=alice,
        indicator=indicators[0],
        unit=tree.hospital2,
        period=PERIOD,
        value=Decimal(95),
        evidence="复核",
    )
    client.force_login(alice)
    content = client.get(reverse("assessment-release-detail", args=[release.pk])).content.decode()
    assert 'data-verify="differ"' in content
    assert f'data-unit-id="{tree.hospital2.pk}" data-rank="1" data-changed' in content
    assert f'data-unit-id="{tree.hospital.pk}" data-rank="2" data-changed' not in content


def test_the_evidence_of_a_score_is_shown_to_its_unit_only(client, dora, carol, tree, release):
    own = ManualScore.objects.get(unit=tree.hospital)
    other = ManualScore.objects.get(unit=tree.hospital2)
    client.force_login(dora)
    url = reverse("assessment-score-evidence", args=[own.pk])
    response = client.get(url, {"release": release.pk})
    assert response.status_code == 200
    assert "东湖区人民医院台账" in response.content.decode()
    assert response.context["released_value"] == "70.00"
    assert not response.context["changed_since"]
    assert client.get(reverse("assessment-score-evidence", args=[other.pk])).status_code == 404
    client.force_login(carol)
    assert client.get(url).status_code == 404


def test_dora_sees_only_her_own_row(client, dora, tree, release):
    client.force_login(dora)
    response = client.get(reverse("assessment-my-scores"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "东湖区人民医院" in content and "东湖区中医院" not in content
    assert "90.00" not in content  # the other hospital's score
    assert "2 / 2" in content
    row = response.context["blocks"][0].rows[0]
    assert row["may_appeal"] is True
    assert row["cells"][1]["url"] == ""  # the problem dashboard is the whole campaign's


def test_dora_files_an_appeal_once(client, dora, tree, release, indicators):
    client.force_login(dora)
    url = reverse("assessment-appeal-create", args=[release.pk])
    page = client.get(url, {"unit": tree.hospital.pk})
    assert page.status_code == 200
    assert list(page.context["form"].fields["unit"].queryset) == [tree.hospital]
    data = {
        "unit": tree.hospital.pk,
        "indicator": indicators[0].pk,
        "reasons": "台账漏计",
        "file": SimpleUploadedFile("证明.png", PNG),
    }
    response = client.post(url, data)
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assessment-appeal-detail", args=[appeal.pk])
    assert (appeal.indicator, appeal.file_name) == (indicators[0], "证明.png")
    data.pop("file")
    again = client.post(url, data)
    assert again.url == response.url and Appeal.objects.count() == 1
    download = client.get(reverse("assessment-appeal-file", args=[appeal.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_appeal_pages_refuse_bad_input_and_others(client, dora, sam, carol, tree, release, english):
    url = reverse("assessment-appeal-create", args=[release.pk])
    client.force_login(dora)
    response = client.post(url, {"unit": tree.hospital.pk, "reasons": ""})
    assert response.status_code == 400 and response.context["form"].errors["reasons"]
    response = client.post(url, {"unit": tree.hospital2.pk, "reasons": "x"})
    assert response.status_code == 400 and response.context["form"].errors["unit"]
    with freeze_time("2024-04-10 16:01:00"):  # 00:01 on the 11th in China
        client.force_login(dora)  # a week later: a fresh session
        response = client.post(url, {"unit": tree.hospital.pk, "reasons": "x"})
    assert response.status_code == 400 and "ended on 2024-04-10" in response.content.decode()
    client.force_login(sam)
    assert client.get(url).status_code == 403
    client.force_login(carol)
    assert client.get(url).status_code == 404
    assert not Appeal.objects.exists()


def test_alice_decides_an_appeal(client, alice, bob, dora, carol, tree, release, indicators):
    appeal, _created = appeals.appeal_file(
        actor=dora, release=release, unit=tree.hospital, indicator=indicators[0], reasons="漏计"
    )
    url = reverse("assessment-appeal-decide", args=[appeal.pk])
    client.force_login(bob)
    assert client.post(url, {"decision": "rejected", "decision_note": "x"}).status_code == 403
    client.force_login(carol)
    assert client.get(reverse("assessment-appeal-detail", args=[appeal.pk])).status_code == 404
    client.force_login(alice)
    page = client.get(reverse("assessment-appeal-detail", args=[appeal.pk]))
    assert page.status_code == 200 and page.context["form"] is not None
    response = client.post(url, {"decision": "accepted", "decision_note": "属实"})
    assert response.status_code == 400 and response.context["form"].errors["corrected_value"]
    response = client.post(
        url, {"decision": "accepted", "decision_note": "属实", "corrected_value": "100"}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ACCEPTED and appeal.result_release.version == 2
    again = client.post(url, {"decision": "rejected", "decision_note": "改判"})
    assert again.status_code == 400
    client.force_login(dora)
    page = client.get(reverse("assessment-appeal-detail", args=[appeal.pk]))
    assert page.context["form"] is None
    assert 'data-status="accepted"' in page.content.decode()
