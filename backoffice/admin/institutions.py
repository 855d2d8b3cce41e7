"""Staff administration of the partner catalogue: institutions, destinations, networks and
programmes, and the seed records (read-only).

List pages cost the same number of queries whatever their length: related rows
come through `list_select_related` and counts through annotations.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.db.models import Count
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from backoffice.admin.base import (
    PARTNERSHIPS_CSS,
    AuditedAdmin,
    AutocompleteWithEmptyChoiceMixin,
    ReadOnlyAdminMixin,
)
from backoffice.admin.changelist import ChangeListMixin
from backoffice.forms.partnerships import FundingPeriodForm, InstitutionAdminForm
from partnerships.models import (
    Destination,
    FundingPeriod,
    Institution,
    Network,
    NetworkMembership,
    NetworkObjective,
    Programme,
    SeedRecord,
)


@admin.register(Institution)
class InstitutionAdmin(TranslationAdmin, AuditedAdmin):
    # A filtered list counts its own rows, not the whole table as well: « 12 résultats (tout afficher) ».
    show_full_result_count = False
    form = InstitutionAdminForm
    list_display = ["name", "kind", "country_name", "city", "is_public", "is_own"]
    list_filter = ["kind", ("country", CountryFilter), "is_public", "is_own"]
    # search_text is the accent-free form of names and places: "liege" finds Liège.
    search_fields = ["name", "short_name", "city", "current_identity", "erasmus_code", "search_text"]
    prepopulated_fields = {"slug": ["name"], "slug_en": ["name_en"]}
    readonly_fields = ["logo_preview"]
    # "ulaval.ca" typed without a scheme becomes https://, Django 6's default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "slug_en", "kind", "is_public", "is_own"]}),
        (_("Localisation"), {"fields": ["country", "region", "city", ("latitude", "longitude")]}),
        (_("Identifiants"), {"fields": ["website", "schac_code", "erasmus_code"]}),
        (_("Identité actuelle"), {"fields": ["current_identity", "current_identity_confirmed"]}),
        (_("Présentation"), {"fields": ["description", "logo", "logo_preview"]}),
    ]

    class Media:
        css = PARTNERSHIPS_CSS

    # The field itself would be shown through its choices, all the world's countries listed
    # again for each row of the page.
    @admin.display(description=_("pays"), ordering="country")
    def country_name(self, institution):
        return institution.country.name

    @admin.display(description=_("aperçu du logo"))
    def logo_preview(self, institution):
        if not institution.logo:
            return _("Aucun logo pour l’instant.")
        # Width and height reserve the space before the image loads; the CSS caps its size.
        attrs = {
            "class": "logo-preview",
            "src": institution.logo.url,
            "width": institution.logo_width,
            "height": institution.logo_height,
            "alt": _("Logo de %(name)s") % {"name": institution.name},
        }
        return format_html("<img{}>", flatatt(attrs))


@admin.register(Destination)
class DestinationAdmin(TranslationAdmin, AuditedAdmin):
    list_display = ["name", "country", "region", "network", "position"]
    list_filter = [("country", CountryFilter), "network"]
    list_select_related = ["network"]
    search_fields = ["name", "region"]
    prepopulated_fields = {"slug": ["name"], "slug_en": ["name_en"]}


class NetworkMembershipInline(AutocompleteWithEmptyChoiceMixin, TranslationTabularInline):
    model = NetworkMembership
    autocomplete_fields = ["institution"]
    extra = 0
    # A long list, edited now and then: folded until needed, so that the page stays short.
    classes = ["collapse"]

    def get_queryset(self, request):
        # Each row prints its membership, whose name reads the institution and the network.
        return super().get_queryset(request).select_related("institution", "network")


class NetworkObjectiveInline(TranslationTabularInline):
    # One line per objective rather than a block each: the five of a network fit one screen.
    model = NetworkObjective
    verbose_name_plural = _("liste des objectifs")
    fields = ["position", "title", "text"]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}
    extra = 0


class FundingPeriodInline(TranslationTabularInline):
    model = FundingPeriod
    form = FundingPeriodForm
    extra = 0


# The network's page, in the order of its public page: each section fits a screen. The
# inlines come after the section they belong to (see the change_form template).
IDENTITY = _("Identité")
PRESENTATION = _("Présentation")
HISTORY = _("Historique")
OBJECTIVES = _("Objectifs")
PERSPECTIVES = _("Perspectives")
PAGE_SETTINGS = _("Adresse et place de la page")
SHORT_TEXT = AdminTextareaWidget(attrs={"rows": 4})


@admin.register(Network)
class NetworkAdmin(TranslationAdmin, AuditedAdmin):
    related_histories = (
        (NetworkMembership, "network"),
        (NetworkObjective, "network"),
        (FundingPeriod, "network"),
    )
    list_display = ["name", "short_name", "start_year", "member_count", "position"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"], "slug_en": ["name_en"]}
    fieldsets = [
        (IDENTITY, {"fields": ["name", "short_name"]}),
        (PRESENTATION, {"fields": ["summary", "introduction"]}),
        (HISTORY, {"fields": ["start_year", "history"]}),
        (OBJECTIVES, {"fields": ["general_objective", "objectives_introduction"]}),
        (PERSPECTIVES, {"fields": ["closing_text"]}),
        (
            PAGE_SETTINGS,
            {
                "fields": ["slug", "slug_en", "position"],
                "classes": ["collapse"],
                "description": _("Rarement à changer : l’adresse de la page et sa place dans les listes."),
            },
        ),
    ]
    inlines = [NetworkMembershipInline, NetworkObjectiveInline, FundingPeriodInline]
    # Which section each inline follows.
    inline_sections = {
        NetworkMembership: HISTORY,
        NetworkObjective: OBJECTIVES,
        FundingPeriod: OBJECTIVES,
    }

    class Media:
        css = PARTNERSHIPS_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("memberships", distinct=True))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The short texts of the page: four lines are enough to read them whole.
        if db_field.name in ("summary", "general_objective", "objectives_introduction", "closing_text"):
            kwargs["widget"] = SHORT_TEXT
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["sections"] = self._sections(context["adminform"], context["inline_admin_formsets"])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _sections(self, adminform, inline_admin_formsets) -> list:
        """[(fieldset, [inline formsets that follow it])], every inline placed once."""
        by_title: dict[str, list] = {str(title): [] for title in self.inline_sections.values()}
        unplaced: list = []
        for inline in inline_admin_formsets:
            title = self.inline_sections.get(inline.opts.model)
            (by_title[str(title)] if title is not None else unplaced).append(inline)
        sections = [(fieldset, by_title.pop(str(fieldset.name), [])) for fieldset in adminform]
        # An inline whose section is missing still shows, at the end.
        leftovers = [inline for inlines in by_title.values() for inline in inlines]
        if leftovers or unplaced:
            sections[-1] = (sections[-1][0], [*sections[-1][1], *leftovers, *unplaced])
        return sections

    @admin.display(description=_("membres"), ordering="member_total")
    def member_count(self, network):
        return network.member_total


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin, AuditedAdmin):
    list_display = ["code", "name", "short_name", "level", "level_confirmed", "isced_code"]
    list_filter = ["level", "level_confirmed"]
    search_fields = ["code", "name", "short_name", "isced_code"]


@admin.register(SeedRecord)
class SeedRecordAdmin(ChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """What `load_seed` has already handled: shown for reference, written only by the command."""

    list_display = ["key", "loaded_at"]
    search_fields = ["key"]
