"""Background work of inspections: the monthly bulletin draft run."""

import datetime

from django_tasks import task

from . import services


@task()
def bulletin_drafts_task(today: str | None = None) -> dict:
    """Draft the previous month's bulletins on the first days of a month (or of `today`, an
    ISO date); the scheduler queues it at every tick, which is harmless on other days."""
    day = datetime.date.fromisoformat(today) if today else None
    return services.bulletins_draft_monthly(today=day)
