"""Numbers of "La mobilité en chiffres" as the visitor reads them: grouped by thousands in the
page's language (1 234 in French, 1,234 in English), a protected count as its words."""

from django import template
from django.utils.formats import number_format

from mobility.statistics.charts import count_text
from mobility.statistics.suppression import Cell

register = template.Library()


@register.filter
def grouped(value: int) -> str:
    return number_format(value, force_grouping=True)


@register.filter
def public_count(cell: Cell) -> str:
    """The count, "< 5" or "masqué": never the exact value of a protected cell."""
    return count_text(cell)
