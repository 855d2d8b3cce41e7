"""Logo uploads: checked by content with Pillow, capped, re-encoded without metadata, and sized."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 4000
ALLOWED_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
# The largest side a stored logo keeps. Pages show logos at most 12rem wide and 4.5rem high
# (192 × 72 CSS pixels): 480 covers a screen of 2.5 device pixels per CSS pixel.
STORED_LOGO_SIDE = 480


def _open_checked(file) -> Image.Image:
    if file.size > MAX_LOGO_BYTES:
        raise ValidationError(_("Le logo pèse plus de 1 Mo : réduisez-le puis choisissez-le à nouveau."))
    file.seek(0)
    try:
        with Image.open(file) as probe:
            probe.verify()
        file.seek(0)
        image = Image.open(file)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Ce fichier n’est pas une image PNG, JPEG ou WebP lisible.")) from error
    finally:
        file.seek(0)
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(_("Le logo doit être une image PNG, JPEG ou WebP."))
    if max(image.size) > MAX_LOGO_SIDE:
        raise ValidationError(_("Le logo dépasse 4000 pixels de côté : réduisez-le."))
    return image


def validate_logo(file) -> None:
    # Files already stored were checked when uploaded; only new uploads are read.
    if getattr(file, "_committed", True):
        return
    _open_checked(file)


def logo_without_metadata(file) -> ContentFile:
    """A copy of the uploaded logo re-encoded from its pixels only (no EXIF, GPS or comments),
    reduced to STORED_LOGO_SIDE pixels on its longest side, its proportions kept."""
    image = _open_checked(file)
    image_format = image.format or ""  # known: _open_checked refuses any other
    extension = ALLOWED_FORMATS[image_format]
    # A new image from the raw pixels carries none of the original's info (EXIF, XMP, text chunks).
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    palette = image.getpalette()
    if image.mode == "P" and palette:
        clean.putpalette(palette)
    clean.thumbnail((STORED_LOGO_SIDE, STORED_LOGO_SIDE), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    clean.save(buffer, format=image_format)
    stem = (file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "logo")[:60]
    return ContentFile(buffer.getvalue(), name=f"{stem}.{extension}")
