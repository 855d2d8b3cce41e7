"""The staff back office in the Django admin: the partner catalogue, calls, applications, contact
messages, testimonials, the audit log and the mail outbox. Importing the modules registers their admins with the portal's admin site."""

from backoffice.admin import (
    accounts,
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
    "agreements",
    "applications",
    "audit",
    "calls",
    "contact",
    "institutions",
    "outbox",
    "testimonials",
]
