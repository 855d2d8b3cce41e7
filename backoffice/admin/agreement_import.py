"""Importing a partner's EWP IIA v7 file in the agreements admin: upload, preview, confirm.

The upload is read (partnerships.ewp.iia_import) and, if it passes, what was read waits in the
session, never the file itself, while staff look at the preview: each partner matched by its
SCHAC code or to be created, each mobility term, the differences from our agreement, what our
agreements cannot hold, and whether the file's iia-hash matches its content. Confirming saves
drafts only (partnerships.services.agreement_import_iia).
"""

import logging
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.forms.ewp import IIAFileForm, NewPartnerForm
from partnerships import services
from partnerships.academic_years import academic_year_label
from partnerships.ewp.iia_export import own_institution
from partnerships.ewp.iia_import import ImportedIIA, ImportedTerm, differences, matching_agreement
from partnerships.ewp.schemas import SchemasMissing, iia_get_response_schema
from partnerships.models import Institution

if TYPE_CHECKING:
    _ModelAdmin = ModelAdmin
else:
    _ModelAdmin = object

logger = logging.getLogger(__name__)
SESSION_KEY = "ewp_iia_import"


class IIAImportMixin(_ModelAdmin):
    """The « Importer un accord EWP » button of the agreements list, and its two pages."""

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm("partnerships.import_agreement") and self.has_add_permission(request)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        own = [
            path("import-ewp/", wrap(self.iia_upload_view), name="partnerships_agreement_import"),
            path(
                "import-ewp/apercu/",
                wrap(self.iia_preview_view),
                name="partnerships_agreement_import_preview",
            ),
        ]
        return [*own, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        if self.has_import_permission(request):
            extra_context = {
                **(extra_context or {}),
                "import_url": reverse("admin:partnerships_agreement_import"),
            }
        return super().changelist_view(request, extra_context)

    # --- 1. The file --------------------------------------------------------------------

    def iia_upload_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        own = own_institution()
        try:
            iia_get_response_schema()
            unavailable = ""
        except SchemasMissing as missing:
            unavailable = str(missing)
        posted = request.method == "POST" and not unavailable
        form = IIAFileForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            own_schac_code=own.schac_code if own else "",
        )
        if posted and form.is_valid():
            request.session[SESSION_KEY] = {
                "file_name": form.cleaned_data["file"].name,
                "iias": [iia.as_data() for iia in form.iias],
            }
            return redirect("admin:partnerships_agreement_import_preview")
        if posted and form.errors:
            logger.info("EWP import refused for user %s: %s", request.user.pk, form.errors.as_text())
        return TemplateResponse(
            request,
            "admin/partnerships/agreement/ewp_import.html",
            {
                **self._context(request, _("Importer un accord EWP (IIA v7)")),
                "form": form,
                "unavailable": unavailable,
            },
        )

    # --- 2. The preview, and the confirmation ---------------------------------------------

    def iia_preview_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        pending = request.session.get(SESSION_KEY)
        if not pending:
            self.message_user(request, _("Aucun fichier en attente : choisissez-en un."), messages.WARNING)
            return redirect("admin:partnerships_agreement_import")
        iias = [ImportedIIA.from_data(data) for data in pending["iias"]]
        previews = [self._preview(request, position, iia) for position, iia in enumerate(iias)]
        if request.method == "POST" and all(
            p["partner_form"] is None or p["partner_form"].is_valid() for p in previews
        ):
            with transaction.atomic():
                results = [
                    services.agreement_import_iia(
                        imported=preview["iia"],
                        new_partner=preview["partner_form"].cleaned_data if preview["partner_form"] else None,
                        actor=request.user,
                    )
                    for preview in previews
                ]
            del request.session[SESSION_KEY]
            self._report(request, pending["file_name"], results, iias)
            return redirect("admin:partnerships_agreement_changelist")
        return TemplateResponse(
            request,
            "admin/partnerships/agreement/ewp_import_preview.html",
            {
                **self._context(request, _("Aperçu de l’import EWP")),
                "file_name": pending["file_name"],
                "previews": previews,
                "has_errors": any(
                    p["partner_form"] is not None and p["partner_form"].errors for p in previews
                ),
            },
        )

    def _preview(self, request, position: int, iia: ImportedIIA) -> dict:
        partner = Institution.objects.filter(schac_code=iia.partner_hei_id).first()
        agreement = matching_agreement(iia, partner)
        partner_form = None
        if partner is None:
            partner_form = NewPartnerForm(
                request.POST if request.method == "POST" else None,
                prefix=f"partner-{position}",
            )
        return {
            "iia": iia,
            "partner": partner,
            "partner_form": partner_form,
            "agreement": agreement,
            "updates": agreement is not None and agreement.is_draft,
            "differences": differences(iia, agreement) if agreement is not None else [],
            "terms": [_term_row(term) for term in iia.terms],
        }

    def _report(self, request, file_name: str, results, iias: list[ImportedIIA]) -> None:
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:partnerships_agreement_change", args=[result.agreement.pk]),
                    result.agreement.title,
                )
                for result in results
            ),
        )
        created = sum(result.created for result in results)
        self.message_user(
            request,
            format_html(
                "{} {}",
                _("« %(file)s » importé : %(created)d brouillon(s) créé(s), %(updated)d mis à jour.")
                % {"file": file_name, "created": created, "updated": len(results) - created},
                links,
            ),
            messages.SUCCESS,
        )
        for iia in iias:
            if not iia.hash_matches:
                self.message_user(
                    request,
                    _(
                        "L’empreinte annoncée par le partenaire pour son accord %(iia_id)s (%(declared)s) ne "
                        "correspond pas à son contenu (%(computed)s) : le fichier a été modifié ou mal produit. "
                        "Vérifiez-le avec le partenaire avant toute signature."
                    )
                    % {
                        "iia_id": iia.partner_iia_id or "?",
                        "declared": iia.declared_hash,
                        "computed": iia.computed_hash,
                    },
                    messages.WARNING,
                )
        logger.info("EWP import of %s by user %s: %d agreement(s)", file_name, request.user.pk, len(results))

    def _context(self, request, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "upload_url": reverse("admin:partnerships_agreement_import"),
        }


def _term_row(term: ImportedTerm) -> dict:
    """A mobility term of the file, as the preview's table shows it."""
    if term.duration_months:
        duration = _("%(months)s mois") % {"months": number_format(Decimal(term.duration_months).normalize())}
    elif term.duration_days:
        duration = ngettext("%(days)d jour", "%(days)d jours", term.duration_days) % {
            "days": term.duration_days
        }
    else:
        duration = ""
    language = f"{term.language} ({term.cefr_level})" if term.language and term.cefr_level else term.language
    return {
        "label": term.label,
        "years": f"{academic_year_label(term.first_academic_year)} – {academic_year_label(term.last_academic_year)}",
        "places": term.places_per_year,
        "duration": duration,
        "isced_code": term.isced_code,
        "eqf_level": term.eqf_level,
        "language": language,
    }
