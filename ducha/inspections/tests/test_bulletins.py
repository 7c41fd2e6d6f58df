import datetime
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns.tests.factories import make_county_campaign
from ducha.inspections import services
from ducha.inspections.documents import (
    BODY_FONT,
    SEAL_SPACE,
    TEXT_WIDTH,
    TITLE_FONT,
    bulletin_docx,
    text_width,
)
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


def _fonts(paragraph) -> set[str]:
    return {run._element.rPr.rFonts.get(EA) for run in paragraph.runs if run.text}


def _border(paragraph, edge: str):
    borders = paragraph._p.pPr.find(qn("w:pBdr"))
    return None if borders is None else borders.find(qn(f"w:{edge}"))


def test_the_docx_is_laid_out_as_an_official_document(alice, draft):
    edit(alice, draft)
    with freeze_time("2024-04-02 09:00:00"):
        services.bulletin_issue(actor=alice, bulletin=draft)
    draft.refresh_from_db()
    document = docx.Document(io.BytesIO(bulletin_docx(draft)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    paragraphs = [p for p in document.paragraphs if p.text]

    # The red header with the issuing body, the number over a red rule, the centred title.
    header, number, title = paragraphs[:3]
    assert header.text == "东湖区卫生健康局"
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert str(header.runs[0].font.color.rgb) == "FF0000"
    assert _fonts(header) == {TITLE_FONT}
    assert number.text == "东卫通〔2024〕1号"
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = _border(number, "bottom")
    assert rule is not None and rule.get(qn("w:color")) == "FF0000"
    assert title.text == "关于三月份作风整顿督查情况的通报"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size.pt == 22
    assert _fonts(title) == {TITLE_FONT}

    # The body in 仿宋 三号, each paragraph indented two characters.
    body = paragraphs[3]
    assert body.text == draft.body.splitlines()[0]
    assert body.runs[0].font.size.pt == 16
    assert _fonts(body) == {BODY_FONT}
    assert body.paragraph_format.first_line_indent.pt == 32

    # The seal area: the issuing body centred over the date, the date four characters from
    # the right, room for the seal above.
    texts = [p.text for p in paragraphs]
    at = texts.index("2024年4月2日")
    signature, date = paragraphs[at - 1], paragraphs[at]
    assert signature.text == "东湖区卫生健康局"
    assert signature.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent.pt == 4 * 16
    date_width = text_width("2024年4月2日", Pt(16))
    name_width = text_width("东湖区卫生健康局", Pt(16))
    centre_of = lambda p, width: p.paragraph_format.right_indent + width / 2  # noqa: E731
    assert abs(centre_of(signature, name_width) - centre_of(date, date_width)) < Pt(1)
    assert signature.paragraph_format.space_before == SEAL_SPACE >= Pt(56)
    assert _fonts(signature) == _fonts(date) == {BODY_FONT}

    # The record at the end: copy-to, then the issuing line, between rules.
    copy_to, issuing = paragraphs[-2:]
    assert copy_to.text.strip() == "抄送：区委办公室，区政府办公室。"
    assert copy_to.runs[0].font.size.pt == 14
    assert _border(copy_to, "top") is not None
    assert issuing.text.strip() == "东湖区卫生健康局\t2024年4月2日印发"
    assert _border(issuing, "bottom") is not None

    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer


def test_a_long_issuer_name_still_fits_on_the_header_line(alice, tree, draft):
    tree.county.name = "江州市黄州市东湖区卫生健康局综合监督执法大队"
    tree.county.save()
    edit(alice, draft)
    with freeze_time("2024-04-02 09:00:00"):
        services.bulletin_issue(actor=alice, bulletin=draft)
    draft.refresh_from_db()
    document = docx.Document(io.BytesIO(bulletin_docx(draft)))
    header = document.paragraphs[0]
    assert header.runs[0].font.size < Pt(36)
    assert text_width(header.text, header.runs[0].font.size) <= TEXT_WIDTH
    seal = [p for p in document.paragraphs if p.text == tree.county.name][-1]
    assert seal.paragraph_format.right_indent >= 0


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
    assert (
        "4. Ranking: （Hospital under 东湖区卫生健康局）1. 东湖区人民医院 90.00；"
        "2. 东湖区中医院 60.00." in bulletin.body
    )
    assert "Commended: 东湖区人民医院." in bulletin.body
    assert "Criticised: 东湖区中医院." in bulletin.body
    assert "Visits: 0 logged." in bulletin.body


def test_the_draft_commends_the_months_honours(english, alice, tree, campaign):
    from ducha.orgs.models import Role
    from ducha.orgs.tests.factories import PersonFactory, make_member
    from ducha.surveys.models import Honour
    from ducha.surveys.services import recognition

    cathy = make_member("cathy", tree.city, Role.CAMPAIGN_OFFICE, name="凯西").user
    dora = make_member("dora2", tree.hospital, Role.COORDINATOR, name="多拉").user
    honour = recognition.honour_create(
        actor=cathy,
        unit=tree.city,
        title="白求恩式医疗卫生工作者",
        subject_kind=Honour.SubjectKind.PERSON,
        year=2024,
    )
    doctors = [PersonFactory(unit=tree.hospital, name=name) for name in ("李医生", "王医生")]
    # Approved on 31 March at 23:00 in China (15:00 UTC), and on 1 April: only the first counts.
    for at, doctor in zip(("2024-03-31 15:00:00", "2024-04-01 02:00:00"), doctors, strict=True):
        with freeze_time(at):
            nomination = recognition.nomination_create(
                actor=dora, honour=honour, from_unit=tree.hospital, person=doctor, reasons="优秀"
            )
            recognition.nomination_decide(actor=alice, nomination=nomination, decision="recommend")
            recognition.nomination_decide(actor=cathy, nomination=nomination, decision="approve")

    bulletin = services.bulletin_draft(actor=alice, campaign=campaign, period="2024-03")

    assert "5. Commendations: 白求恩式医疗卫生工作者：李医生（东湖区人民医院）." in bulletin.body
    assert "王医生" not in bulletin.body
    april = services.bulletin_draft(actor=alice, campaign=campaign, period="2024-04")
    assert "王医生" in april.body and "李医生" not in april.body


def test_the_draft_reports_the_months_hazard_sweeps(english, alice, dora, tree):
    from .factories import AFTER_DEADLINE, file, make_sweep, spot_check

    campaign = make_county_campaign(alice, tree)
    sweep = make_sweep(alice, campaign, [tree.hospital, tree.hospital2])
    file(dora, sweep, tree.hospital, hazard_at="消防通道")
    spot_check(alice, sweep, tree.hospital)
    with freeze_time(AFTER_DEADLINE):
        services.finding_record(
            actor=alice,
            inspection_round=sweep,
            unit=tree.hospital,
            text="锅炉未年检",
            checklist_item="特种设备",
        )
        bulletin = services.bulletin_draft(actor=alice, campaign=campaign, period="2024-04")
        march = services.bulletin_draft(actor=alice, campaign=campaign, period="2024-03")

    assert (
        "Hazard sweep “春季消防安全隐患排查”: 1 of 2 units filed their self-inspection by "
        "April 15, 2024 and reported 1 hazards; 1 units spot-checked, 1 findings, 1 of them missed "
        "by the self-inspection." in bulletin.body
    )
    assert "No self-inspection: 东湖区中医院." in bulletin.body
    assert "Hazard sweep" not in march.body


def test_the_only_unit_of_its_kind_is_ranked_but_not_commended(english, alice, tree, campaign):
    from decimal import Decimal

    from ducha.assessment import services as assessment
    from ducha.campaigns.models import Participant
    from ducha.orgs.models import OrgUnit
    from ducha.orgs.tests.factories import OrgUnitFactory

    cdc = OrgUnitFactory(
        code="CDC1", name="东湖区疾控中心", kind=OrgUnit.Kind.CDC, parent=tree.county
    )
    Participant.objects.create(campaign=campaign, unit=cdc)
    indicator = assessment.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(100)
    )
    for unit, value in ((tree.hospital, 90), (tree.hospital2, 60), (cdc, 95)):
        assessment.manual_score_set(
            actor=alice,
            indicator=indicator,
            unit=unit,
            period="2024-03",
            value=Decimal(value),
            evidence="台账",
        )
    bulletin = services.bulletin_draft(actor=alice, campaign=campaign, period="2024-03")
    assert (
        "（Centre for disease control under 东湖区卫生健康局）1. 东湖区疾控中心 95.00"
        in bulletin.body
    )
    assert "Commended: 东湖区人民医院." in bulletin.body  # not the CDC: it had no peer
