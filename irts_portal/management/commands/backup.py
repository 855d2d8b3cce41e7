from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from irts_portal.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive (irts-portal-<UTC time>.tar.gz) holding the database, the applicants' "
        "documents, the public media and a manifest of their SHA-256 checksums. Safe while the site "
        "runs. Cron-friendly: prints the archive's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--folder",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="Where to write the archive (default: %(default)s).",
        )

    def handle(self, *args, folder: Path, **options):
        try:
            result = backup_create(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for link in result.skipped_links:
            self.stderr.write(f"Left out, a link and not a stored file: {link}")
        files = result.manifest["files"]
        megabytes = result.archive.stat().st_size / 1_000_000
        self.stdout.write(f"{result.archive} ({len(files)} files, {megabytes:.1f} MB)")
