from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from uploads.checks import check_size, sniff_kind
from uploads.pdfs import check_pdf

MAX_AGREEMENT_BYTES = 20 * 1024 * 1024


def validate_signed_pdf(file) -> None:
    """The signed agreement: a real PDF, parsed whole, with no script, launch action or embedded
    file (the same checks as an applicant's PDF), 20 MB at most."""
    if getattr(file, "_committed", True):
        return
    check_size(file, MAX_AGREEMENT_BYTES)
    if sniff_kind(file) != "pdf":
        raise ValidationError(_("Ce fichier n’est pas un PDF : choisissez le PDF de l’accord signé."))
    check_pdf(file)
