"""The mobility admin, through real requests: pages, query counts, status changes, downloads, export."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backoffice.retention import applications_due_for_purge
from mobility import services
from mobility.models import Application, Call, CallDestination, CallDocument, StatusChange
from mobility.models.applications import Status
from tests.admin_helpers import form_data, inline_formset
from tests.factories import InstitutionFactory
from tests.mobility.helpers import MINIMAL_PDF, open_call_with_destinations, submit_application

CSV_HEADER = [
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
REFUSED_TO_ACCEPT = "Une candidature « déposée » ne peut pas passer à « acceptée »."


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:mobility_{model}_{view}", args=args)


def transition_url(application, status: str) -> str:
    return admin_url("application", "transition", application.pk, status)


def document_url(application, document) -> str:
    return admin_url("application", "document", application.pk, document.pk)


def html_of(response) -> str:
    return response.content.decode()


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def grant(user, *codenames: str) -> None:
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="mobility")
        )


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in staff member with no permission at all; tests grant what they need."""
    user = django_user_model.objects.create_user(
        "relecteur", password="x" * 16, is_staff=True, first_name="Alix", last_name="Durand"
    )
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def application(db):
    return submit_application()


def make_applications(count: int) -> None:
    """`count` applications, each to a call of its own, with choices, languages and a document."""
    for _ in range(count):
        call, _destinations = open_call_with_destinations()
        submit_application(call)


def make_calls(count: int) -> None:
    """`count` calls with destinations, required documents and an application each."""
    make_applications(count)


# --- Pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_call_pages_render(admin_client, application):
    call = application.call
    changelist = admin_client.get(admin_url("call", "changelist"))
    assert changelist.status_code == 200
    page = changelist.content.decode()
    assert '<span class="call-state call-state--open">ouvert</span>' in page
    assert f'href="{admin_url("application", "changelist")}?call__id__exact={call.pk}">1</a>' in page
    assert "admin/mobility/admin.css" in page

    change = admin_client.get(admin_url("call", "change", call.pk))
    assert change.status_code == 200
    assert 'type="checkbox" name="mobility_types" value="student_studies"' in change.content.decode()
    assert len(inline_formset(change, "destinations").forms) == 3
    assert len(inline_formset(change, "documents").forms) == 2

    add = admin_client.get(admin_url("call", "add"))
    assert add.status_code == 200
    assert "data-prepopulated-fields" in add.content.decode()


