"""Documents are judged by parsing them whole, images keep only their pixels, and staff download
each under a name and a type that we chose from its content, never the applicant's."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader, PdfWriter

from mobility.models import Application, ApplicationDocument
from tests.documents import (
    blank_pdf,
    jpeg_with_gps_and_trailing_bytes,
    pdf_with_document_level_script,
    pdf_with_embedded_file,
    pdf_with_file_attachment_annotation,
    pdf_with_launch_action,
    pdf_with_open_action_script,
    pdf_with_page_script,
    png_with_text_chunks,
    raw_one_page_pdf,
)
from tests.mobility.helpers import open_call_with_destinations
from tests.mobility.test_public import form_page, stored_files, valid_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files_removed")]

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
UNREADABLE = "Ce PDF est illisible, incomplet ou endommagé."
PRINT_AGAIN = "Imprimez-le de nouveau en PDF (menu Imprimer, puis « Enregistrer au format PDF »)"


def post_documents(client, **documents: SimpleUploadedFile):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    return client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key, **documents)
    )


def refusal_on_cv(client, content: bytes, filename: str = "cv.pdf") -> str:
    """Post `content` as the CV; assert it was refused with nothing recorded or stored, and
    return the message shown on the field."""
    before = stored_files()
    upload = SimpleUploadedFile(filename, content, content_type="application/pdf")
    response = post_documents(client, document_cv=upload)
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert stored_files() == before
    errors = response.context["form"].errors["document_cv"]
    assert len(errors) == 1
    # As the page shows it, French spacing (narrow no-break spaces) read as plain spaces.
    assert errors[0] in re.sub("[\u202f\u00a0]", " ", response.content.decode())
    return errors[0]


def submitted_documents(client, **documents: SimpleUploadedFile) -> dict[str, ApplicationDocument]:
    response = post_documents(client, **documents)
    assert response.status_code == 302, response.context["form"].errors
    application = Application.objects.get()
    return {document.kind: document for document in application.documents.all()}


def stored_bytes(document: ApplicationDocument) -> bytes:
    with document.file.open("rb") as stored:
        return stored.read()


def download(admin_client, document: ApplicationDocument):
    """Staff's download of `document`, its bytes on `response.body`: read whole, which is also
    what closes the stored file behind it."""
    url = reverse("admin:mobility_application_document", args=[document.application_id, document.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    response.body = b"".join(response.streaming_content)
    return response


def rgb_at(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


# --- PDFs that are not whole PDFs ----------------------------------------------------------


def test_html_behind_a_pdf_header_sent_as_html_is_refused(client):
    message = refusal_on_cv(client, b"%PDF-1.4\n" + HTML, filename="cv.html")
    assert message.startswith(UNREADABLE)
    assert "imprimez-le de nouveau en PDF" in message


def test_the_pdf_magic_bytes_alone_are_refused(client):
    assert refusal_on_cv(client, b"%PDF-").startswith(UNREADABLE)


def test_a_truncated_pdf_is_refused(client):
    whole = blank_pdf()
    assert refusal_on_cv(client, whole[: len(whole) // 2]).startswith(UNREADABLE)


def test_a_pdf_without_any_page_is_refused(client):
    empty = raw_one_page_pdf().replace(b"/Kids [3 0 R] /Count 1", b"/Kids [] /Count 0     ")
    assert refusal_on_cv(client, empty) == "Ce PDF ne contient aucune page : choisissez le bon fichier."


# --- PDFs that could act on their own ------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "content"),
    [
        (pdf_with_open_action_script, "du code JavaScript"),
        (pdf_with_document_level_script, "du code JavaScript"),
        (pdf_with_page_script, "du code JavaScript"),
        (pdf_with_launch_action, "une commande qui lance un programme"),
        (pdf_with_embedded_file, "des fichiers joints"),
        (pdf_with_file_attachment_annotation, "des fichiers joints"),
    ],
    ids=["open-action-js", "document-js", "page-js", "launch", "embedded-file", "file-attachment"],
)
def test_a_pdf_with_active_content_is_refused_saying_what_to_do(client, build, content):
    pdf = build()
    PdfReader(io.BytesIO(pdf), strict=True)  # a well-formed PDF: refused for what it holds, not its form
    message = refusal_on_cv(client, pdf)
    assert message.startswith(f"Ce PDF contient {content}")
    assert PRINT_AGAIN in message


def test_every_kind_of_active_content_found_is_named(client):
    # A launch action, and a JavaScript action with its names written in #xx escapes.
    pdf = raw_one_page_pdf(
        b"/OpenAction << /S /Launch /F (calc.exe) /Next << /S /J#61vaScript /J#53 (app.alert(1)) >> >>"
    )
    message = refusal_on_cv(client, pdf)
    assert message.startswith(
        "Ce PDF contient du code JavaScript ou un autre contenu actif et une commande qui lance un programme,"
    )


def test_a_script_not_linked_from_the_document_is_refused_too(client):
    orphan = raw_one_page_pdf(b"", b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert refusal_on_cv(client, orphan).startswith("Ce PDF contient du code JavaScript")


def test_an_action_type_given_by_reference_is_refused_too(client):
    pdf = raw_one_page_pdf(b"/OpenAction << /S 4 0 R /F (calc.exe) >>", b"/Launch")
    assert refusal_on_cv(client, pdf).startswith("Ce PDF contient une commande qui lance un programme")


# --- PDFs accepted: stored and served as what they are -------------------------------------


def test_a_plain_pdf_is_stored_as_sent_and_served_as_a_pdf_named_by_us(client, admin_client):
    pdf = blank_pdf()
    upload = SimpleUploadedFile("Mon CV (version finale).html", pdf, content_type="text/html")
    cv = submitted_documents(client, document_cv=upload)["cv"]
    assert stored_bytes(cv) == pdf
    assert cv.file.name.endswith(".pdf")
    assert "version" not in cv.file.name
    assert (cv.content_type, cv.size, cv.original_name) == (
        "application/pdf",
        len(pdf),
        "Mon CV (version finale).html",
    )

    response = download(admin_client, cv)
    reference = cv.application.reference
    assert response["Content-Disposition"] == f'attachment; filename="cv-{reference}.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.body == pdf


HTA = (
    b'<HTA:APPLICATION ID="cv"><script language="VBScript">CreateObject("WScript.Shell").Run "calc"</script>'
)


@pytest.mark.parametrize(
    "polyglot",
    [
        raw_one_page_pdf(header=b"%PDF-1.7\n%" + HTML + b"\n"),  # in a comment, after the header
        raw_one_page_pdf() + HTA,  # after the end of the file, where mshta.exe finds it
        raw_one_page_pdf() + b"\n%" + HTML.upper(),
        raw_one_page_pdf(header=b"%PDF-1.7\n%<!DOCTYPE html><svg onload=alert(1)>\n"),
    ],
    ids=["html-in-a-comment", "hta-after-eof", "html-after-eof-upper-case", "svg-in-a-comment"],
)
def test_a_valid_pdf_that_hides_html_or_a_script_is_refused(client, polyglot):
    PdfReader(io.BytesIO(polyglot), strict=True)  # a PDF viewer opens it as a plain PDF
    message = refusal_on_cv(client, polyglot, filename="cv.hta")
    assert message.startswith("Ce PDF contient du code HTML ou un script caché hors de ses pages")
    assert PRINT_AGAIN in message


# --- Images: only their pixels are kept ----------------------------------------------------


def test_a_jpeg_loses_its_exif_gps_and_trailing_bytes_and_stays_upright(client, admin_client):
    trailing = b"<html><script>alert(1)</script></html>" + b"PK\x03\x04 a zip after the image"
    original = jpeg_with_gps_and_trailing_bytes(trailing)
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the test's own file does hold a GPS position
    upload = SimpleUploadedFile("lettre.jpeg.html", original, content_type="image/jpeg")
    letter = submitted_documents(client, document_motivation_letter=upload)["motivation_letter"]

    kept = stored_bytes(letter)
    assert letter.file.name.endswith(".jpg")
    assert (letter.content_type, letter.size) == ("image/jpeg", len(kept))
    assert trailing not in kept
    assert kept.endswith(b"\xff\xd9")  # nothing after the image's end marker
    for trace in (b"Exif", b"Caen", "Léa".encode(), b"script"):
        assert trace not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "comment" not in image.info
        # Sent 64×32 with 'turn 90° clockwise': stored turned, its left half (red) on top.
        assert image.size == (32, 64)
        red, _green, blue = rgb_at(image, (16, 8))
        assert red > 200
        assert blue < 60
        red, _green, blue = rgb_at(image, (16, 56))
        assert blue > 200
        assert red < 60

    response = download(admin_client, letter)
    reference = letter.application.reference
    assert response["Content-Disposition"] == f'attachment; filename="motivation-letter-{reference}.jpg"'
    assert response["Content-Type"] == "image/jpeg"
    assert response.body == kept


def test_a_png_loses_its_text_chunks(client, admin_client):
    original = png_with_text_chunks()
    assert b"tEXt" in original
    assert b"iTXt" in original
    upload = SimpleUploadedFile("lettre.png", original, content_type="image/png")
    letter = submitted_documents(client, document_motivation_letter=upload)["motivation_letter"]

    kept = stored_bytes(letter)
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk not in kept
    assert "Léa".encode() not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "PNG"
        assert image.info == {}
        assert image.size == (20, 20)
        assert rgb_at(image, (10, 10)) == (0, 128, 0)
    assert letter.file.name.endswith(".png")
    assert (letter.content_type, letter.size) == ("image/png", len(kept))

    response = download(admin_client, letter)
    assert response["Content-Type"] == "image/png"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="motivation-letter-{letter.application.reference}.png"'
    )


def test_a_png_named_as_a_pdf_is_stored_and_served_as_a_png(client, admin_client):
    upload = SimpleUploadedFile("cv.pdf", png_with_text_chunks(), content_type="application/pdf")
    cv = submitted_documents(client, document_cv=upload)["cv"]
    assert cv.file.name.endswith(".png")
    assert cv.content_type == "image/png"
    response = download(admin_client, cv)
    assert response["Content-Disposition"] == f'attachment; filename="cv-{cv.application.reference}.png"'


def test_a_password_protected_pdf_is_refused_saying_what_to_do(client):
    writer = PdfWriter(clone_from=io.BytesIO(blank_pdf()))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    message = refusal_on_cv(client, buffer.getvalue())
    assert message.startswith("Ce PDF est protégé par un mot de passe ou chiffré")
    assert "Enregistrez-en une copie sans protection" in message
