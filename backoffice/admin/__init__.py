"""The staff back office in the Django admin: the partner catalogue, calls, applications, contact
messages and the audit log. Importing the modules registers their admins with the portal's admin site."""

from backoffice.admin import accounts, agreements, applications, audit, calls, contact, institutions

__all__ = ["accounts", "agreements", "applications", "audit", "calls", "contact", "institutions"]
