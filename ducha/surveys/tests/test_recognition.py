"""Honours, nominations recommended level by level, evidence, and typical cases."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import PersonFactory, make_member
from ducha.surveys import selectors
from ducha.surveys.models import Honour, Nomination, NominationStep, TypicalCase
from ducha.surveys.services import recognition

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def cathy(tree):
    """The city bureau's campaign office: it awards the honour."""
    return make_member("cathy", tree.city, Role.CAMPAIGN_OFFICE, name="凯西").user


@pytest.fixture
def honour(cathy, tree):
    return recognition.honour_create(
        actor=cathy,
        unit=tree.city,
        title="白求恩式医疗卫生工作者",
        subject_kind=Honour.SubjectKind.PERSON,
        year=2026,
    )


@pytest.fixture
def doctor(tree):
    return PersonFactory(unit=tree.department, name="李医生")


def upload(name="事迹.png", content=PNG):
    file = io.BytesIO(content)
    file.name = name
    return file


def test_a_nomination_climbs_level_by_level_and_the_top_approves(
    honour, doctor, dora, alice, cathy, tree
):
    nomination = recognition.nomination_create(
        actor=dora,
        honour=honour,
        from_unit=tree.hospital,
        person=doctor,
        reasons="扎根基层三十年",
        files=[upload()],
    )
    assert (nomination.at_unit, nomination.unit) == (tree.county, tree.department)
    assert nomination.evidence.get().original_name == "事迹.png"

    with pytest.raises(PermissionDenied):  # the hospital does not decide for the county
        recognition.nomination_decide(actor=dora, nomination=nomination, decision="recommend")
    with pytest.raises(ValidationError):  # the county is not the awarding unit
        recognition.nomination_decide(actor=alice, nomination=nomination, decision="approve")
    recognition.nomination_decide(actor=alice, nomination=nomination, decision="recommend")
    nomination.refresh_from_db()
    assert (nomination.at_unit, nomination.status) == (tree.city, Nomination.Status.PENDING)

    with pytest.raises(ValidationError):
        recognition.nomination_decide(actor=cathy, nomination=nomination, decision="recommend")
    recognition.nomination_decide(actor=cathy, nomination=nomination, decision="approve")

    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED and nomination.decided_at
    steps = list(nomination.steps.values_list("unit__code", "decision"))
    assert steps == [
        ("H01", NominationStep.Decision.NOMINATED),
        ("D01", NominationStep.Decision.RECOMMENDED),
        ("C01", NominationStep.Decision.APPROVED),
    ]
    assert list(selectors.honours_awarded(person=doctor)) == [nomination]
    assert not selectors.honours_awarded(unit=tree.department).exists()
    assert AuditEntry.objects.filter(object_type="surveys.nomination").count() == 3


def test_a_nomination_of_a_person_outside_the_nominators_scope_is_refused(honour, dora, tree):
    stranger = PersonFactory(unit=tree.other_hospital, name="外县医生")
    colleague = PersonFactory(unit=tree.hospital2, name="邻院医生")
    for person in (stranger, colleague):
        with pytest.raises(ValidationError) as error:
            recognition.nomination_create(
                actor=dora, honour=honour, from_unit=tree.hospital, person=person, reasons="优秀"
            )
        assert "person" in error.value.message_dict
    assert not Nomination.objects.exists()


def test_a_unit_outside_the_nominators_scope_may_not_nominate(honour, doctor, dora, tree):
    with pytest.raises(PermissionDenied):
        recognition.nomination_create(
            actor=dora, honour=honour, from_unit=tree.county, person=doctor, reasons="优秀"
        )
    assert not Nomination.objects.exists()


def test_staff_may_not_nominate(honour, doctor, sam, tree):
    with pytest.raises(PermissionDenied):
        recognition.nomination_create(
            actor=sam, honour=honour, from_unit=tree.hospital, person=doctor, reasons="优秀"
        )


def test_one_live_nomination_per_person_and_honour(honour, doctor, dora, alice, tree):
    first = recognition.nomination_create(
        actor=dora, honour=honour, from_unit=tree.hospital, person=doctor, reasons="优秀"
    )
    with pytest.raises(ValidationError) as error:
        recognition.nomination_create(
            actor=alice, honour=honour, from_unit=tree.county, person=doctor, reasons="优秀"
        )
    assert error.value.code == "duplicate"
    with pytest.raises(ValidationError):  # declining needs a reason
        recognition.nomination_decide(actor=alice, nomination=first, decision="decline")
    recognition.nomination_decide(
        actor=alice, nomination=first, decision="decline", note="材料不全"
    )
    again = recognition.nomination_create(
        actor=dora, honour=honour, from_unit=tree.hospital, person=doctor, reasons="补充材料"
    )
    assert Nomination.objects.get(pk=first.pk).status == Nomination.Status.DECLINED
    assert again.status == Nomination.Status.PENDING


