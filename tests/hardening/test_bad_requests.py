"""Requests that cannot be served are answered 4xx, in the site's layout, with its security
headers and one log line: a forged Host, a body in another charset, a NUL character."""

import logging

import pytest
from django.http import HttpRequest
from django.test import Client

from contact.models import ContactMessage
from irts_portal import errors
from mobility.models import Application
from partnerships import selectors
from tests.mobility.helpers import submit_application

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Permissions-Policy",
)


def assert_our_error_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    for header in SECURITY_HEADERS:
        assert response.has_header(header), header
    html = response.content.decode()
    assert '<a class="skip-link" href="#contenu">' in html  # the site's layout
    assert f"<h1>{heading}</h1>" in html
    return html


def test_a_forged_host_is_a_400_page_that_never_names_that_host(client, caplog):
    response = client.get("/fr/partenaires/", HTTP_HOST="attacker.example")
    html = assert_our_error_page(response, 400, "Requête incorrecte")
    assert "attacker.example" not in html
    # The canonical address is the site's own.
    assert '<link rel="canonical" href="http://testserver/fr/">' in html
    # One line in the server's log, without the traceback Django attaches.
    assert logged_lines(caplog) == [
        "ERROR django.security.DisallowedHost: Invalid HTTP_HOST header: 'attacker.example'. "
        "You may need to add 'attacker.example' to ALLOWED_HOSTS."
    ]


def logged_lines(caplog) -> list[str]:
    """The records logged, as the site's console handler prints them, without the time stamp."""
    console = logging.getLogger("django").handlers[0]
    printed = "\n".join(console.format(record) for record in caplog.records)
    return [line.split(" ", 2)[2] for line in printed.splitlines()]


def _post_to_contact(body: bytes, content_type: str):
    """A post of the contact form with a valid CSRF token, as a client crafting its body sends it."""
    client = Client(enforce_csrf_checks=True)
    token = client.get("/fr/contact/").cookies["csrftoken"].value
    # generic(): post() would re-encode the body in the declared charset, and fails on an unknown one.
    return client.generic("POST", "/fr/contact/", body, content_type=content_type, HTTP_X_CSRFTOKEN=token)


CONTACT_FIELDS = "name=Andr%C3%A9&email=a%40example.org&subject=Stage&message=Bonjour&website="
URLENCODED = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("content_type", "body", "logged"),
    [
        (
            f"{URLENCODED}; charset=latin-1",
            CONTACT_FIELDS.encode(),
            "declared in charset 'latin-1', not UTF-8",
        ),
        (f"{URLENCODED}; charset=utf-16", CONTACT_FIELDS.encode(), "declared in charset 'utf-16', not UTF-8"),
        (f"{URLENCODED}; charset=nope", CONTACT_FIELDS.encode(), "declared in charset 'nope', not UTF-8"),
        # Raw bytes, which Django would read as Latin-1 ("ÿþÃ(").
        (URLENCODED, CONTACT_FIELDS.encode() + b"&name=\xff\xfe\xc3\x28", "is not percent-encoded UTF-8"),
        # Percent-encoded bytes that are no UTF-8, which Django would turn into U+FFFD.
        (URLENCODED, CONTACT_FIELDS.replace("%C3%A9", "%E9").encode(), "is not percent-encoded UTF-8"),
        (
            "multipart/form-data; boundary=B",
            b'--B\r\nContent-Disposition: form-data; name="message"\r\n\r\ncaf\xe9\r\n--B--\r\n',
            "Multipart form field that is not UTF-8",
        ),
    ],
    ids=["latin-1", "utf-16", "unknown-charset", "raw-bytes", "percent-encoded-latin-1", "multipart-latin-1"],
)
def test_a_form_body_that_is_not_utf8_is_a_400_in_our_layout_and_stores_nothing(
    content_type, body, logged, caplog
):
    response = _post_to_contact(body, content_type)
    assert_our_error_page(response, 400, "Requête incorrecte")
    assert ContactMessage.objects.count() == 0
    [line] = logged_lines(caplog)
    assert line.startswith("WARNING django.request:"), line
    assert logged in line


def test_a_form_in_utf8_declared_or_not_is_accepted(caplog):
    for content_type in (URLENCODED, f"{URLENCODED}; charset=UTF-8", f"{URLENCODED}; charset=utf-8"):
        assert _post_to_contact(CONTACT_FIELDS.encode(), content_type).status_code == 302
    assert list(ContactMessage.objects.values_list("name", flat=True)) == ["André"] * 3


def test_a_broken_multipart_body_is_a_400_page(client):
    response = client.post("/fr/contact/", b"--x\r\nbroken", content_type="multipart/form-data; boundary=")
    assert_our_error_page(response, 400, "Requête incorrecte")


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/fr/partenaires/?q=%00", "Requête incorrecte"),
        ("/en/partners/?country=%00", "Bad request"),
        ("/gestion/login/?next=%00", "Requête incorrecte"),
    ],
)
def test_a_nul_character_in_the_query_string_is_a_400(client, url, heading):
    assert_our_error_page(client.get(url), 400, heading)


def test_an_unknown_address_is_our_404_page(client):
    html = assert_our_error_page(client.get("/en/nowhere/"), 404, "Page not found")
    assert 'lang="en"' in html


class UnusableRequest(HttpRequest):
    """A request whose very path cannot be read, as when the layout itself breaks."""

    @property
    def path(self):
        raise RuntimeError("unreadable request")

    @path.setter
    def path(self, value):
        pass


def test_the_error_pages_render_even_from_an_unusable_request(caplog):
    request = UnusableRequest()
    request.META = {"SERVER_NAME": "testserver", "SERVER_PORT": "80"}
    for handler, status, heading in (
        (errors.bad_request, 400, "Requête incorrecte"),
        (errors.permission_denied, 403, "Accès refusé"),
        (errors.page_not_found, 404, "Page introuvable"),
    ):
        response = handler(request, exception=None)
        assert response.status_code == status
        assert f"<h1>{heading}</h1>" in response.content.decode()
    # Each failure to render with the request is logged, with its cause.
    assert [record.exc_info[1].args for record in caplog.records] == [("unreadable request",)] * 3


def test_a_server_error_is_our_500_page_with_the_security_headers(monkeypatch):
    def broken_overview():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "overview", broken_overview)
    response = Client(raise_request_exception=False).get("/fr/")
    assert response.status_code == 500
    assert "<h1>Erreur du serveur</h1>" in response.content.decode()
    for header in SECURITY_HEADERS:
        assert response.has_header(header), header
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("Je pars\x00ailleurs", "Le caractère nul n’est pas autorisé."),
        ("x" * 1001, "Assurez-vous que cette valeur comporte au plus 1000 caractères (actuellement 1001)."),
    ],
)
def test_a_withdrawal_reason_that_cannot_be_stored_comes_back_with_its_error(client, reason, error):
    application = submit_application()
    url = f"/fr/mobilite/suivi/{application.follow_up_token()}/retrait/"
    response = client.post(url, {"reason": reason})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<p class="invalid-feedback d-block" id="id_reason_error">{error}</p>' in html
    assert 'aria-describedby="id_reason_error id_reason_helptext" aria-invalid="true"' in html
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.history.count() == 1
