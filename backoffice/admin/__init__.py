"""The staff back office in the Django admin: the partner catalogue, the networks' activities, calls,
applications, contact messages, testimonials, the audit log and the mail outbox. Importing the
modules registers their admins with the portal's admin site."""

from backoffice.admin import (
    accounts,
    activities,
    agreements,
    applications,
    audit,
    calls,
    contact,
    institutions,
    outbox,
    testimonials,
)

__all__ = [
    "accounts",
    "activities",
    "agreements",
    "applications",
    "audit",
    "calls",
    "contact",
    "institutions",
    "outbox",
    "testimonials",
]
