import json
import sys
import time

from django.core.management.base import BaseCommand

from ducha.plans.extract import UnsupportedDocument, extract_file


class Command(BaseCommand):
    help = (
        "Read an implementation plan (.txt in UTF-8 or GB18030, or .docx) and print the draft "
        "campaign as JSON (shared/plan-extract.schema.json). Exit code 2 on unreadable input."
    )
    # needs no database, URLs or models: skipping the system checks saves half a second
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--all",
            action="store_true",
            help="print a JSON list with every plan found, not only the first",
        )
        parser.add_argument("--time", action="store_true", help="print the time taken to stderr")

    def handle(self, *args, file, all, time: bool = False, **options):
        started = _clock()
        try:
            plans = extract_file(file)
        except FileNotFoundError:
            self.stderr.write(f"找不到文件 / No such file: {file}")
            sys.exit(2)
        except UnsupportedDocument as e:
            self.stderr.write(str(e))
            sys.exit(2)
        if len(plans) > 1 and not all:
            self.stderr.write(
                f"注意：文中有 {len(plans)} 份方案，只提取了第一份（用 --all 提取全部）。"
                f" / Warning: found {len(plans)} plans in the text; extracted the first "
                "(use --all for every one)."
            )
        result = plans if all else plans[0]
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
        if time:
            self.stderr.write(f"{(_clock() - started) * 1000:.0f} ms")


def _clock() -> float:
    return time.perf_counter()
