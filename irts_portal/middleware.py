import logging

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.utils import translation

from irts_portal import errors
from irts_portal.typography import typeset_french_html
from mobility.ratelimit import LimitUnavailable

logger = logging.getLogger(__name__)


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
