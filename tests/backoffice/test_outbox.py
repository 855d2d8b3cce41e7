"""The mail outbox: a mail is a row of the transaction that causes it, delivered once that commits,
kept and retried while the mail server is down, and delivered when it is back; staff see it all.

The mail server is a real one: aiosmtpd's SMTP server on loopback, which keeps what it receives."""

import datetime
import email
import re
from email import policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from post_office.models import STATUS, Email

from backoffice.outbox import MAX_ATTEMPTS, retry_delay
from mobility.emails import APPLICATION_HEADER
from mobility.models import Application
from tests.deploy.servers import free_port
from tests.mobility.helpers import open_call_with_destinations, submit_application
from tests.mobility.test_public import form_page, valid_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files_removed")]

OUTBOX = "/gestion/backoffice/outboxmail/"


class Keeper:
    """aiosmtpd's handler: keeps each message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """The outbox's transport is SMTP to a loopback port where no server listens yet; `start()`
    starts one there."""
    port = free_port()
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
    }
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    server = SinkServer(port)
    yield server
    server.stop()


class SinkServer:
    def __init__(self, port: int):
        self.port = port
        self.keeper = Keeper()
        self.messages = self.keeper.messages
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()


def text_of(message: email.message.EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return body.get_content()


def test_with_the_mail_server_down_twenty_applications_wait_in_the_outbox_then_all_arrive(
    smtp, client, django_capture_on_commit_callbacks, monkeypatch
):
    call, destinations = open_call_with_destinations()
    for number in range(20):
        _html, key = form_page(client, call)
        post = valid_post(call, destinations, key, email=f"personne.{number}@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(f"/fr/mobilite/appels/{call.slug}/candidater/", post).status_code == 302
    assert Application.objects.count() == 20
    # Each delivery right after the commit was refused: all twenty wait, none is lost.
    assert Email.objects.count() == 20
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.requeued}
    assert smtp.messages == []

    smtp.start()
    # Nothing is due before the first wait is over…
    call_command("send_queued_mail")
    assert smtp.messages == []
    # …and all of it once it is.
    later = timezone.now() + retry_delay(1) + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("send_queued_mail")
    monkeypatch.undo()

    assert len(smtp.messages) == 20
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.sent}
    visitor = Client()
    for message in smtp.messages:
        application = Application.objects.get(email=message["To"])
        links = re.findall(r"http://testserver(/fr/mobilite/suivi/[^/\s]+/)", text_of(message))
        assert len(links) == 1, text_of(message)
        page = visitor.get(links[0])
        assert page.status_code == 200
        assert application.reference in page.content.decode()


def test_a_mail_is_part_of_its_transaction(smtp):
    call, _destinations = open_call_with_destinations()
    queued_inside = []

    def submit_then_fail():
        with transaction.atomic():
            submit_application(call)
            queued_inside.append(Email.objects.count())
            raise RuntimeError("something fails after the application was written")

    with pytest.raises(RuntimeError):
        submit_then_fail()
    assert queued_inside == [1]
    assert Application.objects.count() == 0
    assert Email.objects.count() == 0


def test_each_failure_waits_longer_then_the_mail_is_given_up_and_shown_as_failed(
    smtp, django_capture_on_commit_callbacks, monkeypatch
):
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [datetime.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert retry_delay(20) == datetime.timedelta(hours=6)
    with django_capture_on_commit_callbacks(execute=True):
        submit_application()
    mail = Email.objects.get()
    moment = timezone.now()
    for attempt in range(2, MAX_ATTEMPTS + 1):
        mail.refresh_from_db()
        assert mail.status == STATUS.requeued
        assert mail.number_of_retries == attempt - 1
        moment = mail.scheduled_time + datetime.timedelta(seconds=1)
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        call_command("send_queued_mail")
    mail.refresh_from_db()
    assert mail.status == STATUS.failed
    assert mail.logs.filter(status=STATUS.failed).count() == MAX_ATTEMPTS


def test_administrators_see_the_attempts_and_send_a_failed_mail_again(
    admin_client, django_capture_on_commit_callbacks, settings, mailoutbox
):
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "tests.mobility.broken_mail.BrokenBackend"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_application()
    Email.objects.update(status=STATUS.failed)
    mail = Email.objects.get()

    listing = admin_client.get(OUTBOX, {"etat": STATUS.failed}).content.decode()
    assert application.email in listing
    assert "abandonné" in listing
    page = admin_client.get(f"{OUTBOX}{mail.pk}/change/").content.decode()
    assert "the SMTP server is down" in page  # the attempt, with what the server said

    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    }
    response = admin_client.post(OUTBOX, {"action": "send_again", "_selected_action": [mail.pk]}, follow=True)
    assert "1 e-mail envoyé." in response.content.decode()
    mail.refresh_from_db()
    assert mail.status == STATUS.sent
    assert [message.to for message in mailoutbox] == [[application.email]]


def test_only_administrators_see_the_outbox(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit_application()
    staff = User.objects.create_user("relations", password="x" * 16, is_staff=True)
    staff.user_permissions.set(
        list(staff.user_permissions.model.objects.filter(content_type__app_label="post_office"))
    )
    client.force_login(staff)
    assert client.get(OUTBOX).status_code == 403
    assert "outboxmail" not in client.get("/gestion/").content.decode()


def test_the_nightly_purge_deletes_the_mails_delivered_or_given_up_long_ago(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent_long_ago, given_up_long_ago, still_waiting, sent_lately = (
            submit_application(email=f"personne.{number}@example.org") for number in range(4)
        )
    mails = {
        application.reference: Email.objects.get(**{f"headers__{APPLICATION_HEADER}": application.reference})
        for application in (sent_long_ago, given_up_long_ago, still_waiting, sent_lately)
    }
    long_ago = timezone.now() - datetime.timedelta(days=31 * (settings.PORTAL_RETENTION_MONTHS + 1))
    for reference, status in (
        (sent_long_ago.reference, STATUS.sent),
        (given_up_long_ago.reference, STATUS.failed),
        (still_waiting.reference, STATUS.requeued),
    ):
        Email.objects.filter(pk=mails[reference].pk).update(status=status, last_updated=long_ago)
    out = StringIO()
    call_command("purge_applications", stdout=out)
    assert "Deleted 2 delivered mails" in out.getvalue()
    kept = set(Email.objects.values_list("pk", flat=True))
    assert kept == {mails[still_waiting.reference].pk, mails[sent_lately.reference].pk}
