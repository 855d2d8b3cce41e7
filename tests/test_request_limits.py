"""Request bodies are judged on their declared length before anything reads them
(irts_portal.request_limits): too large, 413 with our page; of unknown length, 411."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from mobility.models import Application
from mobility.models.calls import DocumentKind
from partnerships.documents import MAX_AGREEMENT_BYTES
from tests.factories import CallDocumentFactory
from tests.mobility.helpers import MINIMAL_PDF, open_call_with_destinations
from tests.mobility.test_public import form_page, stored_files, valid_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files_removed")]

MEGABYTE = 1024 * 1024


def call_asking_every_document():
    call, destinations = open_call_with_destinations()
    for kind in DocumentKind.values:
        if kind not in ("cv", "motivation_letter"):
            CallDocumentFactory.create(call=call, kind=kind, is_required=True)
    return call, destinations


def documents_of(size: int) -> dict[str, SimpleUploadedFile]:
    content = MINIMAL_PDF + b"0" * (size - len(MINIMAL_PDF))
    return {
        f"document_{kind}": SimpleUploadedFile(f"{kind}.pdf", content, content_type="application/pdf")
        for kind in DocumentKind.values
    }


def test_the_cap_holds_every_upload_the_site_accepts():
    assert len(DocumentKind.choices) == settings.PORTAL_MAX_DOCUMENTS_PER_APPLICATION
    assert settings.PORTAL_MAX_REQUEST_BYTES > (
        settings.PORTAL_MAX_DOCUMENTS_PER_APPLICATION * settings.PORTAL_MAX_UPLOAD_BYTES
    )
    assert settings.PORTAL_MAX_REQUEST_BYTES > MAX_AGREEMENT_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == MEGABYTE


def test_an_application_with_every_document_at_its_largest_is_accepted(client):
    call, destinations = call_asking_every_document()
    _html, key = form_page(client, call)
    documents = documents_of(settings.PORTAL_MAX_UPLOAD_BYTES)
    response = client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key, **documents)
    )
    assert response.status_code == 302, response.context["form"].errors
    application = Application.objects.get()
    assert application.documents.count() == len(DocumentKind.choices)


def test_an_application_over_the_cap_gets_the_413_page_and_nothing_is_stored(client):
    call, destinations = call_asking_every_document()
    _html, key = form_page(client, call)
    before = stored_files()
    documents = documents_of(6 * MEGABYTE)
    response = client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key, **documents)
    )
    assert response.status_code == 413
    page = response.content.decode().replace("\u202f", " ")
    assert "<h1>Envoi trop volumineux</h1>" in page
    assert "Votre envoi dépasse 31 Mo" in page
    assert "Chaque pièce jointe peut peser jusqu’à 5 Mo" in page
    # The security headers of every page.
    assert response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert not Application.objects.exists()
    assert stored_files() == before
    # Refused before the view: the submissions' rate limit never counted it.
    assert cache.get("ratelimit:apply:127.0.0.1") is None


def test_the_body_is_refused_unread(client):
    # Declared far larger than sent: whatever tried to read it would fail the test client's payload.
    response = client.generic(
        "POST",
        "/fr/contact/",
        b"name=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(150 * MEGABYTE),
    )
    assert response.status_code == 413


def test_a_body_of_exactly_the_cap_goes_through(client):
    # Not a form's content type: Django reads none of it, so nothing needs sending for the check.
    response = client.generic(
        "POST",
        "/fr/contact/",
        b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.PORTAL_MAX_REQUEST_BYTES),
    )
    assert response.status_code == 200
    response = client.generic(
        "POST",
        "/fr/contact/",
        b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.PORTAL_MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413


def test_the_413_page_speaks_the_language_of_its_address(client):
    response = client.generic(
        "POST", "/en/contact/", b"x", content_type="text/plain", CONTENT_LENGTH=str(40 * MEGABYTE)
    )
    assert response.status_code == 413
    assert '<html lang="en">' in response.content.decode()


def test_a_chunked_body_without_length_is_refused(client):
    response = client.generic("POST", "/fr/contact/", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert "<h1>Requête incorrecte</h1>" in response.content.decode()


def test_a_length_that_is_not_a_number_is_refused(client):
    response = client.generic("POST", "/fr/contact/", b"x", CONTENT_LENGTH="12abc")
    assert response.status_code == 400


def test_requests_without_a_body_pass(client):
    assert client.get("/fr/").status_code == 200