@pytest.mark.django_db
def test_application_pages_render(admin_client, application):
    changelist = admin_client.get(admin_url("application", "changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == [application]
    first_choice = application.choices.get(rank=1).destination.institution.name
    assert f'<td class="field-first_choice">{first_choice}</td>' in changelist.content.decode()

    change = admin_client.get(admin_url("application", "change", application.pk))
    assert change.status_code == 200
    page = change.content.decode()
    assert application.reference in page
    assert first_choice in page
    assert "anglais — B1" in page
    assert f'href="{transition_url(application, "under_review")}">Mettre en examen</a>' in page
    document = application.documents.get()
    assert f'<a href="{document_url(application, document)}">cv.pdf</a>' in page
    assert "Historique des statuts" in page
    assert "la personne candidate" in page  # who submitted it, in the history


@pytest.mark.django_db
def test_application_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(admin_url("application", "add")).status_code == 403
    changelist = admin_client.get(admin_url("application", "changelist"))
    assert admin_url("application", "add") not in changelist.content.decode()


@pytest.mark.django_db
def test_submitted_data_is_read_only(admin_client, application):
    url = admin_url("application", "change", application.pk)
    page = admin_client.get(url)
    assert not page.context["adminform"].form.fields  # every field is shown read-only
    assert 'name="given_names"' not in page.content.decode()

    response = admin_client.post(url, {"given_names": "Autre", "family_name": "Nom", "status": "accepted"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert (application.given_names, application.status) == ("Camille", Status.SUBMITTED)


# --- Query counts -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "make_rows"), [("call", make_calls), ("application", make_applications)])
@pytest.mark.parametrize("query_string", ["", "?q=a", "?status__exact=submitted"])
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_num_queries, model, make_rows, query_string
):
    if model == "call" and query_string.startswith("?status"):
        query_string = "?state=open"
    url = admin_url(model, "changelist") + query_string
    make_rows(3)
    admin_client.get(url)  # warms per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as few_rows:
        assert admin_client.get(url).status_code == 200

    make_rows(27)
    with django_assert_num_queries(len(few_rows)):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 30


# --- Filters -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_destination_filter_finds_any_choice(admin_client):
    call, destinations = open_call_with_destinations()
    first = submit_application(call)  # chooses destinations 1 and 2
    second_choice_institution = destinations[1].institution
    response = admin_client.get(
        admin_url("application", "changelist"), {"destination": second_choice_institution.pk}
    )
    assert list(response.context["cl"].result_list) == [first]
    response = admin_client.get(
        admin_url("application", "changelist"), {"destination": destinations[2].institution.pk}
    )
    assert list(response.context["cl"].result_list) == []


# --- Status changes ------------------------------------------------------------------------


@pytest.mark.django_db
def test_transition_button_records_the_change_and_mails_the_applicant(
    admin_client, admin_user, application, mailoutbox, django_capture_on_commit_callbacks
):
    url = transition_url(application, Status.UNDER_REVIEW)
    form_page = admin_client.get(url)
    assert form_page.status_code == 200
    assert 'name="comment"' in form_page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"comment": "Dossier complet, examen en commission.", "visible_to_applicant": "yes"}
        )
    assert response.status_code == 302
    assert response["Location"] == admin_url("application", "change", application.pk)

    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    change = application.history.last()
    assert (change.from_status, change.to_status) == (Status.SUBMITTED, Status.UNDER_REVIEW)
    assert change.changed_by == admin_user
    assert change.comment == "Dossier complet, examen en commission."
    assert change.visible_to_applicant is True
    assert [message.to for message in mailoutbox] == [["camille.martin@example.org"]]
    assert "Dossier complet, examen en commission." in mailoutbox[0].body

    page = admin_client.get(response["Location"])
    assert any("est maintenant « en cours d’examen »" in text for text in message_texts(page))
    assert f'href="{transition_url(application, "accepted")}">Accepter</a>' in page.content.decode()


@pytest.mark.django_db
def test_transition_comment_is_required(admin_client, application):
    response = admin_client.post(
        transition_url(application, Status.UNDER_REVIEW), {"visible_to_applicant": "yes"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == [
        "Expliquez ce changement de statut en quelques mots."
    ]
    assert application.history.count() == 1


@pytest.mark.django_db
def test_crafted_post_to_a_status_not_allowed_is_refused_in_french(
    admin_client, application, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            transition_url(application, Status.ACCEPTED),
            {"comment": "Accepté d’office.", "visible_to_applicant": "yes"},
        )
    assert response.status_code == 302
    assert response["Location"] == admin_url("application", "change", application.pk)
    texts = message_texts(response)
    assert len(texts) == 1
    assert texts[0].startswith(REFUSED_TO_ACCEPT)
    assert "Statuts possibles : « en cours d’examen »." in texts[0]

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert list(application.history.values_list("to_status", flat=True)) == [Status.SUBMITTED]
    assert mailoutbox == []


@pytest.mark.django_db
def test_transition_form_for_a_status_not_allowed_is_not_offered(admin_client, application):
    response = admin_client.get(transition_url(application, Status.ACCEPTED), follow=True)
    assert response.redirect_chain == [(admin_url("application", "change", application.pk), 302)]
    # The service's own refusal, which also says what is possible instead.
    assert message_texts(response) == [f"{REFUSED_TO_ACCEPT} Statuts possibles : « en cours d’examen »."]
    assert admin_client.get(transition_url(application, "inconnu")).status_code == 404


@pytest.mark.django_db
def test_staff_without_change_status_permission_gets_403(staff_client, application):
    grant(staff_client.user, "view_application")
    url = transition_url(application, Status.UNDER_REVIEW)
    assert staff_client.get(url).status_code == 403
    assert staff_client.post(url, {"comment": "Examen.", "visible_to_applicant": "yes"}).status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    page = staff_client.get(admin_url("application", "change", application.pk)).content.decode()
    assert url not in page
    assert "Vous n’avez pas la permission de changer le statut" in page


@pytest.mark.django_db
def test_staff_with_change_status_permission_moves_the_application(staff_client, application):
    grant(staff_client.user, "view_application", "change_application_status")
    response = staff_client.post(
        transition_url(application, Status.UNDER_REVIEW),
        {"comment": "Examen interne.", "visible_to_applicant": "no"},
    )
    assert response.status_code == 302
    change = application.history.last()
    assert change.to_status == Status.UNDER_REVIEW
    assert change.visible_to_applicant is False
    assert change.actor_label == "Alix Durand"


@pytest.mark.django_db
def test_bulk_start_review_moves_only_submitted_applications(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    call, _destinations = open_call_with_destinations()
    submitted = submit_application(call)
    reviewed = submit_application(call)
    services.application_transition(application=reviewed, to_status=Status.UNDER_REVIEW, comment="Déjà vue.")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            admin_url("application", "changelist"),
            {"action": "start_review", "_selected_action": [submitted.pk, reviewed.pk]},
            follow=True,
        )
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Status.UNDER_REVIEW
    last_change = submitted.history.last()
    assert last_change is not None
    assert last_change.comment.startswith("Votre candidature est en cours d’examen")
    assert reviewed.history.count() == 2  # left as it was
    assert [submitted.reference in message.subject for message in mailoutbox] == [True]
    texts = message_texts(response)
    assert any(text.startswith("1 candidature mise en examen") for text in texts)
    assert any(text.startswith("1 candidature laissée telle quelle") for text in texts)


# --- Whether the applicant reads the comment: asked, never assumed ------------------------------

VISIBILITY_REQUIRED = "Choisissez si la personne candidate verra ce commentaire : oui ou non."


@pytest.mark.django_db
def test_visibility_of_the_comment_has_no_answer_chosen_beforehand(admin_client, application):
    response = admin_client.get(transition_url(application, Status.UNDER_REVIEW))
    assert response.status_code == 200
    assert response.context["form"]["visible_to_applicant"].value() is None
    page = response.content.decode()
    assert page.count('type="radio" name="visible_to_applicant"') == 2
    assert 'name="visible_to_applicant" value="yes"' in page
    assert 'name="visible_to_applicant" value="no"' in page
    assert "checked" not in page
    assert "<legend" in page  # the question names its group of answers


@pytest.mark.django_db
@pytest.mark.parametrize("posted", [{}, {"visible_to_applicant": "on"}], ids=["none", "unknown"])
def test_status_change_without_choosing_the_visibility_is_a_field_error_that_keeps_the_comment(
    admin_client, application, mailoutbox, django_capture_on_commit_callbacks, posted
):
    typed = "Dossier complet : passage en commission le 12."
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            transition_url(application, Status.UNDER_REVIEW), {"comment": typed, **posted}
        )
    assert response.status_code == 200
    assert response.context["form"].errors == {"visible_to_applicant": [VISIBILITY_REQUIRED]}
    page = response.content.decode()
    assert f">\n{typed}</textarea>" in page
    # The message is tied to the group of answers for screen readers.
    assert 'id="id_visible_to_applicant_error"' in page
    assert 'aria-describedby="id_visible_to_applicant_error"' in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.history.count() == 1
    assert mailoutbox == []


@pytest.mark.django_db
def test_comment_kept_internal_stays_out_of_the_applicants_mail(
    admin_client, application, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            transition_url(application, Status.UNDER_REVIEW),
            {"comment": "Note interne : vérifier le niveau d’anglais.", "visible_to_applicant": "no"},
        )
    assert response.status_code == 302
    last_change = application.history.last()
    assert last_change is not None
    assert last_change.visible_to_applicant is False
    assert len(mailoutbox) == 1
    assert "Note interne" not in mailoutbox[0].body


# --- Taking a decision back -------------------------------------------------------------------

REASON = "Pièce manquante reçue après la commission : dossier à réexaminer."


def decide(application, status: str) -> None:
    """`application` reviewed, then decided `status`, through the service."""
    services.application_transition(application=application, to_status=Status.UNDER_REVIEW, comment="Examen.")
    services.application_transition(application=application, to_status=status, comment="Décision.")


@pytest.mark.django_db
@pytest.mark.parametrize("decision", [Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED])
def test_decision_is_reverted_with_its_reason_in_the_history_and_a_mail(
    admin_client, admin_user, application, mailoutbox, django_capture_on_commit_callbacks, decision
):
    decide(application, decision)
    change_url = admin_url("application", "change", application.pk)
    revert_url = transition_url(application, Status.UNDER_REVIEW)
    page = admin_client.get(change_url).content.decode()
    assert f'href="{revert_url}">Annuler la décision</a>' in page

    form_page = admin_client.get(revert_url)
    assert form_page.status_code == 200
    assert 'name="reason"' in form_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(revert_url, {"reason": f"  {REASON}  ", "visible_to_applicant": "yes"})
    assert response.status_code == 302
    assert response["Location"] == change_url

    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert application.decided_at is None  # the retention period no longer runs
    change = application.history.last()
    assert (change.from_status, change.to_status) == (decision, Status.UNDER_REVIEW)
    assert (change.changed_by, change.comment, change.visible_to_applicant) == (admin_user, REASON, True)
    assert change.changed_at is not None
    audit_row = application.audit_trail.latest("history_date")
    assert (audit_row.status, audit_row.history_user, audit_row.history_change_reason) == (
        Status.UNDER_REVIEW,
        admin_user,
        REASON,
    )
    # Mailed as for any status change, with the reason when the applicant may read it.
    assert [message.to for message in mailoutbox] == [["camille.martin@example.org"]]
    assert "en cours d’examen" in mailoutbox[0].body
    assert REASON in mailoutbox[0].body

    page = admin_client.get(change_url)
    assert any(
        text.startswith(f"La décision sur la candidature {application.reference} est annulée")
        for text in message_texts(page)
    )
    html = page.content.decode()
    assert "(décision annulée)" in html
    assert REASON in html
    history = admin_client.get(admin_url("application", "history", application.pk)).content.decode()
    assert f"Motif :</strong> {REASON}" in history


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_decision_revert_without_a_reason_is_a_field_error(
    admin_client, application, mailoutbox, django_capture_on_commit_callbacks, reason
):
    decide(application, Status.REJECTED)
    decided_at = Application.objects.get(pk=application.pk).decided_at
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            transition_url(application, Status.UNDER_REVIEW), {"reason": reason, "visible_to_applicant": "no"}
        )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"reason": ["Indiquez pourquoi la décision est annulée."]}
    # What was chosen stays chosen.
    assert re.search(
        r'<input type="radio" name="visible_to_applicant" value="no"[^>]* checked>', html_of(response)
    )
    application.refresh_from_db()
    assert (application.status, application.decided_at) == (Status.REJECTED, decided_at)
    assert application.history.count() == 3
    assert mailoutbox == []


