"""Generated input against every public form and filter: no answer is a 5xx, and what is refused
stores nothing.

Each form's fields are read from its own page, then filled with values that are sometimes valid
(one of a select's options) and often not: any text, numbers out of range, impossible dates, NUL
characters, markup, very long values, unknown fields, repeated fields, and random files. Raw
bodies in any content type and charset go to the same addresses.

The budget is a Hypothesis profile: `ci` (the default, a fixed seed, small enough for every test
run) or `fuzz` (10,000 examples each: `make fuzz`).
"""

import io
import os
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contact.models import ContactMessage
from mobility.models import Application, ApplicationDocument, StatusChange
from tests.mobility.helpers import open_call_with_destinations, submit_application

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,  # the same examples on every run: a failure in CI is reproducible
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("fuzz", parent=settings.get_profile("ci"), max_examples=10_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

pytestmark = pytest.mark.django_db

NASTY_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "1e309",
    "9" * 30,
    "9223372036854775808",
    "²",
    "١٢",
    "2026-02-30",
    "0000-00-00",
    "31/12/9999",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%s%n%x",
    "\u202egnp.exe",
    "\ufeff",
    "\U0001f600" * 50,
    "a" * 10_001,
    "on",
    "true",
]
# Text as a browser could send it: any character but lone surrogates, which UTF-8 cannot carry.
any_text = st.text(st.characters(codec="utf-8"), max_size=300)
field_name_text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)


class FormReader(HTMLParser):
    """The fields of a page's forms: each name, with the values its options or radios offer."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.file_fields: set[str] = set()
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag in ("input", "textarea", "select") and name:
            options = self.fields.setdefault(name, [])
            if attributes.get("type") == "file":
                self.file_fields.add(name)
            if attributes.get("type") in ("radio", "checkbox", "hidden") and attributes.get("value"):
                options.append(attributes["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select and attributes.get("value"):
            self.fields[self._select].append(attributes["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def read_form(client: Client, url: str) -> FormReader:
    response = client.get(url)
    assert response.status_code == 200
    reader = FormReader()
    reader.feed(response.content.decode())
    return reader


def field_value(options: list[str]):
    choices = [any_text, st.sampled_from(NASTY_VALUES), st.integers().map(str)]
    if options:
        choices.insert(0, st.sampled_from(options))
    return st.one_of(*choices)


@st.composite
def form_posts(draw, form: FormReader) -> dict:
    """A post of `form`: some of its fields, with valid or hostile values, and unknown ones."""
    data: dict = {}
    for name, options in form.fields.items():
        if name == "csrfmiddlewaretoken" or draw(st.integers(0, 3)) == 0:  # a quarter left out
            continue
        if name in form.file_fields:
            if draw(st.booleans()):
                content = draw(st.binary(max_size=2048) | st.sampled_from(HOSTILE_FILES))
                data[name] = SimpleUploadedFile(draw(st.sampled_from(FILE_NAMES)), content)
            continue
        values = draw(st.lists(field_value(options), min_size=1, max_size=3))
        data[name] = values if len(values) > 1 else values[0]
    for name in draw(st.lists(field_name_text, max_size=3)):
        data.setdefault(name, draw(any_text))
    return data


HOSTILE_FILES = [
    b"%PDF-",
    b"%PDF-1.4\n<html><script>alert(1)</script></html>",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    b"\xff\xd8\xff\xe0" + b"\x00" * 64,
    b"GIF89a",
    b"PK\x03\x04",
]
FILE_NAMES = [
    "cv.pdf",
    "cv.html",
    "cv.hta",
    "photo.png",
    "..\\..\\x.pdf",
    "a" * 300 + ".pdf",
    "é.jpg",
    "noext",
]
RAW_CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=nonsense",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=xyz",
    "text/plain",
    "application/json",
    "",
]


def stored() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "documents": ApplicationDocument.objects.count(),
        "status changes": StatusChange.objects.count(),
        "contact messages": ContactMessage.objects.count(),
    }


@pytest.fixture
def seeded(db):
    """The site's real seed content, as `make run` loads it."""
    call_command("load_seed", stdout=io.StringIO())


