"""The contact form: real posts through the client, the stored message, the staff's e-mail,
the honeypot, the rate limit, the admin where staff mark messages handled, and the retention purge."""

import datetime
import logging
import re
from email import message_from_bytes, policy
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from post_office.models import STATUS, Email

from backoffice.models import AuditEvent
from backoffice.retention import contact_messages_purge
from backoffice.roles import CONSULTATION, EVALUATION, INTERNATIONAL_RELATIONS
from contact.emails import CONTACT_MESSAGE_HEADER
from contact.models import ContactMessage
from tests.mobility.helpers import submit_application

pytestmark = pytest.mark.django_db

CONTACT = "/fr/contact/"
SENT = "/fr/contact/message-envoye/"
MESSAGE = "Bonjour,\nje souhaite savoir si l’Université Laval accueille des stagiaires en 2027.\nMerci."


def valid_post(**overrides) -> dict:
    data = {
        "name": "Léa Dupont",
        "email": "lea.dupont@example.org",
        "application_reference": "",
        "subject": "Stage au Québec",
        "message": MESSAGE,
        "website": "",
    }
    data.update(overrides)
    return data


def staff_member(django_user_model, username: str, role: str | None, **fields):
    user = django_user_model.objects.create_user(
        username, fields.pop("email", f"{username}@irts.example.org"), "x" * 16, is_staff=True, **fields
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def team(django_user_model):
    """Staff of every role, and people of the right role who must not be mailed."""
    return {
        "ri": staff_member(django_user_model, "camille", INTERNATIONAL_RELATIONS),
        "ri_2": staff_member(django_user_model, "alex", INTERNATIONAL_RELATIONS),
        "ri_left": staff_member(django_user_model, "ancien", INTERNATIONAL_RELATIONS, is_active=False),
        "ri_no_address": staff_member(django_user_model, "sans", INTERNATIONAL_RELATIONS, email=""),
        "evaluation": staff_member(django_user_model, "eva", EVALUATION),
        "consultation": staff_member(django_user_model, "consult", CONSULTATION),
        "superuser": django_user_model.objects.create_superuser("it", "it@irts.example.org", "x" * 16),
    }


def html_of(response) -> str:
    """The page's HTML with French narrow no-break spaces read as plain spaces, as in our sources."""
    return response.content.decode().replace("\u202f", " ")


def field_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea)[^>]+name="{name}"[^>]*>', html)
    assert match is not None, name
    return match.group(0)


# --- the page -------------------------------------------------------------------------------------
def test_contact_page_shows_the_form_and_keeps_the_address_and_email(client, settings):
    settings.PORTAL_CONTACT_EMAIL = "ri@example.org"
    html = html_of(client.get(CONTACT))
    for name, label in [
        ("name", "Votre nom"),
        ("email", "Votre adresse électronique"),
        ("application_reference", "Référence de votre candidature"),
        ("subject", "Objet"),
        ("message", "Votre message"),
    ]:
        assert re.search(rf'<label\s+for="id_{name}"[^>]*>\s*{re.escape(label)}', html), name
        assert f'id="id_{name}"' in html
    assert '<form method="post" action="/fr/contact/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "2 rue du Campus</span><br>" in html
    assert "14200 Hérouville-Saint-Clair<br>" in html
    assert '<a href="mailto:ri@example.org">ri@example.org</a>' in html
    assert "Envoyer le message" in html


def test_honeypot_is_hidden_from_people_and_assistive_technologies(client, settings):
    html = html_of(client.get(CONTACT))
    match = re.search(r'<div\s+class="honeypot"\s+aria-hidden="true">(.*?)</div>\s*</div>', html, re.S)
    assert match is not None, "the honeypot is not inside an aria-hidden, visually hidden block"
    block = match.group(1)
    assert "Ne pas remplir ce champ" in block  # what a person who reaches it is told
    tag = field_tag(block, "website")
    assert 'tabindex="-1"' in tag
    assert 'autocomplete="off"' in tag
    # Moved off-screen rather than display:none, which some robots detect.
    stylesheet = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    assert re.search(r"\.honeypot \{ position: absolute; left: -10000px;", stylesheet)


def test_contact_page_in_english(client):
    html = html_of(client.get("/en/contact/"))
    assert "<h1>Contact</h1>" in html
    assert "Your name" in html
    assert "Send the message" in html
    assert '<form method="post" action="/en/contact/"' in html


