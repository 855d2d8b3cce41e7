"""Public pages are served whole from the shared cache, and an edit shows on the next request."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from mobility.models import Call
from partnerships.models import Institution, NetworkObjective
from tests.admin_helpers import form_data

pytestmark = pytest.mark.django_db

PARMA_FR = "/fr/partenaires/etablissements/universite-de-parme/"
PARMA_EN = "/en/partners/institutions/university-of-parma/"


@pytest.fixture
def seeded(db):
    call_command("load_seed", stdout=io.StringIO())
    call_command("create_demo_call", stdout=io.StringIO())


@pytest.fixture
def visitor():
    """Someone who has never logged in: no cookie at all."""
    return Client()


@pytest.mark.parametrize(
    "path",
    ["/fr/", "/en/", "/fr/partenaires/", "/en/partners/?q=Parma", PARMA_FR, "/fr/mobilite/", "/en/about/"],
)
def test_a_public_page_is_rendered_once_then_served_whole_without_cookies(seeded, visitor, path):
    first = visitor.get(path)
    second = visitor.get(path)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    for response in (first, second):
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
        assert response["ETag"] == first["ETag"]
        assert response.has_header("Last-Modified")
        # The headers every page carries are added to the stored page too.
        assert response.has_header("Content-Security-Policy")
        assert response["Content-Language"] == path.split("/")[1]


def test_the_query_string_and_the_language_are_part_of_the_address(seeded, visitor):
    everything = visitor.get("/fr/partenaires/").content.decode()
    searched = visitor.get("/fr/partenaires/?q=Parme").content.decode()
    english = visitor.get("/en/partners/").content.decode()
    assert "Université Laval" in everything
    assert "Université Laval" not in searched
    assert 'lang="en"' in english
    assert english != everything


def test_a_conditional_request_gets_a_304(seeded, visitor):
    page = visitor.get(PARMA_FR)
    again = visitor.get(PARMA_FR, HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = visitor.get(PARMA_FR, HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])
    assert since.status_code == 304


def test_an_edit_in_the_admin_shows_on_the_next_request_in_both_languages(seeded, visitor):
    assert "Université de Parme" in visitor.get(PARMA_FR).content.decode()
    assert "University of Parma" in visitor.get(PARMA_EN).content.decode()
    assert visitor.get(PARMA_EN)["X-Page-Cache"] == "hit"

    staff = Client()
    staff.force_login(User.objects.create_superuser("ri", "ri@example.org", "x"))
    parma = Institution.objects.get(slug="universite-de-parme")
    url = reverse("admin:partnerships_institution_change", args=[parma.pk])
    data = form_data(staff.get(url))
    data.update({"name_fr": "Université de Parme (Italie)", "name_en": "University of Parma (Italy)"})
    assert staff.post(url, data).status_code == 302

    french = visitor.get(PARMA_FR)
    english = visitor.get(PARMA_EN)
    assert (french["X-Page-Cache"], english["X-Page-Cache"]) == ("miss", "miss")
    assert "Université de Parme (Italie)" in french.content.decode()
    assert "University of Parma (Italy)" in english.content.decode()
    # The partners index and the home page show it too: every page was retired at once.
    assert "Université de Parme (Italie)" in visitor.get("/fr/partenaires/").content.decode()


def test_unpublishing_and_deleting_retire_the_pages_too(seeded, visitor):
    assert "Université de Parme" in visitor.get("/fr/partenaires/?q=Parme").content.decode()
    parma = Institution.objects.get(slug="universite-de-parme")
    parma.is_public = False
    parma.save()
    assert "Université de Parme" not in visitor.get("/fr/partenaires/?q=Parme").content.decode()
    assert visitor.get(PARMA_FR).status_code == 404
    objective = NetworkObjective.objects.order_by("pk").first()
    assert objective is not None
    network_page = objective.network.get_absolute_url()
    assert objective.title in visitor.get(network_page).content.decode()
    objective.delete()
    assert objective.title not in visitor.get(network_page).content.decode()


def test_load_seed_retires_the_pages(seeded, visitor):
    visitor.get("/fr/partenaires/")
    Institution.objects.filter(slug="universite-de-parme").update(name_fr="Parme, renommée à la main")
    assert "renommée à la main" not in visitor.get("/fr/partenaires/").content.decode()  # stale: no signal
    call_command("load_seed", stdout=io.StringIO())
    assert visitor.get("/fr/partenaires/")["X-Page-Cache"] == "miss"


def test_pages_with_a_form_or_a_session_are_never_served_from_the_cache(seeded, visitor):
    call = visitor.get("/fr/mobilite/").content.decode()
    apply_path = reverse("mobility:apply", kwargs={"slug": Call.objects.get().url_slug})
    for _ in range(2):
        form = visitor.get(apply_path)
        assert form.status_code == 200
        assert not form.has_header("X-Page-Cache")
        assert "csrfmiddlewaretoken" in form.content.decode()
    assert not visitor.get("/fr/contact/").has_header("X-Page-Cache")
    assert call  # the index itself is cached
    staff = Client()
    staff.force_login(User.objects.create_superuser("ri", "ri@example.org", "x"))
    assert not staff.get("/fr/partenaires/").has_header("X-Page-Cache")


def test_the_empty_application_form_reuses_its_fields_with_a_new_key_and_follows_edits(seeded, visitor):
    call = Call.objects.get()
    apply_path = reverse("mobility:apply", kwargs={"slug": call.url_slug})
    per_request = re.compile(r'name="(submission_key|csrfmiddlewaretoken)" value="([^"]+)"')
    first, second = (visitor.get(apply_path).content.decode() for _ in range(2))
    first_key = dict(per_request.findall(first))["submission_key"]
    second_key = dict(per_request.findall(second))["submission_key"]
    assert first_key != second_key
    assert len(first_key) >= 43
    # Everything else is the same page.
    assert per_request.sub("", first) == per_request.sub("", second)
    # A partner renamed shows in the destinations at once.
    first = call.destinations.order_by("position").first()
    assert first is not None
    institution = first.institution
    institution.name_fr = "Université renommée pour le test"
    institution.save()
    assert "Université renommée pour le test" in visitor.get(apply_path).content.decode()
