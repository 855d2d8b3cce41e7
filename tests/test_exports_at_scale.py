"""The exports of long lists: streamed, read from the database in batches, in the same number of
queries for 3 rows as for 30, and recorded in the audit log before their first byte leaves."""

import csv
import io

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from backoffice.exports import applications as application_exports
from backoffice.models import AuditEvent
from mobility.models import Application
from tests.factories import AgreementFactory, InstitutionFactory, ProgrammeFactory
from tests.mobility.helpers import open_call_with_destinations, submit_application
from tests.test_exports import APPLICATION_HEADER, downloaded, file_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files_removed")]

EXPORT_URLS = {
    ("applications", "csv"): "admin:mobility_application_export",
    ("applications", "xlsx"): "admin:mobility_application_export_xlsx",
    ("agreements", "csv"): "admin:partnerships_agreement_export",
    ("agreements", "xlsx"): "admin:partnerships_agreement_export_xlsx",
}


@pytest.fixture
def call():
    call, _destinations = open_call_with_destinations()
    return call


def add_applications(call, count: int) -> None:
    for number in range(count):
        submit_application(call, family_name=f"Martin-{number}")


def add_agreements(count: int) -> None:
    programme = ProgrammeFactory.create()
    for _ in range(count):
        agreement = AgreementFactory.create(partners=[InstitutionFactory.create()])
        agreement.programmes.add(programme)


def export_reading_every_row(client, url: str, file_format: str) -> tuple[int, list]:
    """The export's queries, counted until its last byte is read, and the rows of its file."""
    with CaptureQueriesContext(connection) as queries:
        rows = file_rows(client.get(url), file_format)
    return len(queries), rows


@pytest.mark.parametrize(("listed", "file_format"), list(EXPORT_URLS))
def test_an_export_costs_the_same_queries_for_3_rows_as_for_30(
    admin_client, django_assert_num_queries, call, listed, file_format
):
    add = (lambda count: add_applications(call, count)) if listed == "applications" else add_agreements
    url = reverse(EXPORT_URLS[listed, file_format])
    add(3)
    queries, rows = export_reading_every_row(admin_client, url, file_format)
    assert len(rows) == 1 + 3

    add(27)
    with django_assert_num_queries(queries):
        rows = file_rows(admin_client.get(url), file_format)
    assert len(rows) == 1 + 30


def test_the_applications_are_read_in_batches_each_with_one_query_for_its_choices(
    admin_client, monkeypatch, call
):
    add_applications(call, 30)
    url = reverse("admin:mobility_application_export")
    queries, rows = export_reading_every_row(admin_client, url, "csv")
    assert len(rows) == 1 + 30

    # Three batches of ten: two more queries for the choices; the call, the programme and the
    # institutions, read with the first batch, are not read again.
    monkeypatch.setattr(application_exports, "ROWS_PER_FETCH", 10)
    in_batches, rows_in_batches = export_reading_every_row(admin_client, url, "csv")
    assert in_batches == queries + 2
    assert rows_in_batches == rows


def test_both_files_stream_and_hold_every_row_in_the_lists_order(admin_client, call):
    add_applications(call, 30)
    # The list's order: newest first.
    references = list(
        Application.objects.order_by("-submitted_at", "-pk").values_list("reference", flat=True)
    )

    response = admin_client.get(reverse("admin:mobility_application_export"))
    assert isinstance(response, StreamingHttpResponse)
    assert not isinstance(response, FileResponse)
    header, *rows = csv.reader(io.StringIO(downloaded(response).decode("utf-8-sig")), delimiter=";")
    assert header == APPLICATION_HEADER
    assert [row[0] for row in rows] == references
    assert {row[1] for row in rows} == {f"Martin-{number}" for number in range(30)}

    response = admin_client.get(reverse("admin:mobility_application_export_xlsx"))
    assert isinstance(response, FileResponse)
    assert int(response["Content-Length"]) == len(downloaded(response))
    sheet = load_workbook(io.BytesIO(downloaded(response))).active
    assert sheet is not None
    assert sheet.title == "Candidatures"
    assert sheet.freeze_panes == "A2"
    header_cells, *row_cells = sheet.iter_rows()
    assert [cell.value for cell in header_cells] == APPLICATION_HEADER
    assert all(cell.font.b for cell in header_cells)
    assert not any(cell.font.b for cell in row_cells[0])
    assert [cells[0].value for cells in row_cells] == references


def test_an_export_is_recorded_before_its_first_byte_leaves(admin_client, admin_user, call):
    """So that a download cut short, which has shown its first rows all the same, is recorded."""
    add_applications(call, 30)
    response = admin_client.get(reverse("admin:mobility_application_export"), {"q": "Martin"})
    event = AuditEvent.objects.get()
    assert (event.action, event.user) == (AuditEvent.Action.EXPORT, admin_user)
    assert event.detail == {"format": "csv", "count": 30, "filters": ["q"]}

    # The header leaves on its own, before any row is read.
    pieces = iter(response.streaming_content)
    assert next(pieces).decode("utf-8-sig") == ";".join(APPLICATION_HEADER) + "\r\n"
    rest = b"".join(pieces).decode()
    assert rest.count("\r\n") == 30
    assert AuditEvent.objects.get() == event
