"""Public pages served whole from the cache, and never stale.

The partner and call pages change only when staff edit content, yet each was rebuilt on every
request. Here an anonymous GET of one of those pages is stored once rendered (after French
typography) under its address, query string included, and the language in it; later requests get
the stored bytes, from the "pages" cache (Redis when there is one, else files shared by the
machine's workers: no database query). Every stored page belongs to one *content version*: saving
or deleting any content the public pages show bumps the version, so that the next request renders
anew. Nothing is invalidated page by page, and a lost or failing cache only costs a render.

Left out, and so always fresh: requests with a session or a message waiting (staff, a visitor
just redirected with a message), and any response that sets a cookie or depends on one (a page
with a form's CSRF token), which Django marks with `Vary: Cookie`.

Responses carry an ETag and Last-Modified (the content version's time) and answer 304 to a
conditional request; a shared proxy may keep them a minute, a browser revalidates each time.
"""

import functools
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control
from django.utils.http import http_date

from mobility.selectors import next_call_change
from partnerships.content_version import ContentVersion, content_version, pages_cache_failed

logger = logging.getLogger(__name__)

# The pages cached whole: their content comes from the database and the settings only.
# "mobility:figures" is left out: it counts applications, whose decisions bump no content
# version; it is rendered at each request from a fixed number of grouped queries.
CACHED_PAGES = frozenset(
    {
        "home",
        "about",
        "legal_notice",
        "privacy",
        "accessibility",
        "partnerships:index",
        "partnerships:destination",
        "partnerships:institution",
        "partnerships:network",
        "activities:list",
        "activities:detail",
        "mobility:index",
        "mobility:call",
    }
)
# At most this long in the cache: calls open and close with time, not only with edits.
PAGE_TIMEOUT_SECONDS = 300
# What a shared proxy may keep without asking again; browsers revalidate (max-age=0).
PROXY_MAX_AGE_SECONDS = 60
STORED_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "ETag", "Last-Modified")


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        try:
            version = content_version()
            key = _page_key(request, version.key)
            stored = caches["pages"].get(key)
        except Exception as error:  # the page cache's own failure (a full disk, Redis down): render instead
            pages_cache_failed(error, "the page is rendered")
            return self.get_response(request)
        if stored is not None:
            response = HttpResponse(stored["content"])
            for name, value in stored["headers"].items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not _cacheable_response(response):
                return response
            response["ETag"] = _etag(response.content)
            response["Last-Modified"] = http_date(version.changed_at)
            headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
            try:
                caches["pages"].set(key, {"content": response.content, "headers": headers}, _timeout(version))
            except Exception as error:
                pages_cache_failed(error, "the page is not stored")
            response["X-Page-Cache"] = "miss"
        patch_cache_control(response, public=True, max_age=0, s_maxage=PROXY_MAX_AGE_SECONDS)
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=int(version.changed_at), response=response
        )
        return conditional or response


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    return name in CACHED_PAGES


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
    )


def _page_key(request: HttpRequest, version: str) -> str:
    # The address names the language (/fr/, /en/); the query string is the search's filters.
    address = request.get_full_path()
    digest = hashlib.sha256(f"{address}\n{_portal_settings_fingerprint()}".encode()).hexdigest()
    return f"page:{version}:{digest}"


@functools.cache
def _portal_settings_fingerprint() -> str:
    """The portal's settings, which the pages show some of (the host, the contact address): a
    restart with new ones must not meet pages stored before it. Read once per process."""
    return repr(
        sorted((name, getattr(settings, name)) for name in dir(settings) if name.startswith("PORTAL_"))
    )


@receiver(setting_changed)
def _forget_settings_fingerprint(*, setting: str, **kwargs) -> None:
    # Settings change at run time only in tests (override_settings).
    if setting.startswith("PORTAL_"):
        _portal_settings_fingerprint.cache_clear()


def _etag(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def _timeout(version: ContentVersion) -> int:
    """Until the next call opens or closes, within PAGE_TIMEOUT_SECONDS.

    That moment changes only with the calls, which bump the version: it is looked up once per
    version, not at every page stored."""
    key = f"next-call-change:{version.key}"
    upcoming = caches["pages"].get(key, "unknown")
    if upcoming == "unknown":
        upcoming = next_call_change()
        caches["pages"].set(key, upcoming, PAGE_TIMEOUT_SECONDS)
    if upcoming is None:
        return PAGE_TIMEOUT_SECONDS
    return max(1, min(PAGE_TIMEOUT_SECONDS, int((upcoming - timezone.now()).total_seconds())))
