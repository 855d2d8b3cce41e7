"""Recognising uploaded documents by their content, never by their name or declared type.

Each kind is parsed whole (PDFs by pypdf, images by Pillow), not only recognised by its first
bytes; what is stored, and the name and type it is served under, follow from what was found.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from uploads.images import reencoded_image
from uploads.pdfs import check_pdf

# The first bytes of each accepted kind of file.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}


def sniff_kind(file) -> str | None:
    """'pdf', 'png' or 'jpeg' from the file's leading bytes, or None."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for kind, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return kind
    return None


def extension_for(content_type: str) -> str:
    """The file extension ('.pdf', '.png', '.jpg') of a content type found by `validate_document`."""
    kinds = {value: kind for kind, value in CONTENT_TYPES.items()}
    return EXTENSIONS[kinds[content_type]] if content_type in kinds else ""


def check_size(file, max_bytes: int | None = None) -> None:
    limit = max_bytes or settings.PORTAL_MAX_UPLOAD_BYTES
    if file.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    if file.size > limit:
        raise ValidationError(
            _("Le fichier pèse %(size)s ; la limite est de %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


@dataclass(frozen=True)
class CheckedDocument:
    """A document that passed the checks: what it was found to be, and the bytes to store (the
    upload itself for a PDF, a re-encoded copy without metadata for an image)."""

    kind: str
    content: File

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]

    @property
    def size(self) -> int:
        return self.content.size or 0


def validate_document(file) -> CheckedDocument:
    """Check an applicant's document by its content and return what to store.

    PDF, PNG or JPEG only, not empty, not over the size limit. A PDF must parse whole and hold
    no script, launch action or embedded file. An image must decode fully (decompression bombs
    refused) and is re-encoded, upright, without its metadata or anything appended to it.
    """
    check_size(file)
    kind = sniff_kind(file)
    if kind is None:
        raise ValidationError(
            _(
                "Ce fichier n’est ni un PDF, ni une image PNG ou JPEG. Enregistrez-le dans l’un de ces formats."
            ),
            code="bad_type",
        )
    if kind == "pdf":
        check_pdf(file)
        return CheckedDocument(kind=kind, content=file)
    content = ContentFile(reencoded_image(file, kind), name=f"document{EXTENSIONS[kind]}")
    return CheckedDocument(kind=kind, content=content)


def validate_image(file, max_bytes: int | None = None, max_side: int | None = None) -> CheckedDocument:
    """Check an uploaded picture by its content and return its re-encoded copy to store: PNG or
    JPEG only, not empty, not over `max_bytes`, decoded whole, without its metadata (GPS EXIF
    included) or anything appended to it, and no larger than `max_side` pixels on its longest side."""
    check_size(file, max_bytes)
    kind = sniff_kind(file)
    if kind not in ("png", "jpeg"):
        raise ValidationError(
            _("Ce fichier n’est pas une image PNG ou JPEG. Enregistrez-le dans l’un de ces formats."),
            code="bad_type",
        )
    content = ContentFile(reencoded_image(file, kind, max_side=max_side), name=f"image{EXTENSIONS[kind]}")
    return CheckedDocument(kind=kind, content=content)
