"""Deleting an application leaves no trace of the person, whichever way it is deleted.

Each test submits an application through the public form, reviews it in the admin (a status
change with a comment, an export, a look at its history), then deletes it one way, and scans
every column of every table of the database for the applicant's name, e-mail and phone.
"""

import re
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from backoffice.models import AuditEvent
from mobility.models import Application, StatusChange
from mobility.models.applications import Status
from tests.mobility.helpers import open_call_with_destinations
from tests.mobility.test_public import form_page, stored_files, valid_post

pytestmark = pytest.mark.django_db

# ASCII on purpose: JSON columns may store accented letters as \u escapes.
GIVEN_NAMES = "Zephyrine"
FAMILY_NAME = "Quillardet-Vasseur"
EMAIL = "zephyrine.quillardet@example.org"
PHONE = "07 98 76 54 32"
TRACES = (GIVEN_NAMES, FAMILY_NAME, EMAIL, PHONE)


def columns_holding(needle: str) -> list[str]:
    """Every `table.column` of the database whose text contains `needle`."""
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE CAST({quote(column.name)} AS TEXT) LIKE %s",  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


@pytest.fixture
def documents_of_other_tests() -> set[str]:
    """Files that earlier tests of the run left in the private storage (their rows rolled back)."""
    return stored_files()


@pytest.fixture
def reviewed_application(client, admin_client, documents_of_other_tests) -> Application:
    """An application as it is after some weeks: submitted, reviewed, exported, its history read."""
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    payload = valid_post(
        call, destinations, key, given_names=GIVEN_NAMES, family_name=FAMILY_NAME, email=EMAIL, phone=PHONE
    )
    assert client.post(f"/fr/mobilite/appels/{call.slug}/candidater/", payload).status_code == 302
    application = Application.objects.get(email=EMAIL)
    change_url = reverse("admin:mobility_application_change", args=[application.pk])
    transition = reverse("admin:mobility_application_transition", args=[application.pk, Status.UNDER_REVIEW])
    comment = f"Dossier de {GIVEN_NAMES} {FAMILY_NAME} complet ; joindre au {PHONE}."
    assert (
        admin_client.post(transition, {"comment": comment, "visible_to_applicant": "yes"}).status_code == 302
    )
    # A decision taken back: its reason is in the status history and in the audit trail.
    accept = reverse("admin:mobility_application_transition", args=[application.pk, Status.ACCEPTED])
    assert admin_client.post(accept, {"comment": "Retenue.", "visible_to_applicant": "no"}).status_code == 302
    reason = f"Erreur de dossier : rappeler {GIVEN_NAMES} au {PHONE}."
    assert admin_client.post(transition, {"reason": reason, "visible_to_applicant": "no"}).status_code == 302
    export = admin_client.get(reverse("admin:mobility_application_export"), {"q": FAMILY_NAME})
    assert FAMILY_NAME in export.getvalue().decode("utf-8-sig")
    assert admin_client.get(change_url).status_code == 200
    assert (
        admin_client.get(reverse("admin:mobility_application_history", args=[application.pk])).status_code
        == 200
    )
    # The scan finds what there is to find: the person is in several tables before the deletion.
    holding = set(columns_holding(FAMILY_NAME))
    assert {"mobility_application.family_name", "mobility_historicalapplication.family_name"} <= holding
    assert {"mobility_statuschange.comment", "mobility_historicalapplication.history_change_reason"} <= set(
        columns_holding(PHONE)
    )
    return application


def delete_from_its_page(admin_client, application: Application) -> None:
    url = reverse("admin:mobility_application_delete", args=[application.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302


def delete_from_the_list(admin_client, application: Application) -> None:
    response = admin_client.post(
        reverse("admin:mobility_application_changelist"),
        {"action": "delete_selected", "_selected_action": [application.pk], "post": "yes"},
    )
    assert response.status_code == 302


def purge_as_retention_expires(admin_client, application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(
        status=Status.REJECTED, decided_at=timezone.now().replace(year=timezone.now().year - 3)
    )
    call_command("purge_applications", "--older-than-months", "24", stdout=StringIO())


@pytest.mark.parametrize(
    ("delete", "action"),
    [
        (delete_from_its_page, AuditEvent.Action.DELETE),
        (delete_from_the_list, AuditEvent.Action.DELETE),
        (purge_as_retention_expires, AuditEvent.Action.PURGE),
    ],
    ids=["delete-view", "bulk-delete", "retention-purge"],
)
def test_a_deleted_application_leaves_no_trace_of_the_person_in_any_table(
    admin_client,
    reviewed_application,
    documents_of_other_tests,
    delete,
    action,
    django_capture_on_commit_callbacks,
):
    reference = reviewed_application.reference
    documents_before = stored_files() - documents_of_other_tests
    assert len(documents_before) == 2

    with django_capture_on_commit_callbacks(execute=True):
        delete(admin_client, reviewed_application)

    for trace in TRACES:
        assert columns_holding(trace) == [], f"{trace!r} is still in the database"
    assert not Application.objects.filter(reference=reference).exists()
    assert not StatusChange.objects.exists()
    assert not LogEntry.objects.filter(object_repr__contains=FAMILY_NAME).exists()
    # The files went once the deletion had committed.
    assert stored_files() - documents_of_other_tests == set()
    # One event says who deleted which application; it names no one.
    event = AuditEvent.objects.get(action=action)
    assert event.detail["references"] == [reference]
    assert event.detail["count"] == 1
    if action == AuditEvent.Action.DELETE:
        assert event.user is not None
        assert event.user.is_superuser


def test_a_deletion_that_fails_removes_no_file(
    admin_client, reviewed_application, documents_of_other_tests, monkeypatch
):
    from backoffice.services import applications as deletion

    def broken_audit(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(deletion, "audit_event_record", broken_audit)
    with pytest.raises(RuntimeError):
        deletion.applications_delete(applications=[reviewed_application], actor=None)
    # Rolled back whole: the row, and so its files, are all still there.
    assert Application.objects.filter(pk=reviewed_application.pk).exists()
    assert len(stored_files() - documents_of_other_tests) == 2
    assert re.fullmatch(r"MOB-\d{4}-\d{5}", reviewed_application.reference)
