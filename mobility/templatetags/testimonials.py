"""Published testimonials on the partner pages, which `partnerships` may not read itself (it is
the lower layer): its templates load this library, and each tag costs one query."""

from django import template

from mobility import selectors
from partnerships.models import Destination, Institution

register = template.Library()

TEMPLATE = "mobility/includes/testimonials.html"


@register.inclusion_tag(TEMPLATE)
def institution_testimonials(institution: Institution) -> dict:
    return {"testimonials": selectors.testimonials_for_institution(institution), "heading_id": "temoignages"}


@register.inclusion_tag(TEMPLATE)
def destination_testimonials(destination: Destination) -> dict:
    return {"testimonials": selectors.testimonials_for_destination(destination), "heading_id": "temoignages"}


@register.inclusion_tag(TEMPLATE)
def latest_testimonials() -> dict:
    return {"testimonials": selectors.latest_testimonials(), "heading_id": "temoignages"}
