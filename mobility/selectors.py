import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, Min, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from mobility.models import Application, Call, CallDestination, StatusChange, Testimonial
from mobility.models.applications import Status, hash_token
from mobility.models.calls import CallState, state_conditions
from partnerships.models import Destination, Institution
from partnerships.models.english_slugs import slug_matches

# Calls on a page of the mobility index: a year's calls fit on one.
CALLS_PER_PAGE = 20


def call_for_page(slug: str) -> Call:
    destinations = CallDestination.objects.select_related("institution", "agreement").order_by(
        "position", "institution__name"
    )
    try:
        return (
            Call.objects.published()
            .prefetch_related(Prefetch("destinations", queryset=destinations), "documents")
            .get(slug_matches(slug))
        )
    except Call.DoesNotExist as missing:
        raise Http404 from missing


def next_call_change() -> datetime.datetime | None:
    """When a published call next opens or closes, changing what the public pages show."""
    now = timezone.now()
    moments = Call.objects.published().aggregate(
        opening=Min("opens_at", filter=Q(opens_at__gt=now)),
        closing=Min("closes_at", filter=Q(closes_at__gt=now)),
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


@dataclass
class CallSection:
    state: CallState
    calls: list[Call]


def published_calls(page_number: str | None) -> tuple[Page, list[CallSection]]:
    """A page of the published calls, and its calls by state: the open ones first, soonest closing
    first, then those to come, soonest opening first, then the closed ones, latest first."""
    now = timezone.now()
    condition = state_conditions(now)
    calls = (
        Call.objects.published()
        .annotate(
            state_rank=Case(
                When(condition[CallState.OPEN], then=Value(0)),
                When(condition[CallState.UPCOMING], then=Value(1)),
                default=Value(2),
            ),
            next_date=Case(
                When(condition[CallState.OPEN], then=F("closes_at")),
                When(condition[CallState.UPCOMING], then=F("opens_at")),
            ),
        )
        .order_by("state_rank", F("next_date").asc(nulls_last=True), "-closes_at", "pk")
    )
    page = Paginator(calls, CALLS_PER_PAGE).get_page(page_number)
    sections: list[CallSection] = []
    for call in page.object_list:
        state = call.state_at(now)
        if not sections or sections[-1].state != state:
            sections.append(CallSection(state, []))
        sections[-1].calls.append(call)
    return page, sections


def application_for_token(token: str) -> Application:
    """The application behind a follow-up link, or a 404 that tells nothing either way."""
    if not token or len(token) > 100:
        raise Http404
    try:
        return (
            Application.objects.select_related("call", "programme")
            .prefetch_related(
                Prefetch("choices__destination__institution"),
                "languages",
                "documents",
                # Every status change concerns the applicant; staff-only comments are hidden by the page.
                Prefetch("history", queryset=StatusChange.objects.order_by("changed_at", "pk")),
            )
            .get(token_hash=hash_token(token))
        )
    except Application.DoesNotExist as missing:
        raise Http404 from missing


@dataclass
class TestimonialAccess:
    """What a testimonial link opens: the application it was sent for (None once deleted under
    the retention period), and the testimonial written with it (None before one is)."""

    application: Application | None
    testimonial: Testimonial | None

    @property
    def institutions(self) -> list[Institution]:
        """Where the mobility may have taken place: the institutions the person wished to go to."""
        if self.application is None:
            return []
        return [choice.destination.institution for choice in self.application.choices.all()]


def testimonial_access_for_token(token: str) -> TestimonialAccess:
    """What a testimonial link opens, or a 404 that tells nothing either way.

    The link does not expire: it opens the form once the mobility is completed for as long as
    the application is kept, and its testimonial for as long as that exists, so that consent
    can be withdrawn at any time.
    """
    if not token or len(token) > 100:
        raise Http404
    token_hash = hash_token(token)
    testimonial = Testimonial.objects.select_related("institution").filter(token_hash=token_hash).first()
    applications = Application.objects.prefetch_related("choices__destination__institution")
    if testimonial is not None:
        application = applications.filter(pk=testimonial.application_id).first()
        return TestimonialAccess(application=application, testimonial=testimonial)
    application = applications.filter(testimonial_token_hash=token_hash, status=Status.COMPLETED).first()
    if application is None:
        raise Http404
    return TestimonialAccess(application=application, testimonial=None)


# The testimonials a page shows at most, newest first.
TESTIMONIALS_PER_PAGE = 6


def _published_testimonials() -> QuerySet[Testimonial]:
    return Testimonial.objects.published().select_related("institution").order_by("-moderated_at", "-pk")


def testimonials_for_institution(institution: Institution) -> list[Testimonial]:
    return list(_published_testimonials().filter(institution=institution)[:TESTIMONIALS_PER_PAGE])


def testimonials_for_destination(destination: Destination) -> list[Testimonial]:
    """Those about an institution the destination covers, as `Destination.covers` says: in its
    region, or for a whole country, in none of the regions shown as destinations of their own."""
    here = Q(institution__country=destination.country.code)
    if destination.region:
        here &= Q(institution__region=destination.region)
    else:
        regions_elsewhere = Destination.objects.filter(country=destination.country.code).exclude(region="")
        here &= ~Q(institution__region__in=regions_elsewhere.values("region"))
    return list(_published_testimonials().filter(here)[:TESTIMONIALS_PER_PAGE])


def latest_testimonials() -> list[Testimonial]:
    return list(_published_testimonials()[:TESTIMONIALS_PER_PAGE])


def testimonial_with_photo(pk: int) -> Testimonial:
    testimonial = Testimonial.objects.filter(pk=pk).exclude(photo="").first()
    if testimonial is None:
        raise Http404
    return testimonial
