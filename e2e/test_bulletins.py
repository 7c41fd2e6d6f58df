"""A monthly bulletin in a browser (DOMAIN §9): Alice drafts March's bulletin from the data,
edits it, names a hospital for criticism and issues it; the number is given, the text frozen,
the .docx downloads, and the criticised hospital has a problem to rectify."""

import io
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ducha.campaigns.models import Campaign, Participant
from ducha.inspections.models import Bulletin
from ducha.problems.models import Problem

pytestmark = pytest.mark.e2e

TITLE = "关于三月份作风整顿督查情况的通报"


@pytest.fixture
def campaign(tree):
    campaign = Campaign.objects.create(
        title="东湖区作风整顿专项活动", unit=tree.county, status=Campaign.Status.ACTIVE
    )
    for unit in (tree.hospital, tree.hospital2):
        Participant.objects.create(campaign=campaign, unit=unit)
    return campaign


def test_alice_drafts_edits_and_issues_a_bulletin(page, log_in, password, tree, alice, campaign):
    log_in(page, "alice", password)
    page.goto(f"/campaigns/{campaign.pk}/bulletins/")
    page.fill("#id_period", "2024-03")
    with page.expect_navigation():
        page.click("main form button.primary")
    bulletin = Bulletin.objects.get()
    assert bulletin.period == "2024-03" and bulletin.status == Bulletin.Status.DRAFT
    expect(page.locator(".bulletin-body")).to_contain_text(campaign.title)

    page.fill("#id_title", TITLE)
    page.fill("#id_doc_prefix", "东卫通")
    body = page.input_value("#id_body")
    page.fill("#id_body", body + "\n希望各单位立行立改。")
    page.check(f"input[name=criticised][value='{tree.hospital2.pk}']")
    page.fill("#id_copy_to", "区委办公室，区政府办公室")
    with page.expect_navigation():
        page.click("main form[novalidate] button.primary")
    bulletin.refresh_from_db()
    assert bulletin.title == TITLE and bulletin.body.endswith("希望各单位立行立改。")
    expect(page.locator("h1")).to_have_text(TITLE)

    with page.expect_navigation():
        page.click("button[data-issue]")
    year = timezone.localdate().year
    expect(page.locator("[data-doc-number]")).to_have_text(f"东卫通〔{year}〕1号")
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.ISSUED and bulletin.number == 1
    # Issued: the edit form and the issue button are gone, and a forged edit is refused.
    expect(page.locator("#id_body")).to_have_count(0)
    expect(page.locator("button[data-issue]")).to_have_count(0)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post(
        f"/bulletins/{bulletin.pk}/",
        form={"title": "改过的标题", "body": "改", "doc_prefix": "东卫通"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert forged.ok  # the page again, with the refusal
    bulletin.refresh_from_db()
    assert bulletin.title == TITLE

    with page.expect_download() as download_info:
        page.click(f"a[href='/bulletins/{bulletin.pk}/docx/']")
    download = download_info.value
    assert download.suggested_filename == f"东卫通〔{year}〕1号.docx"
    with open(download.path(), "rb") as file:
        data = file.read()
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        xml = docx.read("word/document.xml").decode()
    assert TITLE in xml and f"东卫通〔{year}〕1号" in xml and "印发" in xml

    problem = Problem.objects.get(unit=tree.hospital2)
    assert f"东卫通〔{year}〕1号" in problem.title
    assert problem.status == Problem.Status.REPORTED
    expect(page.locator(".bulletin-problems")).to_contain_text(tree.hospital2.name)
    page.goto("/problems/")
    expect(page.locator("main")).to_contain_text(problem.title)
