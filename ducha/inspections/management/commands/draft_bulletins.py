"""`ducha draft_bulletins`: draft last month's bulletins of the active campaigns, for cron or by
hand. Only on the first days of a month; a campaign that has a bulletin for the month is left."""

from ducha.core.commands import DatedRunCommand
from ducha.inspections.services import bulletins_draft_monthly


class Command(DatedRunCommand):
    help = "Draft the previous month's bulletin of each active campaign that has none yet."
    run = staticmethod(bulletins_draft_monthly)
