"""The mail outbox: every e-mail is a row first, then a delivery, retried until it goes through.

`EMAIL_BACKEND` is django-post-office's, which writes each message to its `Email` table instead
of sending it: inside the transaction of the change that caused it, so that the change and its
mail are kept or lost together. Once that transaction commits, the mail is delivered at once,
through the transport that `EMAIL_URL` names (`POST_OFFICE["BACKENDS"]["default"]`): nothing to
run for `make run`. A delivery that fails (the mail server down, a refused connection) is
scheduled again with a growing delay, one minute, then two, four… up to six hours between
attempts, MAX_ATTEMPTS times in all, by `python manage.py send_queued_mail` (cron or a timer,
every minute). After that the mail stays "failed" in the admin (Mails), where staff can send it
again. Nothing is lost while the server is down: the rows wait.
"""

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from post_office.connections import connections as mail_connections
from post_office.models import STATUS, Email, Log

logger = logging.getLogger(__name__)

# Attempts in all: the first right after commit, then the retries, about 14 hours in all.
MAX_ATTEMPTS = 11
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=6)


def retry_delay(failed_attempts: int) -> datetime.timedelta:
    """The wait after the n-th failed attempt: 1 min, 2, 4, 8… and never more than 6 hours."""
    return min(FIRST_RETRY * 2 ** (failed_attempts - 1), LONGEST_WAIT)


def deliver_after_commit(sender, emails: Iterable[Email], **kwargs) -> None:
    """django-post-office's `email_queued` signal: deliver these once their transaction commits."""
    ids = [email.pk for email in emails]
    transaction.on_commit(lambda: outbox_deliver(Email.objects.filter(pk__in=ids, status=STATUS.queued)))


def due_emails(now: datetime.datetime | None = None):
    """Mails waiting for a delivery whose time has come."""
    now = now or timezone.now()
    return Email.objects.filter(
        Q(scheduled_time__lte=now) | Q(scheduled_time__isnull=True),
        status__in=[STATUS.queued, STATUS.requeued],
    ).order_by("scheduled_time", "pk")


def outbox_deliver(emails: QuerySet[Email], batch_size: int = 100) -> tuple[int, int, int]:
    """Try each of `emails` once; returns how many were sent, scheduled again, and given up on.

    Each batch is locked while it is sent (PostgreSQL): a second sender, on another instance or
    the same one, skips those rows instead of sending them twice.
    """
    sent = requeued = failed = 0
    while True:
        with transaction.atomic():
            batch = list(emails.select_for_update(skip_locked=True)[:batch_size])
            for email in batch:
                outcome = _deliver(email)
                sent += outcome == STATUS.sent
                requeued += outcome == STATUS.requeued
                failed += outcome == STATUS.failed
        if len(batch) < batch_size:
            return sent, requeued, failed


def _deliver(email: Email) -> int:
    try:
        # commit=False: the exception comes back here instead of being logged as final.
        email.dispatch(commit=False)
    except Exception as error:  # any transport's failure: SMTP, DNS, a refused connection
        # dispatch() closes the transport's connection when it delivers, not when it fails: a
        # half-open one would be handed to the next mail of this thread.
        mail_connections.close()
        return _failed(email, error)
    email.status = STATUS.sent
    email.save(update_fields=["status", "last_updated"])
    Log.objects.create(email=email, status=STATUS.sent)
    return STATUS.sent


def _failed(email: Email, error: Exception) -> int:
    attempts = (email.number_of_retries or 0) + 1
    email.number_of_retries = attempts
    if attempts < MAX_ATTEMPTS:
        email.status = STATUS.requeued
        email.scheduled_time = timezone.now() + retry_delay(attempts)
    else:
        email.status = STATUS.failed
    email.save(update_fields=["status", "number_of_retries", "scheduled_time", "last_updated"])
    Log.objects.create(
        email=email, status=STATUS.failed, message=str(error), exception_type=type(error).__name__
    )
    # Who it was for stays out of the log: the outbox in the admin says, to those allowed to see it.
    logger.warning(
        "Mail %s not delivered (attempt %s of %s, %s): %s",
        email.pk,
        attempts,
        MAX_ATTEMPTS,
        f"next at {timezone.localtime(email.scheduled_time):%Y-%m-%d %H:%M}"
        if email.status == STATUS.requeued
        else "given up; send it again from the admin",
        type(error).__name__,
    )
    return email.status
