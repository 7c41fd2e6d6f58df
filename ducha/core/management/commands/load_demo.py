"""`ducha load_demo`: the 黄岩区 demo, loaded once into an empty database."""

from django.core.management.base import BaseCommand

from ducha.core import demo


class Command(BaseCommand):
    help = (
        "Load the demo (台州市黄岩区卫生局 and its units, people, places and accounts) into an "
        "empty database and print the accounts. Run again, it changes nothing and prints them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="seed of the generated data"
        )

    def handle(self, *args, seed, **options):
        path = demo.accounts_file()
        if demo.demo_exists():
            if path.exists():
                self.stdout.write(path.read_text(encoding="utf-8"))
            else:
                self.stdout.write(
                    f"The demo is loaded, but {path} is missing; set new passwords with "
                    "`ducha changepassword <username>`."
                )
            return
        if not demo.database_is_empty():
            self.stdout.write(
                "The database already holds units or accounts: the demo is loaded only into an "
                "empty database. Nothing was changed."
            )
            return
        accounts = demo.demo_build(seed=seed)
        demo.accounts_write(accounts)
        self.stdout.write(demo.accounts_text(accounts))
        self.stdout.write(self.style.SUCCESS(f"Demo loaded; accounts saved in {path}."))
