from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mobility.models import Application, Call, CallDestination, StatusChange
from mobility.models.applications import hash_token
from partnerships.models.english_slugs import slug_matches


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


def calls_by_state() -> dict[str, QuerySet[Call]]:
    return {
        "open": Call.objects.open_at().order_by("closes_at"),
        "upcoming": Call.objects.upcoming_at().order_by("opens_at"),
        "closed": Call.objects.closed_at().order_by("-closes_at")[:10],
    }


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
