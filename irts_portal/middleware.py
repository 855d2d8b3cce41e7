from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from irts_portal.typography import typeset_french_html
from mobility.ratelimit import LimitUnavailable


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
    """A part the site needs is down (the rate limits' cache): a clear 503 page, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LimitUnavailable):
            response = render(request, "503.html", {"home_url": reverse("home")}, status=503)
            response["Retry-After"] = "300"
            return response
        return None
