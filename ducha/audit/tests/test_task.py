from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ducha.audit.models import AuditEntry
from ducha.audit.services import audit_record
from ducha.audit.tasks import audit_verify_task


def test_it_runs_the_chain_check_on_the_database_worker(transactional_db, settings):
    # transactional_db: the worker closes the connection when its batch ends, which on
    # PostgreSQL would kill the transaction the plain `db` fixture wraps the test in.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    audit_record(actor=None, action="create", object_type="x.y", object_id="1")
    audit_record(actor=None, action="update", object_type="x.y", object_id="1")
    AuditEntry.objects.filter(seq=1).update(object_repr="forged")

    result = audit_verify_task.enqueue()
    assert DBTaskResult.objects.filter(id=result.id, status=TaskResultStatus.READY).exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value["checked"] == 2
    assert any("entry 1" in p for p in row.return_value["problems"])
