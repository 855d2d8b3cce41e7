"""The application form's page while nobody has typed: rendered once per call, language and
content version, then served to each visitor with their own CSRF token and submission key.

An empty form page is the same for every visitor but for those two values, and rendering it (the
call and its destinations read, the form built, crispy-forms, the layout) takes about 6 ms where
serving the stored copy takes about 1. The copy is kept in the "pages" cache under the content
version (partnerships.content_version: any change to a call, its destinations and documents, the
partners or the programmes bumps it), with the call's opening and closing times, so that a call
that closes meanwhile is refused as before. A visitor with a message waiting (after a redirect)
or a query string, and a form sent back with errors, get a page rendered for them alone.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from mobility.models import Call
from partnerships.content_version import content_version, pages_cache_failed

# Only characters that no HTML escaping changes, so that the stand-ins are found in the output.
CSRF_STAND_IN = "csrf-token-stand-in-000000000000000000000000000000000000000000000"
KEY_STAND_IN = "submission-key-stand-in-0000000000000000000000"
TIMEOUT_SECONDS = 3600


@dataclass(frozen=True)
class StoredPage:
    html: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime

    def is_open(self) -> bool:
        return Call(is_published=True, opens_at=self.opens_at, closes_at=self.closes_at).is_open()


def stored_form_page(request: HttpRequest, slug: str) -> HttpResponse | None:
    """The stored page of the call at `slug`, with this visitor's values; None if it must be rendered."""
    if not may_be_shared(request):
        return None
    try:
        stored = caches["pages"].get(_key(slug))
    except Exception as error:  # the cache's own failure: the page is rendered for this visitor
        pages_cache_failed(error, "the application form is rendered, not stored")
        request.pages_cache_down = True  # type: ignore[attr-defined]  # read by form_page_store
        return None
    if stored is None or not stored.is_open():
        return None
    return HttpResponse(_personal(stored.html, request))


def may_be_shared(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request.GET and not len(get_messages(request))


def form_page_store(request: HttpRequest, call: Call, response: HttpResponse) -> HttpResponse:
    """Keep `response`, rendered with the stand-ins, for the next visitors; this one's values put in."""
    html = response.content.decode()
    if getattr(request, "pages_cache_down", False):  # said once already, in stored_form_page
        response.content = _personal(html, request).encode()
        return response
    try:
        caches["pages"].set(
            _key(call.url_slug), StoredPage(html, call.opens_at, call.closes_at), timeout=TIMEOUT_SECONDS
        )
    except Exception as error:
        pages_cache_failed(error, "the application form is not stored")
    response.content = _personal(html, request).encode()
    return response


def _personal(html: str, request: HttpRequest) -> str:
    # The token (letters and digits) and the key (url-safe base64) need no escaping.
    return html.replace(CSRF_STAND_IN, get_token(request)).replace(KEY_STAND_IN, secrets.token_urlsafe(32))


def _key(slug: str) -> str:
    # The slug comes from the address as typed, of any length: a digest keeps the key short.
    digest = hashlib.sha256(slug.encode()).hexdigest()
    return f"application-page:{content_version().key}:{get_language()}:{digest}"
