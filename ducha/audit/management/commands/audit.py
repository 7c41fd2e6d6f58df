from django.core.management.base import BaseCommand, CommandError

from ducha.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `ducha audit verify` checks the hash chain for edits and deletions."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        result = audit_verify()
        if result.ok:
            self.stdout.write(f"OK: {result.checked} entries, chain intact.")
            return
        for problem in result.problems:
            self.stderr.write(problem)
        raise CommandError(f"audit log has been tampered with ({len(result.problems)} problems)")
