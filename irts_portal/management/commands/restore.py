from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from irts_portal.backups import BackupError, restore_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty instance: the database, then the "
        "applicants' documents and the public media. Checks the archive's paths and checksums, the "
        "database engine and that the database holds no data before it changes anything. "
        "Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even if the database already holds applications or institutions: they are replaced.",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            report = restore_archive(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        portal = report.manifest["portal"]
        self.stdout.write(
            f"Restored {archive.name}, made {report.manifest['created_at']} by portal "
            f"{portal.get('version') or '?'} (commit {portal.get('commit') or 'unknown'}):"
        )
        for label, count in report.counts.items():
            self.stdout.write(f"  {label}: {'table missing' if count is None else count}")
        self.stdout.write(f"  private files: {report.private_files}")
        self.stdout.write(f"  media files: {report.media_files}")
        if report.migrations_pending:
            self.stdout.write(
                self.style.WARNING("The archive predates the code: run `python manage.py migrate` now.")
            )
