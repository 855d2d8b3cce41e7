from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Partenariats")

    def ready(self) -> None:
        from partnerships.content_version import bump_on_changes_to
        from partnerships.ewp.hash_tracking import track_iia_hashes

        # Everything in this app is public content, but for the audit trail's own rows.
        models = [model for model in self.get_models() if not model.__name__.startswith("Historical")]
        bump_on_changes_to(self.label, models)
        track_iia_hashes()