@pytest.fixture
def no_rate_limits(settings):
    # Thousands of posts from one address: the limits would answer 429 and hide the forms.
    settings.PORTAL_SUBMISSIONS_PER_HOUR = 10**9
    settings.PORTAL_CONTACT_MESSAGES_PER_HOUR = 10**9


@pytest.fixture
def application_page(no_rate_limits, client):
    call, _destinations = open_call_with_destinations()
    url = call.get_absolute_url() + "candidater/"
    return url, read_form(client, url)


@pytest.fixture
def contact_page(no_rate_limits, client):
    return "/fr/contact/", read_form(client, "/fr/contact/")


def assert_refused_or_stored_once(response, before: dict[str, int], success_prefix: str) -> None:
    assert response.status_code < 500, response.status_code
    succeeded = response.status_code == 302 and response["Location"].startswith(success_prefix)
    if not succeeded:
        assert stored() == before


@pytest.mark.parametrize(
    ("page", "success_prefix"),
    [
        ("application_page", "/fr/mobilite/candidature-envoyee/"),
        ("contact_page", "/fr/contact/message-envoye/"),
    ],
)
def test_the_public_forms_survive_generated_posts(client, request, page, success_prefix):
    url, form = request.getfixturevalue(page)

    @given(data=form_posts(form))
    def post(data):
        before = stored()
        response = client.post(url, data)
        assert_refused_or_stored_once(response, before, success_prefix)

    post()


def test_the_withdrawal_survives_generated_posts_and_tokens(client, no_rate_limits):
    application = submit_application()
    token = application.follow_up_token()
    url = f"/fr/mobilite/suivi/{token}/retrait/"
    form = read_form(client, url)

    @given(data=form_posts(form), other_token=st.one_of(any_text, st.sampled_from(NASTY_VALUES)))
    def post(data, other_token):
        before = stored()
        # Someone else's token, or none that exists: refused, nothing changes.
        stranger = client.post(f"/fr/mobilite/suivi/{quote(other_token, safe='')}/retrait/", data)
        assert stranger.status_code in (400, 404), stranger.status_code
        assert stored() == before
        # The real token: the withdrawal is recorded once, or its form comes back with an error.
        response = client.post(url, data)
        assert response.status_code < 500, response.status_code
        assert stored()["applications"] == before["applications"]

    post()


def test_the_partner_search_and_every_public_address_survive_generated_queries(client, seeded):
    form = read_form(client, "/fr/partenaires/")

    @given(
        query=st.dictionaries(
            st.sampled_from([*form.fields, "page", "q", "lang"]) | field_name_text,
            st.one_of(*(field_value(options) for options in form.fields.values())),
            max_size=5,
        ),
        path=st.sampled_from(
            [
                "/fr/partenaires/etablissements/{}/",
                "/en/partners/destinations/{}/",
                "/fr/partenaires/reseaux/{}/",
                "/fr/mobilite/appels/{}/",
                "/en/mobility/calls/{}/apply/",
                "/fr/mobilite/suivi/{}/",
            ]
        ),
        slug=st.one_of(any_text, st.sampled_from(NASTY_VALUES)),
    )
    def get(query, path, slug):
        assert client.get("/fr/partenaires/", query).status_code < 500
        assert client.get("/en/partners/", query).status_code < 500
        response = client.get(path.format(quote(slug, safe="")))
        assert response.status_code < 500, response.status_code

    get()


@given(
    body=st.one_of(st.binary(max_size=4096), any_text.map(str.encode)),
    content_type=st.sampled_from(RAW_CONTENT_TYPES),
)
def test_raw_bodies_of_any_type_are_never_a_server_error(client, contact_page, body, content_type):
    url, _form = contact_page
    before = stored()
    response = client.generic("POST", url, body, content_type=content_type)
    assert response.status_code < 500, response.status_code
    assert stored() == before
