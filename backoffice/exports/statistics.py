"""The staff's CSV of "La mobilité en chiffres": one row per (academic year, dimension, value).

Exact figures, small counts included: only staff who may export the applications themselves
(`mobility.export_application`) download it, and they could count any cell from that export.
The public page is the one that hides the counts from 1 to 4 (mobility.statistics.suppression).
"""

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import Country

from backoffice.exports.formats import Row
from mobility.statistics.figures import Direction, MobilityKind, MobilityStatistics, YearCounts
from partnerships.academic_years import academic_year_label

HEADERS = [
    gettext_lazy("Année universitaire"),
    gettext_lazy("Dimension"),
    gettext_lazy("Valeur"),
    gettext_lazy("Nombre"),
]


def _country(code: str) -> str:
    return str(Country(code).name) if code else _("non précisée")


def year_rows(counts: YearCounts) -> Iterator[Row]:
    year = academic_year_label(counts.year)
    yield [year, _("Mobilités"), _("total"), counts.mobilities]
    for code in sorted(counts.by_country, key=_country):
        yield [year, _("Mobilités par pays"), _country(code), counts.by_country[code]]
    for kind in MobilityKind:
        yield [year, _("Mobilités par type"), str(kind.label), counts.by_kind[kind]]
    for direction in Direction:
        yield [year, _("Mobilités par sens"), str(direction.label), counts.by_direction[direction]]
    yield [year, _("Accords en vigueur"), _("total"), counts.agreements_in_force]
    yield [year, _("Places offertes"), _("total"), counts.places_offered]
    for code in sorted(counts.places_by_country, key=_country):
        yield [year, _("Places offertes par pays"), _country(code), counts.places_by_country[code]]


def statistics_rows(statistics: MobilityStatistics) -> Iterator[Row]:
    """The header, then each year's rows, oldest year first."""
    yield [str(header) for header in HEADERS]
    for counts in statistics.years:
        yield from year_rows(counts)
