"""File formats of the staff exports: rows of Python values (text, numbers, days, moments)
become the CSV or XLSX file that a French spreadsheet opens as is.

Each list's rows are defined next to it (`backoffice.exports.applications`, `.agreements`).
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from uploads.downloads import private_download

PARIS = ZoneInfo("Europe/Paris")

# One cell: text, a number, a day, a local moment (naive, Paris time), or nothing.
Cell = str | int | datetime.date | datetime.datetime | None
Row = Sequence[Cell]

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


def csv_text(value: Cell) -> str:
    # datetime before date: a datetime is also a date.
    if isinstance(value, datetime.datetime):
        return value.strftime(FRENCH_MOMENT)
    if isinstance(value, datetime.date):
        return value.strftime(FRENCH_DATE)
    if value is None:
        return ""
    return neutralise(str(value))


def rows_to_csv(rows: Iterable[Row]) -> bytes:
    """CSV as French spreadsheets open it: UTF-8 with a byte order mark, `;` between cells,
    dates written dd/mm/yyyy."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([csv_text(value) for value in row] for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def rows_to_xlsx(rows: Iterable[Row], *, sheet_title: str) -> bytes:
    """An Excel workbook of one sheet: the first row as a bold, frozen header, dates as real
    dates shown dd/mm/yyyy, and text always stored as text (never run as a formula)."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
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


def rows_to_file(rows: Iterable[Row], *, file_format: str, sheet_title: str) -> bytes:
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