# --- a message sent ---------------------------------------------------------------------------------
def test_a_message_is_stored_mailed_to_the_international_relations_team_after_commit(
    client, team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(CONTACT, valid_post(application_reference="mob-2026-00042"))
        # Nothing leaves before the message is committed.
        assert mailoutbox == []
    assert response.status_code == 302
    assert response["Location"] == SENT

    message = ContactMessage.objects.get()
    assert message.name == "Léa Dupont"
    assert message.email == "lea.dupont@example.org"
    assert message.application_reference == "MOB-2026-00042"
    assert message.subject == "Stage au Québec"
    assert message.body == MESSAGE
    assert message.language == "fr"
    assert message.handled_at is None

    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    # The active members of the role that answers, with an address; nobody else.
    assert mail.to == sorted([team["ri"].email, team["ri_2"].email])
    reply_to = reply_to_address(mail)
    assert (reply_to.display_name, reply_to.addr_spec) == ("Léa Dupont", "lea.dupont@example.org")
    assert mail.subject == "[Contact] Stage au Québec"
    assert "l’Université Laval accueille des stagiaires" in mail.body
    assert "De : Léa Dupont <lea.dupont@example.org>" in mail.body
    assert "Candidature : MOB-2026-00042" in mail.body
    assert f"http://testserver/gestion/contact/contactmessage/{message.pk}/change/" in mail.body


def reply_to_address(mail):
    """The Reply-To header as a mail program reads it."""
    parsed = message_from_bytes(mail.message().as_bytes(), policy=policy.default)
    addresses = parsed["Reply-To"].addresses
    assert len(addresses) == 1
    return addresses[0]


def test_a_name_with_a_comma_or_quotes_stays_one_reply_to_address(
    client, team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONTACT, valid_post(name='Dupont, Léa "Lili"'))
    reply_to = reply_to_address(mailoutbox[0])
    assert (reply_to.display_name, reply_to.addr_spec) == ('Dupont, Léa "Lili"', "lea.dupont@example.org")


def test_the_thank_you_page_follows_the_redirect(client, team):
    response = client.post(CONTACT, valid_post(), follow=True)
    assert response.redirect_chain == [(SENT, 302)]
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "<h1>Message envoyé</h1>" in html
    assert "Merci : votre message a bien été transmis au service des relations internationales." in html
    assert response["X-Robots-Tag"] == "noindex"


def test_a_message_from_the_english_site_is_marked_english_and_thanked_in_english(client, team):
    response = client.post("/en/contact/", valid_post(), follow=True)
    assert response.redirect_chain == [("/en/contact/message-sent/", 302)]
    assert "<h1>Message sent</h1>" in html_of(response)
    assert ContactMessage.objects.get().language == "en"


def test_line_breaks_in_the_name_and_subject_never_reach_a_mail_header(
    client, team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CONTACT,
            valid_post(name="Léa\r\nBcc: victim@example.org", subject="Question\r\nBcc: victim@example.org"),
        )
    message = ContactMessage.objects.get()
    assert message.name == "Léa Bcc: victim@example.org"
    assert message.subject == "Question Bcc: victim@example.org"
    mail = mailoutbox[0]
    assert "\n" not in mail.subject
    assert mail.message()["Bcc"] is None
    assert mail.recipients() == sorted([team["ri"].email, team["ri_2"].email])


def test_without_anybody_to_mail_the_message_is_kept_and_the_problem_logged(
    client, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    with (
        caplog.at_level(logging.WARNING, logger="contact.emails"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(CONTACT, valid_post())
    assert response["Location"] == SENT
    assert ContactMessage.objects.count() == 1
    assert mailoutbox == []
    assert "Nobody handles contact messages" in caplog.text


def test_a_mail_server_failure_loses_no_message(
    client, team, settings, django_capture_on_commit_callbacks, caplog
):
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "tests.mobility.broken_mail.BrokenBackend"},
    }
    with (
        caplog.at_level(logging.WARNING, logger="backoffice.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(CONTACT, valid_post())
    assert response.status_code == 302
    assert response["Location"] == SENT
    message = ContactMessage.objects.get()
    # The mail to the team waits in the outbox for its next attempt.
    waiting = Email.objects.get(**{f"headers__{CONTACT_MESSAGE_HEADER}": str(message.pk)})
    assert waiting.status == STATUS.requeued
    assert "not delivered (attempt 1 of" in caplog.text


# --- the honeypot ---------------------------------------------------------------------------------
@pytest.mark.parametrize("other_fields", [{}, {"email": "pas-une-adresse", "message": ""}])
def test_a_filled_honeypot_is_thanked_but_stores_and_sends_nothing(
    client, team, mailoutbox, django_capture_on_commit_callbacks, other_fields
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(CONTACT, valid_post(website="https://spam.example", **other_fields))
    assert response.status_code == 302
    assert response["Location"] == SENT
    assert ContactMessage.objects.count() == 0
    assert callbacks == []
    assert mailoutbox == []


# --- the rate limit -------------------------------------------------------------------------------
def test_the_rate_limit_answers_429_after_the_allowed_messages(client, team, settings):
    settings.PORTAL_CONTACT_MESSAGES_PER_HOUR = 3
    for _ in range(3):
        assert client.post(CONTACT, valid_post()).status_code == 302
    response = client.post(CONTACT, valid_post())
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "<h1>Trop de demandes</h1>" in html_of(response)
    assert ContactMessage.objects.count() == 3
    # Another address is not held back by the first one.
    assert client.post(CONTACT, valid_post(), REMOTE_ADDR="192.0.2.7").status_code == 302


def test_the_default_limit_is_five_messages_an_hour(client, team):
    for _ in range(5):
        assert client.post(CONTACT, valid_post()).status_code == 302
    assert client.post(CONTACT, valid_post()).status_code == 429
    assert ContactMessage.objects.count() == 5


def test_posts_with_typing_errors_do_not_use_up_the_allowance(client, team, settings):
    settings.PORTAL_CONTACT_MESSAGES_PER_HOUR = 1
    for _ in range(4):
        assert client.post(CONTACT, valid_post(email="faux")).status_code == 200
    assert client.post(CONTACT, valid_post()).status_code == 302
    assert client.post(CONTACT, valid_post()).status_code == 429


def test_robots_count_against_the_limit_too(client, settings):
    settings.PORTAL_CONTACT_MESSAGES_PER_HOUR = 2
    for _ in range(2):
        client.post(CONTACT, valid_post(website="spam"))
    assert client.post(CONTACT, valid_post()).status_code == 429
    assert ContactMessage.objects.count() == 0


# --- errors -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "", "Indiquez votre nom."),
        ("name", "   ", "Indiquez votre nom."),
        (
            "email",
            "pas-une-adresse",
            "Indiquez une adresse électronique complète, de la forme nom@exemple.fr.",
        ),
        (
            "email",
            "x" * 250 + "@example.org",
            "Assurez-vous que cette valeur comporte au plus 254 caractères",
        ),
        ("application_reference", "DOSSIER 12", "Cette référence n’a pas la forme attendue"),
        ("subject", "", "Indiquez l’objet de votre message."),
        ("subject", "s" * 201, "au plus 200 caractères"),
        ("message", "", "Écrivez votre message."),
        ("message", "m" * 5001, "au plus 5000 caractères"),
    ],
)
def test_bad_input_reshows_the_form_with_linked_errors_keeps_what_was_typed_and_writes_nothing(
    client, team, mailoutbox, field, value, error
):
    response = client.post(CONTACT, valid_post(**{field: value}))
    assert response.status_code == 200
    html = html_of(response)
    assert error in html
    assert html.count("<h1") == 1
    assert re.search(r"<title>Erreurs — Contact\b[^<]*</title>", html)
    # The summary links to the field in error…
    summary = re.search(r'<div class="error-summary" role="alert" id="erreurs"[^>]*>(.*?)</div>', html, re.S)
    assert summary is not None
    assert f'<a href="#id_{field}">' in summary.group(1)
    # …which names its error for screen readers.
    tag = field_tag(html, field)
    assert 'aria-invalid="true"' in tag
    assert re.search(rf'aria-describedby="id_{field}_error( id_{field}_helptext)?"', tag)
    assert f'id="id_{field}_error"' in html
    # What was typed elsewhere is kept, the message too.
    if field != "name":
        assert 'value="Léa Dupont"' in field_tag(html, "name")
    if field != "subject":
        assert 'value="Stage au Québec"' in field_tag(html, "subject")
    if field != "message":
        assert "l’Université Laval accueille des stagiaires en 2027." in html
    assert ContactMessage.objects.count() == 0
    assert mailoutbox == []


def test_every_error_is_listed_in_the_summary_in_field_order(client):
    response = client.post(CONTACT, {"website": ""})
    html = html_of(response)
    assert "Le formulaire contient 4 erreurs" in html
    anchors = re.findall(r'<li><a href="#(id_\w+)">', html)
    assert anchors == ["id_name", "id_email", "id_subject", "id_message"]
    # Each anchor leads to an element of the page.
    for anchor in anchors:
        assert f'id="{anchor}"' in html


def test_errors_in_english_on_the_english_site(client):
    html = html_of(client.post("/en/contact/", valid_post(email="nope")))
    assert "The form contains an error" in html
    assert "Enter a complete e-mail address, in the form name@example.org." in html
    assert 'value="nope"' in field_tag(html, "email")


def test_a_get_after_errors_shows_a_clean_form(client):
    client.post(CONTACT, valid_post(email="faux"))
    html = html_of(client.get(CONTACT))
    assert "error-summary" not in html
    assert 'aria-invalid="true"' not in html


# --- the admin ----------------------------------------------------------------------------------------
def a_message(**fields) -> ContactMessage:
    values = {
        "name": "Léa Dupont",
        "email": "lea.dupont@example.org",
        "subject": "Stage au Québec",
        "body": MESSAGE,
        "language": "fr",
        **fields,
    }
    return ContactMessage.objects.create(**values)


def admin_url(action: str, message: ContactMessage | None = None) -> str:
    args = [message.pk] if message else []
    return reverse(f"admin:contact_contactmessage_{action}", args=args)


@pytest.mark.parametrize(
    ("visitor", "changelist", "change", "add", "delete"),
    [
        ("ri", 200, 200, 403, 403),
        ("evaluation", 403, 403, 403, 403),
        ("consultation", 403, 403, 403, 403),
        ("superuser", 200, 200, 403, 200),
    ],
)
def test_admin_pages_answer_as_the_roles_allow(client, team, visitor, changelist, change, add, delete):
    message = a_message()
    client.force_login(team[visitor])
    assert client.get(admin_url("changelist")).status_code == changelist
    assert client.get(admin_url("change", message)).status_code == change
    assert client.get(admin_url("add")).status_code == add
    assert client.get(admin_url("delete", message)).status_code == delete


def test_anonymous_visitors_are_sent_to_the_login(client):
    message = a_message()
    for url in (admin_url("changelist"), admin_url("change", message)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_the_roles_give_the_international_relations_team_view_and_change_only():
    def codes(role: str) -> set[str]:
        return set(
            Group.objects.get(name=role)
            .permissions.filter(content_type__app_label="contact")
            .values_list("codename", flat=True)
        )

    assert codes(INTERNATIONAL_RELATIONS) == {"view_contactmessage", "change_contactmessage"}
    assert codes(EVALUATION) == set()
    assert codes(CONSULTATION) == set()


def test_staff_read_the_message_but_cannot_edit_it(client, team):
    application = submit_application()
    message = a_message(application_reference=application.reference)
    client.force_login(team["ri"])
    html = html_of(client.get(admin_url("change", message)))
    assert "Léa Dupont" in html
    assert "Bonjour,<br>je souhaite savoir" in html
    assert '<a href="mailto:lea.dupont@example.org">lea.dupont@example.org</a>' in html
    application_url = reverse("admin:mobility_application_change", args=[application.pk])
    assert f'<a href="{application_url}">{application.reference}</a>' in html
    for name in ("name", "email", "subject", "body", "application_reference"):
        assert f'name="{name}"' not in html
    assert 'name="is_handled"' in html


def test_marking_handled_from_the_page_records_who_and_when_and_changes_nothing_else(client, team):
    message = a_message()
    client.force_login(team["ri"])
    response = client.post(
        admin_url("change", message),
        {"is_handled": "on", "name": "Quelqu’un d’autre", "body": "Texte remplacé"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.handled_at is not None
    assert timezone.now() - message.handled_at < datetime.timedelta(minutes=1)
    assert message.handled_by == team["ri"]
    assert message.name == "Léa Dupont"
    assert message.body == MESSAGE
    html = html_of(client.get(admin_url("change", message)))
    assert f"traité le {timezone.localdate():%d/%m/%Y} par camille" in html

    # Saving again keeps the first date; unticking puts it back among those to handle.
    first = message.handled_at
    client.post(admin_url("change", message), {"is_handled": "on"})
    message.refresh_from_db()
    assert message.handled_at == first
    client.post(admin_url("change", message), {})
    message.refresh_from_db()
    assert message.handled_at is None
    assert message.handled_by is None


def test_the_list_marks_several_messages_handled_at_once(client, team):
    waiting = [a_message(), a_message(subject="Autre question")]
    client.force_login(team["ri"])
    response = client.post(
        admin_url("changelist"),
        {"action": "mark_handled", "_selected_action": [str(m.pk) for m in waiting]},
        follow=True,
    )
    assert "2 messages marqués comme traités." in html_of(response)
    assert ContactMessage.objects.waiting().count() == 0
    assert set(ContactMessage.objects.values_list("handled_by", flat=True)) == {team["ri"].pk}
    response = client.post(
        admin_url("changelist"),
        {"action": "mark_waiting", "_selected_action": [str(waiting[0].pk)]},
        follow=True,
    )
    assert "1 message remis à traiter." in html_of(response)
    assert list(ContactMessage.objects.waiting()) == [waiting[0]]


def test_the_list_filters_messages_waiting_for_an_answer(client, team):
    a_message(subject="Encore à traiter")
    a_message(subject="Déjà traité", handled_at=timezone.now())
    client.force_login(team["ri"])
    html = html_of(client.get(admin_url("changelist") + "?traite=non"))
    assert "Encore à traiter" in html
    assert "Déjà traité" not in html
    html = html_of(client.get(admin_url("changelist") + "?traite=oui"))
    assert "Déjà traité" in html
    assert "Encore à traiter" not in html


def test_the_list_costs_the_same_queries_for_one_or_many_messages(
    client, team, django_assert_max_num_queries
):
    client.force_login(team["ri"])
    a_message(handled_at=timezone.now(), handled_by=team["ri"])
    with django_assert_max_num_queries(12) as small:
        client.get(admin_url("changelist"))
    for _ in range(20):
        a_message(handled_at=timezone.now(), handled_by=team["ri_2"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(admin_url("changelist"))


def test_a_superuser_deletion_leaves_no_log_entry_naming_the_message(client, team):
    message = a_message()
    client.force_login(team["ri"])
    client.post(admin_url("change", message), {"is_handled": "on"})
    content_type = ContentType.objects.get_for_model(ContactMessage)
    assert LogEntry.objects.filter(content_type=content_type, action_flag=CHANGE).exists()
    client.force_login(team["superuser"])
    response = client.post(admin_url("delete", message), {"post": "yes"})
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 0
    assert not LogEntry.objects.filter(content_type=content_type, object_id=str(message.pk)).exists()


def test_the_database_refuses_a_handler_without_a_date(team):
    with pytest.raises(IntegrityError):
        a_message(handled_by=team["ri"])


def test_a_message_name_in_the_admin_log_holds_no_personal_data():
    message = a_message()
    assert str(message) == f"Message n° {message.pk}"


# --- retention ------------------------------------------------------------------------------------------
def test_the_purge_deletes_messages_handled_longer_ago_than_the_retention(settings):
    now = timezone.now()
    old = a_message(handled_at=now - datetime.timedelta(days=800))
    recent = a_message(handled_at=now - datetime.timedelta(days=30))
    never_handled = a_message(received_at=now - datetime.timedelta(days=900))
    assert contact_messages_purge(older_than_months=24) == 1
    assert set(ContactMessage.objects.all()) == {recent, never_handled}
    assert not ContactMessage.objects.filter(pk=old.pk).exists()
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.PURGE
    assert event.subject == "messages de contact"
    assert event.detail == {"count": 1, "older_than_months": 24}
    assert "Léa" not in str(event.detail)
    # Nothing due: nothing deleted, nothing logged.
    assert contact_messages_purge(older_than_months=24) == 0
    assert AuditEvent.objects.count() == 1


def test_the_nightly_purge_command_includes_contact_messages(settings):
    settings.PORTAL_RETENTION_MONTHS = 12
    old = a_message(handled_at=timezone.now() - datetime.timedelta(days=400))
    out = StringIO()
    call_command("purge_applications", "--dry-run", stdout=out)
    assert f"would delete contact message {old.pk}" in out.getvalue()
    assert ContactMessage.objects.count() == 1
    out = StringIO()
    call_command("purge_applications", stdout=out)
    assert "Deleted 1 contact messages" in out.getvalue()
    assert ContactMessage.objects.count() == 0
    # Quiet when there is nothing to delete, as cron wants.
    out = StringIO()
    call_command("purge_applications", stdout=out)
    assert out.getvalue() == ""