@pytest.mark.django_db
def test_decision_revert_keeps_the_reason_typed_when_the_visibility_is_not_chosen(admin_client, application):
    decide(application, Status.ACCEPTED)
    response = admin_client.post(transition_url(application, Status.UNDER_REVIEW), {"reason": REASON})
    assert response.status_code == 200
    assert response.context["form"].errors == {"visible_to_applicant": [VISIBILITY_REQUIRED]}
    assert f">\n{REASON}</textarea>" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.COMPLETED])
def test_only_a_decision_can_be_taken_back(admin_client, application, status):
    if status == Status.WITHDRAWN:
        services.application_transition(application=application, to_status=status, by_applicant=True)
    else:
        decide(application, Status.ACCEPTED)
        services.application_transition(application=application, to_status=Status.DEPARTED, comment="Parti.")
        services.application_transition(application=application, to_status=status, comment="Rentré.")
    history_length = application.history.count()
    url = transition_url(application, Status.UNDER_REVIEW)
    assert url not in admin_client.get(admin_url("application", "change", application.pk)).content.decode()

    response = admin_client.post(url, {"reason": REASON, "visible_to_applicant": "no"})
    assert response.status_code == 302
    assert len(message_texts(response)) == 1
    application.refresh_from_db()
    assert application.status == status
    assert application.history.count() == history_length
    with pytest.raises(services.TransitionRefused) as refused:
        services.application_decision_revert(
            application=application, actor=None, reason=REASON, visible_to_applicant=False
        )
    assert "n’a pas de décision à annuler" in refused.value.messages[0]


