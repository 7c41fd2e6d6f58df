import datetime
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns.tests.factories import make_county_campaign
from ducha.inspections import services
from ducha.inspections.documents import BODY_FONT, TITLE_FONT, bulletin_docx
from ducha.inspections.models import Bulletin
from ducha.orgs import access
from ducha.problems.models import Problem

EA = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def draft(alice, tree, campaign):
    inspection_round = services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="三月督查",
        date=datetime.date(2024, 3, 15),
        units=[tree.hospital],
    )
    with freeze_time("2024-03-15 10:00:00"):
        services.finding_record(
            actor=alice, inspection_round=inspection_round, unit=tree.hospital, text="收费未公示"
        )
    return services.bulletin_draft(actor=alice, campaign=campaign, period="2024-03")


def edit(alice, bulletin, **fields):
    values = {
        "title": "关于三月份作风整顿督查情况的通报",
        "body": bulletin.body,
        "doc_prefix": "东卫通",
        "copy_to": "区委办公室，区政府办公室",
        "criticised": [],
        **fields,
    }
    return services.bulletin_update(actor=alice, bulletin=bulletin, **values)


def test_the_draft_is_written_from_the_months_data(english, draft):
    assert draft.status == Bulletin.Status.DRAFT
    assert "1 findings（东湖区人民医院1）" in draft.body
    assert "2. Problems: 1 found, 0 closed (0.0%)" in draft.body
    assert "Ranking: not computed" in draft.body  # no indicators: weights add up to 0


def test_issuing_numbers_freezes_and_files_problems(alice, tree, draft):
    edit(alice, draft, criticised=[tree.hospital2])
    with freeze_time("2024-04-02 09:00:00"):
        first = services.bulletin_issue(actor=alice, bulletin=draft)
        second = services.bulletin_draft(actor=alice, campaign=draft.campaign, period="2024-03")
        edit(alice, second)
        second = services.bulletin_issue(actor=alice, bulletin=second)
    first.refresh_from_db()
    assert (first.doc_number, second.doc_number) == ("东卫通〔2024〕1号", "东卫通〔2024〕2号")
    problem = first.problems.get()
    assert (problem.unit, problem.status) == (tree.hospital2, Problem.Status.REPORTED)
    assert "东卫通〔2024〕1号" in problem.title
    assert AuditEntry.objects.filter(action="issue", object_id=str(first.pk)).exists()
    with pytest.raises(ValidationError):
        edit(alice, first, title="改过的标题")
    with pytest.raises(ValidationError):
        services.bulletin_issue(actor=alice, bulletin=first)
    first.refresh_from_db()
    assert first.title == "关于三月份作风整顿督查情况的通报"
    assert first.number == 1


def test_issuing_needs_a_prefix(alice, draft):
    with pytest.raises(ValidationError):
        services.bulletin_issue(actor=alice, bulletin=draft)
    draft.refresh_from_db()
    assert draft.number is None and draft.status == Bulletin.Status.DRAFT


def test_it_refuses_criticising_units_elsewhere(alice, tree, draft):
    with pytest.raises(ValidationError):
        edit(alice, draft, criticised=[tree.other_hospital])
    assert not draft.criticised.exists()


def test_only_the_office_edits_and_carol_sees_nothing(alice, dora, carol, tree, draft):
    with pytest.raises(PermissionDenied):
        edit(dora, draft)
    assert not access.bulletins_for_user(dora).exists()  # a draft stays with the office
    edit(alice, draft)
    services.bulletin_issue(actor=alice, bulletin=draft)
    assert access.bulletins_for_user(dora).get() == draft  # issued: shown to the units
    assert not access.bulletins_for_user(carol).exists()


def test_the_docx_is_laid_out_as_an_official_document(alice, draft):
    edit(alice, draft)
    with freeze_time("2024-04-02 09:00:00"):
        services.bulletin_issue(actor=alice, bulletin=draft)
    draft.refresh_from_db()
    document = docx.Document(io.BytesIO(bulletin_docx(draft)))
    paragraphs = [p for p in document.paragraphs if p.text]
    header, number, title = paragraphs[:3]
    assert header.text == "东湖区卫生健康局"
    assert str(header.runs[0].font.color.rgb) == "FF0000"
    assert header.runs[0]._element.rPr.rFonts.get(EA) == TITLE_FONT
    assert number.text == "东卫通〔2024〕1号"
    assert title.text == "关于三月份作风整顿督查情况的通报"
    assert title.alignment == 1  # centred
    assert title.runs[0]._element.rPr.rFonts.get(EA) == TITLE_FONT
    body = paragraphs[3]
    assert body.runs[0].font.size.pt == 16
    assert body.runs[0]._element.rPr.rFonts.get(EA) == BODY_FONT
    texts = [p.text for p in paragraphs]
    assert "2024年4月2日" in texts
    assert texts[-1] == "抄送：区委办公室，区政府办公室。"


def test_the_draft_names_the_first_and_the_bottom_ranked(english, alice, tree, campaign):
    from decimal import Decimal

    from ducha.assessment import services as assessment

    indicator = assessment.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(100)
    )
    for unit, value in ((tree.hospital, 90), (tree.hospital2, 60)):
        assessment.manual_score_set(
            actor=alice,
            indicator=indicator,
            unit=unit,
            period="2024-03",
            value=Decimal(value),
            evidence="台账",
        )
    bulletin = services.bulletin_draft(actor=alice, campaign=campaign, period="2024-03")
    assert "4. Ranking: 1. 东湖区人民医院 90.00；2. 东湖区中医院 60.00." in bulletin.body
    assert "Commended: 东湖区人民医院." in bulletin.body
    assert "Criticised: 东湖区中医院." in bulletin.body
    assert "Visits: 0 logged." in bulletin.body
