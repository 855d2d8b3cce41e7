"""The back office's app configuration, and the admin's, with the portal's own admin site.

`PortalAdminConfig` replaces `django.contrib.admin` in INSTALLED_APPS. `default = False` keeps
it out of Django's choice of this app's own configuration, which is `BackofficeConfig`.
"""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "backoffice"
    verbose_name = _("Administration du portail")

    def ready(self) -> None:
        from backoffice.roles import roles_sync_after_migrate

        # The roles follow the code: after every `migrate`, each role's group holds exactly the
        # permissions that `backoffice.roles` lists (a data migration would freeze them).
        post_migrate.connect(roles_sync_after_migrate, sender=self, dispatch_uid="backoffice.roles")

        from post_office.signals import email_queued

        from backoffice.outbox import deliver_after_commit

        # Each mail written to the outbox is delivered once its transaction commits.
        email_queued.connect(deliver_after_commit, dispatch_uid="backoffice.outbox")


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    # `django.contrib.admin.site`, which every `admin.register` uses, is then this site.
    default_site = "backoffice.site.PortalAdminSite"
