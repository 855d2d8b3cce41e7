"""The networks' activities: events, publications and news shown on the public pages."""

from django.contrib import admin
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from activities.models import Activity
from backoffice.admin.base import AuditedAdmin, ChipsOnlyAutocompleteMultiple


class ActivityYearFilter(admin.SimpleListFilter):
    title = _("année")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .annotate(year=ExtractYear("start_date"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        # A year typed by hand that is not a number filters nothing rather than failing.
        year = self.value() or ""
        # isdigit() alone lets "²" and "99999" through, which int() or the date lookup refuse.
        if year.isascii() and year.isdigit() and 1 <= int(year) <= 9999:
            return queryset.filter(start_date__year=int(year))
        return queryset


@admin.register(Activity)
class ActivityAdmin(TranslationAdmin, AuditedAdmin):
    list_display = ["title", "network", "kind", "start_date", "end_date", "is_online", "is_published"]
    list_filter = ["network", "kind", ActivityYearFilter, "is_online", "is_published"]
    list_select_related = ["network"]
    search_fields = ["title", "slug", "place", "text"]
    prepopulated_fields = {"slug": ["title"], "slug_en": ["title_en"]}
    autocomplete_fields = ["institutions"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["network", "kind", "title", "slug", "slug_en", "is_published"]}),
        (_("Dates et lieu"), {"fields": ["start_date", "end_date", "place", "is_online", "online_url"]}),
        (_("Contenu"), {"fields": ["text", "document", "institutions"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "institutions":
            kwargs["widget"] = ChipsOnlyAutocompleteMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
