"""`ducha send_reminders`: the periodic reminder run, for cron or by hand."""

from ducha.core.commands import DatedRunCommand
from ducha.notify.reminders import reminders_send


class Command(DatedRunCommand):
    help = "Send the deadline reminders, escalations and return notices that are due today."
    run = staticmethod(reminders_send)
