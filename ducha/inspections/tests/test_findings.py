import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns.tests.factories import make_county_campaign
from ducha.inspections import services
from ducha.inspections.models import Finding, InspectionRound
from ducha.problems.models import Problem

from .factories import AFTER_DEADLINE, make_sweep, spot_check


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def inspection_round(alice, tree, campaign):
    return services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="三月明查暗访",
        date=datetime.date(2024, 3, 15),
        units=[tree.hospital, tree.hospital2],
        mode=InspectionRound.Mode.UNANNOUNCED,
        bodies="区卫生局\n区纪委",
        checklist=["门诊秩序", " ", "收费公示"],
    )


def test_it_creates_a_joint_round(inspection_round, tree):
    inspection_round.refresh_from_db()
    assert inspection_round.unit == tree.county
    assert inspection_round.is_joint
    assert inspection_round.checklist == ["门诊秩序", "收费公示"]
    assert set(inspection_round.units.all()) == {tree.hospital, tree.hospital2}
    assert AuditEntry.objects.filter(
        action="create", object_id=str(inspection_round.pk), object_type__contains="inspection"
    ).exists()


def test_it_refuses_units_outside_the_issuer(alice, tree, campaign):
    with pytest.raises(ValidationError) as error:
        services.inspection_round_create(
            actor=alice,
            campaign=campaign,
            title="越界",
            date=datetime.date(2024, 3, 15),
            units=[tree.other_hospital],
        )
    assert "units" in error.value.message_dict
    assert not InspectionRound.objects.exists()


def test_it_refuses_a_round_by_someone_who_does_not_run_the_campaign(dora, tree, campaign):
    with pytest.raises(PermissionDenied):
        services.inspection_round_create(
            actor=dora,
            campaign=campaign,
            title="x",
            date=datetime.date(2024, 3, 15),
            units=[tree.hospital],
        )


def test_a_finding_becomes_a_problem_of_the_unit(alice, tree, inspection_round):
    finding = services.finding_record(
        actor=alice,
        inspection_round=inspection_round,
        unit=tree.hospital,
        text="挂号窗口无人值守\n候诊超过30分钟",
        severity=Problem.Severity.SERIOUS,
    )
    problem = Problem.objects.get(pk=finding.problem_id)
    assert problem.unit == tree.hospital
    assert problem.source == Problem.Source.INSPECTION
    assert problem.campaign == inspection_round.campaign
    assert problem.severity == Problem.Severity.SERIOUS
    assert problem.title == "挂号窗口无人值守"
    assert problem.status == Problem.Status.REPORTED
    assert AuditEntry.objects.filter(action="create", object_id=str(finding.pk)).exists()


def test_a_hazard_sweep_finding_has_its_source(alice, tree, campaign):
    sweep = make_sweep(alice, campaign, [tree.hospital])
    spot_check(alice, sweep, tree.hospital)
    with freeze_time(AFTER_DEADLINE):
        finding = services.finding_record(
            actor=alice, inspection_round=sweep, unit=tree.hospital, text="消防通道堵塞"
        )
    assert finding.problem.source == Problem.Source.HAZARD_SWEEP


def test_it_refuses_a_finding_for_a_unit_not_in_the_round(alice, tree, campaign):
    only_one = services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="单位督查",
        date=datetime.date(2024, 3, 15),
        units=[tree.hospital],
    )
    with pytest.raises(ValidationError) as error:
        services.finding_record(
            actor=alice, inspection_round=only_one, unit=tree.hospital2, text="问题"
        )
    assert "unit" in error.value.message_dict
    assert not Finding.objects.exists()
    assert not Problem.objects.exists()


def test_it_refuses_an_empty_finding_and_leaves_no_problem(alice, tree, inspection_round):
    with pytest.raises(ValidationError):
        services.finding_record(
            actor=alice, inspection_round=inspection_round, unit=tree.hospital, text="  "
        )
    assert not Problem.objects.exists()


def test_the_inspected_unit_may_not_record_findings(dora, tree, inspection_round):
    with pytest.raises(PermissionDenied):
        services.finding_record(
            actor=dora, inspection_round=inspection_round, unit=tree.hospital, text="自己查自己"
        )
    assert not Problem.objects.exists()
