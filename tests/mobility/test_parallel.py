"""Fifty people submitting at the same moment, through the real server."""

import http.cookiejar
import re
import secrets
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from mobility.models import Application, ApplicationDocument
from tests.mobility.helpers import MINIMAL_PDF, open_call_with_destinations
from tests.mobility.test_public import valid_post

SUBMISSIONS = 50


def multipart(fields: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        if hasattr(value, "read"):
            value.seek(0)
            header = f'Content-Disposition: form-data; name="{name}"; filename="{value.name}"\r\nContent-Type: {value.content_type}'
            body = value.read()
        else:
            header, body = f'Content-Disposition: form-data; name="{name}"', str(value).encode()
        parts.append(f"--{boundary}\r\n{header}\r\n\r\n".encode() + body + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def apply_once(base_url: str, call, fields: dict) -> int:
    """One applicant's whole visit: GET the form (cookie, CSRF token, key), then POST it.
    Runs in a worker thread: no database access here, or the thread would hold a connection."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    url = f"{base_url}/fr/mobilite/appels/{call.slug}/candidater/"
    html = opener.open(url, timeout=60).read().decode()
    csrf_match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert csrf_match is not None
    csrf = csrf_match.group(1)
    key_match = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert key_match is not None
    key = key_match.group(1)
    fields = {**fields, "submission_key": key, "csrfmiddlewaretoken": csrf}
    body, content_type = multipart(fields)
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type, "Referer": url})
    with opener.open(request, timeout=60) as response:
        return response.status


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_submissions_give_fifty_applications_with_distinct_references(live_server, settings):
    settings.PORTAL_SUBMISSIONS_PER_HOUR = 1000
    call, destinations = open_call_with_destinations()
    # Every applicant's answers are prepared here, in the test's own thread.
    answers = [
        valid_post(call, destinations, "", email=f"personne{n}@example.org") for n in range(SUBMISSIONS)
    ]
    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        statuses = list(pool.map(lambda fields: apply_once(live_server.url, call, fields), answers))
    assert statuses == [200] * SUBMISSIONS  # each followed its redirect to the confirmation page
    assert Application.objects.count() == SUBMISSIONS
    references = set(Application.objects.values_list("reference", flat=True))
    assert len(references) == SUBMISSIONS
    assert all(re.fullmatch(r"MOB-\d{4}-\d{5}", reference) for reference in references)
    documents = ApplicationDocument.objects.all()
    assert documents.count() == 2 * SUBMISSIONS
    for document in documents:
        assert document.file.storage.exists(document.file.name)
        assert document.file.storage.size(document.file.name) == document.size
    cv = documents.filter(kind="cv").first()
    assert cv is not None
    with cv.file.open("rb") as stored:
        assert stored.read() == MINIMAL_PDF
    assert len(set(Application.objects.values_list("email", flat=True))) == SUBMISSIONS
