"""Every e-mail to an applicant is in the language of the form they filled in; staff mail stays French."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import translation

from backoffice.roles import INTERNATIONAL_RELATIONS
from mobility.models import Application
from mobility.models.applications import Status
from mobility.services import application_transition
from tests.mobility.helpers import open_call_with_destinations, submit_application
from tests.mobility.test_public import valid_post

pytestmark = pytest.mark.django_db


def english_form_key(client, call) -> str:
    html = client.get(f"/en/mobility/calls/{call.slug}/apply/").content.decode()
    match = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_an_application_sent_in_english_gets_every_mail_in_english(
    client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    call, destinations = open_call_with_destinations()
    key = english_form_key(client, call)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/mobility/calls/{call.slug}/apply/", valid_post(call, destinations, key))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.language == "en"

    # The confirmation: English subject and text, and a link to the English follow-up page.
    confirmation = mailoutbox[0]
    assert confirmation.subject == f"Application {application.reference} received"
    link = re.search(r"http://testserver(/en/mobility/follow-up/[^/\s]+/)", confirmation.body)
    assert link is not None, confirmation.body
    assert "candidature" not in confirmation.body.lower()

    # A status change by staff working in French: still English for the applicant.
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application,
            to_status=Status.UNDER_REVIEW,
            actor=admin_user,
            comment="",
            visible_to_applicant=False,
        )
    assert mailoutbox[1].subject == f"Application {application.reference}: under review"
    assert "/en/mobility/follow-up/" in mailoutbox[1].body

    # The withdrawal, from the English follow-up page.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.group(1) + "withdraw/", {"reason": "Plans changed."})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert mailoutbox[2].subject == f"Application {application.reference}: withdrawn"


def test_an_application_sent_in_french_stays_french_whatever_language_is_active(
    admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_application()
    assert application.language == "fr"
    assert mailoutbox[0].subject == f"Candidature {application.reference} bien reçue"
    assert "/fr/mobilite/suivi/" in mailoutbox[0].body

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application,
            to_status=Status.UNDER_REVIEW,
            actor=admin_user,
            comment="",
            visible_to_applicant=False,
        )
    assert mailoutbox[1].subject == f"Candidature {application.reference} : en cours d’examen"
    assert "/fr/mobilite/suivi/" in mailoutbox[1].body


def test_the_language_cannot_be_one_the_site_does_not_speak():
    application = submit_application()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(language="de")


def test_staff_are_told_of_a_message_from_the_english_site_in_french(
    client, django_user_model, mailoutbox, django_capture_on_commit_callbacks
):
    officer = django_user_model.objects.create_user("officer", email="ri@example.org", is_staff=True)
    officer.groups.add(Group.objects.get(name=INTERNATIONAL_RELATIONS))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/contact/",
            {
                "name": "Anna Keller",
                "email": "anna.keller@example.org",
                "subject": "Exchange with Würzburg",
                "message": "Hello, when does the next call open?",
                "website": "",
            },
        )
    assert len(mailoutbox) == 1
    staff_mail = mailoutbox[0]
    assert staff_mail.subject == "[Contact] Exchange with Würzburg"
    assert staff_mail.body.startswith("Un message est arrivé par le formulaire de contact du portail.")
    assert "Hello, when does the next call open?" in staff_mail.body
