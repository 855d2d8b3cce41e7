"""Site-wide pages: home, static information pages, health, robots and error pages."""

import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from contact import services as contact_services
from contact.forms import ContactForm
from irts_portal.accessibility import compliance_status
from irts_portal.health import health
from mobility.forms.errors import error_summary_context
from mobility.ratelimit import limit_exceeded, too_many_requests
from partnerships import selectors as partner_selectors

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "overview": partner_selectors.overview(),
        "own_institution": partner_selectors.own_institution_described(),
        "partner_maps": partner_selectors.partner_maps(partner_selectors.destinations()),
    }
    return render(request, "pages/home.html", context)


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html")


@require_safe
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/legal_notice.html",
        {
            "publication_director": settings.PORTAL_PUBLICATION_DIRECTOR,
            "hosting_provider": settings.PORTAL_HOSTING_PROVIDER,
            "hosting_address": settings.PORTAL_HOSTING_ADDRESS,
        },
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/privacy.html",
        {"retention_months": settings.PORTAL_RETENTION_MONTHS},
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/accessibility.html",
        {
            "compliance": compliance_status(),
            "statement_date": settings.PORTAL_ACCESSIBILITY_STATEMENT_DATE,
            "site_address": settings.PORTAL_BASE_URL,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_contact(request, ContactForm())
    form = ContactForm(request.POST)
    is_robot = form.is_robot()
    if not is_robot and not form.is_valid():
        form.link_errors_to_fields()
        return _render_contact(request, form)
    # Counted once a message would be sent, so that typing errors never use up the allowance.
    if limit_exceeded(request, "contact", settings.PORTAL_CONTACT_MESSAGES_PER_HOUR):
        return too_many_requests(request)
    if not is_robot:
        data = form.cleaned_data
        contact_services.contact_message_submit(
            name=data["name"],
            email=data["email"],
            application_reference=data["application_reference"],
            subject=data["subject"],
            body=data["message"],
            language=request.LANGUAGE_CODE,
        )
    # A robot is thanked like a person, so that it learns nothing; it stored and sent nothing.
    return redirect("contact_sent")


def _render_contact(request: HttpRequest, form: ContactForm) -> HttpResponse:
    return render(
        request,
        "pages/contact.html",
        {
            "form": form,
            **error_summary_context(form),
            "retention_months": settings.PORTAL_RETENTION_MONTHS,
        },
    )


@require_safe
def contact_sent(request: HttpRequest) -> HttpResponse:
    response = render(request, "pages/contact_sent.html")
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness for load balancers and monitoring: 200 only when every part works, else 503
    with the failing part named (irts_portal.health)."""
    report = health()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@cache_control(max_age=86400, public=True)
@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL_PATH}",
        "Disallow: /i18n/",
        f"Sitemap: {settings.PORTAL_BASE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only once static files are collected.
    return redirect(static("img/favicon.svg"), permanent=True)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The 403 shown when a form's security token is missing or stale, in the site's layout."""
    return render(request, "403_csrf.html", {"retry_url": request.path}, status=403)


# The public files are partner logos (ImageField): images only, under their own type.
PUBLIC_MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


@require_safe
def public_media(request: HttpRequest, name: str) -> FileResponse:
    """A public file, read from the storage: a bucket's public prefix, or the media folder when
    no nginx serves it (`make run`). Kept an hour by browsers: a logo replaced under the same
    name shows within the hour."""
    content_type = PUBLIC_MEDIA_TYPES.get(PurePosixPath(name).suffix.lower())
    if content_type is None:
        raise Http404
    storage = storages["default"]
    try:
        if not storage.exists(name):
            raise Http404
        handle = storage.open(name, "rb")
    except SuspiciousOperation as outside:  # "..", an absolute path
        raise Http404 from outside
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
