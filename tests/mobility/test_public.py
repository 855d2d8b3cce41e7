"""The public side of mobility: calls, the application form, the follow-up page."""

import datetime
import re

import pytest
from django.core.files.storage import storages
from django.utils import timezone
from post_office.models import STATUS, Email

from mobility.emails import APPLICATION_HEADER
from mobility.models import Application, ApplicationDocument, StatusChange
from mobility.models.applications import Status
from mobility.services import application_transition
from partnerships.models import Programme
from tests.factories import CallDestinationFactory, CallFactory
from tests.mobility.helpers import (
    MINIMAL_PDF,
    open_call_with_destinations,
    pdf_file,
    png_file,
    submit_application,
)

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    """The page's HTML with French narrow no-break spaces read as plain spaces, as in our sources."""
    return response.content.decode().replace("\u202f", " ")


def form_page(client, call) -> tuple[str, str]:
    """GET the form; return its HTML and the random submission key it carries."""
    html = client.get(f"/fr/mobilite/appels/{call.slug}/candidater/").content.decode()
    match = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert match is not None
    return html, match.group(1)


def valid_post(call, destinations, key: str, **overrides) -> dict:
    programme, _ = Programme.objects.get_or_create(
        code="DEES", defaults={"name": "Diplôme d’État d’éducateur spécialisé"}
    )
    # A second programme, so that the programme is a real choice (a single one is stated, not asked).
    Programme.objects.get_or_create(
        code="DEASS", defaults={"name": "Diplôme d’État d’assistant de service social"}
    )
    start = timezone.localdate() + datetime.timedelta(days=100)
    data = {
        "submission_key": key,
        "given_names": "Léa",
        "family_name": "Dupont",
        "email": "lea.dupont@example.org",
        "phone": "06 12 34 56 78",
        "category": "student",
        "programme": str(programme.pk),
        "year_of_study": "2",
        "mobility_type": "student_traineeship",
        "choice_1": str(destinations[0].pk),
        "choice_2": str(destinations[1].pk),
        "choice_3": "",
        "wished_start": start.isoformat(),
        "wished_end": (start + datetime.timedelta(days=90)).isoformat(),
        "motivation": "Je veux me confronter à d’autres pratiques de la protection de l’enfance. " * 6,
        "language_1": "fr",
        "level_1": "C2",
        "language_2": "en",
        "level_2": "B1",
        "consent": "on",
        "website": "",
        "document_cv": pdf_file(),
        "document_motivation_letter": png_file(),
    }
    data.update(overrides)
    return {key_: value for key_, value in data.items() if value is not None}


def stored_files() -> set[str]:
    storage = storages["private"]
    return set(storage.listdir("applications")[1]) if storage.exists("applications") else set()


def follow_up_link(mail) -> str:
    match = re.search(r"http://testserver(/fr/mobilite/suivi/[^/\s]+/)", mail.body)
    assert match is not None
    return match.group(1)


