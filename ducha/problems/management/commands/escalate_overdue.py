"""`ducha escalate_overdue`: remind and escalate overdue rectifications, for cron or by hand."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from ducha.problems.services import rectification_reminders_send


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today {value!r}: use YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Send the rectification warnings, overdue reminders and escalations due today."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="run as if today were this date (YYYY-MM-DD), for testing"
        )

    def handle(self, *args, today=None, **options):
        counts = rectification_reminders_send(today=_date(today) if today else None)
        self.stdout.write(" ".join(f"{kind}={n}" for kind, n in counts.items()))
