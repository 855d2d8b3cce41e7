from django import template
from django.utils.safestring import SafeString

from partnerships.models import Institution
from partnerships.structured_data import institution_description, json_ld

register = template.Library()


@register.simple_tag
def institution_json_ld(institution: Institution) -> SafeString:
    """The institution's schema.org description, in the page's head; its memberships prefetched."""
    return json_ld(institution_description(institution))
