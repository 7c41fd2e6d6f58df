"""A submission's page, its review (accept or return), file downloads and the review queue."""

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.submissions import services
from ducha.submissions.models import ReviewEvent, Submission
from ducha.submissions.tests import factories
from ducha.submissions.tests.factories import RequirementFactory, docx_bytes, submit, upload
from ducha.web.tests.orgs_pages import queries_for

campaign, requirement, media = factories.campaign, factories.requirement, factories.media
pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def submission(dora, requirement, tree):
    with freeze_time("2012-06-15 02:00:00"):
        return submit(
            dora, requirement, tree.hospital, files=[upload(docx_bytes(), "东湖 总结报告.docx")]
        ).submission


def detail(submission):
    return reverse("submissions-submission-detail", args=[submission.pk])


def accept_url(submission):
    return reverse("submissions-submission-accept", args=[submission.pk])


def return_url(submission):
    return reverse("submissions-submission-return", args=[submission.pk])


def test_the_office_sees_the_review_forms(client, alice, bob, dora, submission):
    client.force_login(alice)
    page = client.get(detail(submission)).content.decode()
    assert accept_url(submission) in page and return_url(submission) in page
    assert "东湖 总结报告.docx" in page

    for user in (bob, dora):
        client.force_login(user)
        response = client.get(detail(submission))
        assert response.status_code == 200
        assert accept_url(submission) not in response.content.decode()


