"""Exports of applications for staff: rows of text first, then a file format.

`application_rows` gives the header and one row per application; `applications_csv`
turns them into the CSV a French spreadsheet opens as is. An XLSX export can reuse the
rows unchanged.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.models import Application, ApplicationChoice

PARIS = ZoneInfo("Europe/Paris")
MAX_CHOICES = 3

HEADERS = [
    _("Référence"),
    _("Nom"),
    _("Prénom(s)"),
    _("Courriel"),
    _("Téléphone"),
    _("Catégorie"),
    _("Formation"),
    _("Appel"),
    _("Choix 1"),
    _("Choix 2"),
    _("Choix 3"),
    _("Début souhaité"),
    _("Fin souhaitée"),
    _("Statut"),
    _("Déposée le"),
]

# A spreadsheet runs a cell that starts with one of these as a formula: text typed by an
# applicant ("=HYPERLINK(…)") must stay text. A phone number such as "+33 6 12 34 56 78"
# cannot hold a formula and is left as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_LIKE = re.compile(r"[+\-]?[\d\s().\-]*")


def neutralise(value: str) -> str:
    if value.startswith(FORMULA_STARTS) and not PHONE_LIKE.fullmatch(value):
        return "'" + value
    return value


def export_queryset(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """The queryset with what the rows read, in a fixed number of queries."""
    choices = ApplicationChoice.objects.select_related("destination__institution").order_by("rank")
    return queryset.select_related("call", "programme").prefetch_related(
        Prefetch("choices", queryset=choices)
    )


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _moment(value) -> str:
    return timezone.localtime(value, PARIS).strftime("%d/%m/%Y %H:%M") if value else ""


def application_row(application: Application) -> list[str]:
    choices = [str(choice.destination.institution) for choice in application.choices.all()][:MAX_CHOICES]
    choices += [""] * (MAX_CHOICES - len(choices))
    row = [
        application.reference,
        application.family_name,
        application.given_names,
        application.email,
        application.phone,
        str(application.get_category_display()),
        str(application.programme) if application.programme else "",
        application.call.title,
        *choices,
        _date(application.wished_start),
        _date(application.wished_end),
        str(application.get_status_display()),
        _moment(application.submitted_at),
    ]
    return [neutralise(value) for value in row]


def application_rows(queryset: QuerySet[Application]) -> Iterator[list[str]]:
    """The header row, then one row per application of the queryset, in its order."""
    yield [str(header) for header in HEADERS]
    for application in export_queryset(queryset):
        yield application_row(application)


def rows_to_csv(rows: Iterable[list[str]]) -> bytes:
    """CSV as French spreadsheets open it: UTF-8 with a byte order mark, `;` between cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def applications_csv(queryset: QuerySet[Application]) -> bytes:
    return rows_to_csv(application_rows(queryset))


def export_filename(extension: str = "csv") -> str:
    return f"candidatures-{timezone.localdate():%Y%m%d}.{extension}"
