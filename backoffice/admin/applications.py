"""Applications, for reviewers.

What an applicant submitted is shown read-only: staff never edit it. The status
moves only through the services, from one button per allowed next status, with a
comment (see `backoffice.admin.application_status`). Documents download through a
permission-checked view (the private storage has no URL), and the filtered list
exports to CSV or XLSX.

The list costs the same number of queries whatever its length: the first choice
comes through a subquery. Deleting goes through
`backoffice.services.applications.applications_delete`, which leaves no trace of
the person.
"""

import logging

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from backoffice.admin.application_status import ApplicationStatusMixin
from backoffice.admin.base import MOBILITY_CSS, AuditedAdmin, fieldset_fields
from backoffice.admin.exports import ChangelistExportMixin
from backoffice.admin.filtering import is_database_integer
from backoffice.exports import applications as application_exports
from backoffice.exports import formats
from backoffice.exports.statistics import statistics_rows
from backoffice.forms.dashboard import YEAR_PARAM, DashboardYearForm
from backoffice.services.applications import applications_delete
from backoffice.services.audit import export_record
from mobility import services
from mobility.models import (
    Application,
    ApplicationChoice,
    ApplicationDocument,
    ApplicationLanguage,
)
from mobility.models.applications import Status
from mobility.statistics.figures import mobility_statistics
from partnerships.models import Institution
from uploads.downloads import stored_file_download

logger = logging.getLogger(__name__)

# The audit log's « objet » of the figures' CSV, in French as the other exports'.
STATISTICS_SUBJECT = "mobilité en chiffres"

# The call filter's query-string parameter (Django's related-field filter on Application.call).
CALL_PARAMETER = "call__id__exact"


def _verbose_name(model, field_name: str):
    return model._meta.get_field(field_name).verbose_name


class DestinationFilter(admin.SimpleListFilter):
    """Applications with this institution among their choices, whatever the rank.

    The institutions listed are those chosen in the call filtered on (a call offers tens of
    destinations), else in any call. Past MAX_LISTED of those, the list would outgrow the page (a
    portal of thousands of partners): the filter then asks for a call first, and still shows the
    institution filtered on, if any.
    """

    title = _("destination (l’un des vœux)")
    parameter_name = "destination"
    template = "admin/mobility/application/destination_filter.html"
    MAX_LISTED = 50
    too_many = False
    # Further conditions on the matching choice (its rank, for the first-choice filter).
    choice_conditions: dict = {}

    def lookups(self, request, model_admin):
        chosen = ApplicationChoice.objects.filter(
            destination__institution=OuterRef("pk"), **self.choice_conditions
        )
        call = request.GET.get(CALL_PARAMETER)
        limit = None
        if call is not None and is_database_integer(call):
            chosen = chosen.filter(application__call=int(call))
        else:
            limit = self.MAX_LISTED + 1
        institutions = list(
            Institution.objects.filter(Exists(chosen)).order_by("name").values_list("pk", "name")[:limit]
        )
        self.too_many = limit is not None and len(institutions) >= limit
        if self.too_many:
            institutions = []
        # The institution filtered on stays in sight, with its "selected" mark, whatever the list.
        selected = self.value()
        if is_database_integer(selected or "") and all(str(pk) != selected for pk, _name in institutions):
            institutions += Institution.objects.filter(pk=int(str(selected))).values_list("pk", "name")
        return institutions

    def has_output(self):
        return bool(self.lookup_choices) or self.too_many

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not is_database_integer(value):
            return queryset.none()
        chosen = ApplicationChoice.objects.filter(
            application=OuterRef("pk"), destination__institution=int(value), **self.choice_conditions
        )
        return queryset.filter(Exists(chosen))


class FirstChoiceFilter(DestinationFilter):
    """Applications whose first choice is this institution. The dashboard counts an accepted
    application against its first choice, the portal recording no other destination for it."""

    title = _("1er vœu")
    parameter_name = "first_choice"
    choice_conditions = {"rank": 1}


