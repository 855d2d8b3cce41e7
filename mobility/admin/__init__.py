"""Staff administration of calls for applications and of the applications themselves.

Importing the modules registers their admins with the default admin site.
"""

from mobility.admin import applications, calls

__all__ = ["applications", "calls"]
