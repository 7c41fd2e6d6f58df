"""Overdue rectification is reminded and escalated once per stage and deadline."""

import datetime

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from ducha.notify.models import Notification
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.problems import services
from ducha.problems.models import Event

from .factories import DEADLINE, rectifying


@pytest.fixture
def problem(tree, sam, dora, category):
    with freeze_time("2026-06-01"):
        return rectifying(sam, dora, tree.hospital, category)


def keys(user):
    return sorted(user.notifications.values_list("key", flat=True))


def test_nothing_is_sent_while_the_item_is_green(problem, dora):
    assert services.rectification_reminders_send(today=datetime.date(2026, 6, 22))["reminder"] == 0
    assert not Notification.objects.exists()


def test_warning_overdue_and_escalation_go_out_once_each(problem, tree, dora, alice, bob, sam):
    head = make_member("hank", tree.hospital, Role.UNIT_HEAD).user
    pk = problem.rectification.pk

    first = services.rectification_reminders_send(today=datetime.date(2026, 6, 25))
    again = services.rectification_reminders_send(today=datetime.date(2026, 6, 26))
    assert (first["reminder"], again["reminder"]) == (2, 0)  # Dora and the unit head
    assert keys(dora) == [f"problems:warn:{pk}:2026-06-30"]

    services.rectification_reminders_send(today=datetime.date(2026, 7, 1))
    assert f"problems:overdue:{pk}:2026-06-30" in keys(dora)
    assert Notification.objects.filter(kind="overdue").count() == 2

    result = services.rectification_reminders_send(today=datetime.date(2026, 7, 3))
    assert result["escalation"] == 3 and result["escalated"] == 1
    # The level above (Alice, Bob) and the unit head; not Sam, who only reported it.
    assert Notification.objects.filter(kind="escalation").count() == 3
    assert keys(alice) == keys(bob) == [f"problems:escalation:{pk}:2026-06-30"]
    assert f"problems:escalation:{pk}:2026-06-30" in keys(head)
    assert not sam.notifications.exists()

    again = services.rectification_reminders_send(today=datetime.date(2026, 7, 9))
    assert again == {"reminder": 0, "overdue": 0, "escalation": 0, "escalated": 0}
    assert problem.events.filter(kind=Event.Kind.OVERDUE_ESCALATED).count() == 1


def test_a_finished_item_is_left_alone(problem, tree, sam, dora, alice):
    with freeze_time("2026-06-10"):
        services.problem_invalidate(actor=dora, problem=problem, reason="重复")
    services.rectification_reminders_send(today=DEADLINE + datetime.timedelta(days=10))
    assert not Notification.objects.exists()


def test_the_command_runs_the_reminders(problem, dora, capsys):
    call_command("escalate_overdue", today="2026-07-01")
    assert "overdue=" in capsys.readouterr().out
    assert dora.notifications.filter(kind="overdue").exists()
