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
