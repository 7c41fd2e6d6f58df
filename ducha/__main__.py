"""The `ducha` console command: Django's manage.py under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    # Django names commands with underscores; `ducha extract-plan` reads better
    if args and args[0] == "extract-plan":
        args[0] = "extract_plan"
    execute_from_command_line(["ducha", *args])


if __name__ == "__main__":
    main()
