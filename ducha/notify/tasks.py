"""Background work of notify: the periodic reminder run and the mail that follows a notice."""

import datetime

from django_tasks import task

from . import reminders, services


@task()
def send_reminders_task(today: str | None = None) -> dict:
    """Send the deadline reminders due today (or on `today`, an ISO date)."""
    day = datetime.date.fromisoformat(today) if today else None
    return reminders.reminders_send(today=day)


@task()
def send_email_task(notification_ids: list[int]) -> dict:
    """Mail the given notifications; those mailed already are skipped."""
    return services.notifications_email(ids=notification_ids)
