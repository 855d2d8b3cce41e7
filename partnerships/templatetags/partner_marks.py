from django import template

from partnerships.models import Institution
from partnerships.monograms import monogram_of

register = template.Library()


@register.inclusion_tag("partnerships/includes/partner_mark.html")
def partner_mark(institution: Institution, size: str = "small") -> dict:
    """The partner's logo if staff uploaded one, else its monogram; decorative either way,
    since the institution's name always stands next to it."""
    return {
        "institution": institution,
        "monogram": None if institution.logo else monogram_of(institution.name),
        "size": size,
    }
