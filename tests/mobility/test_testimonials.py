"""Testimonials of returning participants: the invitation, the author's link and form, the photo's
safety, staff moderation, the public pages, and withdrawal."""

import io
import re
from typing import cast

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from backoffice.roles import CONSULTATION, EVALUATION, INTERNATIONAL_RELATIONS
from backoffice.services.applications import applications_delete
from mobility.models import Application
from mobility.models import testimonials as stories
from mobility.models.applications import Status
from mobility.services import application_transition
from tests.documents import jpeg_with_gps_and_trailing_bytes
from tests.mobility.helpers import pdf_file, submit_application
from tests.mobility.testimonial_helpers import (
    ROUTE_TO_COMPLETION,
    TEXT,
    completed_application,
    photo_with_gps,
    staff_member,
    stored_bytes,
    valid_post,
)
from tests.partnerships.test_pages import count_queries, forget_cached_pages

pytestmark = pytest.mark.django_db

INVITATION_SUBJECT = "racontez votre mobilité"


def invitations(mailoutbox) -> list:
    return [mail for mail in mailoutbox if INVITATION_SUBJECT in mail.subject]


def invitation_link(mail) -> str:
    match = re.search(r"http://testserver(/\w\w/[^\s]+/)", mail.body.split("témoignage :")[-1])
    assert match is not None, mail.body
    return match.group(1)


def written(client, application, capture, **overrides) -> stories.Testimonial:
    with capture(execute=True):
        response = client.post(application.get_testimonial_url(), valid_post(application, **overrides))
    assert response.status_code == 302, response.content.decode()
    return stories.Testimonial.objects.get(application=application)


def publish(client, testimonial: stories.Testimonial) -> None:
    moderator = staff_member("moderatrice", INTERNATIONAL_RELATIONS)
    client.force_login(moderator)
    response = client.post(
        reverse("admin:mobility_testimonial_changelist"),
        {"action": "publish", "_selected_action": [testimonial.pk]},
    )
    assert response.status_code == 302
    client.logout()
    testimonial.refresh_from_db()
    assert testimonial.status == stories.TestimonialStatus.PUBLISHED


# --- The invitation ---------------------------------------------------------------------


def test_the_invitation_leaves_once_on_the_move_to_completed_and_on_no_other(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_application()
    for status in ROUTE_TO_COMPLETION[:-1]:
        with django_capture_on_commit_callbacks(execute=True):
            application_transition(application=application, to_status=status)
        assert invitations(mailoutbox) == [], status
    assert client.get(application.get_testimonial_url()).status_code == 404  # not yet completed

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, to_status=Status.COMPLETED)
    [invitation] = invitations(mailoutbox)
    assert invitation.to == ["camille.martin@example.org"]
    assert invitation.subject == f"Candidature {application.reference} : racontez votre mobilité"
    link = invitation_link(invitation)
    assert link.startswith("/fr/mobilite/temoignage/")
    assert client.get(link).status_code == 200

    # The link is not the follow-up link, and the database holds only its hash.
    application.refresh_from_db()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token != application.follow_up_token()
    assert token not in {str(value) for value in Application.objects.values().get().values()}

    # Completed is final: nothing can complete it again, nor send a second invitation.
    with pytest.raises(Exception, match="définitif"):
        application_transition(application=application, to_status=Status.COMPLETED)
    assert len(invitations(mailoutbox)) == 1


