"""File formats of the staff exports: rows of Python values (text, numbers, days, moments)
become the CSV or XLSX file that a French spreadsheet opens as is.

Each list's rows are defined next to it (`backoffice.exports.applications`, `.agreements`).
Both formats are written row by row as the rows come from the database, so that an export
of the whole list costs the same memory as one of ten rows, and time in proportion to its
length: the CSV goes to the client as it is written, the XLSX (a zip archive, complete only
once its last row is in) from a temporary file.
"""

import csv
import datetime
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import IO, TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from uploads.downloads import private_download

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

PARIS = ZoneInfo("Europe/Paris")

# One cell: text, a number, a day, a local moment (naive, Paris time), or nothing.
Cell = str | int | datetime.date | datetime.datetime | None
Row = Sequence[Cell]

# Rows read from the database at a time, each batch with its related rows (one more query per
# relation and batch): what an export holds in memory, whatever the list's length.
ROWS_PER_FETCH = 2000

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """The items in lists of `size`, the last one shorter."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


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

# The CSV leaves in pieces of about this many characters: few enough writes to the socket,
# little enough held at once.
CSV_PIECE_CHARS = 64 * 1024


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


def csv_pieces(rows: Iterable[Row]) -> Iterator[bytes]:
    """CSV as French spreadsheets open it: UTF-8 with a byte order mark, `;` between cells,
    dates written dd/mm/yyyy; in pieces, the header on its own so that the download starts
    before the first rows are read."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for index, row in enumerate(rows):
        writer.writerow([csv_text(value) for value in row])
        if index == 0 or buffer.tell() >= CSV_PIECE_CHARS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[Row], file: IO[bytes], *, sheet_title: str) -> None:
    """An Excel workbook of one sheet into `file`: the first row as a bold, frozen header,
    dates as real dates shown dd/mm/yyyy, and text always stored as text (never run as a
    formula). Written row by row (openpyxl's write-only mode keeps no row in memory)."""
    workbook = Workbook(write_only=True)
    # Excel refuses sheet titles over 31 characters.
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    header_font = Font(bold=True)
    for index, row in enumerate(rows):
        font = header_font if index == 0 else None
        sheet.append([_xlsx_value(sheet, value, font=font) for value in row])
    workbook.save(file)


def _xlsx_value(sheet: "WriteOnlyWorksheet", value: Cell, *, font: Font | None = None) -> object:
    """The value as the sheet takes it, or a cell of its own where the value alone would be
    written wrong: a date needs its format, and a text that looks like a formula or an error
    code must stay text. Plain values go through openpyxl's one shared cell, which is faster."""
    if isinstance(value, str):
        # Control characters (pasted from another program) make the whole file unreadable.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if font is None and not value.startswith("=") and value not in ERROR_CODES:
            return value
    elif font is None and not isinstance(value, datetime.date):
        return value
    cell = WriteOnlyCell(sheet)
    cell.value = value
    # datetime before date: a datetime is also a date.
    if isinstance(value, datetime.datetime):
        cell.number_format = XLSX_MOMENT
    elif isinstance(value, datetime.date):
        cell.number_format = XLSX_DATE
    elif isinstance(value, str):
        # openpyxl would store "=…" as a formula; a string cell is shown as typed.
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def export_filename(extension: str = "csv", stem: str = "candidatures") -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.{extension}"


def export_response(
    rows: Iterable[Row], *, file_format: str, sheet_title: str, stem: str
) -> StreamingHttpResponse | FileResponse:
    """The rows as a download that no shared or browser cache keeps: it holds data staff only see.

    The CSV is written as the client reads it. The XLSX is written first, into a temporary file
    that has no name on disk and is gone once the response is closed, then sent from there.
    """
    filename = export_filename(file_format, stem)
    response: StreamingHttpResponse | FileResponse
    if file_format == "xlsx":
        file = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it, once sent)
        try:
            write_xlsx(rows, file, sheet_title=sheet_title)
            file.seek(0)
        except BaseException:
            file.close()
            raise
        response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    else:
        response = StreamingHttpResponse(csv_pieces(rows), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private_download(response)
