"""The portal's admin site: the stock one, with a dashboard on its home page.

It is the default site (see `backoffice.apps.PortalAdminConfig`), so `admin.site` and every
`@admin.register` in the back office are this site. The figures come from `backoffice.dashboard`.
"""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.dashboard import expiring_agreements, open_call_figures, year_figures
from backoffice.forms.dashboard import YEAR_PARAM, DashboardYearForm


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/portal/index.html"

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        year_form = DashboardYearForm(request.GET if YEAR_PARAM in request.GET else None)
        year = year_form.chosen_year()
        if year_form.is_bound and year_form.errors:
            messages.error(
                request,
                _(
                    "Cette année universitaire n’est pas valide : le tableau de bord montre les appels ouverts."
                ),
            )
        dashboard = {
            "year_form": year_form,
            "year": year,
            "year_figures": year_figures(request, self, year) if year is not None else None,
            "calls": open_call_figures(request, self, year=year),
            "agreements": expiring_agreements(request, self),
            "statistics_url": (
                reverse(f"{self.name}:mobility_application_statistics")
                if request.user.has_perm("mobility.export_application")
                else None
            ),
        }
        return super().index(request, {**(extra_context or {}), "dashboard": dashboard})
