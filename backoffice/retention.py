"""Personal-data retention: applications are deleted some months after their final decision,
contact messages some months after staff handled them, and the outbox's copies of mails some
months after they were delivered or given up on (the mails about an application or a message go
with it at once)."""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from post_office.models import STATUS, Email

from backoffice.models import AuditEvent
from backoffice.services.applications import applications_delete
from backoffice.services.audit import Actor, audit_event_record
from contact.models import ContactMessage
from contact.services import contact_messages_delete
from mobility.models import Application

# The audit log's « objet » for purged contact messages, in French like the others.
CONTACT_AUDIT_SUBJECT = "messages de contact"


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def applications_due_for_purge(
    *, older_than_months: int, now: datetime.datetime | None = None
) -> QuerySet[Application]:
    cutoff = months_before(now or timezone.now(), older_than_months)
    return Application.objects.filter(decided_at__isnull=False, decided_at__lt=cutoff).order_by("decided_at")


def applications_purge(
    *, older_than_months: int, actor: Actor = None, now: datetime.datetime | None = None
) -> list[str]:
    """Delete the applications decided more than N months ago, with every trace of their
    applicants (see `applications_delete`). Returns the references."""
    due = applications_due_for_purge(older_than_months=older_than_months, now=now)
    return applications_delete(
        applications=due.only("pk"),
        actor=actor,
        action=AuditEvent.Action.PURGE,
        detail={"older_than_months": older_than_months},
    )


def contact_messages_due_for_purge(
    *, older_than_months: int, now: datetime.datetime | None = None
) -> QuerySet[ContactMessage]:
    """Messages handled more than N months ago; a message nobody handled yet is kept."""
    cutoff = months_before(now or timezone.now(), older_than_months)
    return ContactMessage.objects.handled_before(cutoff).order_by("handled_at")


@transaction.atomic
def contact_messages_purge(
    *, older_than_months: int, actor: Actor = None, now: datetime.datetime | None = None
) -> int:
    """Delete the contact messages handled more than N months ago; return how many went.

    The audit log keeps how many, never who wrote them. Nothing is recorded when nothing is due.
    """
    due = contact_messages_due_for_purge(older_than_months=older_than_months, now=now)
    count = contact_messages_delete(messages=due)
    if count:
        audit_event_record(
            action=AuditEvent.Action.PURGE,
            actor=actor,
            subject=CONTACT_AUDIT_SUBJECT,
            detail={"count": count, "older_than_months": older_than_months},
        )
    return count


def mails_due_for_purge(*, older_than_months: int, now: datetime.datetime | None = None) -> QuerySet[Email]:
    """Mails delivered, or given up on, more than N months ago; a mail still to send is kept."""
    cutoff = months_before(now or timezone.now(), older_than_months)
    return Email.objects.filter(status__in=[STATUS.sent, STATUS.failed], last_updated__lt=cutoff)


@transaction.atomic
def mails_purge(*, older_than_months: int, now: datetime.datetime | None = None) -> int:
    """Delete the outbox's mails past retention, with their delivery attempts; return how many."""
    ids = list(mails_due_for_purge(older_than_months=older_than_months, now=now).values_list("pk", flat=True))
    Email.objects.filter(pk__in=ids).delete()
    return len(ids)
