"""The problem pages: list with colours, reporting from a visit, the problem page with one form
per step, and the loop through the pages; refusals answer as the services decide."""

import datetime
import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Person
from ducha.problems.models import Event, Evidence, Problem
from ducha.problems.tests.factories import (
    campaign,
    category,
    claimed,
    docx_bytes,
    media,
    png_bytes,
    rectifying,
    report,
    upload,
)
from ducha.visits.models import Visit
from ducha.web.tests.orgs_pages import queries_for

__all__ = ["campaign", "category", "media"]
pytestmark = pytest.mark.usefixtures("media")
TODAY = "2026-06-01 10:00:00"


@pytest.fixture(autouse=True)
def _clock():
    with freeze_time(TODAY):
        yield


def detail(problem):
    return reverse("problems-problem-detail", args=[problem.pk])


def step(name, problem):
    return reverse(f"problems-{name}", args=[problem.pk])


def test_the_list_shows_each_open_items_colour(client, tree, sam, dora, alice, category):
    rectifying(
        sam, dora, tree.hospital, category, title="快到期", deadline=datetime.date(2026, 6, 5)
    )
    report(sam, tree.hospital, category, title="刚上报")
    client.force_login(alice)
    page = client.get(reverse("problems-problem-list")).content.decode()
    assert 'data-light="yellow"' in page and "快到期" in page and "刚上报" in page
    yellow = client.get(reverse("problems-problem-list"), {"light": "yellow"}).content.decode()
    assert "快到期" in yellow and "刚上报" not in yellow


def test_the_list_costs_the_same_queries_for_more_problems(
    client, tree, sam, dora, alice, category
):
    rectifying(sam, dora, tree.hospital, category)
    client.force_login(alice)
    url = reverse("problems-problem-list")
    few = queries_for(client, url)
    for n in range(4):
        unit, who = (tree.hospital2, alice) if n % 2 else (tree.hospital, dora)
        rectifying(who, who, unit, category, title=f"问题{n}")
    report(sam, tree.department, category)
    assert queries_for(client, url) == few


def test_carol_sees_none_of_the_countys_problems(client, tree, sam, carol, category):
    problem = report(sam, tree.hospital, category)
    client.force_login(carol)
    assert "门诊导诊台" not in client.get(reverse("problems-problem-list")).content.decode()
    assert client.get(detail(problem)).status_code == 404
    response = client.post(step("problem-invalidate", problem), {"invalidate-reason": "x"})
    assert response.status_code == 404


