"""Exports of the filtered admin lists (applications: XLSX; agreements: CSV and XLSX), their
French headers and dates, their permission, and the audit log each export writes."""

import csv
import datetime
import io
import json
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from backoffice.models import AuditEvent
from mobility import services
from mobility.models.applications import Status
from partnerships.models import Agreement
from tests.factories import AgreementFactory, InstitutionFactory, NetworkFactory, ProgrammeFactory
from tests.mobility.helpers import open_call_with_destinations, submit_application

APPLICATION_HEADER = [
    "Référence",
    "Nom",
    "Prénom(s)",
    "Courriel",
    "Téléphone",
    "Catégorie",
    "Formation",
    "Appel",
    "Choix 1",
    "Choix 2",
    "Choix 3",
    "Début souhaité",
    "Fin souhaitée",
    "Statut",
    "Déposée le",
]
AGREEMENT_HEADER = [
    "Intitulé",
    "Type",
    "Réseau",
    "Signataires",
    "Formations",
    "Signé en/le",
    "Première année",
    "Dernière année",
    "Statut",
    "Fin",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def downloaded(response) -> bytes:
    """The file's bytes. Both formats are streamed, and a stream reads once: kept on the response."""
    if not hasattr(response, "downloaded"):
        response.downloaded = b"".join(response.streaming_content)
    return response.downloaded


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    workbook = load_workbook(io.BytesIO(downloaded(response)))
    sheet = workbook.active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def sheet_cells(response):
    sheet = load_workbook(io.BytesIO(downloaded(response))).active
    assert sheet is not None
    return list(sheet.iter_rows())


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = downloaded(response)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def file_rows(response, file_format: str) -> list:
    return sheet_rows(response) if file_format == "xlsx" else csv_rows(response)


def as_day(value) -> datetime.date:
    """openpyxl reads a date cell back as a datetime at midnight."""
    assert isinstance(value, datetime.datetime)
    assert (value.hour, value.minute, value.second) == (0, 0, 0)
    return value.date()


def grant(user, app_label: str, *codenames: str) -> None:
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label=app_label)
        )


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in staff member with no permission at all; tests grant what they need."""
    user = django_user_model.objects.create_user("personnel", password="x" * 16, is_staff=True)
    client.force_login(user)
    client.user = user
    return client


# --- Applications: XLSX --------------------------------------------------------------------


@pytest.fixture
def applications(db):
    call, destinations = open_call_with_destinations()
    kept = submit_application(call, family_name="Bernard", phone="+33 6 12 34 56 78")
    formula = submit_application(call, family_name='=HYPERLINK("http://example.org")')
    services.application_transition(application=kept, to_status=Status.UNDER_REVIEW, comment="Examen.")
    services.application_transition(application=formula, to_status=Status.UNDER_REVIEW, comment="Examen.")
    submit_application(call, family_name="Lefebvre")
    return {"call": call, "destinations": destinations, "kept": kept, "formula": formula}


@pytest.mark.django_db
def test_applications_xlsx_has_the_header_one_row_per_filtered_application_and_real_dates(
    admin_client, admin_user, applications
):
    url = reverse("admin:mobility_application_export_xlsx")
    response = admin_client.get(url, {"status__exact": "under_review", "o": "-1", "p": "3"})
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="candidatures-{today}.xlsx"'
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))

    header, *rows = sheet_rows(response)
    assert list(header) == APPLICATION_HEADER
    kept, formula = applications["kept"], applications["formula"]
    assert sorted(row[0] for row in rows) == sorted([kept.reference, formula.reference])

    row = dict(zip(header, next(r for r in rows if r[0] == kept.reference), strict=True))
    kept.refresh_from_db()
    assert row["Nom"] == "Bernard"
    assert row["Téléphone"] == "+33 6 12 34 56 78"
    assert row["Statut"] == "en cours d’examen"
    assert row["Choix 1"] == applications["destinations"][0].institution.name
    assert row["Choix 3"] is None
    assert as_day(row["Début souhaité"]) == kept.wished_start
    assert as_day(row["Fin souhaitée"]) == kept.wished_end
    submitted = timezone.localtime(kept.submitted_at).replace(tzinfo=None)
    assert abs(row["Déposée le"] - submitted) < datetime.timedelta(seconds=1)

    cells = {
        cell.column_letter: cell
        for cell in next(r for r in sheet_cells(response) if r[0].value == kept.reference)
    }
    assert cells["L"].number_format == "DD/MM/YYYY"
    assert cells["O"].number_format == "DD/MM/YYYY HH:MM"

    # Typed by an applicant as a formula, it stays text: never run by the spreadsheet.
    formula_row = next(r for r in sheet_cells(response) if r[0].value == formula.reference)
    assert formula_row[1].value == '=HYPERLINK("http://example.org")'
    assert formula_row[1].data_type == "s"


@pytest.mark.django_db
def test_applications_list_offers_both_exports_with_its_filters(admin_client, applications):
    page = admin_client.get(
        reverse("admin:mobility_application_changelist"), {"status__exact": "under_review"}
    )
    html = page.content.decode()
    assert f'href="{reverse("admin:mobility_application_export")}?status__exact=under_review"' in html
    assert f'href="{reverse("admin:mobility_application_export_xlsx")}?status__exact=under_review"' in html
    assert "Exporter cette liste (Excel)" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("view", "file_format"), [("export", "csv"), ("export_xlsx", "xlsx")])
def test_an_applications_export_is_audited_without_the_filters_values(
    admin_client, admin_user, applications, view, file_format
):
    url = reverse(f"admin:mobility_application_{view}")
    response = admin_client.get(url, {"q": "Lefebvre", "status__exact": "submitted", "p": "2", "o": "1"})
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.EXPORT
    assert event.user == admin_user
    assert event.subject == "candidatures"
    assert event.detail == {"format": file_format, "count": 1, "filters": ["q", "status__exact"]}
    assert len(file_rows(response, file_format)) == 1 + 1
    # A search can hold a person's name: only the filters' names are kept.
    assert "Lefebvre" not in json.dumps(event.detail)
    assert "submitted" not in json.dumps(event.detail)


@pytest.mark.django_db
def test_applications_xlsx_needs_the_export_permission(staff_client, applications):
    url = reverse("admin:mobility_application_export_xlsx")
    grant(staff_client.user, "mobility", "view_application")
    assert staff_client.get(url).status_code == 403
    page = staff_client.get(reverse("admin:mobility_application_changelist")).content.decode()
    assert url not in page
    assert not AuditEvent.objects.exists()

    grant(staff_client.user, "mobility", "export_application")
    rows = sheet_rows(staff_client.get(url))
    assert len(rows) == 1 + 3
    assert AuditEvent.objects.get().user == staff_client.user


# --- Agreements: CSV and XLSX --------------------------------------------------------------


@pytest.fixture
def agreements(db):
    network = NetworkFactory.create(name="Réseau France–Québec")
    signed = AgreementFactory.create(
        title="Accord Liège",
        kind=Agreement.Kind.BILATERAL,
        network=network,
        signed_on=datetime.date(2024, 3, 5),
        first_academic_year=2024,
        last_academic_year=2028,
        partners=[InstitutionFactory.create(name="Université de Liège")],
    )
    signed.programmes.add(ProgrammeFactory.create(code="DEASS", name="Assistant de service social"))
    year_only = AgreementFactory.create(
        title="Accord Namur",
        kind=Agreement.Kind.BILATERAL,
        signed_year=2019,
        first_academic_year=None,
        last_academic_year=None,
        partners=[InstitutionFactory.create(name="Haute École de Namur")],
    )
    other_kind = AgreementFactory.create(title="Accord Erasmus", kind=Agreement.Kind.ERASMUS_IIA)
    return {"signed": signed, "year_only": year_only, "other_kind": other_kind}


def agreement_url(file_format: str) -> str:
    return reverse("admin:partnerships_agreement_export" + ("_xlsx" if file_format == "xlsx" else ""))


@pytest.mark.django_db
def test_agreements_csv_follows_the_filters_with_french_headers_and_dates(admin_client, agreements):
    response = admin_client.get(agreement_url("csv"), {"kind__exact": "bilateral"})
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="accords-{today}.csv"'
    assert b";" in downloaded(response).splitlines()[0]
    header, *rows = csv_rows(response)
    assert header == AGREEMENT_HEADER
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert sorted(by_title) == ["Accord Liège", "Accord Namur"]
    signed = agreements["signed"]
    assert by_title["Accord Liège"] == {
        "Intitulé": "Accord Liège",
        "Type": "accord bilatéral",
        "Réseau": "Réseau France–Québec",
        "Signataires": "IRTS Normandie-Caen, Université de Liège",
        "Formations": "DEASS — Assistant de service social",
        "Signé en/le": "05/03/2024",
        "Première année": "2024-2025",
        "Dernière année": "2028-2029",
        "Statut": str(Agreement.Status(signed.status()).label),
        "Fin": "31/08/2029",
    }
    namur = by_title["Accord Namur"]
    assert (namur["Signé en/le"], namur["Première année"], namur["Fin"], namur["Statut"]) == (
        "2019",
        "",
        "",
        "en vigueur",
    )


@pytest.mark.django_db
def test_agreements_xlsx_has_real_dates_and_follows_the_status_filter(admin_client, agreements):
    agreements["other_kind"].is_draft = True
    agreements["other_kind"].save()
    response = admin_client.get(agreement_url("xlsx"), {"status": "draft"})
    header, *rows = sheet_rows(response)
    assert list(header) == AGREEMENT_HEADER
    assert [row[0] for row in rows] == ["Accord Erasmus"]

    everything = admin_client.get(agreement_url("xlsx"))
    header, *rows = sheet_rows(everything)
    assert len(rows) == Agreement.objects.count() == 3
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    liege = by_title["Accord Liège"]
    assert as_day(liege["Signé en/le"]) == datetime.date(2024, 3, 5)
    assert as_day(liege["Fin"]) == datetime.date(2029, 8, 31)
    assert liege["Première année"] == "2024-2025"
    assert by_title["Accord Namur"]["Signé en/le"] == 2019
    assert by_title["Accord Namur"]["Fin"] is None
    date_cells = [cell for row in sheet_cells(everything)[1:] for cell in row if cell.is_date]
    assert date_cells
    assert {cell.number_format for cell in date_cells} == {"DD/MM/YYYY"}


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_agreements_export_is_audited(admin_client, admin_user, agreements, file_format):
    response = admin_client.get(agreement_url(file_format), {"kind__exact": "bilateral", "q": "Accord"})
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.subject) == (AuditEvent.Action.EXPORT, admin_user, "accords")
    assert event.detail == {"format": file_format, "count": 2, "filters": ["kind__exact", "q"]}
    assert len(file_rows(response, file_format)) == 1 + 2


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_agreements_export_needs_the_export_permission(staff_client, agreements, file_format):
    grant(staff_client.user, "partnerships", "view_agreement")
    assert staff_client.get(agreement_url(file_format)).status_code == 403
    page = staff_client.get(reverse("admin:partnerships_agreement_changelist")).content.decode()
    assert agreement_url(file_format) not in page
    assert not AuditEvent.objects.exists()

    grant(staff_client.user, "partnerships", "export_agreement")
    page = staff_client.get(reverse("admin:partnerships_agreement_changelist")).content.decode()
    assert f'href="{agreement_url(file_format)}?"' in page  # the list's query string, empty here
    assert len(file_rows(staff_client.get(agreement_url(file_format)), file_format)) == 1 + 3
    assert AuditEvent.objects.get().user == staff_client.user


@pytest.mark.django_db
def test_export_permission_without_view_permission_is_not_enough(staff_client, agreements):
    grant(staff_client.user, "partnerships", "export_agreement")
    assert staff_client.get(agreement_url("csv")).status_code == 403


@pytest.mark.django_db
def test_invalid_filters_export_nothing_and_say_so(admin_client, agreements, applications):
    # A filter the list does not declare, or a value its filter cannot take: refused (400).
    for invalid in ({"nonexistent__field": "1"}, {"network__id__exact": "abc"}):
        assert admin_client.get(agreement_url("csv"), invalid).status_code == 400
    # A well-formed date that does not exist: back to the list, which says so.
    day = {"submitted_at__year": "2026", "submitted_at__month": "2", "submitted_at__day": "31"}
    response = admin_client.get(reverse("admin:mobility_application_export"), day)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:mobility_application_changelist")
    assert not AuditEvent.objects.exists()


# --- The audit log in the admin: read only --------------------------------------------------


@pytest.mark.django_db
def test_audit_log_is_listed_and_read_only_even_for_superusers(admin_client, agreements):
    downloaded(admin_client.get(agreement_url("xlsx")))
    event = AuditEvent.objects.get()
    changelist = admin_client.get(reverse("admin:backoffice_auditevent_changelist"))
    assert changelist.status_code == 200
    page = changelist.content.decode()
    assert "accords" in page
    assert '"format": "xlsx"' in unescape(page)
    assert reverse("admin:backoffice_auditevent_add") not in page
    assert 'value="delete_selected"' not in page

    assert admin_client.get(reverse("admin:backoffice_auditevent_add")).status_code == 403
    change_url = reverse("admin:backoffice_auditevent_change", args=[event.pk])
    view = admin_client.get(change_url)
    assert view.status_code == 200
    assert not view.context["adminform"].form.fields  # everything read-only
    assert admin_client.post(change_url, {"subject": "autre"}).status_code == 403
    delete = admin_client.post(
        reverse("admin:backoffice_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    event.refresh_from_db()
    assert event.subject == "accords"


@pytest.mark.django_db
def test_audit_log_filters_by_action(admin_client):
    AuditEvent.objects.create(action=AuditEvent.Action.PURGE, subject="candidatures", detail={"count": 2})
    AuditEvent.objects.create(action=AuditEvent.Action.EXPORT, subject="accords", detail={"count": 1})
    response = admin_client.get(reverse("admin:backoffice_auditevent_changelist"), {"action__exact": "purge"})
    assert [event.subject for event in response.context["cl"].result_list] == ["candidatures"]
