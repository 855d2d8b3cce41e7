from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mobility"
    verbose_name = _("Mobilité")

    def ready(self) -> None:
        from mobility.models import Call, CallDestination, CallDocument, Testimonial
        from partnerships.content_version import bump_on_changes_to

        # The calls and the published testimonials are on public pages; the applications never
        # show on one. Any save of a testimonial bumps: an edit sends it back to moderation.
        bump_on_changes_to(self.label, [Call, CallDestination, CallDocument, Testimonial])
