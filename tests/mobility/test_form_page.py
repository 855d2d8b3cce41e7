"""The empty application form's page is rendered once per call and language, then served to each
visitor with a CSRF token and a submission key of their own, which a submission accepts; an
edit, a closing call, a waiting message and a form with errors each get a page of their own."""

import datetime
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mobility.models import Application, Call
from tests.mobility.helpers import open_call_with_destinations
from tests.mobility.test_public import valid_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files_removed")]

PER_VISITOR = re.compile(r'name="(submission_key|csrfmiddlewaretoken)" value="([^"]+)"')


@pytest.fixture
def call_and_destinations():
    return open_call_with_destinations(3)


def apply_path(call: Call) -> str:
    return f"/fr/mobilite/appels/{call.slug}/candidater/"


def values(html: str) -> dict[str, str]:
    return dict(PER_VISITOR.findall(html))


def test_each_visitor_gets_the_stored_page_with_their_own_token_and_key_and_can_submit(call_and_destinations):
    call, destinations = call_and_destinations
    first_visitor, second_visitor = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first = first_visitor.get(apply_path(call)).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = second_visitor.get(apply_path(call)).content.decode()
    # Served from the stored copy: the call is not even read.
    assert not [query for query in queries.captured_queries if "mobility_call" in query["sql"]]
    assert values(first)["csrfmiddlewaretoken"] != values(second)["csrfmiddlewaretoken"]
    assert values(first)["submission_key"] != values(second)["submission_key"]
    assert "stand-in" not in second
    assert PER_VISITOR.sub("", first) == PER_VISITOR.sub("", second)

    post = valid_post(call, destinations, values(second)["submission_key"])
    post["csrfmiddlewaretoken"] = values(second)["csrfmiddlewaretoken"]
    response = second_visitor.post(apply_path(call), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Application.objects.count() == 1


def test_an_edited_call_shows_at_once(call_and_destinations):
    call, _destinations = call_and_destinations
    visitor = Client()
    visitor.get(apply_path(call))
    call.title = "Appel renommé pour le test"
    call.save()
    assert "Appel renommé pour le test" in visitor.get(apply_path(call)).content.decode()


def test_a_call_that_closed_since_it_was_stored_is_refused(call_and_destinations, monkeypatch):
    call, _destinations = call_and_destinations
    visitor = Client()
    assert visitor.get(apply_path(call)).status_code == 200
    after_closing = call.closes_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after_closing)
    response = visitor.get(apply_path(call))
    assert response.status_code == 302
    assert response["Location"] == call.get_absolute_url()


def test_a_waiting_message_is_shown_on_a_page_rendered_for_its_reader(call_and_destinations):
    call, _destinations = call_and_destinations
    Client().get(apply_path(call))  # the stored copy, without any message
    reader = Client()
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.INFO, "Un message qui attendait son lecteur.")
    carrier = HttpResponse()
    storage.update(carrier)
    reader.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    response = reader.get(apply_path(call))
    assert "Un message qui attendait son lecteur." in response.content.decode()
    # Shown once: the next visit is the shared page again.
    assert "Un message qui attendait" not in reader.get(apply_path(call)).content.decode()


def test_a_form_with_errors_keeps_what_was_typed(call_and_destinations):
    call, destinations = call_and_destinations
    visitor = Client()
    key = values(visitor.get(apply_path(call)).content.decode())["submission_key"]
    post = valid_post(call, destinations, key, given_names="Léa-Typée", email="pas-une-adresse")
    page = visitor.post(apply_path(call), post).content.decode()
    assert 'value="Léa-Typée"' in page
    assert f'name="submission_key" value="{key}"' in page
    assert Application.objects.count() == 0


def test_an_address_with_a_very_long_slug_is_a_404_not_a_cache_key_error(client, caplog):
    """Found by `make fuzz`: the slug, as typed, went into the stored page's cache key, which
    Django warns against past 250 characters (an error under the tests, a log line in production)."""
    response = client.get(f"/en/mobility/calls/{'a' * 1000}/apply/")
    assert response.status_code == 404
    assert "Page cache unavailable" not in caplog.text
