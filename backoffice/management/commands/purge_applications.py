from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count

from backoffice.retention import (
    applications_due_for_purge,
    applications_purge,
    contact_messages_due_for_purge,
    contact_messages_purge,
    mails_due_for_purge,
    mails_purge,
)

# The dry run's list is read this many applications at a time, whatever its length.
DRY_RUN_ROWS_PER_FETCH = 2000


class Command(BaseCommand):
    help = (
        "Delete the applications whose final decision is older than N months, with their files, "
        "status history and audit-trail rows, the contact messages handled more than N months ago, "
        "and the mails delivered or given up on more than N months ago. "
        "Cron-friendly: quiet when there is nothing to delete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-months",
            type=int,
            default=settings.PORTAL_RETENTION_MONTHS,
            help=(
                "Months after an application's final decision, or after a contact message was handled "
                "(default: PORTAL_RETENTION_MONTHS, %(default)s)."
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted, delete nothing."
        )

    def handle(self, *args, older_than_months: int, dry_run: bool, **options):
        if dry_run:
            due = applications_due_for_purge(older_than_months=older_than_months).annotate(
                file_count=Count("documents")
            )
            for application in due.iterator(chunk_size=DRY_RUN_ROWS_PER_FETCH):
                self.stdout.write(
                    f"would delete {application.reference} (decided {application.decided_at:%Y-%m-%d}, "
                    f"{application.file_count} files)"
                )
            for message in contact_messages_due_for_purge(older_than_months=older_than_months):
                self.stdout.write(
                    f"would delete contact message {message.pk} (handled {message.handled_at:%Y-%m-%d})"
                )
            mails = mails_due_for_purge(older_than_months=older_than_months).count()
            if mails:
                self.stdout.write(f"would delete {mails} delivered mails")
            return
        references = applications_purge(older_than_months=older_than_months)
        if references:
            self.stdout.write(f"Deleted {len(references)} applications: {', '.join(references)}")
        messages = contact_messages_purge(older_than_months=older_than_months)
        if messages:
            self.stdout.write(f"Deleted {messages} contact messages")
        mails = mails_purge(older_than_months=older_than_months)
        if mails:
            self.stdout.write(f"Deleted {mails} delivered mails")
