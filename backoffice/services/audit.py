"""Entries of the audit log: actions that leave no row behind to carry a history of their own."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from backoffice.models import AuditEvent

# Who acted: a staff member, or None for the portal itself (a scheduled job).
Actor = User | AnonymousUser | None


def audit_event_record(*, action: str, actor: Actor, subject: str, detail: dict[str, Any]) -> AuditEvent:
    """One entry of the audit log: `actor` did `action` on `subject`; None is the portal itself."""
    user = actor if isinstance(actor, User) else None
    return AuditEvent.objects.create(action=action, user=user, subject=subject, detail=detail)


def export_record(
    *, actor: Actor, subject: str, file_format: str, row_count: int, filters: Iterable[str]
) -> AuditEvent:
    """The trace of an export: who, when, what, in which format, how many rows, filtered by what.

    Only the filters' names are kept, never their values: a search can hold a person's name,
    which has no place in a log kept longer than the data itself.
    """
    return audit_event_record(
        action=AuditEvent.Action.EXPORT,
        actor=actor,
        subject=subject,
        detail={"format": file_format, "count": row_count, "filters": sorted(filters)},
    )
