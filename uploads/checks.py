"""Recognising uploaded documents by their content, never by their name or declared type."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The first bytes of each accepted kind of file.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}


def sniff_kind(file) -> str | None:
    """'pdf', 'png' or 'jpeg' from the file's leading bytes, or None."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for kind, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return kind
    return None


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


CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


def validate_document(file) -> str:
    """Check an applicant's document by its content and return its real MIME type.

    PDF, PNG or JPEG only, recognised by their leading bytes; not empty, not over the
    size limit; images fully decoded by Pillow, with decompression bombs refused.
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
    if kind in ("png", "jpeg"):
        _verify_image(file)
    return CONTENT_TYPES[kind]


def _verify_image(file) -> None:
    import warnings

    from PIL import Image

    file.seek(0)
    try:
        # A bomb (a small file that decodes to a huge image) is an error here, not a warning.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("Cette image est anormalement grande une fois décompressée."), code="bomb"
        ) from error
    except Exception as error:  # Pillow raises many kinds of errors on damaged files
        raise ValidationError(_("Cette image est illisible ou endommagée."), code="bad_image") from error
    finally:
        file.seek(0)
