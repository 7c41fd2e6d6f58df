"""`ducha serve`: the web server, the background task worker and the reminder scheduler
together, for one machine."""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def _stop(process) -> None:
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class Command(BaseCommand):
    help = "Serve Ducha on 127.0.0.1:PORT together with the background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args, port, host, no_worker, **options):
        worker = scheduler = None
        if not no_worker and settings.TASK_BACKEND == "db":
            worker = subprocess.Popen([sys.executable, "-m", "ducha", "db_worker", "--no-reload"])
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        if not no_worker:
            # Queues the periodic jobs (deadline reminders) so no cron is needed.
            scheduler = subprocess.Popen([sys.executable, "-m", "ducha", "run_scheduler"])
        # Stopped by SIGTERM (a service manager, `kill`), leave through `finally` too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            demo = settings.VAR_DIR / "demo-accounts.txt"
            if demo.exists():
                self.stdout.write(demo.read_text(encoding="utf-8"))
            self.stdout.write(f"Ducha: http://{host}:{port}/")
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            _stop(scheduler)
            _stop(worker)
