"""The portal's admin site: the stock one, with a dashboard on its home page.

It is the default site (see `irts_portal.apps.PortalAdminConfig`), so `admin.site` and every
`@admin.register` in the apps are this site. The dashboard shows each figure only to staff
allowed to view the list it links to, and costs the same number of queries whatever the
number of calls, applications and agreements.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import reverse

from partnerships.exports import party_names, with_parties
from partnerships.models import Agreement


@dataclass(frozen=True)
class ExpiringAgreements:
    days: int
    agreements: list[dict]
    list_url: str

    @property
    def count(self) -> int:
        return len(self.agreements)


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/portal/index.html"

    def index(self, request, extra_context=None):
        # Imported here: the admin modules register with this site while it is being created.
        from mobility.admin.dashboard import open_call_figures

        dashboard = {
            "calls": open_call_figures(request, self),
            "agreements": self.expiring_agreements(request),
        }
        extra_context = {**(extra_context or {}), "dashboard": dashboard}
        return super().index(request, extra_context)

    def expiring_agreements(self, request) -> ExpiringAgreements | None:
        """The agreements the status filter calls "expiring", or None for staff who may not see them."""
        agreement_admin = self._registry.get(Agreement)
        if agreement_admin is None or not agreement_admin.has_view_permission(request):
            return None
        # The same window as the status filter that the figure links to.
        days = settings.PORTAL_EXPIRY_WARNING_DAYS
        expiring = with_parties(
            Agreement.objects.expiring_within(days).order_by("last_academic_year", "title")
        )
        agreements = [
            {
                "agreement": agreement,
                "url": reverse(f"{self.name}:partnerships_agreement_change", args=[quote(agreement.pk)]),
                "parties": party_names(agreement),
            }
            for agreement in expiring
        ]
        list_url = (
            reverse(f"{self.name}:partnerships_agreement_changelist") + f"?status={Agreement.Status.EXPIRING}"
        )
        return ExpiringAgreements(days, agreements, list_url)