def test_carol_gets_the_same_404_as_for_a_missing_submission(client, carol, submission):
    client.force_login(carol)
    missing = reverse("submissions-submission-detail", args=[999999])
    assert client.get(detail(submission)).status_code == 404
    assert client.get(missing).status_code == 404
    assert client.post(accept_url(submission)).status_code == 404
    assert (
        client.post(return_url(submission), {"reason": "x", "correction_days": 3}).status_code
        == 404
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_bob_may_look_but_not_review(client, bob, submission):
    client.force_login(bob)
    assert client.post(accept_url(submission)).status_code == 403
    assert (
        client.post(return_url(submission), {"reason": "x", "correction_days": 3}).status_code
        == 403
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert not AuditEntry.objects.filter(action__in=["accept", "return"]).exists()


def test_alice_accepts(client, alice, submission, english):
    client.force_login(alice)
    response = client.post(accept_url(submission))
    assert response.status_code == 302
    assert response["Location"] == detail(submission)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    assert AuditEntry.objects.filter(action="accept", object_id=str(submission.pk)).exists()
    # Accepting twice tells why and changes nothing.
    response = client.post(accept_url(submission), follow=True)
    assert "This submission is not awaiting review" in response.content.decode()
    assert submission.events.filter(kind=ReviewEvent.Kind.ACCEPTED).count() == 1


@freeze_time("2012-06-20 02:00:00")
def test_alice_returns_with_a_reason(client, alice, dora, submission, english):
    client.force_login(alice)
    response = client.post(return_url(submission), {"reason": "缺少整改措施", "correction_days": 3})

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED
    assert submission.correction_due == datetime.date(2012, 6, 23)

    client.force_login(dora)
    page = client.get(detail(submission)).content.decode()
    assert "缺少整改措施" in page
    assert "2012-06-23" in page
    resubmit = reverse(
        "submissions-submission-create",
        args=[submission.requirement.campaign_id, submission.requirement_id],
    )
    assert f"{resubmit}?unit={submission.unit_id}&amp;due=2012-06-18" in page


def test_a_return_without_a_reason_is_refused(client, alice, submission, english):
    client.force_login(alice)
    response = client.post(return_url(submission), {"reason": "", "correction_days": 3})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_the_file_downloads_under_its_original_name(client, dora, carol, submission, tree):
    record = submission.versions.get().files.get()
    url = reverse("submissions-file-download", args=[record.pk])
    client.force_login(dora)
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == record.file.open("rb").read()
    assert response["Content-Type"] == record.content_type
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E4%B8%9C%E6%B9%96%20%E6%80%BB%E7%BB%93%E6%8A%A5%E5%91%8A.docx"
    )

    client.force_login(carol)
    assert client.get(url).status_code == 404
    neighbour = make_member("nina", tree.hospital2, Role.COORDINATOR).user
    client.force_login(neighbour)
    assert client.get(url).status_code == 404


def test_the_review_queue(client, alice, bob, carol, dora, campaign, submission, tree):
    other = submit(dora, RequirementFactory(campaign=campaign, title="问题分析报告"), tree.hospital)
    services.submission_accept(actor=alice, submission=other.submission)
    url = reverse("submissions-review-queue", args=[campaign.pk])

    client.force_login(alice)
    page = client.get(url).content.decode()
    assert f'data-submission-id="{submission.pk}"' in page
    assert "问题分析报告" not in page  # accepted: not awaiting review
    page = client.get(url, {"status": "all"}).content.decode()
    assert "问题分析报告" in page

    client.force_login(bob)
    assert client.get(url).status_code == 403
    client.force_login(carol)
    assert client.get(url).status_code == 404


def test_the_review_queue_costs_a_fixed_number_of_queries(client, alice, dora, campaign, tree):
    client.force_login(alice)
    url = reverse("submissions-review-queue", args=[campaign.pk])
    submit(dora, RequirementFactory(campaign=campaign), tree.hospital)
    few = queries_for(client, url)
    for _n in range(5):
        submit(dora, RequirementFactory(campaign=campaign), tree.hospital)
    assert queries_for(client, url) == few


def test_the_detail_costs_a_fixed_number_of_queries(
    client, alice, dora, submission, requirement, tree
):
    client.force_login(alice)
    few = queries_for(client, detail(submission))
    with freeze_time("2012-06-16 02:00:00"):
        for _n in range(3):
            services.submission_return(
                actor=alice, submission=submission, reason="补", correction_days=3
            )
            submit(dora, requirement, tree.hospital, files=[upload(docx_bytes())] * 2)
    assert queries_for(client, detail(submission)) == few


# --- the panel on the campaign page ------------------------------------------------------


def render_panel(campaign, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template('{% include "web/submissions/_campaign_panel.html" %}')
    return template.render(Context({"campaign": campaign, "request": request}))


@freeze_time("2012-06-10 02:00:00")
def test_the_panel_shows_the_office_the_counts(alice, dora, requirement, tree):
    submit(dora, requirement, tree.hospital)
    html = render_panel(requirement.campaign, alice)
    assert f'data-requirement-id="{requirement.pk}"' in html
    assert 'data-received="1" data-expected="2"' in html
    assert reverse("submissions-review-queue", args=[requirement.campaign_id]) in html


@freeze_time("2012-06-10 02:00:00")
def test_the_panel_shows_a_unit_its_todo_with_submit_buttons(dora, requirement, tree, english):
    html = render_panel(requirement.campaign, dora)
    create = reverse(
        "submissions-submission-create", args=[requirement.campaign_id, requirement.pk]
    )
    assert f"{create}?unit={tree.hospital.pk}&amp;due=2012-06-18" in html
    assert 'data-status="missing"' in html
    assert "data-received" not in html  # the counts are the office's

    submit(dora, requirement, tree.hospital)
    html = render_panel(requirement.campaign, dora)
    assert 'data-status="submitted"' in html
    assert create not in html


def test_the_panel_shows_carol_nothing(carol, requirement):
    html = render_panel(requirement.campaign, carol)
    assert "data-requirement-id" not in html


@freeze_time("2012-08-01 02:00:00")
def test_the_panel_lists_the_latest_and_a_few_older_owed_due_dates(dora, campaign, tree, english):
    weekly = RequirementFactory(
        campaign=campaign,
        title="工作简报",
        recurrence="weekly",
        due_date=datetime.date(2012, 6, 1),
        repeat_until=datetime.date(2012, 12, 31),
    )
    weekly.units.set([tree.hospital])
    # Nine briefs were due by 1 August (1 June … 27 July); the 3 August one is next.
    for day in (1, 8):
        submit(dora, weekly, tree.hospital, due_date=datetime.date(2012, 6, day))

    html = render_panel(campaign, dora)
    dues = re.findall(r'data-requirement-id="\d+" data-unit-id="\d+" data-due="([\d-]+)"', html)
    assert dues == ["2012-07-13", "2012-07-20", "2012-07-27", "2012-08-03"]
    assert 'data-hidden-count="4"' in html
    assert "工作简报 (东湖区人民医院): 4 earlier due dates not submitted are not listed." in html


def test_the_panel_costs_a_fixed_number_of_queries(alice, dora, campaign, tree):
    def count(user) -> int:
        user = type(user).objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as ctx:
            render_panel(campaign, user)
        return len(ctx.captured_queries)

    with freeze_time("2012-06-10 02:00:00"):
        RequirementFactory(campaign=campaign)
        few = {user.username: count(user) for user in (alice, dora)}
        for _n in range(4):
            extra = RequirementFactory(campaign=campaign)
            extra.units.set([tree.hospital])
            submit(dora, extra, tree.hospital)
        assert {user.username: count(user) for user in (alice, dora)} == few
