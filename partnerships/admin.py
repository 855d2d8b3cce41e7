"""Staff administration of institutions, destinations, networks, agreements and programmes.

Agreements also have their lifecycle here: a filter on the computed status, a renewal
action (through `services.agreement_renew`) and CSV/XLSX exports of the filtered list.

List pages cost the same number of queries whatever their length: related rows
come through `list_select_related` and counts through annotations.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.db.models.functions import Coalesce, ExtractYear
from django.forms.utils import flatatt
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from irts_portal.admin_history import AuditedAdmin
from irts_portal.admin_read_only import ReadOnlyAdminMixin
from irts_portal.storage import private_download
from mobility.admin.exports import ChangelistExportMixin
from partnerships import exports, services
from partnerships.admin_forms import (
    AgreementAdminForm,
    AgreementPartyFormSet,
    FundingPeriodForm,
    InstitutionAdminForm,
    MobilityTermForm,
    PrivateFileInput,
)
from partnerships.models import (
    Agreement,
    AgreementParty,
    Destination,
    FundingPeriod,
    Institution,
    MobilityTerm,
    Network,
    NetworkMembership,
    NetworkObjective,
    Programme,
    SeedRecord,
)

ADMIN_CSS = {"all": ["admin/partnerships/admin.css"]}
DOWNLOAD_TEXT = _("Télécharger l’accord signé")


@admin.register(Institution)
class InstitutionAdmin(AuditedAdmin):
    form = InstitutionAdminForm
    list_display = ["name", "kind", "country", "city", "is_public", "is_own"]
    list_filter = ["kind", ("country", CountryFilter), "is_public", "is_own"]
    # search_text is the accent-free form of names and places: "liege" finds Liège.
    search_fields = ["name", "short_name", "city", "current_identity", "erasmus_code", "search_text"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["logo_preview"]
    # "ulaval.ca" typed without a scheme becomes https://, Django 6's default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "is_public", "is_own"]}),
        (_("Localisation"), {"fields": ["country", "region", "city"]}),
        (_("Identifiants"), {"fields": ["website", "schac_code", "erasmus_code"]}),
        (_("Identité actuelle"), {"fields": ["current_identity", "current_identity_confirmed"]}),
        (_("Présentation"), {"fields": ["description", "logo", "logo_preview"]}),
    ]

    class Media:
        css = ADMIN_CSS

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
class DestinationAdmin(AuditedAdmin):
    list_display = ["name", "country", "region", "network", "position"]
    list_filter = [("country", CountryFilter), "network"]
    list_select_related = ["network"]
    search_fields = ["name", "region"]
    prepopulated_fields = {"slug": ["name"]}


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    autocomplete_fields = ["institution"]
    extra = 0

    def get_queryset(self, request):
        # Each row prints its membership, whose name reads the institution and the network.
        return super().get_queryset(request).select_related("institution", "network")


class NetworkObjectiveInline(admin.StackedInline):
    model = NetworkObjective
    extra = 0


class FundingPeriodInline(admin.TabularInline):
    model = FundingPeriod
    form = FundingPeriodForm
    extra = 0


@admin.register(Network)
class NetworkAdmin(AuditedAdmin):
    related_histories = (
        (NetworkMembership, "network"),
        (NetworkObjective, "network"),
        (FundingPeriod, "network"),
    )
    list_display = ["name", "short_name", "start_year", "member_count", "position"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "summary", "start_year", "position"]}),
        (
            _("Contenu de la page du réseau"),
            {
                "fields": [
                    "introduction",
                    "history",
                    "general_objective",
                    "objectives_introduction",
                    "closing_text",
                ]
            },
        ),
    ]
    inlines = [NetworkMembershipInline, NetworkObjectiveInline, FundingPeriodInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("memberships", distinct=True))

    @admin.display(description=_("membres"), ordering="member_total")
    def member_count(self, network):
        return network.member_total


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    formset = AgreementPartyFormSet
    autocomplete_fields = ["institution"]

    def get_extra(self, request, obj=None, **kwargs):
        # Two blank rows on a new agreement, the least it needs.
        return 2 if obj is None else 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution", "agreement")


class MobilityTermInline(admin.TabularInline):
    model = MobilityTerm
    form = MobilityTermForm
    extra = 0


def html_message(template, **values) -> str:
    """A translated message with HTML values (links) in it: the text is escaped, the values kept."""
    escaped = {
        name: value if isinstance(value, int) else conditional_escape(value) for name, value in values.items()
    }
    return mark_safe(conditional_escape(template) % escaped)  # noqa: S308


class AgreementStatusFilter(admin.SimpleListFilter):
    """The same statuses as `Agreement.status()`, computed by the database."""

    title = _("état")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        labels = dict(Agreement.Status.choices)
        labels[Agreement.Status.EXPIRING] = _("expire dans les %(days)d jours") % {
            "days": settings.PORTAL_EXPIRY_WARNING_DAYS
        }
        return list(labels.items())

    def queryset(self, request, queryset):
        if self.value() not in Agreement.Status.values:
            return queryset
        # A subquery on the plain manager: the list's own annotations (a count of parties)
        # would otherwise be dragged, with their joins, into with_status's inner subqueries.
        return queryset.filter(pk__in=Agreement.objects.with_status(self.value()).values("pk"))


@admin.register(Agreement)
class AgreementAdmin(ChangelistExportMixin, AuditedAdmin):
    related_histories = ((MobilityTerm, "agreement"), (AgreementParty, "agreement"))
    form = AgreementAdminForm
    list_display = ["title", "kind", "network", "status_marker", "period", "signed_in", "party_count"]
    list_filter = [AgreementStatusFilter, "kind", "network", "is_draft", "is_terminated"]
    actions = ["renew"]
    export_permission = "partnerships.export_agreement"
    # The audit log's « objet », in French, the portal's language of record.
    export_subject = "accords"
    export_stem = "accords"
    list_select_related = ["network"]
    search_fields = ["title", "party_links__institution__name", "party_links__institution__short_name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["programmes"]
    readonly_fields = ["status_marker", "renewal_links", "document_link"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "network", "scope", "programmes"]}),
        (
            _("Signature et période"),
            {"fields": ["signed_on", "signed_year", "first_academic_year", "last_academic_year"]},
        ),
        (_("État"), {"fields": ["status_marker", "is_draft", "is_terminated", "renewal_links"]}),
        (_("Réservé au personnel"), {"fields": ["document", "staff_notes"]}),
    ]
    inlines = [AgreementPartyInline, MobilityTermInline]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                party_total=Count("party_links"),
                # The exact date wins; signed_year is there when only the year is known.
                signed_in_year=Coalesce(
                    ExtractYear("signed_on"), "signed_year", output_field=models.IntegerField()
                ),
            )
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "document":
            kwargs["widget"] = PrivateFileInput(self.document_url_name, link_text=DOWNLOAD_TEXT)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only, the admin would show the file through document.url, which the private
        # storage refuses: view-only staff get the download link instead.
        return [
            (
                name,
                {**options, "fields": ["document_link" if f == "document" else f for f in options["fields"]]},
            )
            for name, options in fieldsets
        ]

    @admin.display(description=_("état"))
    def status_marker(self, agreement):
        if agreement.pk is None:
            return self.get_empty_value_display()
        return format_html(
            '<span class="agreement-status agreement-status--{}">{}</span>',
            agreement.status(),
            agreement.get_status_display(),
        )

    @admin.display(description=_("renouvellement"))
    def renewal_links(self, agreement):
        if agreement.pk is None:
            return self.get_empty_value_display()
        lines = []
        if agreement.renews_id:
            lines.append((_("Renouvelle :"), self._change_url(agreement.renews_id), agreement.renews))
        successor = Agreement.objects.filter(renews=agreement).first()
        if successor is not None:
            lines.append((_("Renouvelé par :"), self._change_url(successor.pk), successor))
        if not lines:
            return _("Ni renouvellement ni accord précédent.")
        return format_html_join(mark_safe("<br>"), '{} <a href="{}">{}</a>', lines)

    @admin.display(description=_("période"), ordering="first_academic_year")
    def period(self, agreement):
        return agreement.period_label or self.get_empty_value_display()

    @admin.display(description=_("signé en"), ordering="signed_in_year")
    def signed_in(self, agreement):
        return agreement.signed_in_year

    @admin.display(description=_("signataires"), ordering="party_total")
    def party_count(self, agreement):
        return agreement.party_total

    @admin.display(description=_("accord signé (PDF)"))
    def document_link(self, agreement):
        if not agreement.document:
            return self.get_empty_value_display()
        url = reverse(self.document_url_name, args=[quote(agreement.pk)])
        return format_html('<a href="{}">{}</a>', url, DOWNLOAD_TEXT)

    def _change_url(self, pk) -> str:
        return reverse(f"{self.admin_site.name}:partnerships_agreement_change", args=[quote(pk)])

    def _link(self, agreement) -> str:
        return format_html('<a href="{}">{}</a>', self._change_url(agreement.pk), agreement.title)

    # --- Renewal ------------------------------------------------------------------------

    @admin.action(
        permissions=["add"],
        description=_(
            "Préparer le renouvellement des accords sélectionnés (brouillon pour la période suivante)"
        ),
    )
    def renew(self, request, queryset):
        created = []
        for agreement in queryset.order_by("title", "pk"):
            try:
                successor = services.agreement_renew(agreement=agreement, actor=request.user)
            except services.RenewalRefused as error:
                message = " ".join(error.messages)
                if error.successor is not None:
                    message = html_message(
                        _("%(refusal)s Voir %(link)s."), refusal=message, link=self._link(error.successor)
                    )
                self.message_user(request, message, messages.WARNING)
            else:
                created.append(successor)
        if created:
            links = format_html_join(", ", "{}", ((self._link(successor),) for successor in created))
            template = ngettext(
                "%(count)d brouillon de renouvellement créé : %(links)s. Complétez-le (signature, PDF) "
                "puis décochez « brouillon » une fois l’accord signé.",
                "%(count)d brouillons de renouvellement créés : %(links)s. Complétez-les (signature, PDF) "
                "puis décochez « brouillon » une fois chaque accord signé.",
                len(created),
            )
            self.message_user(
                request, html_message(template, count=len(created), links=links), messages.SUCCESS
            )

    # --- Export -------------------------------------------------------------------------

    def export_rows(self, queryset):
        return exports.agreement_rows(queryset)

    # --- Signed PDF ---------------------------------------------------------------------

    @property
    def document_url_name(self) -> str:
        return f"{self.admin_site.name}:partnerships_agreement_document"

    def get_urls(self):
        # Before the default URLs, whose "<object_id>/" pattern would otherwise catch it.
        download = path(
            "<path:object_id>/document/",
            self.admin_site.admin_view(self.document_view),
            name="partnerships_agreement_document",
        )
        return [download, *super().get_urls()]

    def document_view(self, request, object_id):
        """The signed PDF, to staff allowed to view this agreement, as a download only."""
        agreement = self.get_object(request, unquote(object_id))
        # Permission first, so that staff without it cannot probe which agreements exist.
        if not self.has_view_permission(request, agreement):
            raise PermissionDenied
        if agreement is None or not agreement.document:
            raise Http404(_("Cet accord n’a pas de PDF signé."))
        try:
            file = agreement.document.open("rb")
        except FileNotFoundError as error:
            raise Http404(_("Le PDF de cet accord est introuvable sur le serveur.")) from error
        response = FileResponse(
            file, as_attachment=True, filename=f"{agreement.slug}.pdf", content_type="application/pdf"
        )
        return private_download(response)


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["code", "name", "short_name", "level", "level_confirmed", "isced_code"]
    list_filter = ["level", "level_confirmed"]
    search_fields = ["code", "name", "short_name", "isced_code"]


@admin.register(SeedRecord)
class SeedRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What `load_seed` has already handled: shown for reference, written only by the command."""

    list_display = ["key", "loaded_at"]
    search_fields = ["key"]