@admin.register(Application)
class ApplicationAdmin(ApplicationStatusMixin, ChangelistExportMixin, AuditedAdmin):
    # A filtered list counts its own rows, not the whole table as well: « 12 résultats (tout afficher) ».
    show_full_result_count = False
    # What a reviewer scans, and no more, so that the list fits a 1280 px screen next to the
    # filters without scrolling sideways: the call is a filter (and on the change page).
    list_display = ["reference", "full_name", "first_choice", "status_marker", "submitted_on"]
    list_display_links = ["reference", "full_name"]
    list_filter = ["call", "status", DestinationFilter, FirstChoiceFilter, "programme", "category"]
    search_fields = ["reference", "given_names", "family_name", "email"]
    date_hierarchy = "submitted_at"
    actions = ["start_review"]
    export_permission = "mobility.export_application"
    # The audit log's « objet », in French, the portal's language of record.
    export_subject = "candidatures"
    export_stem = "candidatures"
    fieldsets = [
        # The status is shown above, with its buttons (see the change_form template).
        (None, {"fields": ["reference", "call", "submitted_at", "language", "updated_at", "decided_at"]}),
        (
            _("Personne candidate"),
            {
                "fields": [
                    "given_names",
                    "family_name",
                    "email",
                    "phone",
                    "category",
                    "programme",
                    "year_of_study",
                    "home_institution",
                ]
            },
        ),
        (
            _("Projet de mobilité"),
            {
                "fields": [
                    "mobility_type",
                    "choice_list",
                    "wished_start",
                    "wished_end",
                    "language_list",
                    "motivation",
                ]
            },
        ),
        (_("Consentement"), {"fields": ["consent_given_at"]}),
    ]
    # Everything: what the applicant submitted is never edited here.
    readonly_fields = fieldset_fields(fieldsets)

    class Media:
        css = MOBILITY_CSS

    # --- Permissions -----------------------------------------------------------------

    def has_add_permission(self, request):
        # Applications come only from the public form.
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing an applicant submitted is edited; the status has its own permission and views.
        return False

    def has_download_permission(self, request, obj=None):
        return request.user.has_perm("mobility.download_applicationdocument") and self.has_view_permission(
            request, obj
        )

    # --- List ------------------------------------------------------------------------

    def get_queryset(self, request):
        first_choice = ApplicationChoice.objects.filter(application=OuterRef("pk"), rank=1)
        return (
            super()
            .get_queryset(request)
            .annotate(first_choice_name=Subquery(first_choice.values("destination__institution__name")[:1]))
        )

    @admin.display(description=_("personne candidate"), ordering="family_name")
    def full_name(self, application):
        return application.full_name

    @admin.display(description=_("1er vœu"), ordering="first_choice_name")
    def first_choice(self, application):
        return application.first_choice_name or self.get_empty_value_display()

    @admin.display(description=_verbose_name(Application, "submitted_at"), ordering="submitted_at")
    def submitted_on(self, application):
        # The day is what the list needs; the time is on the change page.
        return date_format(timezone.localtime(application.submitted_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_verbose_name(Application, "status"), ordering="status")
    def status_marker(self, application):
        return format_html(
            '<span class="application-status application-status--{}">{}</span>',
            application.status,
            application.get_status_display(),
        )

    def export_rows(self, queryset):
        return application_exports.application_rows(queryset)

    @admin.action(
        permissions=["change_status"],
        description=_("Mettre en examen les candidatures déposées sélectionnées"),
    )
    def start_review(self, request, queryset):
        # Stored and e-mailed in French, the portal's language of record with applicants.
        with translation.override(settings.LANGUAGE_CODE):
            comment = gettext(
                "Votre candidature est en cours d’examen par le service des relations internationales."
            )
        moved = skipped = 0
        for application in queryset.order_by("pk"):
            try:
                services.application_transition(
                    application=application,
                    to_status=Status.UNDER_REVIEW,
                    actor=request.user,
                    comment=comment,
                    visible_to_applicant=True,
                )
            except services.TransitionRefused:
                skipped += 1
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d candidature mise en examen ; la personne candidate en est informée par e-mail.",
                    "%(count)d candidatures mises en examen ; chaque personne candidate en est informée par e-mail.",
                    moved,
                )
                % {"count": moved},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d candidature laissée telle quelle : seule une candidature « déposée » peut être mise en examen.",
                    "%(count)d candidatures laissées telles quelles : seule une candidature « déposée » peut être mise en examen.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    # --- Change page -----------------------------------------------------------------

    @admin.display(description=_("vœux de destination, par ordre de préférence"))
    def choice_list(self, application):
        choices = application.choices.select_related("destination__institution").order_by("rank")
        if not choices:
            return self.get_empty_value_display()
        items = format_html_join(
            "",
            "<li>{}</li>",
            ((choice.destination.institution,) for choice in choices),
        )
        return format_html('<ol class="mobility-ranked">{}</ol>', items)

    @admin.display(description=ApplicationLanguage._meta.verbose_name_plural)
    def language_list(self, application):
        languages = list(application.languages.all())
        if not languages:
            return self.get_empty_value_display()
        items = format_html_join(
            "",
            "<li>{} — {}</li>",
            ((language.get_language_display(), language.level) for language in languages),
        )
        return format_html('<ul class="mobility-languages">{}</ul>', items)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self._review_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _review_context(self, request, application) -> dict:
        """The status, its buttons and history, and the documents, for the change page."""
        can_download = self.has_download_permission(request, application)
        documents = [
            {
                "document": document,
                "url": reverse(
                    f"{self.admin_site.name}:mobility_application_document",
                    args=[quote(application.pk), document.pk],
                )
                if can_download
                else None,
            }
            for document in application.documents.all()
        ]
        return {
            **self.status_context(request, application),
            "can_download": can_download,
            "application_documents": documents,
            "document_headers": [
                _verbose_name(ApplicationDocument, name)
                for name in ("kind", "original_name", "content_type", "size", "uploaded_at")
            ],
        }

    # --- Deletion: one service, which leaves no trace of the person ----------------------

    def delete_model(self, request, obj):
        applications_delete(applications=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        applications_delete(applications=queryset, actor=request.user)

    def log_deletions(self, request, queryset):
        # The admin's log would keep each applicant's name (its entries quote the object). The
        # deletion's record is the audit event that `applications_delete` writes, with the
        # references only.
        return []

    # --- Views of their own ------------------------------------------------------------

    def get_urls(self):
        # Before the default URLs, whose "<object_id>/" pattern would otherwise catch them.
        wrap = self.admin_site.admin_view
        own = [
            path("statistics/", wrap(self.statistics_view), name="mobility_application_statistics"),
            path(
                "<path:object_id>/documents/<int:document_id>/",
                wrap(self.document_view),
                name="mobility_application_document",
            ),
            path(
                "<path:object_id>/transition/<str:to_status>/",
                wrap(self.transition_view),
                name="mobility_application_transition",
            ),
        ]
        return [*own, *super().get_urls()]

    def statistics_view(self, request):
        """The figures of "La mobilité en chiffres", exact, as CSV: all years, or `?annee=`."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = DashboardYearForm(request.GET if YEAR_PARAM in request.GET else None)
        if form.is_bound and form.errors:
            messages.error(request, _("Cette année universitaire n’est pas valide : rien n’a été exporté."))
            return redirect(f"{self.admin_site.name}:index")
        year = form.chosen_year()
        statistics = mobility_statistics(year=year)
        # Built before the response: the rows are few (tens per year), and the audit entry
        # records their number.
        rows = list(statistics_rows(statistics))
        response = formats.export_response(
            rows,
            file_format="csv",
            sheet_title="",
            stem=f"mobilite-en-chiffres-{year}" if year else "mobilite-en-chiffres",
        )
        export_record(
            actor=request.user,
            subject=STATISTICS_SUBJECT,
            file_format="csv",
            row_count=len(rows) - 1,
            filters=[YEAR_PARAM] if year is not None else [],
        )
        logger.info("%s exported as csv by user %s", STATISTICS_SUBJECT, request.user.pk)
        return response

    def document_view(self, request, object_id, document_id):
        """A document of this application, to staff allowed to download it, as a download only."""
        application = self.get_object(request, unquote(object_id))
        # Permission first, so that staff without it cannot probe which applications exist.
        if not self.has_download_permission(request, application):
            raise PermissionDenied
        if application is None:
            raise Http404(_("Cette candidature n’existe pas."))
        # Through the application's manager, so that the document knows it (its download name
        # reads the reference) without another query.
        document = application.documents.filter(pk=document_id).first()
        if document is None:
            raise Http404(_("Cette candidature n’a pas cette pièce jointe."))
        response = stored_file_download(
            document.file,
            filename=document.download_name,
            content_type=document.content_type,
            missing_message=_("Le fichier de cette pièce est introuvable sur le serveur."),
        )
        logger.info(
            "Document %s of application %s downloaded by user %s",
            document.pk,
            application.reference,
            request.user.pk,
        )
        return response
