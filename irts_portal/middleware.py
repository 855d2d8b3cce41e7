import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.utils import translation

from irts_portal import errors
from irts_portal.typography import typeset_french_html
from mobility.ratelimit import LimitUnavailable

logger = logging.getLogger(__name__)

# What Django puts in place of the bytes of a multipart field that are not UTF-8.
REPLACEMENT_CHARACTER = "\ufffd"


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header, which Django's SecurityMiddleware does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class FrenchTypographyMiddleware:
    """Set French typography (irts_portal.typography) on the public pages served in French."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            # The public site; the admin keeps Django's own French, which sets its own spaces.
            request.path.startswith("/fr/")
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Encoding")
        ):
            charset = response.charset or "utf-8"
            response.content = typeset_french_html(response.content.decode(charset)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


class FrenchAdminMiddleware:
    """The back office speaks French, whatever the browser asks for.

    It is the school's working tool: its lists, forms and exports show the French content
    (the English texts sit beside the French ones in each form), as the staff's records do.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL_PATH}"

    def __call__(self, request):
        if request.path.startswith(self.admin_prefix):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)


class ServiceUnavailableMiddleware:
    """A part the site needs is down: a clear 503 page and one log line, not a 500.

    The parts are the rate limits' cache, and the database when it cannot be reached or is not
    there (a missing SQLite file is recreated empty, without tables). A fault of the code itself
    (an IntegrityError, a ProgrammingError) stays a 500, with its traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LimitUnavailable):
            part = "the cache"
        elif isinstance(exception, (OperationalError, InterfaceError)):
            part = "the database"
        else:
            return None
        cause = exception.__cause__ or exception
        logger.error("%s %s: %s does not answer (%s)", request.method, request.path, part, cause)
        response = errors.service_unavailable(request)
        # Said above, with its cause: django.request would add a second, vaguer line.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response


class UndecodableBodyMiddleware:
    """A form body that is not UTF-8 is a bad request (400), before anything stores it.

    Every page of the site is UTF-8, and browsers send its forms so: percent-encoded ASCII for a
    plain form, UTF-8 text fields in a multipart one. Django refuses a body declared in another
    known charset, but ignores an unknown one (`charset=nope`), reads stray bytes of an
    urlencoded body as Latin-1, and replaces the invalid bytes of a multipart field with U+FFFD:
    each time, text that nobody typed would be stored as if it had been.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            _refuse_undecodable_body(request)
        return self.get_response(request)


def _refuse_undecodable_body(request) -> None:
    charset = request.content_params.get("charset")
    if charset is not None and charset.strip().lower() != "utf-8":  # as strict as Django's own check
        raise BadRequest(f"Form body declared in charset {charset[:40]!r}, not UTF-8")
    if request.content_type == "application/x-www-form-urlencoded":
        body = request.body
        try:
            body.decode("ascii")
            unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadRequest("Form body is not percent-encoded UTF-8") from error
    elif request.content_type == "multipart/form-data" and any(
        REPLACEMENT_CHARACTER in text for key, values in request.POST.lists() for text in (key, *values)
    ):
        raise BadRequest("Multipart form field that is not UTF-8")


class NullCharacterMiddleware:
    """A query string carrying a NUL character is a bad request (400).

    No address of the site uses one, and PostgreSQL refuses it in any text parameter, so that a
    search or a filter given `%00` would otherwise fail as a server error. Form fields refuse it
    themselves (Django's ProhibitNullCharactersValidator), with an error next to the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)
