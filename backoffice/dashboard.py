"""The admin's home page: the open calls' figures (applications per status, places offered
against applications accepted per destination) and the agreements about to expire; or, for an
academic year chosen in its selector, the figures of that year's calls and the year's mobilities.

Each figure shows only to staff allowed to view the list it links to, and costs the same number
of queries whatever the number of calls, applications and agreements: the counts are grouped by
the database (`values().annotate(Count)`), never a query per call, and the expiring agreements
listed are the first few, the figure linking to the whole list.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.utils import quote
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse

from backoffice.forms.dashboard import YEAR_PARAM
from mobility.models import Application, Call, CallDestination
from mobility.models.applications import Status
from mobility.statistics.figures import YearCounts, mobility_statistics
from partnerships.academic_years import academic_year_label
from partnerships.models import Agreement
from partnerships.selectors import party_names, with_parties


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class DestinationFigures:
    name: str
    places: int | None
    places_url: str | None
    accepted: Figure

    @property
    def over_by(self) -> int:
        """How many more applications are accepted than there are places (0 when within them)."""
        if self.places is None:
            return 0
        return max(self.accepted.count - self.places, 0)

    @property
    def is_full(self) -> bool:
        return self.places is not None and self.accepted.count == self.places


@dataclass
class CallFigures:
    call: Call
    change_url: str | None
    statuses: list[Figure] = field(default_factory=list)
    total: Figure | None = None
    destinations: list[DestinationFigures] = field(default_factory=list)


def open_call_figures(
    request: HttpRequest, site: AdminSite, *, year: int | None = None
) -> list[CallFigures] | None:
    """The figures of each call open now, or of each call of academic year `year`; None for
    staff who may not view applications."""
    application_admin = site._registry.get(Application)
    if application_admin is None or not application_admin.has_view_permission(request):
        return None
    call_admin = site._registry.get(Call)
    can_view_calls = call_admin is not None and call_admin.has_view_permission(request)

    chosen = Call.objects.filter(academic_year=year) if year is not None else Call.objects.open_at()
    calls = list(chosen.order_by("closes_at", "pk"))
    if not calls:
        return []
    ids = [call.pk for call in calls]
    counts = {
        (row["call"], row["status"]): row["total"]
        for row in Application.objects.filter(call__in=ids)
        .values("call", "status")
        .annotate(total=Count("pk"))
        .order_by()
    }
    # An accepted application counts against its first choice: the portal records no other
    # destination for it (the "1er vœu" filter of the list shows the same applications).
    destinations = (
        CallDestination.objects.filter(call__in=ids)
        .select_related("institution")
        .annotate(
            accepted=Count("choices", filter=Q(choices__rank=1, choices__application__status=Status.ACCEPTED))
        )
    )

    changelist = reverse(f"{site.name}:mobility_application_changelist")
    figures = {}
    for call in calls:
        change_url = (
            reverse(f"{site.name}:mobility_call_change", args=[quote(call.pk)]) if can_view_calls else None
        )
        statuses = [
            Figure(
                str(label),
                counts.get((call.pk, status), 0),
                _filtered(changelist, call__id__exact=call.pk, status__exact=status),
            )
            for status, label in Status.choices
        ]
        total = Figure(
            "", sum(figure.count for figure in statuses), _filtered(changelist, call__id__exact=call.pk)
        )
        figures[call.pk] = CallFigures(call, change_url, statuses, total)
    for destination in destinations:
        call_figures = figures[destination.call_id]
        accepted = Figure(
            str(Status.ACCEPTED.label),
            destination.accepted,
            _filtered(
                changelist,
                call__id__exact=destination.call_id,
                status__exact=Status.ACCEPTED,
                first_choice=destination.institution_id,
            ),
        )
        call_figures.destinations.append(
            DestinationFigures(
                destination.institution.name, destination.places, call_figures.change_url, accepted
            )
        )
    return list(figures.values())


@dataclass(frozen=True)
class YearFigures:
    """A chosen academic year's mobilities, exact: staff who may view the applications may
    count them one by one."""

    label: str
    counts: YearCounts
    # The year's CSV, for staff who may export the applications.
    csv_url: str | None


def year_figures(request: HttpRequest, site: AdminSite, year: int) -> YearFigures | None:
    application_admin = site._registry.get(Application)
    if application_admin is None or not application_admin.has_view_permission(request):
        return None
    (counts,) = mobility_statistics(year=year).years
    csv_url = None
    if request.user.has_perm("mobility.export_application"):
        csv_url = _filtered(reverse(f"{site.name}:mobility_application_statistics"), **{YEAR_PARAM: year})
    return YearFigures(academic_year_label(year), counts, csv_url)


# The expiring agreements listed on the dashboard, soonest first; the figure links to all of them.
EXPIRING_SHOWN = 10


@dataclass(frozen=True)
class ExpiringAgreements:
    days: int
    # The first EXPIRING_SHOWN, soonest ending first.
    agreements: list[dict]
    count: int
    list_url: str

    @property
    def more(self) -> int:
        """How many the table leaves out."""
        return self.count - len(self.agreements)


def expiring_agreements(request: HttpRequest, site: AdminSite) -> ExpiringAgreements | None:
    """The agreements the status filter calls "expiring", or None for staff who may not see them."""
    agreement_admin = site._registry.get(Agreement)
    if agreement_admin is None or not agreement_admin.has_view_permission(request):
        return None
    # The same window as the status filter that the figure links to.
    days = settings.PORTAL_EXPIRY_WARNING_DAYS
    expiring = Agreement.objects.expiring_within(days)
    soonest = with_parties(expiring.order_by("last_academic_year", "title", "pk")[:EXPIRING_SHOWN])
    agreements = [
        {
            "agreement": agreement,
            "url": reverse(f"{site.name}:partnerships_agreement_change", args=[quote(agreement.pk)]),
            "parties": party_names(agreement),
        }
        for agreement in soonest
    ]
    count = expiring.count()
    list_url = (
        reverse(f"{site.name}:partnerships_agreement_changelist") + f"?status={Agreement.Status.EXPIRING}"
    )
    return ExpiringAgreements(days, agreements, count, list_url)


def _filtered(changelist_url: str, **lookups) -> str:
    return f"{changelist_url}?{urlencode(lookups)}"
