"""Deleting applications, with every trace of the person in them.

The admin's delete, its bulk delete and the retention purge all come here, so that none of them
forgets a table: the application and the rows that cascade from it (choices, languages, documents,
status history), its audit-trail rows, and the admin's log entries about it. A testimonial written
from an application stays, as its author consented, and no longer names the application. The documents' files
are removed by the storage's `post_delete` receiver (django-cleanup) once the transaction commits.
What stays is one audit event: who deleted how many applications, by their references.

Applications go by batches of `DELETE_BATCH_SIZE`, each in nine statements and one more per
hundred documents, so that the retention purge of thousands of them costs a few hundred queries,
not some for each application.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from post_office.models import Email

from backoffice.models import AuditEvent
from backoffice.services.audit import Actor, audit_event_record
from mobility.emails import APPLICATION_HEADER
from mobility.models import Application

# The audit log's « objet », in French, the portal's language of record.
AUDIT_SUBJECT = "candidatures"

# Applications deleted per batch: few statements for thousands of applications, and an id list
# that stays under SQLite's 999 parameters per statement.
DELETE_BATCH_SIZE = 500


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
    content_type = ContentType.objects.get_for_model(Application)
    references: list[str] = []
    for start in range(0, len(ids), DELETE_BATCH_SIZE):
        batch = ids[start : start + DELETE_BATCH_SIZE]
        references += _applications_delete_batch(batch, content_type=content_type)
    references.sort()
    audit_event_record(
        action=action,
        actor=actor,
        subject=AUDIT_SUBJECT,
        detail={"count": len(references), "references": references, **(detail or {})},
    )
    return references


def _applications_delete_batch(ids: list[int], *, content_type: ContentType) -> list[str]:
    doomed = Application.objects.filter(pk__in=ids)
    references = list(doomed.values_list("reference", flat=True))
    # What cascades from them, table by table: one statement each, but for the documents, read
    # then deleted through their model so that its `post_delete` receiver removes their files
    # once the transaction commits.
    for relation in Application._meta.related_objects:
        related = relation.field.model._base_manager.filter(**{f"{relation.field.name}__in": ids})
        if relation.on_delete is models.CASCADE:
            related.delete()
        elif relation.on_delete is models.SET_NULL:
            # A testimonial outlives the application it tells about: it only forgets which one.
            related.update(**{relation.field.name: None})
    # Then the applications in one statement, without the ORM's per-row signals: their only
    # receiver, the audit trail's, would write one more row per application, deleted below.
    # (A relation of another kind than CASCADE or SET_NULL would make this statement fail on its foreign
    # key, never pass silently.)
    doomed._raw_delete(doomed.db)
    # The audit trail copies the personal data, and the outbox keeps the mails sent to the person.
    Application.audit_trail.filter(id__in=ids).delete()
    Email.objects.filter(**{f"headers__{APPLICATION_HEADER}__in": references}).delete()
    LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in ids]).delete()
    return references