@pytest.mark.django_db
def test_stale_reversal_form_changes_nothing(admin_client, application):
    """Posted after another reviewer already took the decision back: no second reversal."""
    decide(application, Status.REJECTED)
    url = transition_url(application, Status.UNDER_REVIEW)
    services.application_decision_revert(
        application=application, actor=None, reason="Déjà annulée.", visible_to_applicant=False
    )
    response = admin_client.post(url, {"reason": REASON, "visible_to_applicant": "no"})
    assert response.status_code == 302
    assert message_texts(response)[0].startswith("Une candidature « en cours d’examen » ne peut pas passer")
    assert list(application.history.values_list("comment", flat=True))[-1] == "Déjà annulée."


@pytest.mark.django_db
def test_decision_revert_follows_the_status_permission(staff_client, application):
    decide(application, Status.REJECTED)
    url = transition_url(application, Status.UNDER_REVIEW)
    grant(staff_client.user, "view_application")
    assert staff_client.get(url).status_code == 403
    assert staff_client.post(url, {"reason": REASON, "visible_to_applicant": "no"}).status_code == 403
    assert url not in staff_client.get(admin_url("application", "change", application.pk)).content.decode()
    application.refresh_from_db()
    assert application.status == Status.REJECTED

    grant(staff_client.user, "change_application_status")
    assert staff_client.post(url, {"reason": REASON, "visible_to_applicant": "no"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert application.history.last().actor_label == "Alix Durand"


@pytest.mark.django_db
def test_reverted_refusal_is_no_longer_due_for_purge(application):
    decide(application, Status.REJECTED)
    later = timezone.now() + datetime.timedelta(days=3 * 365)
    assert list(applications_due_for_purge(older_than_months=24, now=later)) == [
        Application.objects.get(pk=application.pk)
    ]
    services.application_decision_revert(
        application=application, actor=None, reason=REASON, visible_to_applicant=False
    )
    assert not applications_due_for_purge(older_than_months=24, now=later).exists()


# --- Documents ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_superuser_downloads_a_document_as_an_attachment(admin_client, application):
    document = application.documents.get()
    response = admin_client.get(document_url(application, document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Disposition"] == f'attachment; filename="cv-{application.reference}.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


@pytest.mark.django_db
def test_staff_with_view_permission_but_not_download_gets_403(staff_client, application):
    grant(staff_client.user, "view_application")
    document = application.documents.get()
    assert staff_client.get(document_url(application, document)).status_code == 403
    page = staff_client.get(admin_url("application", "change", application.pk)).content.decode()
    assert document_url(application, document) not in page
    assert "cv.pdf" in page


@pytest.mark.django_db
def test_staff_with_download_permission_but_not_view_gets_403(staff_client, application):
    grant(staff_client.user, "download_applicationdocument")
    document = application.documents.get()
    assert staff_client.get(document_url(application, document)).status_code == 403


@pytest.mark.django_db
def test_staff_with_both_permissions_downloads(staff_client, application):
    grant(staff_client.user, "view_application", "download_applicationdocument")
    response = staff_client.get(document_url(application, application.documents.get()))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_admin_login(client, application):
    response = client.get(document_url(application, application.documents.get()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_document_of_another_application_gives_404(admin_client, application):
    other = submit_application(application.call)
    assert admin_client.get(document_url(application, other.documents.get())).status_code == 404
    assert admin_client.get(admin_url("application", "document", 999_999, 1)).status_code == 404


@pytest.mark.django_db
def test_deleting_an_application_deletes_its_files(
    admin_client, application, django_capture_on_commit_callbacks
):
    stored = Path(application.documents.get().file.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(admin_url("application", "delete", application.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Application.objects.exists()
    assert not stored.exists()


# --- CSV export ---------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    # Streamed: the body reads once, then stays on the response for a second look.
    if not hasattr(response, "downloaded"):
        response.downloaded = b"".join(response.streaming_content)
    content = response.downloaded
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.django_db
def test_export_follows_the_list_filters(admin_client):
    call, destinations = open_call_with_destinations()
    kept = submit_application(call, family_name="Bernard", phone="+33 6 12 34 56 78")
    other = submit_application(call, family_name='=HYPERLINK("http://example.org")')
    services.application_transition(application=kept, to_status=Status.UNDER_REVIEW, comment="Examen.")

    changelist = admin_client.get(admin_url("application", "changelist"), {"status__exact": "under_review"})
    export_url = admin_url("application", "export")
    assert f'href="{export_url}?status__exact=under_review"' in changelist.content.decode()

    response = admin_client.get(export_url, {"status__exact": "under_review", "p": "7"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="candidatures-{today}.csv"'
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    header, *rows = csv_rows(response)
    assert b";" in response.downloaded.splitlines()[0]
    assert header == CSV_HEADER
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    kept.refresh_from_db()
    submitted_at = timezone.localtime(kept.submitted_at)
    assert row == {
        "Référence": kept.reference,
        "Nom": "Bernard",
        "Prénom(s)": "Camille",
        "Courriel": "camille.martin@example.org",
        "Téléphone": "+33 6 12 34 56 78",
        "Catégorie": "étudiant ou étudiante",
        "Formation": str(kept.programme),
        "Appel": call.title,
        "Choix 1": destinations[0].institution.name,
        "Choix 2": destinations[1].institution.name,
        "Choix 3": "",
        "Début souhaité": kept.wished_start.strftime("%d/%m/%Y"),
        "Fin souhaitée": kept.wished_end.strftime("%d/%m/%Y"),
        "Statut": "en cours d’examen",
        "Déposée le": submitted_at.strftime("%d/%m/%Y %H:%M"),
    }

    everything = csv_rows(admin_client.get(export_url))
    assert [row[0] for row in everything[1:]] == [other.reference, kept.reference]
    # A cell an applicant typed as a formula stays text in a spreadsheet.
    assert everything[1][1] == '\'=HYPERLINK("http://example.org")'


@pytest.mark.django_db
def test_export_follows_the_search(admin_client):
    call, _destinations = open_call_with_destinations()
    submit_application(call, family_name="Bernard")
    wanted = submit_application(call, family_name="Lefebvre")
    response = admin_client.get(admin_url("application", "export"), {"q": "lefeb"})
    assert [row[0] for row in csv_rows(response)[1:]] == [wanted.reference]


@pytest.mark.django_db
def test_staff_without_export_permission_gets_403(staff_client, application):
    grant(staff_client.user, "view_application")
    assert staff_client.get(admin_url("application", "export")).status_code == 403
    page = staff_client.get(admin_url("application", "changelist")).content.decode()
    assert admin_url("application", "export") not in page

    grant(staff_client.user, "export_application")
    response = staff_client.get(admin_url("application", "export"))
    assert response.status_code == 200
    assert len(csv_rows(response)) == 2


# --- Call form ----------------------------------------------------------------------------


def call_post_data(institutions, opens_at: datetime.datetime, closes_at: datetime.datetime) -> dict:
    data = {
        "title_fr": "Appel 2027 : stages en Belgique",
        "slug": "appel-2027-stages-belgique",
        "academic_year": "2027",
        "audience": "students",
        "direction": "outgoing",
        "mobility_types": ["student_traineeship", "student_studies"],
        "opens_at_0": opens_at.date().isoformat(),
        "opens_at_1": opens_at.strftime("%H:%M:%S"),
        "closes_at_0": closes_at.date().isoformat(),
        "closes_at_1": closes_at.strftime("%H:%M:%S"),
        "description_fr": "Partir en stage chez un partenaire belge.",
        "is_published": "on",
        "destinations-TOTAL_FORMS": str(len(institutions)),
        "destinations-INITIAL_FORMS": "0",
        "destinations-MIN_NUM_FORMS": "0",
        "destinations-MAX_NUM_FORMS": "1000",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "documents-0-kind": "cv",
        "documents-0-is_required": "on",
        "documents-0-help_text": "En français ou en anglais.",
    }
    for index, institution in enumerate(institutions):
        data[f"destinations-{index}-institution"] = str(institution.pk)
        data[f"destinations-{index}-places"] = "2"
        data[f"destinations-{index}-position"] = str(index)
    return data


@pytest.mark.django_db
def test_call_closing_before_it_opens_is_a_french_field_error(admin_client):
    opens_at = timezone.localtime().replace(microsecond=0) + datetime.timedelta(days=10)
    data = call_post_data([InstitutionFactory.create()], opens_at, opens_at - datetime.timedelta(days=1))
    response = admin_client.post(admin_url("call", "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "closes_at": ["La clôture doit venir après l’ouverture : corrigez l’une des deux dates."]
    }
    assert not Call.objects.exists()
    assert not CallDestination.objects.exists()


@pytest.mark.django_db
def test_valid_call_is_saved_with_its_destinations_and_document(admin_client):
    first, second = InstitutionFactory.create(), InstitutionFactory.create()
    opens_at = timezone.localtime().replace(microsecond=0) + datetime.timedelta(days=10)
    data = call_post_data([first, second], opens_at, opens_at + datetime.timedelta(days=30))
    response = admin_client.post(admin_url("call", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    call = Call.objects.get(slug="appel-2027-stages-belgique")
    assert call.mobility_types == ["student_studies", "student_traineeship"]  # in the order of the choices
    assert call.opens_at == opens_at
    assert [d.institution for d in call.destinations.order_by("position")] == [first, second]
    document = CallDocument.objects.get(call=call)
    assert (document.kind, document.is_required, document.help_text) == (
        "cv",
        True,
        "En français ou en anglais.",
    )


@pytest.mark.django_db
def test_saving_a_call_change_page_unchanged_succeeds(admin_client, application):
    url = admin_url("call", "change", application.call.pk)
    data = form_data(admin_client.get(url))
    assert data["mobility_types"] == ["student_studies", "student_traineeship"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == admin_url("call", "changelist")


@pytest.mark.django_db
def test_unticking_every_mobility_type_stores_an_empty_list(admin_client, application):
    url = admin_url("call", "change", application.call.pk)
    data = form_data(admin_client.get(url))
    del data["mobility_types"]
    assert admin_client.post(url, data).status_code == 302
    application.call.refresh_from_db()
    assert application.call.mobility_types == []


@pytest.mark.django_db
def test_a_destination_chosen_by_an_applicant_cannot_be_removed(admin_client, application):
    url = admin_url("call", "change", application.call.pk)
    response = admin_client.get(url)
    data = form_data(response)
    chosen = application.choices.get(rank=1).destination
    row = next(
        form.prefix
        for form in inline_formset(response, "destinations").forms
        if form.instance.pk == chosen.pk
    )
    data[f"{row}-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert CallDestination.objects.filter(pk=chosen.pk).exists()
    assert StatusChange.objects.count() == 1
