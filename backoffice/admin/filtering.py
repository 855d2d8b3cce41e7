"""Admin lists filter by what they declare, and nothing else.

Django's changelist turns any query-string parameter naming a field of the model into a filter,
with any lookup: `?motivation__regex=(x+x+)+y` held a worker for 30 seconds, `?token_hash__startswith=0`
read a secret one character at a time, and out-of-range numbers reached the database as errors.
Here a parameter is accepted only if one of the list's declared filters (or its date hierarchy)
produces it, and its value only if it has the form that filter gives it; anything else is a 400.
"""

from collections.abc import Callable
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.utils.text import smart_split
from django.utils.translation import gettext as _

# The lookups Django's own list filters put in their links: exact values, empty or not, and
# the date filter's ranges. Regex, contains and startswith are not among them.
FIELD_FILTER_LOOKUPS = ("exact", "isnull")
DATE_FILTER_LOOKUPS = ("gte", "lt")
DATE_HIERARCHY_PARTS = ("year", "month", "day")
# The values a database integer column holds (PostgreSQL's bigint; SQLite's integer).
SMALLEST_INTEGER, LARGEST_INTEGER = -(2**63), 2**63 - 1
# Years whose every instant exists in UTC and in Paris: the first of January of year 1, in Paris,
# falls before year 1 in UTC, and the end of year 9999's range in year 10000.
FIRST_YEAR, LAST_YEAR = 2, 9998
# Words of an admin search: each adds a condition on every searched column, and SQLite refuses a
# query past a depth of 1,000; nobody searches a list with more than a few words.
MAX_SEARCH_TERMS = 10

ValueCheck = Callable[[str], bool]


if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _ModelAdmin = ModelAdmin
else:
    _ModelAdmin = object


class DeclaredFiltersOnlyMixin(_ModelAdmin):
    """For every ModelAdmin of the portal's admin site (a test checks that each has it)."""

    def lookup_allowed(self, lookup: str, value: str, request=None) -> bool:
        accepted = self.declared_filter_parameters().get(lookup)
        if accepted is None or not accepted(value):
            return False
        return super().lookup_allowed(lookup, value, request)

    def declared_filter_parameters(self) -> dict[str, ValueCheck]:
        """Each query-string parameter the declared filters use, with the check of its value."""
        parameters: dict[str, ValueCheck] = {}
        for list_filter in self.list_filter:
            if isinstance(list_filter, (tuple, list)):
                list_filter = list_filter[0]
            if isinstance(list_filter, str):
                parameters.update(_field_filter_parameters(self.model, list_filter))
            else:  # a SimpleListFilter checks its own value, in its queryset()
                parameters[str(cast(type[admin.SimpleListFilter], list_filter).parameter_name)] = _any_value
        if self.date_hierarchy:
            for part in DATE_HIERARCHY_PARTS:
                parameters[f"{self.date_hierarchy}__{part}"] = _DATE_PART_CHECKS[part]
        return parameters

    def get_search_results(self, request, queryset, search_term):
        terms = smart_split(search_term)
        kept = list(islice(terms, MAX_SEARCH_TERMS))
        if next(terms, None) is not None:
            messages.warning(
                request,
                _("La recherche ne tient compte que de ses %(count)s premiers mots.")
                % {"count": MAX_SEARCH_TERMS},
            )
            search_term = " ".join(kept)
        return super().get_search_results(request, queryset, search_term)


def _field_filter_parameters(model: type[models.Model], field_path: str) -> dict[str, ValueCheck]:
    field: Any = get_fields_from_path(model, field_path)[-1]
    # A relation is filtered by the key of the row it points to.
    valued_field = field.target_field if field.is_relation else field
    check = _value_check(valued_field)
    lookups = FIELD_FILTER_LOOKUPS + (DATE_FILTER_LOOKUPS if isinstance(field, models.DateField) else ())
    parameters = {f"{field_path}__{lookup}": check for lookup in lookups}
    # The filter of a field without choices (AllValuesFieldListFilter, django-countries' own)
    # links with the bare field name.
    parameters[field_path] = check
    parameters[f"{field_path}__isnull"] = _is_boolean
    if field.is_relation:
        parameters[f"{field_path}__{valued_field.name}__exact"] = check
    return parameters


def _value_check(field) -> ValueCheck:
    if isinstance(field, models.BooleanField):
        return _is_boolean
    if isinstance(field, (models.IntegerField, models.AutoField)):
        return is_database_integer
    if isinstance(field, models.DateField):  # DateTimeField too: the date filter's bounds
        return _is_date
    return _any_value


def _any_value(value: str) -> bool:
    return "\x00" not in value


def _is_boolean(value: str) -> bool:
    return value in ("0", "1", "True", "False", "true", "false")


def is_database_integer(value: str | int) -> bool:
    # The facet counts (?_facets=True) pass each choice's own value, a primary key: an int.
    value = str(value)
    # ASCII digits only: str.isdigit() accepts "²", which int() refuses.
    digits = value.removeprefix("-")
    return digits.isascii() and digits.isdigit() and SMALLEST_INTEGER <= int(value) <= LARGEST_INTEGER


def _is_date(value: str) -> bool:
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return False
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _is_in_range(low: int, high: int) -> ValueCheck:
    def check(value: str) -> bool:
        return value.isascii() and value.isdigit() and low <= int(value) <= high

    return check


_DATE_PART_CHECKS = {
    "year": _is_in_range(FIRST_YEAR, LAST_YEAR),
    "month": _is_in_range(1, 12),
    "day": _is_in_range(1, 31),
}
