"""A per-client counter in the cache: shared by every worker and instance when Redis is configured."""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The client's address, for the rate limits and the login lockout.

    `X-Forwarded-For` is read only on a connection from one of the trusted proxies, the given
    number of entries from its end (what our own proxies appended): anyone else could write
    any address there, to escape a limit or to lock a chosen person out.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PORTAL_TRUSTED_PROXIES
    if proxies and _is_trusted_proxy(peer):
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return peer


def _is_trusted_proxy(peer: str) -> bool:
    if not peer:  # a Unix socket, which only the machine's own proxy can reach
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in settings.PORTAL_TRUSTED_PROXY_NETWORKS)


class LimitUnavailable(Exception):
    """The counters cannot be read: the cache is down. Answered with a 503 page
    (irts_portal.middleware.ServiceUnavailableMiddleware), never with a 500, and nothing is
    recorded, since nothing can be checked."""


def limit_exceeded(request: HttpRequest, scope: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one hit for this client and scope; True once more than `limit` hits fall in the window."""
    key = f"ratelimit:{scope}:{client_address(request)}"
    try:
        # add() only sets a missing key, so the window starts at the first hit.
        cache.add(key, 0, timeout=window_seconds)
        try:
            hits = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window_seconds)
            hits = 1
    except Exception as error:  # the cache backend's own connection errors
        # One line: the cause is known, and a traceback per refused post would flood the log.
        logger.error("Rate limit %s: the cache does not answer (%s)", scope, error)
        raise LimitUnavailable from error
    return hits > limit


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The friendly 429 answer of the rate limits."""
    response = render(request, "429.html", {"home_url": reverse("home")}, status=429)
    response["Retry-After"] = "600"
    return response
