"""The reads of the activity pages: one network's published activities, filtered and paged."""

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse

from activities.models import Activity, ActivityQuerySet
from partnerships.models import Institution, Network
from partnerships.models.english_slugs import slug_matches

ACTIVITIES_PER_PAGE = 10
LATEST_ON_NETWORK_PAGE = 3


def network_of_activities(slug: str) -> Network:
    return get_object_or_404(Network, slug_matches(slug))


def published_activities(network: Network) -> ActivityQuerySet:
    return Activity.objects.published().filter(network=network)


def activity_years(network: Network) -> list[int]:
    """The years in which the network's published activities start, latest first."""
    return [day.year for day in published_activities(network).dates("start_date", "year", order="DESC")]


def activity_page(
    network: Network, *, kind: str | None, year: int | None, page_number: str | None
) -> "Page[Activity]":
    # The network joined: each row's link names it.
    activities = published_activities(network).select_related("network").upcoming_first()
    if kind:
        activities = activities.filter(kind=kind)
    if year:
        activities = activities.filter(start_date__year=year)
    return Paginator(activities, ACTIVITIES_PER_PAGE).get_page(page_number)


def activity_detail(network: Network, slug: str) -> Activity:
    """A published activity of `network`, with its partners; 404 for a draft or another network's."""
    return get_object_or_404(
        published_activities(network)
        .select_related("network")
        # Only the partners the public site shows: a hidden one would be a name without a page.
        .prefetch_related(Prefetch("institutions", queryset=Institution.objects.filter(is_public=True))),
        slug_matches(slug),
    )


def latest_activities(network: Network) -> list[Activity]:
    return list(
        published_activities(network).select_related("network").upcoming_first()[:LATEST_ON_NETWORK_PAGE]
    )


def activity_list_url(network: Network) -> str:
    return reverse("activities:list", kwargs={"network_slug": network.url_slug})
