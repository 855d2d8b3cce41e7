import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from backoffice.models import AuditEvent
from backoffice.retention import months_before
from mobility.models import Application, StatusChange
from mobility.models.applications import Status
from mobility.services import application_transition
from partnerships.models import Agreement, MobilityTerm
from tests.admin_helpers import form_data as admin_form_data
from tests.factories import AgreementFactory, InstitutionFactory
from tests.mobility.helpers import submit_application

pytestmark = pytest.mark.django_db

LOGIN = "/gestion/login/"


def test_login_is_locked_after_repeated_failures_with_a_clear_message(client, settings):
    User.objects.create_user("claire", password="un mot de passe solide", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN, {"username": "claire", "password": "faux", "next": "/gestion/"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(LOGIN, {"username": "claire", "password": "faux", "next": "/gestion/"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion temporairement bloquée" in html
    assert "Patientez 30 minutes" in html
    # Even the right password is refused while the lockout lasts.
    response = client.post(
        LOGIN, {"username": "claire", "password": "un mot de passe solide", "next": "/gestion/"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_resets_the_count(client, settings):
    User.objects.create_user("marc", password="un mot de passe solide", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"username": "marc", "password": "faux"})
    response = client.post(
        LOGIN, {"username": "marc", "password": "un mot de passe solide", "next": "/gestion/"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(LOGIN, {"username": "marc", "password": "faux"})
    assert response.status_code == 200


def test_staff_sessions_expire_after_inactivity(client, settings):
    staff = User.objects.create_user("lea", password="x", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/gestion/").status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 7200
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry back


def test_changing_an_agreement_in_the_admin_records_field_old_and_new_values(admin_client, admin_user):
    agreement = AgreementFactory.create(
        partners=[InstitutionFactory.create()], title="Accord Liège", last_academic_year=2028
    )
    term = MobilityTerm.objects.create(
        agreement=agreement, mobility_type="student_studies", direction="outgoing", places_per_year=2
    )
    response = admin_client.get(f"/gestion/partnerships/agreement/{agreement.pk}/change/")
    data = {**response.context["adminform"].form.initial}
    # Post the page back with one change to the agreement and one to its mobility term.
    form_data = admin_form_data(response)
    form_data["last_academic_year"] = "2030"
    form_data["mobility_terms-0-places_per_year"] = "4"
    saved = admin_client.post(f"/gestion/partnerships/agreement/{agreement.pk}/change/", form_data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    assert data  # the form was filled from the object

    latest = agreement.audit_trail.latest("history_date")
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "last_academic_year"] == [
        ("last_academic_year", 2028, 2030)
    ]
    assert latest.history_user == admin_user
    term_record = term.audit_trail.latest("history_date")
    assert [(c.field, c.old, c.new) for c in term_record.diff_against(term_record.prev_record).changes] == [
        ("places_per_year", 2, 4)
    ]
    history_page = admin_client.get(
        f"/gestion/partnerships/agreement/{agreement.pk}/history/"
    ).content.decode()
    assert "Dernière année universitaire</strong> : 2028 → 2030" in history_page
    assert "Places par an</strong> : 2 → 4" in history_page


def test_application_changes_are_recorded_and_purged_with_the_application(
    admin_user, django_capture_on_commit_callbacks
):
    application = submit_application(family_name="Lefèvre")
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, to_status=Status.UNDER_REVIEW, actor=admin_user)
        application_transition(application=application, to_status=Status.REJECTED, actor=admin_user)
    records = Application.audit_trail.filter(id=application.pk)
    assert records.count() >= 3
    assert {record.family_name for record in records} == {"Lefèvre"}
    assert not {"token_salt", "token_hash"} & {f.name for f in Application.audit_trail.model._meta.fields}

    application.decided_at = timezone.now() - datetime.timedelta(days=800)
    application.save(update_fields=["decided_at"])
    files = [document.file.name for document in application.documents.all()]
    first_document = application.documents.first()
    assert first_document is not None
    storage = first_document.file.storage
    assert all(storage.exists(name) for name in files)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_applications", "--older-than-months", "24", stdout=out)

    assert application.reference in out.getvalue()
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not Application.audit_trail.filter(id=application.pk).exists()
    assert not StatusChange.objects.filter(application_id=application.pk).exists()
    assert not any(storage.exists(name) for name in files)
    assert AuditEvent.objects.filter(action="purge", detail__count=1).exists()


def test_purge_keeps_younger_and_undecided_applications_and_dry_run_deletes_nothing(admin_user):
    old = submit_application(given_names="Ancienne")
    young = submit_application(given_names="Récente")
    pending = submit_application(given_names="En attente")
    now = timezone.now()
    Application.objects.filter(pk=old.pk).update(
        status=Status.REJECTED, decided_at=now - datetime.timedelta(days=760)
    )
    Application.objects.filter(pk=young.pk).update(
        status=Status.REJECTED, decided_at=now - datetime.timedelta(days=30)
    )
    Application.objects.filter(pk=pending.pk).update(submitted_at=now - datetime.timedelta(days=900))

    out = io.StringIO()
    call_command("purge_applications", "--older-than-months", "24", "--dry-run", stdout=out)
    assert out.getvalue().startswith(f"would delete {old.reference}")
    assert Application.objects.count() == 3

    out = io.StringIO()
    call_command("purge_applications", "--older-than-months", "24", stdout=out)
    assert set(Application.objects.values_list("pk", flat=True)) == {young.pk, pending.pk}

    quiet = io.StringIO()
    call_command("purge_applications", stdout=quiet)
    assert quiet.getvalue() == ""


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime.datetime(2026, 11, 28, 10, 0), 24, datetime.datetime(2024, 11, 28, 10, 0)),
        (datetime.datetime(2026, 3, 31, 10, 0), 1, datetime.datetime(2026, 2, 28, 10, 0)),
        (datetime.datetime(2026, 1, 15), 13, datetime.datetime(2024, 12, 15)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


def test_agreement_history_survives_without_personal_data_leaks():
    agreement = AgreementFactory.create(partners=[InstitutionFactory.create()])
    agreement.staff_notes = "à renégocier"
    agreement.save()
    assert Agreement.audit_trail.filter(id=agreement.pk).count() == 2


def test_a_past_version_page_can_be_read_but_never_posted_back(client, admin_client):
    institution = InstitutionFactory.create(name="Hogeschool Gent")
    institution.name = "HOGENT"
    institution.save()
    first = institution.audit_trail.earliest("history_date")
    url = f"/gestion/partnerships/institution/{institution.pk}/history/{first.history_id}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "name": "Hogeschool Gent",
            "slug": institution.slug,
            "kind": "university",
            "country": "BE",
            "_change_history": "1",
        },
    )
    assert response.status_code == 403
    institution.refresh_from_db()
    assert institution.name == "HOGENT"
