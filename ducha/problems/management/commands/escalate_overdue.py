"""`ducha escalate_overdue`: remind and escalate overdue rectifications, for cron or by hand."""

from ducha.core.commands import DatedRunCommand
from ducha.problems.services import rectification_reminders_send


class Command(DatedRunCommand):
    help = "Send the rectification warnings, overdue reminders and escalations due today."
    run = staticmethod(rectification_reminders_send)
