"""Testimonials, for the staff who moderate them.

What the author wrote is shown read-only: staff publish or refuse it, from the list, through
`mobility.testimonial_services.testimonials_moderate`, which logs who did it and when in the
testimonial's audit trail. The photo is served by `mobility.views.testimonial_photo`, to staff
only until it is published.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backoffice.admin.base import MOBILITY_CSS, AuditedAdmin, fieldset_fields
from mobility.models import Testimonial, TestimonialStatus
from mobility.testimonial_services import testimonial_withdraw, testimonials_moderate

EXCERPT_LENGTH = 120


@admin.register(Testimonial)
class TestimonialAdmin(AuditedAdmin):
    list_display = [
        "submitted_at",
        "display_name",
        "excerpt",
        "institution",
        "academic_year_label",
        "status_marker",
    ]
    list_display_links = ["submitted_at", "display_name"]
    list_filter = ["status", "academic_year"]
    list_select_related = ["institution"]
    search_fields = ["display_name", "text", "institution__name"]
    date_hierarchy = "submitted_at"
    actions = ["publish", "refuse"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "status_marker",
                    "application_link",
                    "institution",
                    "academic_year_label",
                    "language",
                    "display_name",
                    "text_shown",
                    "photo_shown",
                    "photo_alt",
                ]
            },
        ),
        (
            _("Consentement et modération"),
            {"fields": ["consent_given_at", "submitted_at", "updated_at", "moderated_at", "moderated_by"]},
        ),
    ]
    # Everything: what the author wrote is theirs; staff only publish or refuse it.
    readonly_fields = fieldset_fields(fieldsets)

    class Media:
        css = MOBILITY_CSS

    def has_add_permission(self, request):
        # Testimonials come only from their authors' links.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("mobility.moderate_testimonial")

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting is the author's withdrawal; an administrator's deletion goes through the same service.
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        testimonial_withdraw(testimonial=obj, actor=request.user)

    @admin.display(description=_("témoignage"))
    def excerpt(self, testimonial):
        return Truncator(testimonial.text).chars(EXCERPT_LENGTH)

    @admin.display(description=_("témoignage"))
    def text_shown(self, testimonial):
        return linebreaksbr(testimonial.text, autoescape=True)

    @admin.display(description=_("année universitaire"), ordering="academic_year")
    def academic_year_label(self, testimonial):
        return testimonial.academic_year_label

    @admin.display(description=_("statut"), ordering="status")
    def status_marker(self, testimonial):
        return format_html(
            '<span class="testimonial-status testimonial-status--{}">{}</span>',
            testimonial.status,
            testimonial.get_status_display(),
        )

    @admin.display(description=_("candidature"))
    def application_link(self, testimonial):
        if testimonial.application_id is None:
            return _("supprimée à la fin de sa durée de conservation")
        url = reverse("admin:mobility_application_change", args=[quote(testimonial.application_id)])
        return format_html('<a href="{}">{}</a>', url, _("voir la candidature"))

    @admin.display(description=_("photo"))
    def photo_shown(self, testimonial):
        if not testimonial.photo:
            return _("aucune")
        return format_html(
            '<img class="testimonial-photo" src="{}" alt="{}">',
            testimonial.get_photo_url(),
            testimonial.photo_alt,
        )

    @admin.action(description=_("Publier les témoignages sélectionnés"), permissions=["moderate"])
    def publish(self, request, queryset):
        count = testimonials_moderate(
            testimonials=queryset, status=TestimonialStatus.PUBLISHED, actor=request.user
        )
        message = ngettext("%(count)d témoignage publié.", "%(count)d témoignages publiés.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Refuser les témoignages sélectionnés"), permissions=["moderate"])
    def refuse(self, request, queryset):
        count = testimonials_moderate(
            testimonials=queryset, status=TestimonialStatus.REFUSED, actor=request.user
        )
        message = ngettext("%(count)d témoignage refusé.", "%(count)d témoignages refusés.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
