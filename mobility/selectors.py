import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, Min, Prefetch, Q, Value, When
from django.http import Http404
from django.utils import timezone

from mobility.models import Application, Call, CallDestination, StatusChange
from mobility.models.applications import hash_token
from mobility.models.calls import CallState, state_conditions
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
