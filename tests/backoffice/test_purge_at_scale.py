"""The retention purge deletes by batches: the same number of queries for 5 applications as for
25, and a fixed number more for each further batch, with every file and row gone all the same."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_delete, pre_delete
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backoffice.models import AuditEvent
from backoffice.services import applications as deletion
from mobility.models import Application, ApplicationChoice, ApplicationDocument, StatusChange
from mobility.models.applications import Status
from tests.mobility.helpers import open_call_with_destinations, submit_application

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files_removed")]


@pytest.fixture
def applications() -> list[Application]:
    """Thirty submitted applications, each with its choices, languages, history and a stored CV."""
    call, _destinations = open_call_with_destinations()
    return [submit_application(call) for _ in range(30)]


def decided_long_ago(applications: list[Application]) -> None:
    Application.objects.filter(pk__in=[application.pk for application in applications]).update(
        status=Status.REJECTED, decided_at=timezone.now() - datetime.timedelta(days=3 * 365)
    )


def purge(capture_on_commit) -> str:
    # As in the nightly command's new process: the content types not cached yet.
    ContentType.objects.clear_cache()
    out = StringIO()
    with capture_on_commit(execute=True):
        call_command("purge_applications", "--older-than-months", "24", stdout=out)
    return out.getvalue()


def purge_queries(capture_on_commit) -> int:
    with CaptureQueriesContext(connection) as queries:
        purge(capture_on_commit)
    return len(queries)


def test_the_purge_costs_the_same_queries_for_5_applications_as_for_25(
    applications, django_assert_num_queries, django_capture_on_commit_callbacks
):
    decided_long_ago(applications[:5])
    five = purge_queries(django_capture_on_commit_callbacks)
    assert Application.objects.count() == 25

    doomed = applications[5:]
    files = [
        Path(document.file.path) for document in ApplicationDocument.objects.filter(application__in=doomed)
    ]
    assert len(files) == 25
    assert all(file.exists() for file in files)
    decided_long_ago(doomed)
    with django_assert_num_queries(five):
        output = purge(django_capture_on_commit_callbacks)

    references = sorted(application.reference for application in doomed)
    assert output == f"Deleted 25 applications: {', '.join(references)}\n"
    assert not Application.objects.exists()
    assert not ApplicationChoice.objects.exists()
    assert not StatusChange.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert not Application.audit_trail.exists()
    assert not any(file.exists() for file in files)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.PURGE).latest("pk")
    assert event.detail == {"count": 25, "references": references, "older_than_months": 24}


def test_each_further_batch_costs_the_same_few_queries(
    applications, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(deletion, "DELETE_BATCH_SIZE", 2)
    counts = []
    for batches, first in ((1, 0), (2, 2), (3, 6)):
        decided_long_ago(applications[first : first + 2 * batches])
        counts.append(purge_queries(django_capture_on_commit_callbacks))
    one, two, three = counts
    assert two - one == three - two > 0
    assert Application.objects.count() == 30 - 12


def test_the_audit_trail_is_the_only_receiver_of_an_applications_deletion():
    """The batches delete the applications' rows without the ORM's per-row signals; a receiver
    added one day would never hear of a purged application. Only the audit trail's listen, and
    the rows they would write are deleted with the rest."""
    for signal in (pre_delete, post_delete):
        receivers = signal._live_receivers(Application)
        owners = {
            type(getattr(receiver, "__self__", receiver)).__name__
            for group in receivers
            for receiver in group
        }
        assert owners == {"HistoricalRecords"}
