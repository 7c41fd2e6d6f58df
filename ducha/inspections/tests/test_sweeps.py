"""Hazard sweeps: the units' self-inspections, the bureau's spot-checks and what they missed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.inspections import selectors, services
from ducha.inspections.models import (
    Finding,
    InspectionRound,
    SelfInspection,
    SelfInspectionItem,
    SpotCheck,
)
from ducha.orgs import access
from ducha.problems.models import Problem

from .factories import (
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    CHECKLIST,
    answers,
    file,
    make_sweep,
    spot_check,
)

# --- creating a sweep --------------------------------------------------------------------------


def test_a_sweep_keeps_its_deadline_and_checklist(sweep, tree):
    sweep.refresh_from_db()
    assert sweep.self_inspection_deadline == datetime.date(2024, 4, 15)
    assert sweep.checklist == CHECKLIST
    assert sweep.is_hazard_sweep


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"self_inspection_deadline": None}, "self_inspection_deadline"),
        ({"self_inspection_deadline": datetime.date(2024, 3, 31)}, "self_inspection_deadline"),
        ({"self_inspection_deadline": datetime.date(2024, 7, 1)}, "self_inspection_deadline"),
        ({"mode": InspectionRound.Mode.UNANNOUNCED}, "mode"),
        ({"checklist": []}, "checklist"),
        ({"checklist": ["长" * 201]}, "checklist"),
        (
            {"kind": InspectionRound.Kind.MONTHLY, "checklist": []},
            "self_inspection_deadline",
        ),
    ],
    ids=[
        "no deadline",
        "deadline before the round",
        "deadline after the campaign",
        "unannounced",
        "no checklist",
        "item too long",
        "deadline on a monthly round",
    ],
)
def test_it_refuses_a_malformed_sweep(alice, tree, campaign, fields, field):
    with pytest.raises(ValidationError) as error:
        make_sweep(alice, campaign, [tree.hospital], **fields)
    assert field in error.value.message_dict
    assert not InspectionRound.objects.exists()


def test_it_refuses_a_deadline_already_past(alice, tree, campaign):
    with freeze_time("2024-04-20 02:00:00"), pytest.raises(ValidationError) as error:
        services.inspection_round_create(
            actor=alice,
            campaign=campaign,
            title="补排查",
            kind=InspectionRound.Kind.HAZARD_SWEEP,
            date=datetime.date(2024, 4, 1),
            self_inspection_deadline=datetime.date(2024, 4, 15),
            checklist=CHECKLIST,
            units=[tree.hospital],
        )
    assert "self_inspection_deadline" in error.value.message_dict
    assert not InspectionRound.objects.exists()


def test_it_refuses_units_that_do_not_take_part(alice, tree):
    from ducha.campaigns.models import Campaign
    from ducha.campaigns.tests.factories import make_county_campaign

    only_one = make_county_campaign(
        alice, tree, scope_mode=Campaign.ScopeMode.LIST, units=[tree.hospital]
    )
    with pytest.raises(ValidationError) as error:
        make_sweep(alice, only_one, [tree.hospital, tree.hospital2])
    assert "units" in error.value.message_dict
    assert not InspectionRound.objects.exists()


# --- self-inspection ---------------------------------------------------------------------------


def test_a_unit_files_its_self_inspection_and_each_hazard_becomes_a_problem(dora, tree, sweep):
    self_inspection = file(dora, sweep, tree.hospital, hazard_at="特种设备")

    items = list(self_inspection.items.order_by("id"))
    assert [(i.item, i.result) for i in items] == [
        ("消防通道", "ok"),
        ("特种设备", "hazard"),
        ("危化品存放", "ok"),
    ]
    problem = Problem.objects.get()
    assert items[1].problem == problem
    assert (problem.unit, problem.source, problem.campaign) == (
        tree.hospital,
        Problem.Source.SELF_INSPECTION,
        sweep.campaign,
    )
    assert problem.category.code == "safety_hazard"
    assert problem.title == "特种设备：消防通道堆放杂物"
    assert problem.status == Problem.Status.REPORTED
    assert self_inspection.submitted_by == dora
    entry = AuditEntry.objects.get(
        action="create",
        object_type="inspections.selfinspection",
        object_id=str(self_inspection.pk),
    )
    assert entry.after["items"][1]["problem"] == problem.pk


def test_a_second_filing_is_refused_and_changes_nothing(dora, tree, sweep, english):
    file(dora, sweep, tree.hospital)
    with pytest.raises(ValidationError) as error:
        file(dora, sweep, tree.hospital, hazard_at="危化品存放")
    assert "already filed" in str(error.value)
    assert SelfInspection.objects.count() == 1
    assert SelfInspectionItem.objects.count() == 3
    assert Problem.objects.count() == 1


def test_the_deadline_day_lasts_until_midnight_in_china(dora, hugo, tree, sweep):
    # 23:30 on the 15th in China is 15:30 UTC: still on time.
    file(dora, sweep, tree.hospital, at="2024-04-15 15:30:00")
    # 00:30 on the 16th in China is 16:30 UTC on the 15th: too late.
    with pytest.raises(ValidationError) as error:
        file(hugo, sweep, tree.hospital2, at="2024-04-15 16:30:00")
    assert "2024-04-15" in str(error.value)
    assert not SelfInspection.objects.filter(unit=tree.hospital2).exists()
    assert not Problem.objects.filter(unit=tree.hospital2).exists()


@pytest.mark.parametrize(
    "results",
    [
        answers()[:2],  # an item left out
        [*answers(), {"item": "电梯", "result": "ok"}],  # not on the checklist
        [*answers(), {"item": "消防通道", "result": "ok"}],  # answered twice
        answers(hazard_at="特种设备", note="  "),  # a hazard not described
        [{**a, "result": "maybe"} for a in answers(hazard_at=None)],  # no such result
    ],
    ids=["missing item", "unknown item", "twice", "undescribed hazard", "bad result"],
)
def test_it_refuses_incomplete_or_wrong_answers(dora, tree, sweep, results):
    with freeze_time(BEFORE_DEADLINE), pytest.raises(ValidationError) as error:
        services.self_inspection_submit(
            actor=dora, inspection_round=sweep, unit=tree.hospital, results=results
        )
    assert "items" in error.value.message_dict
    assert not SelfInspection.objects.exists()
    assert not Problem.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "sam", "carol", "hugo"])
def test_only_the_inspected_unit_files_for_itself(request, tree, sweep, dora, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        file(actor, sweep, tree.hospital)
    assert not SelfInspection.objects.exists()
    file(dora, sweep, tree.hospital)  # the same setup lets the hospital's coordinator file
    assert SelfInspection.objects.get().unit == tree.hospital


def test_a_unit_not_in_the_round_is_refused(alice, dora, hugo, tree, campaign):
    only_first = make_sweep(alice, campaign, [tree.hospital])
    with pytest.raises(Http404):
        access.get_hazard_sweep_unit_for_user(hugo, only_first.pk, tree.hospital2.pk)
    with pytest.raises(ValidationError) as error:
        file(hugo, only_first, tree.hospital2)
    assert "unit" in error.value.message_dict
    assert not SelfInspection.objects.exists()
    assert not Problem.objects.exists()


def test_a_monthly_round_has_no_self_inspection(alice, dora, tree, campaign):
    monthly = services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="四月督查",
        date=datetime.date(2024, 4, 1),
        units=[tree.hospital],
        checklist=CHECKLIST,
    )
    with pytest.raises(ValidationError):
        file(dora, monthly, tree.hospital)
    assert not SelfInspection.objects.exists()


# --- who sees what -----------------------------------------------------------------------------


def test_the_unit_sees_its_announced_sweeps_only(alice, dora, sam, carol, hugo, tree, campaign):
    sweep = make_sweep(alice, campaign, [tree.hospital])
    services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="四月暗访",
        mode=InspectionRound.Mode.UNANNOUNCED,
        date=datetime.date(2024, 4, 1),
        units=[tree.hospital],
    )
    # A sweep turned unannounced behind the service's back still stays hidden.
    hidden = make_sweep(alice, campaign, [tree.hospital], title="另一排查")
    InspectionRound.objects.filter(pk=hidden.pk).update(mode=InspectionRound.Mode.UNANNOUNCED)

    assert list(access.hazard_sweeps_for_unit_user(dora)) == [sweep]
    for outsider in (alice, sam, carol, hugo):
        assert not access.hazard_sweeps_for_unit_user(outsider).exists()
    with pytest.raises(Http404):
        access.get_hazard_sweep_unit_for_user(dora, hidden.pk, tree.hospital.pk)
    with freeze_time(BEFORE_DEADLINE):
        rows = selectors.hazard_sweeps_to_file(dora)
    assert [(r.round, r.unit, r.status) for r in rows] == [
        (sweep, tree.hospital, SelfInspection.Status.PENDING)
    ]


def test_a_unit_reads_only_its_own_part(alice, bob, dora, carol, tree, sweep):
    assert (
        access.get_hazard_sweep_unit_for_user(dora, sweep.pk, tree.hospital.pk)[1] == tree.hospital
    )
    for unit in (tree.hospital2, tree.other_hospital):
        with pytest.raises(Http404):
            access.get_hazard_sweep_unit_for_user(dora, sweep.pk, unit.pk)
    with pytest.raises(Http404):
        access.get_hazard_sweep_unit_for_user(carol, sweep.pk, tree.hospital.pk)
    with pytest.raises(Http404):
        access.get_hazard_sweep_unit_for_user(dora, 999_999, tree.hospital.pk)
    # The issuing side reads every unit but files for none.
    assert access.get_hazard_sweep_unit_for_user(bob, sweep.pk, tree.hospital2.pk)
    with pytest.raises(PermissionDenied):
        access.get_hazard_sweep_unit_for_user(alice, sweep.pk, tree.hospital.pk, write=True)
    with pytest.raises(Http404):  # the round page is the issuing side's
        access.get_inspection_round_for_user(dora, sweep.pk)


# --- spot-checks and what the self-inspection missed ---------------------------------------------


def test_a_spot_check_waits_for_the_self_inspection(alice, dora, tree, sweep):
    with freeze_time(BEFORE_DEADLINE), pytest.raises(ValidationError) as error:
        services.spot_check_record(
            actor=alice,
            inspection_round=sweep,
            unit=tree.hospital,
            date=datetime.date(2024, 4, 10),
        )
    assert "unit" in error.value.message_dict
    assert not SpotCheck.objects.exists()
    file(dora, sweep, tree.hospital)
    checked = spot_check(
        alice, sweep, tree.hospital, day=datetime.date(2024, 4, 10), at=BEFORE_DEADLINE
    )
    assert (checked.unit, checked.checked_by) == (tree.hospital, alice)
    # Past the deadline a unit that never filed is spot-checked all the same.
    assert spot_check(alice, sweep, tree.hospital2).unit == tree.hospital2
    assert AuditEntry.objects.filter(
        action="create", object_type="inspections.spotcheck", object_id=str(checked.pk)
    ).exists()


@pytest.mark.parametrize(
    ("day", "field"),
    [(datetime.date(2024, 4, 17), "date"), (datetime.date(2024, 3, 31), "date")],
    ids=["in the future", "before the round"],
)
def test_it_refuses_a_badly_dated_spot_check(alice, tree, sweep, day, field):
    with pytest.raises(ValidationError) as error:
        spot_check(alice, sweep, tree.hospital, day=day)
    assert field in error.value.message_dict
    assert not SpotCheck.objects.exists()


def test_it_refuses_a_spot_check_twice_or_elsewhere(alice, dora, tree, campaign, english):
    only_first = make_sweep(alice, campaign, [tree.hospital])
    with pytest.raises(ValidationError) as error:
        spot_check(alice, only_first, tree.hospital2)
    assert "unit" in error.value.message_dict
    spot_check(alice, only_first, tree.hospital)
    with pytest.raises(ValidationError) as error:
        spot_check(alice, only_first, tree.hospital)
    assert "already" in str(error.value)
    assert SpotCheck.objects.count() == 1
    with pytest.raises(PermissionDenied):
        spot_check(dora, only_first, tree.hospital)


def test_a_finding_on_an_item_called_safe_is_flagged_as_missed(alice, dora, tree, sweep):
    file(dora, sweep, tree.hospital, hazard_at="消防通道")
    with freeze_time(AFTER_DEADLINE), pytest.raises(ValidationError) as error:
        services.finding_record(
            actor=alice, inspection_round=sweep, unit=tree.hospital, text="灭火器过期"
        )
    assert "unit" in error.value.message_dict  # no spot-check yet
    assert not Finding.objects.exists()

    check = spot_check(alice, sweep, tree.hospital)
    with freeze_time(AFTER_DEADLINE):
        missed = services.finding_record(
            actor=alice,
            inspection_round=sweep,
            unit=tree.hospital,
            text="锅炉未年检",
            checklist_item="特种设备",
        )
        known = services.finding_record(
            actor=alice,
            inspection_round=sweep,
            unit=tree.hospital,
            text="消防通道仍未清理",
            checklist_item="消防通道",
        )
        unnamed = services.finding_record(
            actor=alice, inspection_round=sweep, unit=tree.hospital, text="值班记录缺失"
        )
        with pytest.raises(ValidationError) as error:
            services.finding_record(
                actor=alice,
                inspection_round=sweep,
                unit=tree.hospital,
                text="x",
                checklist_item="电梯",
            )
    assert "checklist_item" in error.value.message_dict
    assert [f.missed_by_self_inspection for f in (missed, known, unnamed)] == [True, False, False]
    assert {f.spot_check for f in (missed, known, unnamed)} == {check}
    assert missed.problem.source == Problem.Source.HAZARD_SWEEP
    assert missed.problem.category.code == "safety_hazard"


def test_the_round_shows_each_units_progress(alice, dora, tree, sweep, django_assert_num_queries):
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
    with django_assert_num_queries(4):
        overview = selectors.hazard_sweep_overview(sweep, today=datetime.date(2024, 4, 16))
    first, second = overview.rows
    assert (first.unit, first.status, first.hazards, first.findings, first.missed) == (
        tree.hospital,
        SelfInspection.Status.FILED,
        1,
        1,
        1,
    )
    assert first.spot_check is not None
    assert (second.unit, second.status, second.spot_check) == (
        tree.hospital2,
        SelfInspection.Status.MISSING,
        None,
    )
    assert (overview.filed, overview.missing, overview.missed) == (1, 1, 1)
    assert overview.missing_units == [tree.hospital2]
    before = selectors.hazard_sweep_overview(sweep, today=datetime.date(2024, 4, 15))
    assert before.rows[1].status == SelfInspection.Status.PENDING
