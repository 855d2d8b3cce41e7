import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from backoffice.scale import scale_data_generate


class Command(BaseCommand):
    help = (
        "Add made-up partners, agreements, calls and applications at the size of a mature portal "
        "(10,000 partners and 50,000 applications by default), to measure the pages with: see "
        "`make bench SCALE=1`. A second run adds as much again. Development databases only: it "
        "refuses to run unless DEBUG is on or --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partners", type=int, default=10_000, help="Partner institutions to add.")
        parser.add_argument("--applications", type=int, default=50_000, help="Applications to add.")
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="Repeat the same names, dates and statuses as an earlier run.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DEBUG off, e.g. on a scratch database of a benchmark. Never on production data.",
        )

    def handle(self, *args, partners: int, applications: int, seed: int | None, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_scale_data adds thousands of invented partners and applications to the "
                f"database {settings.DATABASES['default']['NAME']}. It runs only on a development "
                "machine (DJANGO_DEBUG=1) or with --force, for a scratch database: never on production data."
            )
        if partners < 1 or applications < 0:
            raise CommandError("--partners must be at least 1 and --applications at least 0.")
        started = time.monotonic()
        report = scale_data_generate(partners=partners, applications=applications, seed=seed)
        for line in report.lines():
            self.stdout.write(f"Added {line}.")
        # The planner's statistics, as autovacuum would gather them some minutes later: measured
        # before that, PostgreSQL picked plans made for empty tables (800 ms for a list filter
        # instead of 2 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s.")
