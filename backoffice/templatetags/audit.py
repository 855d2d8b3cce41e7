from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


@register.filter
def field_label(field_name: str, opts_or_model) -> str:
    """A model field's verbose name, for the history tables ("places par an", not "places_per_year")."""
    opts = getattr(opts_or_model, "_meta", opts_or_model)
    try:
        return str(opts.get_field(field_name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return field_name
