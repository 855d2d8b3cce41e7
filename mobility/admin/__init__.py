"""Staff administration of calls for applications, of the applications themselves and of the
audit log.

Importing the modules registers their admins with the default admin site.
"""

from mobility.admin import applications, audit, calls

__all__ = ["applications", "audit", "calls"]
