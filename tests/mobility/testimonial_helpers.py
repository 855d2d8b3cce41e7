"""Test data for testimonials: a completed mobility, through the real workflow, and its link."""

import io

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from mobility.models import Application
from mobility.models.applications import Status
from mobility.services import application_transition
from tests.documents import jpeg_with_gps_and_trailing_bytes
from tests.mobility.helpers import submit_application

ROUTE_TO_COMPLETION = (Status.UNDER_REVIEW, Status.ACCEPTED, Status.DEPARTED, Status.COMPLETED)
TEXT = (
    "Six semaines à Liège dans un service de protection de l’enfance : j’ai découvert une autre façon "
    "de travailler avec les familles, plus de réunions partagées et beaucoup d’écoute."
)


def complete(application: Application, actor: User | None = None) -> Application:
    for status in ROUTE_TO_COMPLETION:
        application_transition(application=application, to_status=status, actor=actor)
    return application


def completed_application(capture, **overrides) -> Application:
    """An application moved to « mobilité terminée » by staff, its mails delivered."""
    with capture(execute=True):
        application = complete(submit_application(**overrides))
    application.refresh_from_db()
    return application


def staff_member(username: str, role: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def photo_with_gps(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps_and_trailing_bytes(b""), content_type="image/jpeg")


def valid_post(application: Application, **overrides) -> dict:
    first = application.choices.order_by("rank").first()
    return {
        "institution": first.destination.institution_id if first else "",
        "text": TEXT,
        "display_name": "Camille",
        "photo_alt": "",
        "consent": "on",
        **overrides,
    }


def stored_bytes(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def jpeg_size(content: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        return image.size