def test_an_english_application_gets_its_invitation_in_english(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    application = submit_application()
    Application.objects.filter(pk=application.pk).update(language="en")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        for status in ROUTE_TO_COMPLETION:
            application_transition(application=application, to_status=status)
    invitation = mailoutbox[-1]
    assert invitation.subject == f"Application {application.reference}: tell us about your mobility"
    assert "/en/mobility/testimonial/" in invitation.body
    assert "témoignage" not in invitation.body
    html = invitation.alternatives[0][0]
    assert '<html lang="en">' in html
    assert "/en/mobility/testimonial/" in html


def test_a_wrong_token_gives_a_404_page(client):
    response = client.get(reverse("mobility:testimonial", kwargs={"token": "pas-un-vrai-lien"}))
    assert response.status_code == 404
    response = client.get(reverse("mobility:testimonial_withdraw", kwargs={"token": "x" * 200}))
    assert response.status_code == 404


def test_the_follow_up_page_links_to_the_testimonial_once_completed(
    client, django_capture_on_commit_callbacks
):
    application = submit_application()
    assert "Racontez votre mobilité" not in client.get(application.get_follow_up_url()).content.decode()
    application = completed_application(django_capture_on_commit_callbacks)
    page = client.get(application.get_follow_up_url()).content.decode()
    assert "Racontez votre mobilité" in page
    assert f'href="{application.get_testimonial_url()}"' in page


# --- The form ---------------------------------------------------------------------------


def test_a_testimonial_is_written_and_waits_for_moderation(client, django_capture_on_commit_callbacks):
    application = completed_application(django_capture_on_commit_callbacks)
    page = client.get(application.get_testimonial_url()).content.decode()
    assert 'name="consent"' in page
    assert re.search(r'<input type="checkbox" name="consent"(?![^>]*checked)', page)

    testimonial = written(client, application, django_capture_on_commit_callbacks)
    assert (testimonial.text, testimonial.display_name) == (TEXT, "Camille")
    assert testimonial.status == stories.TestimonialStatus.PENDING
    assert testimonial.institution == application.choices.get(rank=1).destination.institution
    assert testimonial.academic_year in (application.wished_start.year, application.wished_start.year - 1)
    assert testimonial.consent_given_at is not None
    followed = client.get(application.get_testimonial_url())
    assert "Votre témoignage est enregistré" in followed.content.decode()
    assert "En attente" in followed.content.decode()


def test_errors_show_at_their_fields_and_keep_what_was_typed(client, django_capture_on_commit_callbacks):
    application = completed_application(django_capture_on_commit_callbacks)
    response = client.post(
        application.get_testimonial_url(),
        valid_post(
            application, text="Trop court.", display_name="Camille Martin", consent="", photo=photo_with_gps()
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le formulaire contient 4 erreurs" in page
    assert "Écrivez au moins 100 caractères (vous en avez écrit 11)." in page
    assert "Indiquez seulement votre prénom" in page
    assert "cochez la case qui accepte sa publication" in page
    assert "Décrivez la photo en une phrase" in page
    assert 'aria-invalid="true"' in page
    assert "Trop court.</textarea>" in page
    assert 'value="Camille Martin"' in page
    assert "Choisissez à nouveau votre photo" in page
    assert not stories.Testimonial.objects.exists()


@pytest.mark.parametrize("name", ["Camille", "Jean-Luc", "N’Diaye", "Zoé", "C.", "C. D.", "C.D."])
def test_a_first_name_or_initials_is_accepted(client, name, django_capture_on_commit_callbacks):
    application = completed_application(django_capture_on_commit_callbacks)
    testimonial = written(client, application, django_capture_on_commit_callbacks, display_name=name)
    assert testimonial.display_name == name


@pytest.mark.parametrize(
    "name", ["Camille Martin", "Camille42", "C. D. E. F.", "<b>Camille</b>", "A" * 31, "Camille, Caen"]
)
def test_a_full_name_or_anything_else_is_refused(client, name, django_capture_on_commit_callbacks):
    application = completed_application(django_capture_on_commit_callbacks)
    response = client.post(application.get_testimonial_url(), valid_post(application, display_name=name))
    assert response.status_code == 200
    assert "display_name_error" in response.content.decode()
    assert not stories.Testimonial.objects.exists()


def test_one_testimonial_per_application_edited_back_to_moderation(
    client, django_capture_on_commit_callbacks
):
    application = completed_application(django_capture_on_commit_callbacks)
    testimonial = written(client, application, django_capture_on_commit_callbacks)
    publish(client, testimonial)
    page = client.get(application.get_testimonial_url()).content.decode()
    assert "Publié" in page
    assert TEXT.split(":")[0] in page  # the form shows what was written

    edited = written(
        client, application, django_capture_on_commit_callbacks, text=TEXT + " J’y retournerais."
    )
    assert stories.Testimonial.objects.count() == 1
    assert edited.pk == testimonial.pk
    assert edited.text.endswith("J’y retournerais.")
    assert edited.status == stories.TestimonialStatus.PENDING
    assert edited.moderated_by is None


# --- The photo --------------------------------------------------------------------------


def test_the_photo_is_re_encoded_without_its_gps_and_shown_to_staff_only_until_published(
    client, admin_client, django_capture_on_commit_callbacks
):
    application = completed_application(django_capture_on_commit_callbacks)
    sent = photo_with_gps()
    with Image.open(io.BytesIO(sent.read())) as original:
        assert original.getexif().get_ifd(0x8825)  # the test's own photo holds a GPS position
    sent.seek(0)
    testimonial = written(
        client,
        application,
        django_capture_on_commit_callbacks,
        photo=sent,
        photo_alt="Une équipe d’éducateurs devant un foyer",
    )
    kept = stored_bytes(testimonial.photo)
    assert testimonial.photo.name.startswith("testimonials/")
    assert testimonial.photo.name.endswith(".jpg")
    for trace in (b"Exif", "Léa".encode(), b"Caen"):
        assert trace not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert not image.getexif()

    photo_url = testimonial.get_photo_url()
    assert client.get(photo_url).status_code == 404  # pending: not public
    staff = admin_client.get(photo_url)
    assert staff.status_code == 200
    assert b"".join(staff.streaming_content) == kept
    assert staff["Cache-Control"] == "private, no-store"
    publish(client, testimonial)
    public = client.get(photo_url)
    assert public.status_code == 200
    assert public["Content-Type"] == "image/jpeg"
    assert public["X-Content-Type-Options"] == "nosniff"
    public.close()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("photo.jpg", b"GIF89a pas une photo", content_type="image/jpeg"),
        SimpleUploadedFile("photo.pdf", pdf_file().read(), content_type="application/pdf"),
        SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"\x00" * 100, content_type="image/jpeg"),
    ],
    ids=["not-an-image", "a-pdf", "a-broken-jpeg"],
)
def test_a_file_that_is_not_a_readable_photo_is_refused(client, upload, django_capture_on_commit_callbacks):
    application = completed_application(django_capture_on_commit_callbacks)
    upload.seek(0)
    response = client.post(
        application.get_testimonial_url(), valid_post(application, photo=upload, photo_alt="Une photo")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choisissez une autre photo." in page
    assert "id_photo_error" in page
    assert not stories.Testimonial.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(client, settings, django_capture_on_commit_callbacks):
    application = completed_application(django_capture_on_commit_callbacks)
    settings.PORTAL_MAX_UPLOAD_BYTES = 200  # below the test photo's size
    response = client.post(
        application.get_testimonial_url(),
        valid_post(application, photo=photo_with_gps(), photo_alt="Une photo"),
    )
    assert response.status_code == 200, response.status_code
    assert "la limite est de" in response.content.decode()
    assert not stories.Testimonial.objects.exists()


# --- Moderation -------------------------------------------------------------------------


def test_staff_publish_and_refuse_and_each_change_is_logged(client, django_capture_on_commit_callbacks):
    application = completed_application(django_capture_on_commit_callbacks)
    testimonial = written(client, application, django_capture_on_commit_callbacks)
    moderator = staff_member("moderatrice", INTERNATIONAL_RELATIONS)
    client.force_login(moderator)
    changelist = reverse("admin:mobility_testimonial_changelist")
    listing = client.get(changelist).content.decode()
    assert "Camille" in listing
    assert "En attente" in listing or "en attente" in listing

    client.post(changelist, {"action": "publish", "_selected_action": [testimonial.pk]})
    testimonial.refresh_from_db()
    assert (testimonial.status, testimonial.moderated_by) == (stories.TestimonialStatus.PUBLISHED, moderator)
    client.post(changelist, {"action": "refuse", "_selected_action": [testimonial.pk]})
    testimonial.refresh_from_db()
    assert testimonial.status == stories.TestimonialStatus.REFUSED

    trail = list(
        testimonial.audit_trail.order_by("history_date").values_list("status", "history_user__username")
    )
    assert trail == [("pending", None), ("published", "moderatrice"), ("refused", "moderatrice")]
    # The log says who and what became of it, never what the person wrote.
    assert not hasattr(testimonial.audit_trail.first(), "text")


@pytest.mark.parametrize("role", [CONSULTATION, EVALUATION])
def test_other_roles_cannot_publish(client, role, django_capture_on_commit_callbacks):
    application = completed_application(django_capture_on_commit_callbacks)
    testimonial = written(client, application, django_capture_on_commit_callbacks)
    client.force_login(staff_member("lecteur", role))
    response = client.post(
        reverse("admin:mobility_testimonial_changelist"),
        {"action": "publish", "_selected_action": [testimonial.pk]},
    )
    assert response.status_code in (200, 403)
    testimonial.refresh_from_db()
    assert testimonial.status == stories.TestimonialStatus.PENDING


# --- The public pages -------------------------------------------------------------------


def public_pages(testimonial: stories.Testimonial) -> list[str]:
    from partnerships.models import Destination

    institution = testimonial.institution
    assert institution is not None
    destination, _created = Destination.objects.get_or_create(
        country=institution.country,
        region="",
        defaults={"name": "Pays", "slug": "pays", "slug_en": "country"},
    )
    return [
        institution.get_absolute_url(),
        destination.get_absolute_url(),
        reverse("mobility:index"),
    ]


def test_a_testimonial_shows_on_its_three_pages_only_once_published(
    client, django_capture_on_commit_callbacks
):
    application = completed_application(django_capture_on_commit_callbacks)
    testimonial = written(
        client,
        application,
        django_capture_on_commit_callbacks,
        photo=photo_with_gps(),
        photo_alt="Une équipe devant un foyer",
    )
    pages = public_pages(testimonial)
    for url in pages:
        assert TEXT[:40] not in client.get(url).content.decode(), url

    publish(client, testimonial)
    year = testimonial.academic_year_label
    institution = testimonial.institution
    assert institution is not None
    for url in pages:
        page = client.get(url).content.decode()
        assert TEXT[:40] in page, url
        assert "Camille" in page
        assert year in page
        assert institution.name in page
        assert (
            f'<img class="testimonial__photo" src="{testimonial.get_photo_url()}" alt="Une équipe devant un foyer"'
            in page
        )

    english = client.get("/en/mobility/").content.decode()
    assert "Testimonials from returning participants" in english
    assert f"year {year}" in english
    assert '<blockquote class="testimonial__text" lang="fr">' in english


def test_withdrawal_removes_the_testimonial_its_photo_and_its_pages_at_once(
    client, django_capture_on_commit_callbacks
):
    application = completed_application(django_capture_on_commit_callbacks)
    testimonial = written(
        client, application, django_capture_on_commit_callbacks, photo=photo_with_gps(), photo_alt="Un foyer"
    )
    publish(client, testimonial)
    photo_name, photo_url = testimonial.photo.name, testimonial.get_photo_url()
    assert testimonial.institution is not None
    institution_url = testimonial.institution.get_absolute_url()
    assert TEXT[:40] in client.get(institution_url).content.decode()  # now in the page cache

    link = application.get_testimonial_url()
    confirm = client.get(
        reverse("mobility:testimonial_withdraw", kwargs={"token": link.rstrip("/").rsplit("/", 1)[-1]})
    )
    assert "Oui, retirer mon témoignage" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link + "retrait/")
    assert response.status_code == 302
    assert "sont supprimés" in client.get(response["Location"]).content.decode()

    assert not stories.Testimonial.objects.exists()
    assert TEXT[:40] not in client.get(institution_url).content.decode()
    assert client.get(photo_url).status_code == 404
    assert not storages["private"].exists(photo_name)
    # Logged: its deletion, without who (its author) and without what it said.
    deletion = stories.Testimonial.audit_trail.latest("history_date")
    assert (deletion.history_type, deletion.history_user) == ("-", None)
    assert deletion.history_change_reason == "retiré par son auteur"
    # The link opens the form again, for a new testimonial.
    assert 'name="text"' in client.get(link).content.decode()


