"""The admin's app configuration, with the portal's own admin site as the default site.

The admin module is imported, not its AdminConfig class: Django picks the single AppConfig
class found in an app's `apps` module as that app's configuration, and "irts_portal" must keep
the plain one. `default = False` keeps PortalAdminConfig out of that choice for the same reason.
"""

from django.contrib.admin import apps as admin_apps


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    # `django.contrib.admin.site`, which every `admin.register` uses, is then this site.
    default_site = "irts_portal.admin_site.PortalAdminSite"
