from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from uploads.checks import check_size, sniff_kind
from uploads.pdfs import check_pdf

MAX_ACTIVITY_DOCUMENT_BYTES = 10 * 1024 * 1024


def validate_public_pdf(file) -> None:
    """An activity's document, published to everyone: a real PDF, parsed whole, with no script,
    launch action or embedded file (the checks of an applicant's PDF), 10 MB at most."""
    if getattr(file, "_committed", True):
        return
    check_size(file, MAX_ACTIVITY_DOCUMENT_BYTES)
    if sniff_kind(file) != "pdf":
        raise ValidationError(
            _("Ce fichier n’est pas un PDF : enregistrez le document au format PDF, puis choisissez-le.")
        )
    check_pdf(file)