def test_whole_journey_from_form_to_accepted(
    client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key)
        )
    assert response.status_code == 302
    assert response["Location"] == "/fr/mobilite/candidature-envoyee/"

    application = Application.objects.get()
    assert re.fullmatch(r"MOB-\d{4}-\d{5}", application.reference)
    confirmation = client.get(response["Location"]).content.decode()
    assert application.reference in confirmation
    assert [c.destination for c in application.choices.all()] == destinations[:2]
    assert sorted(application.documents.values_list("kind", "content_type")) == [
        ("cv", "application/pdf"),
        ("motivation_letter", "image/png"),
    ]
    assert application.consent_given_at is not None

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["lea.dupont@example.org"]
    assert application.reference in mail.subject
    assert mail.alternatives[0][1] == "text/html"
    link = follow_up_link(mail)
    page = client.get(link).content.decode()
    assert "Déposée" in page
    assert "cv.pdf" in page
    assert "lettre.png" in page

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application,
            to_status=Status.UNDER_REVIEW,
            actor=admin_user,
            comment="Dossier complet.",
            visible_to_applicant=False,
        )
        application_transition(
            application=application,
            to_status=Status.ACCEPTED,
            actor=admin_user,
            comment="Bravo, départ possible en septembre.",
            visible_to_applicant=True,
        )
    assert len(mailoutbox) == 3
    assert "Acceptée" in mailoutbox[2].subject or "acceptée" in mailoutbox[2].subject
    assert "Bravo, départ possible en septembre." in mailoutbox[2].body
    page = client.get(link).content.decode()
    assert "<strong>Acceptée</strong>" in page
    assert "Bravo, départ possible en septembre." in page
    assert "Dossier complet." not in page  # a comment staff kept for themselves


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_names", "", "Indiquez votre ou vos prénoms."),
        ("family_name", "", "Indiquez votre nom de famille."),
        (
            "email",
            "pas-une-adresse",
            "Indiquez une adresse électronique complète, de la forme nom@exemple.fr.",
        ),
        ("programme", "", "Indiquez la formation que vous suivez."),
        ("year_of_study", "", "Indiquez votre année de formation."),
        ("mobility_type", "", "Choisissez un type de mobilité."),
        ("mobility_type", "staff_teaching", "Choisissez un type de mobilité dans la liste."),
        ("choice_1", "", "Choisissez une première destination."),
        ("wished_start", "2001-01-01", "La date de début est passée : indiquez une date à venir."),
        (
            "wished_end",
            "pas une date",
            "Indiquez la date de fin au format jj/mm/aaaa, par exemple 15/12/2027.",
        ),
        ("motivation", "Trop court.", "au moins 300 caractères"),
        ("motivation", "x" * 4001, "au plus 4000 caractères"),
        ("language_1", "", "Indiquez une langue que vous pratiquez."),
        ("level_1", "Z9", "Choisissez un niveau de A1 à C2."),
        ("level_2", "", "Indiquez votre niveau dans cette langue."),
        (
            "consent",
            None,
            "Pour envoyer votre candidature, cochez la case qui accepte le traitement de vos données personnelles.",
        ),
        ("document_cv", None, "Joignez ce fichier."),
    ],
)
def test_bad_input_reshows_the_form_with_the_field_error_and_writes_nothing(client, field, value, message):
    call, destinations = open_call_with_destinations()
    files_before = stored_files()
    _html, key = form_page(client, call)
    data = valid_post(call, destinations, key, **{field: value})
    if value is None:
        data.pop(field, None)
    response = client.post(f"/fr/mobilite/appels/{call.slug}/candidater/", data)
    assert response.status_code == 200
    html = page_text(response)
    assert message in html
    assert 'class="error-summary"' in html
    assert "Les fichiers choisis n’ont pas été conservés : choisissez-les à nouveau." in html
    assert 'value="Léa"' in html or field == "given_names"  # what was typed is kept
    form = response.context["form"]
    assert field in form.errors
    bound = form[field]
    assert f'href="#{bound.auto_id}' in html  # the summary links to the field
    assert Application.objects.count() == 0
    assert stored_files() == files_before


def test_errors_are_tied_to_their_fields(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    html = client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key, email="faux")
    ).content.decode()
    match = re.search(r"<input[^>]+name=\"email\"[^>]*>", html)
    assert match is not None
    field = match.group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_email_error id_email_helptext"' in field
    assert 'id="id_email_error"' in html


def test_the_same_destination_twice_is_refused(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    response = client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/",
        valid_post(call, destinations, key, choice_2=str(destinations[0].pk)),
    )
    assert "Vous avez déjà choisi cette destination" in response.content.decode()
    assert not Application.objects.exists()


def test_a_destination_of_another_call_posted_by_hand_is_refused(client):
    call, destinations = open_call_with_destinations()
    elsewhere = CallDestinationFactory.create(call=CallFactory.create())
    _html, key = form_page(client, call)
    response = client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/",
        valid_post(call, destinations, key, choice_1=str(elsewhere.pk)),
    )
    assert response.status_code == 200
    assert "choice_1" in response.context["form"].errors
    assert not Application.objects.exists()


