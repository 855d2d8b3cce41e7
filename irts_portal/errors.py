"""The error pages: ours, in the site's layout, even when the request that failed is unusable.

Django's own handlers re-run the CSRF check on the failed request (which re-reads a body that
could not be decoded) and its pages build addresses from the Host header that was refused; either
turned a 400 into a 500. These render from what is known to be safe, and fall back to the
standalone 500 page, rendered without the request, if the layout itself cannot be rendered.
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "404.html", 404)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    response = _error_page(request, "503.html", 503)
    response["Retry-After"] = "300"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # The database or a template may be what failed: the 500 page needs neither.
    return HttpResponse(render_to_string("500.html"), status=500)


def _error_page(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    try:
        return render(request, template_name, status=status)
    except Exception:
        # Logged once, with its cause; the visitor still gets an answer of the right status.
        logger.exception("The %s page could not be rendered with its request", status)
    try:
        # The same page without the request: no language switcher and no session, nothing else lost.
        return HttpResponse(render_to_string(template_name), status=status)
    except Exception:
        logger.exception("The %s page could not be rendered at all", status)
        return HttpResponse(render_to_string("500.html"), status=status)
