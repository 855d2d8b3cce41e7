"""Exports for staff: rows of values first, then a file format, then a trace in the audit log.

`application_rows` gives the header and one row per application, as Python values (text,
dates, moments). `rows_to_csv` and `rows_to_xlsx` turn any such rows into the file a French
spreadsheet opens as is; the agreements' export (`partnerships.exports`) reuses them.
`export_record` writes the `AuditEvent` that every export leaves behind.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from zoneinfo import ZoneInfo

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from irts_portal.storage import private_download
from mobility.models import Application, ApplicationChoice, AuditEvent

PARIS = ZoneInfo("Europe/Paris")
MAX_CHOICES = 3

# One cell: text, a number, a day, a local moment (naive, Paris time), or nothing.
Cell = str | int | datetime.date | datetime.datetime | None

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

FRENCH_DATE = "%d/%m/%Y"
FRENCH_MOMENT = "%d/%m/%Y %H:%M"
# The same, as spreadsheet number formats: the cells stay real dates, sortable and filterable.
XLSX_DATE = "DD/MM/YYYY"
XLSX_MOMENT = "DD/MM/YYYY HH:MM"

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: str) -> str:
    if value.startswith(FORMULA_STARTS) and not PHONE_LIKE.fullmatch(value):
        return "'" + value
    return value


def local_moment(value: datetime.datetime | None) -> datetime.datetime | None:
    """Paris time without a zone: what a spreadsheet cell can hold (it knows no time zones)."""
    return timezone.localtime(value, PARIS).replace(tzinfo=None) if value else None


# --- Applications ----------------------------------------------------------------------


def export_queryset(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """The queryset with what the rows read, in a fixed number of queries."""
    choices = ApplicationChoice.objects.select_related("destination__institution").order_by("rank")
    return queryset.select_related("call", "programme").prefetch_related(
        Prefetch("choices", queryset=choices)
    )


def application_row(application: Application) -> list[Cell]:
    choices = [str(choice.destination.institution) for choice in application.choices.all()][:MAX_CHOICES]
    choices += [""] * (MAX_CHOICES - len(choices))
    return [
        application.reference,
        application.family_name,
        application.given_names,
        application.email,
        application.phone,
        str(application.get_category_display()),
        str(application.programme) if application.programme else "",
        application.call.title,
        *choices,
        application.wished_start,
        application.wished_end,
        str(application.get_status_display()),
        local_moment(application.submitted_at),
    ]


def application_rows(queryset: QuerySet[Application]) -> Iterator[list[Cell]]:
    """The header row, then one row per application of the queryset, in its order."""
    yield [str(header) for header in HEADERS]
    for application in export_queryset(queryset):
        yield application_row(application)


def applications_csv(queryset: QuerySet[Application]) -> bytes:
    return rows_to_csv(application_rows(queryset))


# --- File formats ----------------------------------------------------------------------


def csv_text(value: Cell) -> str:
    # datetime before date: a datetime is also a date.
    if isinstance(value, datetime.datetime):
        return value.strftime(FRENCH_MOMENT)
    if isinstance(value, datetime.date):
        return value.strftime(FRENCH_DATE)
    if value is None:
        return ""
    return neutralise(str(value))


def rows_to_csv(rows: Iterable[Sequence[Cell]]) -> bytes:
    """CSV as French spreadsheets open it: UTF-8 with a byte order mark, `;` between cells,
    dates written dd/mm/yyyy."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([csv_text(value) for value in row] for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def rows_to_xlsx(rows: Iterable[Sequence[Cell]], *, sheet_title: str) -> bytes:
    """An Excel workbook of one sheet: the first row as a bold, frozen header, dates as real
    dates shown dd/mm/yyyy, and text always stored as text (never run as a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    # Excel refuses sheet titles over 31 characters.
    sheet.title = sheet_title[:31]
    for index, row in enumerate(rows):
        sheet.append([_xlsx_value(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = XLSX_MOMENT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = XLSX_DATE
            elif isinstance(cell.value, str):
                # openpyxl would store "=…" as a formula; a string cell is shown as typed.
                cell.data_type = "s"
            if index == 0:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, str):
        # Control characters (pasted from another program) make the whole file unreadable.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def rows_to_file(rows: Iterable[Sequence[Cell]], *, file_format: str, sheet_title: str) -> bytes:
    if file_format == "xlsx":
        return rows_to_xlsx(rows, sheet_title=sheet_title)
    return rows_to_csv(rows)


def export_filename(extension: str = "csv", stem: str = "candidatures") -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.{extension}"


def file_response(content: bytes, *, file_format: str, stem: str) -> HttpResponse:
    """The file as a download that no shared or browser cache keeps: it holds data staff only see."""
    response = HttpResponse(content, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(file_format, stem)}"'
    return private_download(response)


# --- Audit -------------------------------------------------------------------------------


def export_record(
    *, user: AbstractBaseUser | None, subject: str, file_format: str, row_count: int, filters: Iterable[str]
) -> AuditEvent:
    """The trace of an export: who, when, what, in which format, how many rows, filtered by what.

    Only the filters' names are kept, never their values: a search can hold a person's name,
    which has no place in a log kept longer than the data itself.
    """
    return AuditEvent.objects.create(
        action=AuditEvent.Action.EXPORT,
        user=user,
        subject=subject,
        detail={"format": file_format, "count": row_count, "filters": sorted(filters)},
    )
