from django.core.management.base import BaseCommand

from backoffice.outbox import due_emails, outbox_deliver


class Command(BaseCommand):
    # The name of django-post-office's own command, which this one replaces (backoffice comes
    # first in INSTALLED_APPS): the same rows, delivered with the portal's retries and waits.
    help = (
        "Deliver the mails whose time has come: those never sent and those whose last attempt "
        "failed and whose wait is over (backoffice/outbox.py). For cron or a timer, every minute; "
        "two instances may run it at once. Prints what it did, and nothing when nothing was due."
    )

    def handle(self, *args, **options):
        sent, requeued, failed = outbox_deliver(due_emails())
        if sent or requeued or failed:
            self.stdout.write(f"{sent} sent, {requeued} to try again later, {failed} given up.")
