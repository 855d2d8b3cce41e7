"""« Mot de passe oublié ? » on the admin's login page, through real form posts and the real mail."""

import re

import pytest
from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from backoffice.views import PASSWORD_RESETS_PER_HOUR

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un tout nouveau mot de passe 2027"
RESET_URL = "/gestion/mot-de-passe/oublie/"
DONE_URL = "/gestion/mot-de-passe/oublie/envoye/"
DONE_TEXT = "Si cette adresse est celle d’un compte de l’administration, un e-mail vient d’y être envoyé"


@pytest.fixture
def staff_member(django_user_model):
    return django_user_model.objects.create_user(
        "cmartin", "c.martin@example.org", "Ancien mot de passe 2026", is_staff=True, first_name="Claire"
    )


def request_reset(client, email: str, **extra):
    """Post the form; the mail leaves the outbox once the request's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(RESET_URL, {"email": email}, **extra)


def link_in(message) -> str:
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1, message.body
    return links[0]


def test_login_page_links_to_the_password_reset(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert f'<a href="{RESET_URL}">Mot de passe oublié ?</a>' in page
    assert reverse("admin_password_reset") == RESET_URL


def test_password_reset_page_is_an_admin_page_in_french(client):
    response = client.get(RESET_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "<h1>Mot de passe oublié</h1>" in page
    assert "IRTS Normandie-Caen — Relations internationales" in page  # the admin's header
    assert '<label for="id_email">Adresse électronique\u00a0:</label>' in page
    assert 'autocomplete="email"' in page


def test_staff_member_gets_a_link_that_sets_a_new_password(client, staff_member, mailoutbox):
    response = request_reset(client, "C.Martin@example.org")
    assert response.status_code == 302
    assert response["Location"] == DONE_URL
    assert DONE_TEXT in client.get(DONE_URL).content.decode()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["c.martin@example.org"]
    assert message.subject == "Choisir un nouveau mot de passe — IRTS Normandie-Caen"
    assert message.body.startswith("Bonjour Claire,")
    assert "Votre nom d’utilisateur : cmartin" in message.body
    assert "expire après 3 jours" in message.body
    link = link_in(message)
    assert link.startswith(f"{settings.PORTAL_BASE_URL}/gestion/mot-de-passe/")

    # The link, as the mail gives it: Django swaps the token for a session key, then shows the form.
    response = client.get(link.removeprefix(settings.PORTAL_BASE_URL))
    assert response.status_code == 302
    form_url = response["Location"]
    form_page = client.get(form_url)
    assert form_page.context["validlink"] is True
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")

    staff_member.refresh_from_db()
    assert staff_member.check_password(NEW_PASSWORD)
    login = client.post(
        reverse("admin:login"),
        {"username": "cmartin", "password": NEW_PASSWORD, "next": reverse("admin:index")},
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("admin:index")
    # Once used, the link is spent.
    client.logout()
    spent = client.get(link.removeprefix(settings.PORTAL_BASE_URL), follow=True)
    assert spent.context["validlink"] is False


def test_account_without_a_password_yet_gets_a_link_too(client, django_user_model, mailoutbox):
    """A new colleague whose `create_staff_account` link expired asks for another one."""
    django_user_model.objects.create_user("nouveau", "nouveau@example.org", None, is_staff=True)
    assert request_reset(client, "nouveau@example.org")["Location"] == DONE_URL
    assert [message.to for message in mailoutbox] == [["nouveau@example.org"]]


@pytest.mark.parametrize("who", ["unknown", "not staff", "inactive staff"])
def test_address_without_a_staff_account_shows_the_same_page_and_sends_nothing(
    client, django_user_model, mailoutbox, who
):
    if who == "not staff":
        django_user_model.objects.create_user("public", "personne@example.org", "Un mot de passe 2026")
    elif who == "inactive staff":
        django_user_model.objects.create_user(
            "parti", "personne@example.org", "Un mot de passe 2026", is_staff=True, is_active=False
        )
    response = request_reset(client, "personne@example.org")
    assert response.status_code == 302
    assert response["Location"] == DONE_URL
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", "Indiquez l’adresse électronique de votre compte."),
        (
            "c.martin-at-example.org",
            "Indiquez une adresse électronique valide, par exemple prenom.nom@example.org.",
        ),
    ],
    ids=["empty", "malformed"],
)
def test_bad_address_is_a_field_error_that_keeps_what_was_typed(client, mailoutbox, email, error):
    response = request_reset(client, email)
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": [error]}
    page = response.content.decode()
    assert f'value="{email}"' in page or not email
    assert 'aria-describedby="id_email_error"' in page
    assert 'id="id_email_error"' in page
    assert mailoutbox == []


def test_too_many_requests_from_one_address_are_refused(client, staff_member, mailoutbox):
    for _ in range(PASSWORD_RESETS_PER_HOUR):
        assert request_reset(client, "c.martin@example.org").status_code == 302
    response = request_reset(client, "c.martin@example.org")
    assert response.status_code == 429
    assert "Trop de demandes depuis votre connexion" in response.content.decode()
    assert 'value="c.martin@example.org"' in response.content.decode()
    assert len(mailoutbox) == PASSWORD_RESETS_PER_HOUR


def test_pages_and_mail_stay_french_whatever_the_browser_prefers(client, staff_member, mailoutbox):
    # The back office is the school's French working tool.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(RESET_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Mot de passe oublié</h1>" in page
    request_reset(client, "c.martin@example.org", HTTP_ACCEPT_LANGUAGE="en")
    assert mailoutbox[0].subject == "Choisir un nouveau mot de passe — IRTS Normandie-Caen"
