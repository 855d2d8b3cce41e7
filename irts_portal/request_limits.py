"""Request bodies judged on their declared length, before anything reads them.

The first code that touches `request.POST` (the CSRF check, early in MIDDLEWARE) reads the whole
body, whatever its size, before any view or rate limit can answer. This middleware sits before it
and refuses, without reading a byte of it:

- a body declared larger than PORTAL_MAX_REQUEST_BYTES: 413, with our page saying the limit;
- a body of undeclared length (Transfer-Encoding: chunked): 411. Django would read it as empty
  anyway, and no browser sends a form that way;
- a Content-Length that is not a number: 400.

The reverse proxy applies the same cap first (deploy/nginx, client_max_body_size); this one holds
where there is no proxy, as under `make run`.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from irts_portal.typography import typeset_french_html

MEGABYTE = 1024 * 1024


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return refused_body(request) or self.get_response(request)


def refused_body(request: HttpRequest) -> HttpResponse | None:
    """The answer to a request whose body must not be read, or None when it may be."""
    declared = request.META.get("CONTENT_LENGTH", "").strip()
    if not declared:
        if request.META.get("HTTP_TRANSFER_ENCODING"):
            return _error_page(request, "400.html", 411)
        return None
    if not (declared.isascii() and declared.isdigit()):  # "²".isdigit() is true, int() refuses it
        return _error_page(request, "400.html", 400)
    if int(declared) > settings.PORTAL_MAX_REQUEST_BYTES:
        return _error_page(
            request,
            "413.html",
            413,
            {
                # Rounded down: the page never promises more than is accepted.
                "limit_mb": settings.PORTAL_MAX_REQUEST_BYTES // MEGABYTE,
                "document_mb": settings.PORTAL_MAX_UPLOAD_BYTES // MEGABYTE,
            },
        )
    return None


def _error_page(
    request: HttpRequest, template_name: str, status: int, context: dict | None = None
) -> HttpResponse:
    # LocaleMiddleware has not run yet: the page speaks the language of its address (/en/...),
    # French elsewhere, as the site does.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        response = render(request, template_name, context, status=status)
    if language == "fr":
        # FrenchTypographyMiddleware comes later in MIDDLEWARE: this page does not pass through it.
        response.content = typeset_french_html(response.content.decode()).encode()
    return response