def test_form_offers_only_the_calls_destinations(client):
    call, destinations = open_call_with_destinations()
    other = CallDestinationFactory.create(call=CallFactory.create())
    html, _key = form_page(client, call)
    for destination in destinations:
        assert destination.institution.name in html
    assert other.institution.name not in html


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(-30, -1), (2, 30)],
    ids=["closed", "not-yet-open"],
)
def test_a_call_that_is_not_open_refuses_even_a_crafted_post(client, opens, closes):
    now = timezone.now()
    call, destinations = open_call_with_destinations(
        opens_at=now + datetime.timedelta(days=opens), closes_at=now + datetime.timedelta(days=closes)
    )
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Candidater</a>" not in page
    response = client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/",
        valid_post(call, destinations, "cle-forgee-" + "x" * 20),
    )
    assert response.status_code == 302
    assert response["Location"] == call.get_absolute_url()
    assert not Application.objects.exists()
    assert "n’est pas ouvert" in client.get(response["Location"]).content.decode()


def test_a_double_post_of_the_same_form_creates_one_application(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    first = client.post(f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key))
    second = client.post(f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key))
    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1
    assert ApplicationDocument.objects.count() == 2


def test_honeypot_filled_in_writes_nothing(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    response = client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/",
        valid_post(call, destinations, key, website="http://spam"),
    )
    assert response.status_code == 200
    assert "Votre envoi n’a pas pu être traité" in response.content.decode()
    assert not Application.objects.exists()


def test_submissions_beyond_the_hourly_limit_get_the_friendly_429(client, settings):
    settings.PORTAL_SUBMISSIONS_PER_HOUR = 2
    call, destinations = open_call_with_destinations()
    for _ in range(2):
        _html, key = form_page(client, call)
        assert (
            client.post(
                f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key)
            ).status_code
            == 302
        )
    _html, key = form_page(client, call)
    response = client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key)
    )
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert Application.objects.count() == 2


def test_a_random_token_gets_a_404_that_tells_nothing(client):
    submit_application()
    response = client.get("/fr/mobilite/suivi/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert "MOB-" not in response.content.decode()


def test_a_token_shows_its_own_application_and_nothing_of_another(client):
    mine = submit_application(given_names="Inès", family_name="Morel", email="ines@example.org")
    theirs = submit_application(given_names="Hugo", family_name="Bernard", email="hugo@example.org")
    html = client.get(mine.get_follow_up_url()).content.decode()
    assert mine.reference in html
    assert "Inès" in html
    assert theirs.reference not in html
    assert "Hugo" not in html
    assert len(mine.follow_up_token()) >= 43  # 256 bits, base64url


def test_tokens_are_stored_hashed_only(client):
    application = submit_application()
    token = application.follow_up_token()
    stored = Application.objects.filter(pk=application.pk).values().get()
    assert token not in {str(value) for value in stored.values()}


def test_applicant_withdraws_after_confirming(client, mailoutbox, django_capture_on_commit_callbacks):
    application = submit_application()
    url = application.get_follow_up_url()
    confirm = client.get(url + "retrait/")
    assert "Voulez-vous vraiment retirer" in confirm.content.decode()
    assert Application.objects.get().status == Status.SUBMITTED  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "retrait/", {"reason": "Je pars finalement au Portugal."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    change = StatusChange.objects.get(to_status=Status.WITHDRAWN)
    assert change.by_applicant
    assert change.from_status == Status.SUBMITTED
    page = client.get(url).content.decode()
    assert "<strong>Retirée</strong>" in page
    assert "Retirer ma candidature…" not in page
    assert len(mailoutbox) == 1


def test_a_failing_mail_server_loses_neither_the_application_nor_the_transition(
    client, settings, admin_user, django_capture_on_commit_callbacks, caplog
):
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "tests.mobility.broken_mail.BrokenBackend"},
    }
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key)
        )
    assert response.status_code == 302
    application = Application.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, to_status=Status.UNDER_REVIEW, actor=admin_user)
    assert Application.objects.get().status == Status.UNDER_REVIEW
    # Both mails wait in the outbox for another attempt, with what went wrong.
    waiting = Email.objects.filter(**{f"headers__{APPLICATION_HEADER}": application.reference})
    assert [email.status for email in waiting] == [STATUS.requeued, STATUS.requeued]
    assert all("the SMTP server is down" in email.logs.get().message for email in waiting)
    assert caplog.text.count("not delivered (attempt 1 of") == 2


