from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from partnerships.seeding import seed_load


class Command(BaseCommand):
    help = (
        "Load the site's seed content from the fixtures folder. Safe to run at every start: "
        "it only adds what was never loaded, fills English texts still empty, and never overwrites "
        "or restores what staff changed."
    )

    def handle(self, *args, **options):
        folder = Path(settings.PORTAL_SEED_FIXTURES_DIR)
        paths = sorted(folder.glob("*.json"))
        report = seed_load(fixture_paths=paths)
        self.stdout.write(
            f"Seed content: {report.added} added, {report.skipped} already handled, "
            f"{report.translated} given their English texts ({len(paths)} fixture files)."
        )
