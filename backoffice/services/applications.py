"""Deleting applications, with every trace of the person in them.

The admin's delete, its bulk delete and the retention purge all come here, so that none of them
forgets a table: the application and the rows that cascade from it (choices, languages, documents,
status history), its audit-trail rows, and the admin's log entries about it. The documents' files
are removed by the storage's `post_delete` receiver (django-cleanup) once the transaction commits.
What stays is one audit event: who deleted how many applications, by their references.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from backoffice.models import AuditEvent
from backoffice.services.audit import Actor, audit_event_record
from mobility.models import Application

# The audit log's « objet », in French, the portal's language of record.
AUDIT_SUBJECT = "candidatures"


@transaction.atomic
def applications_delete(
    *,
    applications: Iterable[Application],
    actor: Actor,
    action: str = AuditEvent.Action.DELETE,
    detail: dict[str, Any] | None = None,
) -> list[str]:
    """Delete these applications and every row that names their applicants; return their references.

    `action` is the audit event's: a deletion by staff, or the retention purge. `detail` adds to
    the event what the caller knows of the reason (the purge's retention period). Nothing is
    recorded when there is nothing to delete.
    """
    ids = sorted({application.pk for application in applications})
    if not ids:
        return []
    doomed = Application.objects.filter(pk__in=ids)
    references = sorted(doomed.values_list("reference", flat=True))
    # Cascades to choices, languages, documents and the status history.
    doomed.delete()
    # The audit trail copies the personal data, and deleting adds one more row per application.
    Application.audit_trail.filter(id__in=ids).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id__in=[str(pk) for pk in ids],
    ).delete()
    audit_event_record(
        action=action,
        actor=actor,
        subject=AUDIT_SUBJECT,
        detail={"count": len(references), "references": references, **(detail or {})},
    )
    return references
