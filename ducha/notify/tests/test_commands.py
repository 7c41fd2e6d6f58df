"""`ducha send_reminders` for cron, `ducha run_scheduler` for the embedded setup."""

import io
import os
import signal
import threading
import time

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from ducha.notify.models import Notification

from .conftest import IMMEDIATE


def test_send_reminders_runs_the_service_for_the_given_day(
    requirement, cast, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-06-15", stdout=out)
    assert "reminder=2" in out.getvalue()
    assert Notification.objects.filter(kind="reminder").count() == 2
    assert len(mail.outbox) == 2

    out = io.StringIO()
    call_command("send_reminders", "--today", "2026-06-15", stdout=out)
    assert "reminder=0" in out.getvalue()
    assert Notification.objects.count() == 2


def test_send_reminders_refuses_a_malformed_date(requirement, cast):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "15/06/2026")
    assert Notification.objects.count() == 0


def test_the_scheduler_queues_one_run_with_once(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("run_scheduler", "--once")
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "ducha.inspections.tasks.bulletin_drafts_task",
        "ducha.notify.tasks.send_reminders_task",
        "ducha.problems.tasks.rectification_reminders_task",
    ]


def test_the_scheduler_queues_runs_until_sigterm(transactional_db, settings):
    # transactional_db: between ticks the scheduler checks its database connection.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    started = time.monotonic()
    timer.start()
    try:
        # A run every 0.3 seconds, forever: only the signal ends the command.
        call_command("run_scheduler", "--interval", "0.005", stdout=io.StringIO())
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGINT, before[1])
    assert time.monotonic() - started < 10
    runs = DBTaskResult.objects.filter(task_path="ducha.notify.tasks.send_reminders_task")
    assert 2 <= runs.count() <= 5
