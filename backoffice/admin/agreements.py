"""Staff administration of agreements, with their lifecycle: a filter on the computed status,
a renewal action (through `partnerships.services.agreement_renew`), CSV/XLSX exports of the
filtered list, and the signed PDF, downloaded through a permission-checked view.

The list costs the same number of queries whatever its length: the network comes through
`list_select_related`, the counts through annotations.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from backoffice.admin.agreement_import import IIAImportMixin
from backoffice.admin.base import PARTNERSHIPS_CSS, AuditedAdmin, AutocompleteWithEmptyChoiceMixin
from backoffice.admin.exports import ChangelistExportMixin
from backoffice.exports import agreements as agreement_exports
from backoffice.forms.partnerships import (
    AgreementAdminForm,
    AgreementPartyFormSet,
    MobilityTermForm,
    PrivateFileInput,
)
from backoffice.services.audit import export_record
from partnerships import services
from partnerships.ewp.iia_export import (
    IIAExportRefused,
    exportable,
    iia_element,
    iia_get_response,
    iia_problems,
    own_institution,
)
from partnerships.ewp.iia_hash import iia_hash
from partnerships.models import Agreement, AgreementParty, MobilityTerm
from uploads.downloads import stored_file_download

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DOWNLOAD_TEXT = _("Télécharger l’accord signé")


class AgreementPartyInline(AutocompleteWithEmptyChoiceMixin, admin.TabularInline):
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
        labels: dict[str, StrOrPromise] = dict(Agreement.Status.choices)
        labels[Agreement.Status.EXPIRING] = _("expire dans les %(days)d jours") % {
            "days": settings.PORTAL_EXPIRY_WARNING_DAYS
        }
        return list(labels.items())

    def queryset(self, request, queryset):
        status = self.value()
        if status is None or status not in Agreement.Status.values:
            return queryset
        # A subquery on the plain manager: the list's own annotations (a count of parties)
        # would otherwise be dragged, with their joins, into with_status's inner subqueries.
        return queryset.filter(pk__in=Agreement.objects.with_status(status).values("pk"))


@admin.register(Agreement)
class AgreementAdmin(IIAImportMixin, ChangelistExportMixin, TranslationAdmin, AuditedAdmin):
    # A filtered list counts its own rows, not the whole table as well: « 12 résultats (tout afficher) ».
    show_full_result_count = False
    related_histories = ((MobilityTerm, "agreement"), (AgreementParty, "agreement"))
    form = AgreementAdminForm
    list_display = ["title", "kind", "network", "status_marker", "period", "signed_in", "party_count"]
    list_filter = [AgreementStatusFilter, "kind", "network", "is_draft", "is_terminated"]
    actions = ["renew", "export_ewp"]
    export_permission = "partnerships.export_agreement"
    # The audit log's « objet », in French, the portal's language of record.
    export_subject = "accords"
    export_stem = "accords"
    list_select_related = ["network"]
    search_fields = ["title", "party_links__institution__name", "party_links__institution__short_name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["programmes"]
    readonly_fields = ["status_marker", "renewal_links", "document_link", "ewp_hash", "partner_iia_hash"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "network", "scope", "programmes"]}),
        (
            _("Signature et période"),
            {"fields": ["signed_on", "signed_year", "first_academic_year", "last_academic_year"]},
        ),
        (_("État"), {"fields": ["status_marker", "is_draft", "is_terminated", "renewal_links"]}),
        (_("Réservé au personnel"), {"fields": ["document", "staff_notes"]}),
        (_("Erasmus Without Paper"), {"fields": ["ewp_hash", "partner_iia_id", "partner_iia_hash"]}),
    ]
    inlines = [AgreementPartyInline, MobilityTermInline]

    class Media:
        css = PARTNERSHIPS_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # A subquery rather than a join and GROUP BY: the page then counts the parties of
                # its own rows, not of every agreement before sorting and cutting the list.
                party_total=Coalesce(
                    Subquery(
                        AgreementParty.objects.filter(agreement=OuterRef("pk"))
                        .order_by()
                        .values("agreement")
                        .annotate(total=Count("pk"))
                        .values("total")
                    ),
                    0,
                ),
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

    @admin.display(description=_("empreinte EWP (iia-hash)"))
    def ewp_hash(self, agreement):
        """The hash partners compare, of the conditions as saved; or what the export still needs."""
        if agreement.pk is None:
            return self.get_empty_value_display()
        own = own_institution()
        problems = iia_problems(agreement, own)
        if problems or own is None:
            return format_html(
                "{}<ul>{}</ul>",
                _("Pas encore exportable au format EWP IIA v7 :"),
                format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
            )
        return format_html("<code>{}</code>", iia_hash(iia_element(agreement, own)))

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

    # --- Erasmus Without Paper -----------------------------------------------------------

    @admin.action(permissions=["export"], description=_("Exporter au format EWP IIA v7 (XML)"))
    def export_ewp(self, request, queryset):
        agreements = list(exportable(queryset).order_by("title", "pk"))
        try:
            document = iia_get_response(agreements)
        except IIAExportRefused as refused:
            items = format_html_join(
                "",
                "<li>{}<ul>{}</ul></li>",
                (
                    (self._link(agreement), format_html_join("", "<li>{}</li>", ((p,) for p in problems)))
                    for agreement, problems in refused.problems.items()
                ),
            )
            self.message_user(
                request,
                format_html("{}<ul>{}</ul>", _("Rien n’a été exporté ; à compléter d’abord :"), items),
                messages.ERROR,
            )
            return None
        export_record(
            actor=request.user,
            subject=self.export_subject,
            file_format="ewp-iia-v7",
            row_count=len(agreements),
            filters=[],
        )
        response = HttpResponse(document, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="accords-ewp-iia-v7.xml"'
        return response

    # --- Export -------------------------------------------------------------------------

    def export_rows(self, queryset):
        return agreement_exports.agreement_rows(queryset)

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
        return stored_file_download(
            agreement.document,
            filename=f"{agreement.slug}.pdf",
            content_type="application/pdf",
            missing_message=_("Le PDF de cet accord est introuvable sur le serveur."),
        )
