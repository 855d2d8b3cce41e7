"""Test data for the mobility app: real files and real submissions through the service."""

import datetime
import io
import secrets

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mobility import services
from mobility.models import Application
from partnerships.models import Programme
from tests.documents import blank_pdf
from tests.factories import CallDestinationFactory, CallDocumentFactory, CallFactory, ProgrammeFactory
from uploads.checks import validate_document

MINIMAL_PDF = blank_pdf()


def pdf_file(name: str = "cv.pdf", content: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(name: str = "lettre.png", size: tuple[int, int] = (20, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def open_call_with_destinations(count: int = 3, **call_fields):
    call = CallFactory.create(**call_fields)
    destinations = [CallDestinationFactory.create(call=call) for _ in range(count)]
    CallDocumentFactory.create(call=call, kind="cv", is_required=True)
    CallDocumentFactory.create(call=call, kind="motivation_letter", is_required=True)
    return call, destinations


def submit_application(call=None, **overrides) -> Application:
    """An application submitted through the real service, with a stored PDF CV."""
    if call is None:
        call, _destinations = open_call_with_destinations()
    destinations = list(call.destinations.all())
    fields = {
        "given_names": "Camille",
        "family_name": "Martin",
        "email": "camille.martin@example.org",
        "category": "student",
        "year_of_study": 2,
        "mobility_type": "student_traineeship",
        "wished_start": timezone.localdate() + datetime.timedelta(days=120),
        "wished_end": timezone.localdate() + datetime.timedelta(days=240),
        "motivation": "Je souhaite découvrir d’autres pratiques de l’intervention sociale. " * 6,
        **overrides,
    }
    if fields["category"] == "student" and "programme" not in fields:
        fields["programme"] = Programme.objects.order_by("pk").first() or ProgrammeFactory.create()
    applicant = services.Applicant(**fields)
    application, _created = services.application_submit(
        call=call,
        submission_key=secrets.token_urlsafe(32),
        applicant=applicant,
        choices=destinations[:2],
        languages=[("fr", "C2"), ("en", "B1")],
        documents=[
            services.UploadedDocument(
                kind="cv", original_name="cv.pdf", checked=validate_document(pdf_file())
            )
        ],
    )
    return application
