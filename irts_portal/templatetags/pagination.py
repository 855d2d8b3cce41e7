"""The links of a paged list: plain GET links that keep the rest of the query (search, filters)."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int, parameter: str = "page") -> str:
    """The current address at page `number` of the list read from `parameter`.

    The first page has no parameter at all, so that it has one address, the list's own.
    """
    request = context["request"]
    query = request.GET.copy()
    if number == 1:
        query.pop(parameter, None)
    else:
        query[parameter] = str(number)
    return f"?{query.urlencode()}" if query else request.path


@register.simple_tag
def page_numbers(page: Page) -> list[int | None]:
    """The page numbers to link to: the ends and those around the current page; None for a gap."""
    ellipsis = page.paginator.ELLIPSIS
    return [
        None if number == ellipsis else int(number)
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
