"""`ducha draft_bulletins`: draft last month's bulletins of the active campaigns, for cron or by
hand. Only on the first days of a month; a campaign that has a bulletin for the month is left."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from ducha.inspections.services import bulletins_draft_monthly


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today {value!r}: use YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Draft the previous month's bulletin of each active campaign that has none yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="run as if today were this date (YYYY-MM-DD), for testing"
        )

    def handle(self, *args, today=None, **options):
        result = bulletins_draft_monthly(today=_date(today) if today else None)
        self.stdout.write(f"period={result['period']} drafted={result['drafted']}")