def test_evidence_must_be_a_document_or_picture(honour, doctor, dora, tree):
    with pytest.raises(ValidationError) as error:
        recognition.nomination_create(
            actor=dora,
            honour=honour,
            from_unit=tree.hospital,
            person=doctor,
            reasons="优秀",
            files=[upload("x.png", b"MZ\x90\x00 not an image")],
        )
    assert "files" in error.value.message_dict
    assert not Nomination.objects.exists()


def test_a_unit_honour_is_awarded_to_a_unit(cathy, alice, tree):
    honour = recognition.honour_create(
        actor=cathy,
        unit=tree.city,
        title="先进基层党组织",
        subject_kind=Honour.SubjectKind.UNIT,
        year=2026,
    )
    nomination = recognition.nomination_create(
        actor=alice, honour=honour, from_unit=tree.county, unit=tree.hospital, reasons="党建引领"
    )
    assert nomination.at_unit == tree.city
    recognition.nomination_decide(actor=cathy, nomination=nomination, decision="approve")
    assert list(selectors.honours_awarded(unit=tree.hospital)) == [nomination]


def test_a_closed_honour_takes_no_nomination(honour, cathy, doctor, dora, tree):
    recognition.honour_set_open(actor=cathy, honour=honour, is_open=False)
    with pytest.raises(ValidationError):
        recognition.nomination_create(
            actor=dora, honour=honour, from_unit=tree.hospital, person=doctor, reasons="优秀"
        )


def test_the_other_county_may_not_create_honours(carol, tree):
    with pytest.raises(PermissionDenied):
        recognition.honour_create(
            actor=carol, unit=tree.county, title="行风标兵", subject_kind="person", year=2026
        )
    assert not Honour.objects.exists()


def test_a_typical_case_is_reviewed_then_published(dora, alice, carol, tree):
    case = recognition.typical_case_submit(
        actor=dora, unit=tree.hospital, title="一站式服务中心", body="患者少跑腿"
    )
    with pytest.raises(PermissionDenied):
        recognition.typical_case_review(actor=dora, case=case, publish=True)
    with pytest.raises(PermissionDenied):
        recognition.typical_case_review(actor=carol, case=case, publish=True)
    with pytest.raises(ValidationError):
        recognition.typical_case_review(actor=alice, case=case, publish=False)
    recognition.typical_case_review(actor=alice, case=case, publish=False, note="补充数据")
    assert TypicalCase.objects.get(pk=case.pk).status == TypicalCase.Status.RETURNED
    assert not selectors.published_cases().exists()

    recognition.typical_case_update(actor=dora, case=case, body="患者少跑腿，平均缩短40分钟")
    recognition.typical_case_review(actor=alice, case=case, publish=True)
    case.refresh_from_db()
    assert case.status == TypicalCase.Status.PUBLISHED and case.published_at
    assert list(selectors.published_cases()) == [case]
    with pytest.raises(ValidationError):
        recognition.typical_case_update(actor=dora, case=case, body="改")


def test_the_bulletin_lists_honours_approved_in_its_month(honour, cathy, alice, dora, tree):
    import datetime

    from freezegun import freeze_time

    from ducha.surveys.periods import CST

    people = [PersonFactory(unit=tree.hospital, name=f"医生{n}") for n in range(2)]
    for day, person in zip(("2026-05-10", "2026-06-02"), people, strict=True):
        with freeze_time(f"{day} 10:00:00"):
            nomination = recognition.nomination_create(
                actor=dora, honour=honour, from_unit=tree.hospital, person=person, reasons="优秀"
            )
            recognition.nomination_decide(actor=alice, nomination=nomination, decision="recommend")
            recognition.nomination_decide(actor=cathy, nomination=nomination, decision="approve")
    may = datetime.datetime(2026, 5, 1, tzinfo=CST), datetime.datetime(2026, 6, 1, tzinfo=CST)

    in_may = selectors.honours_for_bulletin(under=tree.county, start=may[0], end=may[1])

    assert [n.person for n in in_may] == [people[0]]
    assert not selectors.honours_for_bulletin(
        under=tree.other_county, start=may[0], end=may[1]
    ).exists()
