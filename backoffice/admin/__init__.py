"""The staff back office in the Django admin: the partner catalogue, calls, applications and the
audit log. Importing the modules registers their admins with the portal's admin site."""

from backoffice.admin import agreements, applications, audit, calls, institutions

__all__ = ["agreements", "applications", "audit", "calls", "institutions"]
