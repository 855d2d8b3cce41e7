"""A returning participant tells about their mobility, staff publish it, it shows, and its
author withdraws it: through a real browser, with axe-core on each page at phone and desktop widths."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from mobility.models import Application
from tests.browser.axe import assert_no_axe_violations
from tests.documents import jpeg_with_gps_and_trailing_bytes
from tests.mobility.helpers import open_call_with_destinations, submit_application
from tests.mobility.testimonial_helpers import TEXT, complete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un mot de passe assez long 42"
WIDTHS = (320, 1280)


def audit_at_each_width(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page)


def completed_application() -> Application:
    call, _destinations = open_call_with_destinations()
    application = complete(submit_application(call))
    application.refresh_from_db()
    return application


def test_a_testimonial_is_written_published_shown_and_withdrawn(site, page, browser, tmp_path):
    call_command("sync_roles", stdout=io.StringIO())
    moderator = User.objects.create_user("ri", password=PASSWORD, is_staff=True, email="ri@example.org")
    moderator.groups.add(Group.objects.get(name="Relations internationales"))
    application = completed_application()
    institution = application.choices.get(rank=1).destination.institution
    link = application.get_testimonial_url()
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps_and_trailing_bytes(b""))

    # The author, from the link in the invitation: a first try with a full name is refused.
    site.open(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon témoignage")
    expect(
        page.get_by_label("J’accepte que l’IRTS Normandie-Caen publie ce témoignage", exact=False)
    ).not_to_be_checked()
    audit_at_each_width(page)
    page.get_by_label("Où s’est déroulée votre mobilité ?").select_option(label=institution.name)
    page.get_by_role("textbox", name="Votre témoignage", exact=True).fill(TEXT)
    page.get_by_role("textbox", name="Nom affiché", exact=True).fill("Camille Martin")
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    page.get_by_label("Description de la photo").fill("Une équipe devant un foyer")
    page.get_by_label("J’accepte que l’IRTS Normandie-Caen publie ce témoignage", exact=False).check()
    page.get_by_role("button", name="Envoyer mon témoignage").click()
    expect(page.get_by_role("heading", name="Le formulaire contient une erreur")).to_be_visible()
    expect(page.get_by_text("Choisissez à nouveau votre photo", exact=False).first).to_be_visible()
    expect(page.get_by_role("textbox", name="Votre témoignage", exact=True)).to_have_value(TEXT)
    audit_at_each_width(page)

    page.get_by_role("textbox", name="Nom affiché", exact=True).fill("Camille")
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    page.get_by_label("J’accepte que l’IRTS Normandie-Caen publie ce témoignage", exact=False).check()
    page.get_by_role("button", name="Envoyer mon témoignage").click()
    expect(page.get_by_text("Votre témoignage est enregistré", exact=False)).to_be_visible()
    expect(page.get_by_text("En attente", exact=True)).to_be_visible()

    # Not shown before staff publish it.
    site.open(institution.get_absolute_url())
    expect(page.get_by_text(TEXT[:40], exact=False)).to_have_count(0)

    # Staff publish it from the admin's list.
    staff = browser.new_context(locale="fr-FR")
    admin = staff.new_page()
    admin.goto(site.url + "/gestion/login/")
    admin.get_by_label("Nom d’utilisateur").fill("ri")
    admin.get_by_label("Mot de passe").fill(PASSWORD)
    admin.get_by_role("button", name="Connexion").click()
    admin.goto(site.url + "/gestion/mobility/testimonial/")
    expect(admin.get_by_text("Camille")).to_be_visible()
    admin.locator("input[name=_selected_action]").first.check()
    admin.locator("select[name=action]").select_option(label="Publier les témoignages sélectionnés")
    admin.locator("button[name=index]").click()
    expect(admin.get_by_text("1 témoignage publié.")).to_be_visible()
    staff.close()

    # A visitor sees it on the institution page, with its photo described, in French and English.
    site.open(institution.get_absolute_url())
    testimonials = page.get_by_role("region", name="Témoignages de retour de mobilité")
    expect(testimonials).to_contain_text(TEXT[:40])
    expect(testimonials).to_contain_text("Camille")
    expect(testimonials.get_by_role("img", name="Une équipe devant un foyer")).to_be_visible()
    audit_at_each_width(page)
    site.open(
        institution.get_absolute_url().replace(
            "/fr/partenaires/etablissements/", "/en/partners/institutions/"
        )
    )
    expect(page.get_by_role("region", name="Testimonials from returning participants")).to_be_visible()
    audit_at_each_width(page)
    site.open("/fr/mobilite/")
    expect(page.get_by_role("region", name="Témoignages de retour de mobilité")).to_contain_text("Camille")
    audit_at_each_width(page)

    # Its author withdraws it from the same link: gone at once.
    site.open(link)
    expect(page.get_by_text("Publié", exact=True)).to_be_visible()
    page.get_by_role("link", name="Retirer mon témoignage…").click()
    audit_at_each_width(page)
    page.get_by_role("button", name="Oui, retirer mon témoignage").click()
    expect(page.get_by_text("Votre témoignage et sa photo sont supprimés", exact=False)).to_be_visible()
    site.open(institution.get_absolute_url())
    expect(page.get_by_text(TEXT[:40], exact=False)).to_have_count(0)
