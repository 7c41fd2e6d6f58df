"""Extension requests (延期申请): asked by the unit before the deadline, decided by the level above."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.problems import services
from ducha.problems.models import Event, Extension

from .factories import DEADLINE, rectifying

LATER = datetime.date(2026, 8, 31)


@pytest.fixture
def problem(tree, sam, dora, category):
    with freeze_time("2026-06-01"):
        return rectifying(sam, dora, tree.hospital, category)


@freeze_time("2026-06-20")
def test_alice_grants_an_extension_and_both_steps_stay_in_the_history(problem, dora, alice):
    extension = services.extension_request(
        actor=dora, problem=problem, new_deadline=LATER, reason="设备采购需招标"
    )
    services.extension_decide(actor=alice, extension=extension, grant=True, note="同意")

    extension.refresh_from_db()
    rectification = problem.rectification
    rectification.refresh_from_db()
    assert extension.status == Extension.Status.GRANTED and extension.decided_by == alice
    assert rectification.deadline == LATER
    assert rectification.first_deadline == DEADLINE
    assert rectification.warn_from == LATER - datetime.timedelta(days=7)
    kinds = list(problem.events.values_list("kind", flat=True))
    assert kinds[-2:] == [Event.Kind.EXTENSION_REQUESTED, Event.Kind.EXTENSION_GRANTED]


@freeze_time("2026-06-20")
def test_a_refusal_keeps_the_deadline_and_needs_a_reason(problem, dora, bob):
    extension = services.extension_request(
        actor=dora, problem=problem, new_deadline=LATER, reason="人手不足"
    )
    with pytest.raises(ValidationError):
        services.extension_decide(actor=bob, extension=extension, grant=False)
    services.extension_decide(actor=bob, extension=extension, grant=False, note="理由不充分")
    problem.rectification.refresh_from_db()
    assert problem.rectification.deadline == DEADLINE
    assert problem.events.last().kind == Event.Kind.EXTENSION_REFUSED
    with pytest.raises(ValidationError):
        services.extension_decide(actor=bob, extension=extension, grant=True)


@freeze_time("2026-07-01")
def test_it_refuses_an_extension_requested_after_the_deadline_passed(problem, dora):
    with pytest.raises(ValidationError) as error:
        services.extension_request(actor=dora, problem=problem, new_deadline=LATER, reason="来不及")
    assert error.value.code == "deadline_passed"
    assert not Extension.objects.exists()


@freeze_time("2026-06-30 23:00:00")
def test_the_deadline_day_itself_is_still_in_time(problem, dora):
    # 23:00 UTC on the 30th is already 1 July in China Standard Time.
    with pytest.raises(ValidationError):
        services.extension_request(actor=dora, problem=problem, new_deadline=LATER, reason="r")


@freeze_time("2026-06-20")
def test_it_refuses_an_extension_granted_by_the_unit_itself(problem, dora):
    extension = services.extension_request(
        actor=dora, problem=problem, new_deadline=LATER, reason="设备采购需招标"
    )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=dora, extension=extension, grant=True)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING


@freeze_time("2026-06-20")
def test_one_request_waits_at_a_time_and_it_must_move_the_deadline_later(problem, dora):
    with pytest.raises(ValidationError) as error:
        services.extension_request(actor=dora, problem=problem, new_deadline=DEADLINE, reason="r")
    assert "new_deadline" in error.value.message_dict
    services.extension_request(actor=dora, problem=problem, new_deadline=LATER, reason="r")
    with pytest.raises(ValidationError):
        services.extension_request(actor=dora, problem=problem, new_deadline=LATER, reason="r")
    assert Extension.objects.count() == 1
