import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from docx import Document

from ducha.audit.models import AuditEntry
from ducha.submissions.models import Requirement, Submission, SubmissionFile
from ducha.visits import report
from ducha.visits.models import VisitReport

from .factories import builtin, make_visit

D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def visits(tree, campaign, sam, dora, village, household, enterprise):
    make_visit(
        campaign,
        tree.hospital,
        D(2024, 4, 2),
        [sam.person, dora.person],
        [village, household],
        checklist=builtin("sanfang-sanwen-sancha"),
        checklist_answers={"visit_poor": True},
        notes="与村两委座谈，了解村民看病就医情况。",
        problems_found="村卫生室缺药\n老人不清楚报销比例",
    )
    make_visit(campaign, tree.hospital, D(2024, 5, 3), [sam.person], [enterprise])
    # Another unit's visit is not in the hospital's report.
    make_visit(campaign, tree.hospital2, D(2024, 5, 4), [], [enterprise])


@pytest.fixture
def requirement(campaign):
    return Requirement.objects.create(
        campaign=campaign,
        kind=Requirement.Kind.VISIT_REPORT,
        title="走访报告",
        due_date=D(2024, 6, 18),
    )


def test_it_drafts_the_report_from_the_units_visits(today, tree, campaign, dora, visits):
    draft = report.visit_report_draft(actor=dora, campaign=campaign, unit=tree.hospital)
    text = VisitReport.objects.get(pk=draft.pk).text
    assert text.startswith("东湖区人民医院关于“东湖区进村入企大走访活动”走访情况的报告")
    assert "2024年4月2日至2024年5月3日，我单位共开展走访2次，参加走访3人次（2人）" in text
    assert "村（社、居）1个、企业1家、农户1户（其中贫困户1户）" in text
    assert "“三访三问三查”：访贫困户1次" in text
    assert "走访中共发现问题2条" in text
    assert "1. 2024年4月2日，东湖村、东湖村一贫困户：村卫生室缺药" in text
    # Households are counted, never named.
    assert "王大明" not in text
    assert AuditEntry.objects.filter(action="create", object_type="visits.visitreport").exists()


def test_the_draft_is_kept_until_redrafted(today, tree, campaign, dora, visits):
    draft = report.visit_report_draft(actor=dora, campaign=campaign, unit=tree.hospital)
    report.visit_report_update(actor=dora, report=draft, text="我们改写的报告")
    again = report.visit_report_draft(actor=dora, campaign=campaign, unit=tree.hospital)
    assert again.text == "我们改写的报告"
    redrafted = report.visit_report_draft(
        actor=dora, campaign=campaign, unit=tree.hospital, redraft=True
    )
    assert redrafted.text.startswith("东湖区人民医院关于")
    assert VisitReport.objects.count() == 1


def test_it_submits_the_report_as_the_visit_report_requirement(
    today, tree, campaign, dora, visits, requirement
):
    draft = report.visit_report_draft(actor=dora, campaign=campaign, unit=tree.hospital)
    token = uuid.uuid4().hex
    submitted = report.visit_report_submit(actor=dora, report=draft, client_token=token)
    submitted.refresh_from_db()
    submission = Submission.objects.get(requirement=requirement, unit=tree.hospital)
    assert submitted.submission == submission
    assert submitted.submitted_at is not None
    stored = SubmissionFile.objects.get(version__submission=submission)
    assert stored.original_name == "东湖区人民医院走访报告.docx"
    with stored.file.open("rb") as handle:
        paragraphs = [p.text for p in Document(handle).paragraphs]
    assert paragraphs[0] == draft.text.splitlines()[0]
    # The same form sent again submits once.
    report.visit_report_submit(actor=dora, report=draft, client_token=token)
    assert Submission.objects.count() == 1


def test_it_says_so_when_the_campaign_asks_for_no_visit_report(
    english, today, tree, campaign, dora, visits
):
    draft = report.visit_report_draft(actor=dora, campaign=campaign, unit=tree.hospital)
    with pytest.raises(ValidationError) as caught:
        report.visit_report_submit(actor=dora, report=draft, client_token="t1")
    assert caught.value.messages == ["This campaign asks your unit for no visit report."]
    assert not Submission.objects.exists()


def test_staff_may_read_but_not_write_the_report_and_carol_is_refused(
    today, tree, campaign, sam, carol
):
    with pytest.raises(PermissionDenied):
        report.visit_report_draft(actor=sam, campaign=campaign, unit=tree.hospital)
    with pytest.raises(Http404):
        report.visit_report_draft(actor=carol, campaign=campaign, unit=tree.hospital)
    assert not VisitReport.objects.exists()