def test_a_testimonial_outlives_its_application_and_its_author_can_still_withdraw_it(
    client, django_capture_on_commit_callbacks
):
    application = completed_application(django_capture_on_commit_callbacks)
    testimonial = written(client, application, django_capture_on_commit_callbacks)
    link = application.get_testimonial_url()
    with django_capture_on_commit_callbacks(execute=True):
        applications_delete(applications=[application], actor=None)
    testimonial.refresh_from_db()
    assert testimonial.application is None
    page = client.get(link)
    assert page.status_code == 200
    assert TEXT[:40] in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = client.post(link + "retrait/", follow=True)
    assert not stories.Testimonial.objects.exists()
    # The link opens nothing now: the confirmation is shown on the mobility home, not on a 404.
    assert withdrawn.status_code == 200
    assert withdrawn.redirect_chain[-1][0] == "/fr/mobilite/"
    assert "Votre témoignage et sa photo sont supprimés" in withdrawn.content.decode()


# Each page's queries, one of them the testimonials': pinned, whatever their number.
PAGE_QUERIES = {"institution": 5, "destination": 7, "mobility": 4}


def test_public_pages_take_the_same_queries_for_one_testimonial_as_for_six(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = completed_application(django_capture_on_commit_callbacks)
    testimonial = written(client, first, django_capture_on_commit_callbacks)
    publish(client, testimonial)
    pages = dict(zip(PAGE_QUERIES, public_pages(testimonial), strict=True))
    for name, url in pages.items():
        count, response = count_queries(Client(), url)
        assert (name, count) == (name, PAGE_QUERIES[name])
        assert cast(HttpResponse, response).content.decode().count('class="testimonial"') == 1

    for _ in range(5):
        other = completed_application(django_capture_on_commit_callbacks)
        more = written(client, other, django_capture_on_commit_callbacks)
        stories.Testimonial.objects.filter(pk=more.pk).update(
            status=stories.TestimonialStatus.PUBLISHED, institution=testimonial.institution
        )
    visitor = Client()  # without the authors' session, as a visitor gets the pages
    for name, url in pages.items():
        forget_cached_pages()
        with django_assert_num_queries(PAGE_QUERIES[name]):
            page = visitor.get(url).content.decode()
        assert page.count('class="testimonial"') == 6, name


def test_a_large_photo_is_reduced_to_its_published_size(client, django_capture_on_commit_callbacks):
    application = completed_application(django_capture_on_commit_callbacks)
    large = SimpleUploadedFile(
        "grande.jpg", jpeg_with_gps_and_trailing_bytes(b"", size=(1600, 2400)), content_type="image/jpeg"
    )
    testimonial = written(
        client, application, django_capture_on_commit_callbacks, photo=large, photo_alt="Un foyer"
    )
    with Image.open(io.BytesIO(stored_bytes(testimonial.photo))) as image:
        # Sent 1600 × 2400 with 'turn 90° clockwise': upright 2400 × 1600, then 1200 on its longest side.
        assert image.size == (1200, 800)


def test_the_admin_list_takes_the_same_queries_for_3_testimonials_as_for_30(
    client, admin_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    def make_testimonials(count: int) -> None:
        for _ in range(count):
            written(
                client,
                completed_application(django_capture_on_commit_callbacks),
                django_capture_on_commit_callbacks,
            )

    url = reverse("admin:mobility_testimonial_changelist")
    make_testimonials(3)
    admin_client.get(url)  # warms per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as few_rows:
        assert admin_client.get(url).status_code == 200
    few = len(few_rows)  # now: the connection's log of queries keeps only the latest ones
    make_testimonials(27)
    with django_assert_num_queries(few):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 30


@pytest.mark.parametrize(
    ("path", "heading"), [("/fr/donnees-personnelles/", "Les témoignages"), ("/en/privacy/", "Testimonials")]
)
def test_the_privacy_page_says_what_a_testimonial_publishes_and_how_to_withdraw_it(client, path, heading):
    page = client.get(path).content.decode()
    assert f'<h2 id="temoignages">{heading}</h2>' in page


def test_a_second_form_sent_at_once_edits_the_testimonial_the_first_created(
    client, django_capture_on_commit_callbacks
):
    """Two posts of the same new testimonial (a double click): the second finds the first's row."""
    # Imported here: in the module's namespace, pytest would take `testimonial_save` for a test.
    from mobility.testimonial_services import TestimonialContent, testimonial_save

    application = completed_application(django_capture_on_commit_callbacks)
    first = written(client, application, django_capture_on_commit_callbacks)
    # The second request read the link before the first one's row existed.
    second = testimonial_save(
        application=application,
        testimonial=None,
        content=TestimonialContent(text=TEXT + " Bis.", display_name="C."),
    )
    assert second.pk == first.pk
    assert stories.Testimonial.objects.get().display_name == "C."
