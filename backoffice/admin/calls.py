"""Calls for applications: their destinations and the documents they ask for."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from backoffice.admin.base import MOBILITY_CSS, AuditedAdmin, AutocompleteWithEmptyChoiceMixin
from backoffice.forms.mobility import CallAdminForm
from mobility.models import Call, CallDestination, CallDocument
from mobility.models.calls import CallState


class CallStateFilter(admin.SimpleListFilter):
    """The same three states as `Call.state`, from the same definition (`CallQuerySet.in_state`)."""

    title = _("état")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return CallState.choices

    def queryset(self, request, queryset):
        if self.value() not in CallState.values:
            return queryset
        return queryset.in_state(self.value())


class CallDestinationInline(AutocompleteWithEmptyChoiceMixin, admin.TabularInline):
    model = CallDestination
    autocomplete_fields = ["institution", "agreement"]
    fields = ["institution", "agreement", "places", "note", "position"]

    def get_extra(self, request, obj=None, **kwargs):
        # One blank row on a new call, where destinations are still to be chosen.
        return 1 if obj is None else 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution", "agreement")


class CallDocumentInline(admin.TabularInline):
    model = CallDocument
    fields = ["kind", "is_required", "help_text"]
    extra = 0


@admin.register(Call)
class CallAdmin(TranslationAdmin, AuditedAdmin):
    related_histories = ((CallDestination, "call"), (CallDocument, "call"))
    form = CallAdminForm
    list_display = [
        "title",
        "academic_year_display",
        "audience",
        "opens_at",
        "closes_at",
        "state_marker",
        "is_published",
        "application_count",
    ]
    list_filter = [CallStateFilter, "academic_year", "audience", "direction", "is_published"]
    search_fields = ["title", "slug"]
    date_hierarchy = "opens_at"
    prepopulated_fields = {"slug": ["title"], "slug_en": ["title_en"]}
    readonly_fields = ["state_marker", "applications_link"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "slug_en",
                    "academic_year",
                    "audience",
                    "direction",
                    "mobility_types",
                ]
            },
        ),
        (
            _("Calendrier et publication"),
            {"fields": ["opens_at", "closes_at", "is_published", "state_marker"]},
        ),
        (_("Présentation"), {"fields": ["description"]}),
        (_("Candidatures"), {"fields": ["applications_link"]}),
    ]
    inlines = [CallDestinationInline, CallDocumentInline]

    class Media:
        css = MOBILITY_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(application_total=Count("applications"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            # A call being created has neither a state nor applications yet.
            return [
                (name, {**options, "fields": [f for f in options["fields"] if f not in self.readonly_fields]})
                for name, options in fieldsets
                if any(f not in self.readonly_fields for f in options["fields"])
            ]
        return fieldsets

    @admin.display(description=_("année universitaire"), ordering="academic_year")
    def academic_year_display(self, call):
        return call.academic_year_label

    @admin.display(description=_("état"))
    def state_marker(self, call):
        if call.opens_at is None or call.closes_at is None:
            return self.get_empty_value_display()
        state = call.state
        return format_html('<span class="call-state call-state--{}">{}</span>', state, state.label)

    @admin.display(description=_("candidatures"), ordering="application_total")
    def application_count(self, call):
        url = reverse("admin:mobility_application_changelist") + f"?call__id__exact={call.pk}"
        return format_html('<a href="{}">{}</a>', url, call.application_total)

    @admin.display(description=_("candidatures reçues"))
    def applications_link(self, call):
        if call.pk is None:
            return self.get_empty_value_display()
        total = call.application_total
        if not total:
            return _("Aucune candidature pour l’instant.")
        url = reverse("admin:mobility_application_changelist") + f"?call__id__exact={call.pk}"
        text = ngettext("Voir la candidature", "Voir les %(total)s candidatures", total) % {"total": total}
        return format_html('<a href="{}">{}</a>', url, text)
