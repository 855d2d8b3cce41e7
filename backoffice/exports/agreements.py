"""The agreements' export: the header, then one row per agreement."""

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from backoffice.exports.formats import ROWS_PER_FETCH, Cell
from partnerships.academic_years import academic_year_label, local_today
from partnerships.models import Agreement, Programme
from partnerships.selectors import party_names, with_parties

HEADERS = [
    _("Intitulé"),
    _("Type"),
    _("Réseau"),
    _("Signataires"),
    _("Formations"),
    _("Signé en/le"),
    _("Première année"),
    _("Dernière année"),
    _("Statut"),
    _("Fin"),
]


def export_queryset(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """The queryset with what the rows read, in a fixed number of queries per `ROWS_PER_FETCH` rows."""
    programmes = Programme.objects.order_by("code")
    return with_parties(queryset.select_related("network")).prefetch_related(
        Prefetch("programmes", queryset=programmes)
    )


def _year(year: int | None) -> str:
    return academic_year_label(year) if year is not None else ""


def agreement_row(agreement: Agreement, today: datetime.date) -> list[Cell]:
    return [
        agreement.title,
        str(agreement.get_kind_display()),
        agreement.network.name if agreement.network else "",
        party_names(agreement),
        ", ".join(str(programme) for programme in agreement.programmes.all()),
        # The exact date when known, else the year alone.
        agreement.signed_on or agreement.signed_year,
        _year(agreement.first_academic_year),
        _year(agreement.last_academic_year),
        str(Agreement.Status(agreement.status(today)).label),
        agreement.ends_on,
    ]


def agreement_rows(queryset: QuerySet[Agreement]) -> Iterator[list[Cell]]:
    """The header row, then one row per agreement of the queryset, in its order."""
    yield [str(header) for header in HEADERS]
    # One day for the whole file, even if it is written across midnight.
    today = local_today()
    for agreement in export_queryset(queryset).iterator(chunk_size=ROWS_PER_FETCH):
        yield agreement_row(agreement, today)
