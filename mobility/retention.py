"""Personal-data retention: applications are deleted some months after their final decision."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from mobility.models import Application, AuditEvent

logger = logging.getLogger(__name__)


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


def applications_due_for_purge(*, older_than_months: int, now: datetime.datetime | None = None):
    cutoff = months_before(now or timezone.now(), older_than_months)
    return Application.objects.filter(decided_at__isnull=False, decided_at__lt=cutoff).order_by("decided_at")


@transaction.atomic
def applications_purge(
    *, older_than_months: int, actor=None, now: datetime.datetime | None = None
) -> list[str]:
    """Delete the applications decided more than N months ago, with their files, their status
    history and their audit-trail rows (which hold the same personal data). Returns the references."""
    due = list(
        applications_due_for_purge(older_than_months=older_than_months, now=now).prefetch_related("documents")
    )
    if not due:
        return []
    files = [document.file for application in due for document in application.documents.all()]
    ids = [application.pk for application in due]
    references = [application.reference for application in due]
    for application in due:
        application.delete()  # cascades to choices, languages, documents and status changes
    # Deleting writes one more audit-trail row per application: remove them all.
    Application.audit_trail.filter(id__in=ids).delete()
    AuditEvent.objects.create(
        action=AuditEvent.Action.PURGE,
        user=actor,
        subject="candidatures",
        detail={"count": len(ids), "older_than_months": older_than_months},
    )
    # Files go once the rows are gone for good.
    transaction.on_commit(lambda: _delete_files(files))
    return references


def _delete_files(files) -> None:
    for file in files:
        try:
            file.storage.delete(file.name)
        except OSError:
            logger.exception("Could not delete the purged file %s", file.name)
