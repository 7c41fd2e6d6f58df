"""Dora submits a report, Alice returns it with a reason, Dora sees why and resubmits."""

import pytest

from ducha.submissions.models import Submission
from ducha.submissions.tests.factories import RequirementFactory, docx_bytes, make_campaign

pytestmark = pytest.mark.e2e

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def attach(page, name: str, text: str) -> None:
    page.set_input_files(
        "input[type=file][name=files]",
        files=[{"name": name, "mimeType": DOCX, "buffer": docx_bytes(text)}],
    )


def test_a_report_is_submitted_returned_and_submitted_again(
    new_page, live_server, tree, alice, dora, password, log_in, to_english
):
    campaign = make_campaign(tree.county, [tree.hospital, tree.hospital2], title="作风整顿专项活动")
    requirement = RequirementFactory(campaign=campaign, title="问题分析报告")
    requirement.units.set([tree.hospital])
    requirements_url = f"/campaigns/{campaign.pk}/requirements/"

    # Dora finds the report on her unit's to-do and submits it with a file.
    unit_page = new_page()
    log_in(unit_page, "dora", password)
    to_english(unit_page)
    unit_page.goto(requirements_url)
    row = unit_page.locator(f"table.todo tr[data-requirement-id='{requirement.pk}']")
    assert row.locator("[data-status]").get_attribute("data-status") in ("missing", "overdue")
    with unit_page.expect_navigation():
        row.locator("a.submit-link").click()
    unit_page.fill("#id_note", "请审阅本院问题分析报告")
    attach(unit_page, "东湖区人民医院问题分析报告.docx", "初稿")
    with unit_page.expect_navigation():
        unit_page.click("form.submission-form button[type=submit]")

    submission = Submission.objects.get()
    assert unit_page.url.startswith(f"{live_server.url}/submissions/{submission.pk}/")
    assert unit_page.get_attribute("[data-status]", "data-status") == "submitted"
    assert "东湖区人民医院问题分析报告.docx" in unit_page.inner_text("main")

    # Alice returns it with a reason and three days to correct it.
    office = new_page()
    log_in(office, "alice", password)
    to_english(office)
    office.goto(f"/campaigns/{campaign.pk}/review/")
    with office.expect_navigation():
        office.click(f"tr[data-submission-id='{submission.pk}'] a")
    office.fill("form.return-form textarea[name=reason]", "缺少整改措施和时限")
    office.fill("form.return-form input[name=correction_days]", "3")
    with office.expect_navigation():
        office.click("form.return-form button[type=submit]")
    assert office.get_attribute("[data-status]", "data-status") == "returned"

    # Dora sees the return and why, and sends a corrected version.
    unit_page.goto(requirements_url)
    row = unit_page.locator(f"table.todo tr[data-requirement-id='{requirement.pk}']")
    assert row.locator("[data-status]").get_attribute("data-status") == "returned"
    assert "缺少整改措施和时限" in row.inner_text()
    with unit_page.expect_navigation():
        row.locator("a.submit-link").click()
    attach(unit_page, "问题分析报告（修改稿）.docx", "修改稿")
    with unit_page.expect_navigation():
        unit_page.click("form.submission-form button[type=submit]")

    assert unit_page.get_attribute("[data-status]", "data-status") == "submitted"
    assert unit_page.locator("article.version").count() == 2
    events = unit_page.locator("table.history tr[data-event]")
    assert [events.nth(i).get_attribute("data-event") for i in range(events.count())] == [
        "submitted",
        "returned",
        "resubmitted",
    ]
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.versions.count() == 2
