"""`ducha run_scheduler`: queue the reminder run every REMINDER_INTERVAL_MINUTES.

`ducha serve` starts it next to the worker, so the embedded setup needs no cron. Running it
more often, or twice, is harmless: every notice is sent once whatever the number of runs.
"""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Queue the reminder run now and then every REMINDER_INTERVAL_MINUTES until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="queue one run and exit")
        parser.add_argument(
            "--interval", type=float, help="minutes between runs (default: the setting)"
        )

    def handle(self, *args, once=False, interval=None, **options):
        minutes = interval or settings.REMINDER_INTERVAL_MINUTES
        stop = threading.Event()
        if not once:

            def _stop(signum, frame):
                stop.set()

            signal.signal(signal.SIGTERM, _stop)
            signal.signal(signal.SIGINT, _stop)
            self.stdout.write(f"Scheduler: reminders every {minutes:g} minutes.")
        while True:
            for path in settings.PERIODIC_TASKS:
                try:
                    result = import_string(path).enqueue()
                except Exception:
                    # A busy database or a queue that is down: try again at the next tick.
                    logger.exception("queueing %s failed", path)
                else:
                    logger.info("%s queued (task %s)", path, result.id)
            if once or stop.wait(minutes * 60):
                break
            # An hour asleep: the database may have dropped the connection meanwhile.
            close_old_connections()
