"""Two instances, one state: two gunicorn servers on two ports with the same settings (PostgreSQL,
Redis, one S3 bucket, one mail server), each with local folders of its own, so that nothing is
shared by accident. What a person does on one, the other sees at once.

Everything goes through HTTP, as browsers would: real form posts with their CSRF tokens, a real
admin login, real downloads; the mail server is aiosmtpd on loopback."""

import http.cookiejar
import os
import re
import time
import urllib.error
import urllib.request
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse
from urllib3 import encode_multipart_formdata

from mobility.models import Application
from mobility.models.applications import Status
from tests.backoffice.test_outbox import SinkServer, text_of
from tests.deploy.servers import free_port, gunicorn
from tests.mobility.helpers import MINIMAL_PDF, open_call_with_destinations
from tests.mobility.test_public import valid_post

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("private_files_removed")]

PASSWORD = "Deux instances, un seul état 2027"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept across both instances (a cookie names its host, not its port), no redirect
    followed, so that each answer is seen as it is."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects
        )

    def request(self, url: str, data: bytes | None = None, content_type: str = "") -> tuple[int, str, bytes]:
        headers = {"Content-Type": content_type} if content_type else {}
        try:
            with self.opener.open(
                urllib.request.Request(url, data=data, headers=headers), timeout=30
            ) as answer:
                return answer.status, answer.headers.get("Location", ""), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read()

    def get(self, url: str) -> tuple[int, str, bytes]:
        return self.request(url)

    def post(self, url: str, fields: dict | list[tuple[str, str]]) -> tuple[int, str, bytes]:
        body, content_type = encode_multipart_formdata(fields)
        return self.request(url, body, content_type)

    def csrf_token(self) -> str:
        return next(str(cookie.value) for cookie in self.cookies if cookie.name == "csrftoken")


class FormReader(HTMLParser):
    """The values a browser would post back from the page's form with `action` (or its first)."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((name, attributes.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select, attributes.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def form_fields(page: bytes, form_id: str) -> list[tuple[str, str]]:
    """The fields of the page's form `form_id`, as a browser would post it unchanged."""
    html = page.decode()
    start = html.index(f'id="{form_id}"')
    reader = FormReader()
    reader.feed(html[html.rindex("<form", 0, start) : html.index("</form>", start)])
    return reader.fields


def hidden_value(page: bytes, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page.decode())
    assert match, f"no {name} in the page"
    return unescape(match.group(1))


def wait_for(condition, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            return found
        time.sleep(0.2)
    return found


@pytest.fixture
def shared_services(s3_server):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("two instances share PostgreSQL and Redis: run with DATABASE_URL and REDIS_URL (CI does)")
    sink = SinkServer(free_port())
    sink.start()
    bucket = s3_server.bucket_create()
    yield sink, s3_server, bucket
    sink.stop()


def test_an_application_made_on_one_instance_is_reviewed_on_the_other(shared_services, tmp_path):
    sink, s3_server, bucket = shared_services
    call, destinations = open_call_with_destinations()
    partner = destinations[0].institution
    User.objects.create_superuser("relations", "relations@example.org", PASSWORD)
    settings = {
        **s3_server.environment(bucket),
        "REDIS_URL": os.environ["REDIS_URL"],
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "PORTAL_SUBMISSIONS_PER_HOUR": "3",
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with gunicorn(tmp_path / "a", **settings) as a, gunicorn(tmp_path / "b", **settings) as b:
        apply_path = f"/fr/mobilite/appels/{call.slug}/candidater/"

        def submit(instance: str, applicant: Browser, email_address: str) -> int:
            status, _location, page = applicant.get(instance + apply_path)
            assert status == 200
            post = valid_post(call, destinations, hidden_value(page, "submission_key"), email=email_address)
            fields = {
                name: (value.name, value.read(), value.content_type) if hasattr(value, "read") else value
                for name, value in post.items()
            }
            fields["csrfmiddlewaretoken"] = applicant.csrf_token()
            return applicant.post(instance + apply_path, fields)[0]

        # 1. Submitted on A, with its documents.
        applicant = Browser()
        assert submit(a, applicant, "lea.dupont@example.org") == 302
        application = Application.objects.get()
        documents = {document.kind: document for document in application.documents.all()}
        assert set(documents) == {"cv", "motivation_letter"}
        assert sorted(s3_server.keys(bucket)) == sorted(f"private/{d.file.name}" for d in documents.values())
        # …and nothing in either instance's own folders.
        assert not [path for path in tmp_path.rglob("*") if path.is_file() and "applications" in path.parts]

        # 2. Reviewed on B by staff logged in there: the documents come with the same bytes.
        staff = Browser()
        status, _location, page = staff.get(b + "/gestion/login/")
        login = {"username": "relations", "password": PASSWORD, "csrfmiddlewaretoken": staff.csrf_token()}
        assert staff.post(b + "/gestion/login/?next=/gestion/", login)[0] == 302
        cv_url = reverse("admin:mobility_application_document", args=[application.pk, documents["cv"].pk])
        status, _location, cv = staff.get(b + cv_url)
        assert status == 200
        assert cv == MINIMAL_PDF

        # 3. A status change on B mails the applicant (the submission mail came from A).
        transition = reverse(
            "admin:mobility_application_transition", args=[application.pk, Status.UNDER_REVIEW]
        )
        status, _location, page = staff.get(b + transition)
        assert status == 200
        answer = staff.post(
            b + transition,
            {
                "comment": "Dossier complet.",
                "visible_to_applicant": "yes",
                "csrfmiddlewaretoken": staff.csrf_token(),
            },
        )
        assert answer[0] == 302, answer[2][:2000]
        application.refresh_from_db()
        assert application.status == Status.UNDER_REVIEW
        assert wait_for(lambda: len(sink.messages) >= 2), sink.messages
        mails = sink.messages
        assert [mail["To"] for mail in mails] == ["lea.dupont@example.org"] * 2
        follow_up = application.get_follow_up_url()
        assert all(follow_up in text_of(mail) for mail in mails)

        # 4. The staff member's session, opened on B, works on A too.
        status, _location, index = staff.get(a + "/gestion/")
        assert status == 200
        assert b"relations" in index

        # 5. The hourly limit (3 here) counts the submissions made on both instances as one.
        assert submit(b, applicant, "autre.personne@example.org") == 302
        assert submit(a, applicant, "troisieme.personne@example.org") == 302
        assert submit(b, applicant, "une.de.trop@example.org") == 429
        assert Application.objects.count() == 3

        # 6. A partner renamed on A shows on B's public page at once.
        public_page = partner.get_absolute_url()
        assert staff.get(b + public_page)[0] == 200  # now in B's cache, through Redis
        change = reverse("admin:partnerships_institution_change", args=[partner.pk])
        status, _location, page = staff.get(a + change)
        assert status == 200
        fields = form_fields(page, "institution_form")
        fields = [
            (name, "Université renommée sur A" if name == "name_fr" else value) for name, value in fields
        ]
        answer = staff.post(a + change, fields)
        assert answer[0] == 302, answer[2][:3000]
        assert "Université renommée sur A" in staff.get(b + public_page)[2].decode()
