"""Background work of problems: the periodic rectification reminder run."""

import datetime

from django_tasks import task

from . import services


@task()
def rectification_reminders_task(today: str | None = None) -> dict:
    """Remind and escalate overdue rectifications (on `today`, an ISO date, if given)."""
    day = datetime.date.fromisoformat(today) if today else None
    return services.rectification_reminders_send(today=day)
