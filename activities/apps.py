from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = _("Vie des réseaux")

    def ready(self) -> None:
        from activities.models import Activity
        from partnerships.content_version import bump_on_changes_to

        # Activities show on public pages (their list, their page, the network's page).
        bump_on_changes_to(self.label, [Activity])