def test_sam_reports_a_problem_from_his_visit(client, tree, sam, campaign, category, village):
    visit = Visit.objects.create(
        campaign=campaign, unit=tree.hospital, date=datetime.date(2026, 5, 30), client_token="v1"
    )
    client.force_login(sam)
    url = f"{reverse('problems-problem-create')}?visit={visit.pk}"
    page = client.get(url).content.decode()
    assert f'data-visit-id="{visit.pk}"' in page
    assert 'name="source"' not in page  # the visit decides the source

    response = client.post(
        url,
        {
            "visit": visit.pk,
            "unit": tree.hospital.pk,
            "category": category.pk,
            "title": "村卫生室药品过期",
            "severity": "serious",
            "place": village.pk,
            "files": [upload(docx_bytes(), "现场记录.docx")],
            "before_photo": upload(png_bytes(), "现场.png"),
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(problem)
    assert (problem.visit, problem.source, problem.campaign) == (visit, "visit", campaign)
    assert problem.place == village
    assert sorted(problem.evidence.values_list("kind", "original_name")) == [
        ("before", "现场.png"),
        ("file", "现场记录.docx"),
    ]


def test_a_visit_outside_ones_scope_is_missing(client, tree, carol, campaign):
    visit = Visit.objects.create(
        campaign=campaign, unit=tree.hospital, date=datetime.date(2026, 5, 30), client_token="v1"
    )
    client.force_login(carol)
    assert client.get(f"{reverse('problems-problem-create')}?visit={visit.pk}").status_code == 404


def test_the_whole_loop_through_the_pages(client, tree, sam, dora, alice, category):
    problem = report(sam, tree.hospital, category, is_physical=True)
    client.force_login(dora)
    page = client.get(detail(problem)).content.decode()
    assert 'data-action="assign"' in page and 'data-action="close"' not in page

    assert (
        client.post(step("problem-assign", problem), {"assign-unit": tree.hospital.pk}).status_code
        == 302
    )
    response = client.post(
        step("rectification-set", problem),
        {
            "rectification-measures": "安排专人值守",
            "rectification-target": "有人值守",
            "rectification-deadline": "2026-06-30",
            "rectification-responsible_person": Person.objects.get(user=dora).pk,
            "rectification-warn_days": 7,
            "rectification-milestones": "2026-06-15 制定排班表",
        },
    )
    assert response.status_code == 302
    response = client.post(
        step("rectification-progress", problem),
        {
            "progress-note": "排班表已制定",
            "progress-public": "on",
            "progress-files": [upload(docx_bytes(), "排班表.docx")],
        },
    )
    assert response.status_code == 302
    assert (
        client.post(step("rectification-claim", problem), {"claim-note": "已完成"}).status_code
        == 302
    )

    client.force_login(alice)
    page = client.get(detail(problem)).content.decode()
    assert 'data-action="close"' in page
    response = client.post(
        step("rectification-close", problem),
        {
            "close-note": "同意销号",
            "close-before_photo": upload(png_bytes(), "before.png"),
            "close-after_photo": upload(png_bytes(), "after.png"),
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED
    assert set(problem.evidence.values_list("kind", flat=True)) == {"file", "before", "after"}
    kinds = list(problem.events.values_list("kind", flat=True))
    assert kinds == ["reported", "assigned", "rectification_set", "progress", "claimed", "closed"]
    assert AuditEntry.objects.filter(object_id=str(problem.pk), action="close").exists()


def test_closing_without_evidence_shows_why(client, tree, sam, dora, alice, category, english):
    problem = claimed(sam, dora, tree.hospital, category, files=[])
    client.force_login(alice)
    response = client.post(step("rectification-close", problem), {"close-note": "同意"})
    assert response.status_code == 400
    assert "Closing needs evidence" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLAIMED


def test_dora_cannot_close_her_own_units_rectification(client, tree, sam, dora, category):
    problem = claimed(sam, dora, tree.hospital, category)
    client.force_login(dora)
    assert 'data-action="close"' not in client.get(detail(problem)).content.decode()
    response = client.post(step("rectification-close", problem), {"close-note": "同意"})
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLAIMED


def test_an_escalation_outside_the_chain_is_refused(client, tree, sam, dora, category):
    problem = report(sam, tree.hospital, category)
    client.force_login(dora)
    page = client.get(detail(problem)).content.decode()
    choices = re.findall(r'name="escalate-to_unit".*?</select>', page, re.S)[0]
    assert tree.county.name in choices and tree.hospital2.name not in choices
    response = client.post(
        step("problem-escalate", problem),
        {"escalate-to_unit": tree.hospital2.pk, "escalate-reason": "x"},
    )
    assert response.status_code == 400
    response = client.post(
        step("problem-escalate", problem),
        {"escalate-to_unit": tree.county.pk, "escalate-reason": "需区局协调"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.escalated_to == tree.county


def test_an_extension_after_the_deadline_is_refused(client, tree, sam, dora, category, english):
    problem = rectifying(sam, dora, tree.hospital, category)
    with freeze_time("2026-07-02 10:00:00"):
        client.force_login(dora)
        response = client.post(
            step("extension-request", problem),
            {"extension-new_deadline": "2026-08-31", "extension-reason": "来不及"},
        )
    assert response.status_code == 400
    assert "has passed" in response.content.decode()
    assert not Event.objects.filter(kind=Event.Kind.EXTENSION_REQUESTED).exists()


def test_the_level_above_decides_an_extension(client, tree, sam, dora, alice, category):
    problem = rectifying(sam, dora, tree.hospital, category)
    client.force_login(dora)
    client.post(
        step("extension-request", problem),
        {"extension-new_deadline": "2026-08-31", "extension-reason": "招标"},
    )
    extension = problem.rectification.extensions.get()
    url = reverse("problems-extension-decide", args=[extension.pk])
    assert client.post(url, {"decide-decision": "grant"}).status_code == 403
    client.force_login(alice)
    assert client.post(url, {"decide-decision": "grant", "decide-note": "同意"}).status_code == 302
    problem.rectification.refresh_from_db()
    assert problem.rectification.deadline == datetime.date(2026, 8, 31)


def test_evidence_is_downloaded_by_those_who_see_the_problem(
    client, tree, sam, dora, carol, category
):
    problem = claimed(sam, dora, tree.hospital, category)
    file = Evidence.objects.get(problem=problem)
    url = reverse("problems-evidence-download", args=[file.pk])
    client.force_login(carol)
    assert client.get(url).status_code == 404
    client.force_login(sam)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_dashboard_page_rolls_up_and_costs_fixed_queries(
    client, tree, sam, dora, alice, category
):
    rectifying(sam, dora, tree.hospital, category, deadline=datetime.date(2026, 6, 2))
    url = f"{reverse('problems-dashboard')}?unit={tree.county.pk}"
    with freeze_time("2026-06-10"):
        client.force_login(alice)
        page = client.get(url).content.decode()
        few = queries_for(client, url)
        report(alice, tree.hospital2, category)
        report(sam, tree.department, category)
        assert queries_for(client, url) == few
        other = f"{reverse('problems-dashboard')}?unit={tree.other_county.pk}"
        assert client.get(other).status_code == 404
    row = re.search(rf'data-unit-id="{tree.hospital.pk}".*?</tr>', page, re.S).group(0)
    assert re.search(r'data-metric="overdue">1<', row)