def test_mobility_home_lists_open_upcoming_and_closed_calls(client):
    now = timezone.now()
    CallFactory.create(title="Appel ouvert")
    CallFactory.create(
        title="Appel futur",
        opens_at=now + datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=30),
    )
    CallFactory.create(
        title="Appel passé",
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=1),
    )
    html = client.get("/fr/mobilite/").content.decode()
    assert html.index("Appels ouverts") < html.index("Appel ouvert") < html.index("Appels à venir")
    assert (
        html.index("Appels à venir")
        < html.index("Appel futur")
        < html.index("Appels clos")
        < html.index("Appel passé")
    )


def test_call_page_shows_destinations_places_deadline_and_documents(client):
    call, destinations = open_call_with_destinations()
    html = client.get(call.get_absolute_url()).content.decode()
    assert destinations[0].institution.name in html
    assert re.search(r"<dt>Places</dt>\s*<dd>2</dd>", html)
    assert "(heure de Paris)" in html
    assert "Curriculum vitae" in html
    assert f'href="/fr/mobilite/appels/{call.slug}/candidater/"' in html


def test_call_page_offers_to_apply_under_its_title_and_at_its_end(client):
    call, _destinations = open_call_with_destinations()
    html = page_text(client.get(call.get_absolute_url()))
    apply_link = (
        f'<a class="btn btn-primary" href="/fr/mobilite/appels/{call.slug}/candidater/">Candidater</a>'
    )
    assert html.count(apply_link) == 2
    title_end = html.index("</h1>")
    first, last = html.index(apply_link), html.rindex(apply_link)
    # Right under the title, before the description; and again after the destinations.
    assert re.fullmatch(r'</h1>\s*<p class="call-apply">', html[title_end:first])
    assert (
        title_end
        < first
        < html.index(call.description, title_end)
        < html.index("Destinations proposées")
        < last
    )


def test_call_page_lists_each_destination_with_its_place_and_places(client):
    call, destinations = open_call_with_destinations()
    destinations[1].places = None
    destinations[1].note = "Stage en protection de l’enfance."
    destinations[1].save()
    html = page_text(client.get(call.get_absolute_url()))
    assert "<table" not in html  # a list of destinations, readable on a phone
    items = re.findall(r'<li class="destination">(.*?)</li>', html, flags=re.S)
    assert len(items) == len(destinations)
    for item, destination in zip(items, destinations, strict=True):
        assert destination.institution.name in item
        assert re.search(r"<dt>Lieu</dt><dd>Liège, Belgique</dd>", item)
    assert re.search(r"<dt>Places</dt><dd>2</dd>", items[0])
    assert re.search(r"<dt>Places</dt><dd>non précisé</dd>", items[1])
    assert "Stage en protection de l’enfance." in items[1]


def test_private_files_have_no_public_url(client, settings):
    application = submit_application()
    document = application.documents.get()
    path = document.file.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    with pytest.raises(ValueError, match="no public URL"):
        document.file.url  # noqa: B018
    for url in (f"/media/{document.file.name}", f"/static/{document.file.name}", f"/{document.file.name}"):
        assert client.get(url).status_code == 404
    with document.file.open("rb") as stored:
        assert stored.read() == MINIMAL_PDF


def test_withdrawing_a_decided_application_is_refused_politely(client, admin_user):
    application = submit_application()
    application_transition(application=application, to_status=Status.UNDER_REVIEW, actor=admin_user)
    application_transition(application=application, to_status=Status.REJECTED, actor=admin_user)
    url = application.get_follow_up_url()
    response = client.post(url + "retrait/", follow=True)
    assert response.status_code == 200
    assert "Cette candidature ne peut plus être retirée." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.REJECTED
