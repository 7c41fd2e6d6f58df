import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from ducha.campaigns.tests.factories import make_county_campaign
from ducha.inspections.models import Bulletin
from ducha.problems.models import Problem


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


def draft_by_web(client, campaign):
    response = client.post(
        reverse("inspections-bulletin-list", args=[campaign.pk]), {"period": "2024-03"}
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("inspections-bulletin-detail", args=[bulletin.pk])
    return bulletin


def test_alice_drafts_edits_issues_and_downloads(client, alice, tree, campaign):
    client.force_login(alice)
    bulletin = draft_by_web(client, campaign)
    url = reverse("inspections-bulletin-detail", args=[bulletin.pk])
    response = client.post(
        url,
        {
            "title": "关于三月份督查情况的通报",
            "doc_prefix": "东卫通",
            "body": "一、总体情况\n二、存在问题",
            "criticised": [tree.hospital2.pk],
            "copy_to": "区委办公室",
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("inspections-bulletin-issue", args=[bulletin.pk]))
    number = f"东卫通〔{timezone.localdate().year}〕1号"
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.doc_number == number
    assert Problem.objects.get().unit == tree.hospital2
    page = client.get(url).content.decode()
    assert number in page and "二、存在问题" in page
    response = client.get(reverse("inspections-bulletin-docx", args=[bulletin.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    assert [p.text for p in document.paragraphs if p.text][:3] == [
        "东湖区卫生健康局",
        number,
        "关于三月份督查情况的通报",
    ]


def test_editing_an_issued_bulletin_is_refused(client, alice, tree, campaign, english):
    client.force_login(alice)
    bulletin = draft_by_web(client, campaign)
    Bulletin.objects.filter(pk=bulletin.pk).update(doc_prefix="东卫通")
    client.post(reverse("inspections-bulletin-issue", args=[bulletin.pk]))
    response = client.post(
        reverse("inspections-bulletin-detail", args=[bulletin.pk]),
        {"title": "改", "body": "改", "doc_prefix": "东卫通"},
    )
    assert response.status_code == 200
    assert "frozen" in str(response.context["form"].non_field_errors())
    bulletin.refresh_from_db()
    assert bulletin.title != "改" and bulletin.number == 1


def test_a_draft_has_no_download(client, alice, campaign):
    client.force_login(alice)
    bulletin = draft_by_web(client, campaign)
    assert client.get(reverse("inspections-bulletin-docx", args=[bulletin.pk])).status_code == 404


def test_it_refuses_other_county_and_the_units(client, alice, dora, carol, tree, campaign):
    client.force_login(alice)
    bulletin = draft_by_web(client, campaign)
    url = reverse("inspections-bulletin-detail", args=[bulletin.pk])
    for user in (dora, carol):  # a draft stays with the office
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert (
            client.post(reverse("inspections-bulletin-issue", args=[bulletin.pk])).status_code
            == 404
        )
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.DRAFT
    client.force_login(dora)
    response = client.post(
        reverse("inspections-bulletin-list", args=[campaign.pk]), {"period": "2024-03"}
    )
    assert response.status_code == 403
    assert Bulletin.objects.count() == 1
