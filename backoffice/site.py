"""The portal's admin site: the stock one, with a dashboard on its home page.

It is the default site (see `backoffice.apps.PortalAdminConfig`), so `admin.site` and every
`@admin.register` in the back office are this site. The figures come from `backoffice.dashboard`.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

from backoffice.dashboard import expiring_agreements, open_call_figures


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/portal/index.html"

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        dashboard = {
            "calls": open_call_figures(request, self),
            "agreements": expiring_agreements(request, self),
        }
        return super().index(request, {**(extra_context or {}), "dashboard": dashboard})
