from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mobility"
    verbose_name = _("Mobilité")

    def ready(self) -> None:
        from mobility.models import Call, CallDestination, CallDocument
        from partnerships.content_version import bump_on_changes_to

        # The calls are public pages; the applications never show on one.
        bump_on_changes_to(self.label, [Call, CallDestination, CallDocument])
