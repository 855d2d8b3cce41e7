"""Site-wide pages: home, static information pages, health, robots and error pages."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from partnerships import selectors as partner_selectors

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", {"overview": partner_selectors.overview()})


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html")


@require_safe
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/legal_notice.html",
        {"hosting_provider": settings.PORTAL_HOSTING_PROVIDER},
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/privacy.html",
        {"retention_months": settings.PORTAL_RETENTION_MONTHS},
    )


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contact.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database readiness for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The details go to the log, not to an unauthenticated caller.
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@cache_control(max_age=86400, public=True)
@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL_PATH}",
        "Disallow: /i18n/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only once static files are collected.
    return redirect(static("img/favicon.svg"), permanent=True)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The 403 shown when a form's security token is missing or stale, in the site's layout."""
    return render(request, "403_csrf.html", {"retry_url": request.path}, status=403)
