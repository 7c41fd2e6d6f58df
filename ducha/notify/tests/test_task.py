"""The reminder run as a background task: on the database worker, restarted, and on RQ."""

import runpy

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ducha.notify.models import Notification
from ducha.notify.tasks import send_email_task, send_reminders_task

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_db_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_restarted_worker_sends_nothing_twice(transactional_db, settings, requirement, cast):
    # transactional_db: the worker commits, so the mail queued on commit really is queued.
    settings.TASKS = DB_TASKS
    first = send_reminders_task.enqueue(today="2026-06-21")
    run_db_worker()

    row = DBTaskResult.objects.get(id=first.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value["overdue"] == 2 and row.return_value["escalation"] == 1
    # The run queued the mail as a task of its own, which the same batch ran.
    assert DBTaskResult.objects.filter(
        task_path="ducha.notify.tasks.send_email_task", status=TaskResultStatus.SUCCESSFUL
    ).exists()
    told = sorted(Notification.objects.values_list("user__username", "kind"))
    assert told == [("dora", "overdue"), ("hank", "escalation"), ("hugo", "overdue")]
    assert len(mail.outbox) == 3

    # The worker restarts: the run is queued again, and so is the mail of the first run.
    second = send_reminders_task.enqueue(today="2026-06-21")
    send_email_task.enqueue(list(Notification.objects.values_list("pk", flat=True)))
    run_db_worker()

    assert DBTaskResult.objects.get(id=second.id).return_value["overdue"] == 0
    assert sorted(Notification.objects.values_list("user__username", "kind")) == told
    assert len(mail.outbox) == 3


@pytest.fixture
def rq(settings, monkeypatch):
    """The RQ configuration settings.py makes for TASK_BACKEND=rq, on the local Redis's
    database 15, emptied afterwards."""
    redis = pytest.importorskip("redis")
    import django_rq

    monkeypatch.setenv("TASK_BACKEND", "rq")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    production = runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))
    assert "django_rq" in production["INSTALLED_APPS"]
    for name in ("TASKS", "RQ_QUEUES", "RQ"):
        setattr(settings, name, production[name])
    connection = django_rq.get_connection("default")
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        # The machines and CI run Redis; a missing one must not pass this test silently.
        pytest.fail("no Redis at 127.0.0.1:6379 (start it: see README)")
    connection.flushdb()
    yield django_rq
    connection.flushdb()


def test_the_run_works_on_rq(transactional_db, rq, requirement, cast):
    from rq import SimpleWorker

    result = send_reminders_task.enqueue(today="2026-06-21")
    # A burst worker in this process (no fork), so it sees the test database.
    worker = rq.get_worker("default", worker_class=SimpleWorker)
    assert worker.job_class.__module__ == "django_tasks_rq.backend"
    worker.work(burst=True)

    finished = send_reminders_task.get_result(result.id)
    assert finished.status == TaskResultStatus.SUCCESSFUL
    assert finished.return_value["overdue"] == 2
    assert Notification.objects.count() == 3
    # The mail task went through Redis too.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dora@example.org",
        "hank@example.org",
        "hugo@example.org",
    ]

    again = send_reminders_task.enqueue(today="2026-06-21")
    worker.work(burst=True)
    assert send_reminders_task.get_result(again.id).return_value["overdue"] == 0
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3
