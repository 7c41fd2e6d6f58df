"""A periodic run as a management command, for cron or by hand (send_reminders,
escalate_overdue, draft_bulletins): `--today` runs it as if on another day, and what it did
is printed as `name=value` pairs."""

import datetime

from django.core.management.base import BaseCommand, CommandError


def parse_today(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today {value!r}: use YYYY-MM-DD") from exc


class DatedRunCommand(BaseCommand):
    """Subclasses set `help` and `run`, the service: run(today=date or None) -> dict."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="run as if today were this date (YYYY-MM-DD), for testing"
        )

    def handle(self, *args, today=None, **options):
        result = type(self).run(today=parse_today(today) if today else None)
        self.stdout.write(" ".join(f"{name}={value}" for name, value in result.items()))
