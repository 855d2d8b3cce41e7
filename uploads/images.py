"""Checking an uploaded image with Pillow and keeping only its pixels.

The stored copy is re-encoded from the decoded picture, so that nothing the sender's device or
software wrote beside it is kept: EXIF (GPS position, device, dates), XMP, comments, PNG text
chunks, and any bytes hidden after the end of the image.
"""

import warnings
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, JpegImagePlugin

# What Pillow may call each kind once decoded; phones save photos with depth or preview
# pictures as MPO, a JPEG followed by other JPEGs (only the first, the photo, is kept).
PILLOW_FORMATS = {"png": {"PNG"}, "jpeg": {"JPEG", "MPO"}}
PILLOW_SAVE_FORMATS = {"png": "PNG", "jpeg": "JPEG"}
# What is kept of the original's information: how to show its colours and print it, nothing
# about who made it, where or with what.
KEPT_INFO = ("icc_profile", "dpi", "transparency")
JPEG_MODES = {"L", "RGB"}


def reencoded_image(file, kind: str, max_side: int | None = None) -> bytes:
    """The image in `file` (of `kind`, 'png' or 'jpeg'), upright and re-encoded from its pixels
    alone, reduced to `max_side` pixels on its longest side if given (its proportions kept);
    refuses an unreadable image or a decompression bomb."""
    image = _decoded(file, kind)
    try:
        upright = _upright(image)
        if max_side:
            upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        return _encode(upright, image, kind)
    except Exception as error:  # an image Pillow decodes but cannot write back is damaged
        raise _unreadable() from error
    finally:
        image.close()


def _decoded(file, kind: str) -> Image.Image:
    file.seek(0)
    try:
        # A bomb (a small file that decodes to a huge image) is an error here, not a warning.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as probe:
                probe.verify()
            file.seek(0)
            image = Image.open(file)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("Cette image est anormalement grande une fois décompressée."), code="bomb"
        ) from error
    except Exception as error:  # Pillow raises many kinds of errors on damaged files
        raise _unreadable() from error
    finally:
        file.seek(0)
    if image.format not in PILLOW_FORMATS[kind]:
        image.close()
        raise _unreadable()
    return image


def _upright(image: Image.Image) -> Image.Image:
    """A copy turned as the EXIF orientation says, since that tag goes with the rest of the EXIF."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # unreadable EXIF: the picture is shown as stored, as viewers would do
        return image.copy()


def _encode(upright: Image.Image, original: Image.Image, kind: str) -> bytes:
    options: dict[str, Any] = {key: original.info[key] for key in KEPT_INFO if key in original.info}
    if kind == "jpeg":
        if upright.mode not in JPEG_MODES:
            # CMYK and the like: RGB is what every viewer shows right; their colour profile no longer fits.
            upright = upright.convert("RGB")
            options.pop("icc_profile", None)
        # The original's own compression tables: as sharp as the original, and about as heavy.
        options.update(
            qtables=getattr(original, "quantization", None) or None,
            subsampling=JpegImagePlugin.get_sampling(original),
            optimize=True,
        )
        if options["qtables"] is None:
            options.update(quality=90)
    # Pillow writes some of an image's own information (comments, text, EXIF) when saving it:
    # the copy saved carries none, only what `options` names.
    upright.info = {}
    buffer = BytesIO()
    upright.save(buffer, format=PILLOW_SAVE_FORMATS[kind], **options)
    return buffer.getvalue()


def _unreadable() -> ValidationError:
    return ValidationError(_("Cette image est illisible ou endommagée."), code="bad_image")
