"""Routing (上下联动): on the spot, assigned, escalated, invalid; every hop in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.problems import services
from ducha.problems.models import Event, Problem

from .factories import report


@pytest.fixture
def problem(tree, sam, category):
    return report(sam, tree.hospital, category)


def test_it_records_a_problem_solved_on_the_spot(problem, sam):
    services.problem_solve_on_spot(actor=sam, problem=problem, solution="当场调整了排班")

    problem.refresh_from_db()
    assert problem.status == Problem.Status.SOLVED_ON_SPOT
    assert problem.solution == "当场调整了排班"
    assert problem.finished_at is not None
    assert problem.events.last().note == "当场调整了排班"


def test_solving_on_the_spot_says_what_was_done(problem, sam):
    with pytest.raises(ValidationError) as error:
        services.problem_solve_on_spot(actor=sam, problem=problem, solution=" ")
    assert "solution" in error.value.message_dict
    problem.refresh_from_db()
    assert problem.status == Problem.Status.REPORTED


def test_dora_accepts_it_for_her_hospital_and_alice_reassigns_it(problem, tree, dora, alice):
    services.problem_assign(actor=dora, problem=problem, unit=tree.hospital, note="本院整改")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.ASSIGNED

    services.problem_assign(actor=alice, problem=problem, unit=tree.hospital2, note="属中医院")
    problem.refresh_from_db()
    assert problem.unit == tree.hospital2
    assert problem.found_unit == tree.hospital
    hops = [(e.kind, e.actor.username, e.to_unit_id) for e in problem.events.all()]
    assert hops[1:] == [
        (Event.Kind.ASSIGNED, "dora", tree.hospital.pk),
        (Event.Kind.ASSIGNED, "alice", tree.hospital2.pk),
    ]
    assert AuditEntry.objects.filter(action="assign", object_id=str(problem.pk)).count() == 2


def test_dora_cannot_assign_to_a_unit_outside_her_hospital(problem, tree, dora):
    with pytest.raises(ValidationError) as error:
        services.problem_assign(actor=dora, problem=problem, unit=tree.hospital2)
    assert "unit" in error.value.message_dict


def test_sam_who_only_logs_visits_cannot_assign(problem, tree, sam):
    with pytest.raises(PermissionDenied):
        services.problem_assign(actor=sam, problem=problem, unit=tree.hospital)


def test_escalation_goes_up_the_chain_and_the_level_above_then_acts(
    problem, tree, dora, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_escalate(
            actor=dora, problem=problem, to_unit=tree.county, reason="涉及多家单位，需区局协调"
        )
    problem.refresh_from_db()
    assert problem.status == Problem.Status.ESCALATED
    assert problem.escalated_to == tree.county
    event = problem.events.last()
    assert (event.from_unit, event.to_unit, event.note) == (
        tree.hospital,
        tree.county,
        "涉及多家单位，需区局协调",
    )
    # While it waits with the county, the hospital cannot route it any more; Alice can.
    with pytest.raises(PermissionDenied):
        services.problem_assign(actor=dora, problem=problem, unit=tree.hospital)
    services.problem_assign(actor=alice, problem=problem, unit=tree.hospital2)
    problem.refresh_from_db()
    assert problem.escalated_to is None and problem.unit == tree.hospital2
    assert alice.notifications.filter(key=f"problems:escalated:{event.pk}").exists()


@pytest.mark.parametrize("target", ["hospital2", "other_county", "department", "hospital"])
def test_it_refuses_an_escalation_to_a_unit_outside_the_chain(problem, tree, dora, target):
    with pytest.raises(ValidationError) as error:
        services.problem_escalate(
            actor=dora, problem=problem, to_unit=getattr(tree, target), reason="需协调"
        )
    assert "to_unit" in error.value.message_dict
    problem.refresh_from_db()
    assert problem.status == Problem.Status.REPORTED
    assert not problem.events.filter(kind=Event.Kind.ESCALATED).exists()


def test_it_escalates_to_an_outside_body_with_a_reason(problem, dora):
    with pytest.raises(ValidationError):
        services.problem_escalate(actor=dora, problem=problem, to_body="区作风办", reason="")
    services.problem_escalate(
        actor=dora, problem=problem, to_body="区作风办", reason="涉及医保政策，需政府协调"
    )
    problem.refresh_from_db()
    assert (problem.status, problem.escalated_body) == (Problem.Status.ESCALATED, "区作风办")
    assert problem.events.last().to_body == "区作风办"


def test_a_wrong_problem_is_closed_as_invalid_with_its_reason(problem, dora):
    with pytest.raises(ValidationError):
        services.problem_invalidate(actor=dora, problem=problem, reason="")
    services.problem_invalidate(actor=dora, problem=problem, reason="与第12号重复")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.INVALID
    assert problem.invalid_reason == "与第12号重复"
    assert Problem.objects.filter(pk=problem.pk).exists()
    with pytest.raises(ValidationError):
        services.problem_invalidate(actor=dora, problem=problem, reason="再次")


def test_carol_cannot_route_the_hospitals_problem(problem, tree, carol):
    with pytest.raises(PermissionDenied):
        services.problem_invalidate(actor=carol, problem=problem, reason="x")
    with pytest.raises(PermissionDenied):
        services.problem_escalate(actor=carol, problem=problem, to_unit=tree.city, reason="x")
