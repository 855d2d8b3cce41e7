"""The mobility index lists the calls a page at a time: open ones first, then those to come, then
the closed ones, with the same queries and a small page whatever the number of calls."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mobility.models import Call
from mobility.selectors import CALLS_PER_PAGE
from tests.partnerships.test_pages import forget_cached_pages

pytestmark = pytest.mark.django_db

MAX_HTML_BYTES = 100 * 1024


def make_calls(count: int, state: str) -> None:
    """`count` published calls, open, upcoming or closed now."""
    now = timezone.now()
    opens_at, closes_at = {
        "open": (now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)),
        "upcoming": (now + datetime.timedelta(days=10), now + datetime.timedelta(days=40)),
        "closed": (now - datetime.timedelta(days=60), now - datetime.timedelta(days=1)),
    }[state]
    start = Call.objects.count()
    Call.objects.bulk_create(
        Call(
            title=f"Appel {state} {start + n}",
            slug=f"appel-{start + n}",
            academic_year=2027,
            audience="students",
            opens_at=opens_at + datetime.timedelta(minutes=n),
            closes_at=closes_at + datetime.timedelta(minutes=n),
            description="Partir étudier chez un partenaire.",
        )
        for n in range(count)
    )


def get_index(client, **params) -> tuple[int, str]:
    forget_cached_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fr/mobilite/", params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def call_titles(html: str) -> list[str]:
    return re.findall(r'<li class="call-item">\s*<h3><a href="[^"]+">([^<]+)</a>', html)


def test_the_index_keeps_its_queries_and_size_with_many_calls(client):
    for state in ("open", "upcoming", "closed"):
        make_calls(1, state)
    few_queries, few = get_index(client)
    assert 'class="pagination"' not in few
    for state in ("open", "upcoming", "closed"):
        make_calls(99, state)
    queries, html = get_index(client)
    assert queries == few_queries
    assert len(html.encode()) < MAX_HTML_BYTES
    assert len(call_titles(html)) == CALLS_PER_PAGE
    nav = re.search(
        r'<nav class="pagination" aria-label="Pages de la liste des appels">.*?</nav>', html, re.S
    )
    assert nav
    assert '<p class="pagination__status">Page 1 sur 15</p>' in nav.group()
    assert 'href="?page=2#appels" rel="next"' in nav.group()


def test_the_pages_list_open_then_upcoming_then_closed_calls_each_once(client):
    for state in ("closed", "upcoming", "open"):
        make_calls(25, state)
    titles: list[str] = []
    headings: list[str] = []
    for page in range(1, 5):
        _queries, html = get_index(client, page=str(page))
        titles += call_titles(html)
        headings += re.findall(r"<h2>(Appels [^<]+)</h2>", html)
    assert len(titles) == len(set(titles)) == 75
    states = [title.split()[1] for title in titles]
    assert states == ["open"] * 25 + ["upcoming"] * 25 + ["closed"] * 25
    # Open calls closing soonest first, upcoming ones opening soonest first, the latest closed first.
    open_calls = [int(title.split()[2]) for title in titles[:25]]
    assert open_calls == sorted(open_calls)
    closed_calls = [int(title.split()[2]) for title in titles[50:]]
    assert closed_calls == sorted(closed_calls, reverse=True)
    # Each page names the sections it shows; a section that goes on is named again.
    assert headings == [
        "Appels ouverts",
        "Appels ouverts",
        "Appels à venir",
        "Appels à venir",
        "Appels clos",
        "Appels clos",
    ]


def test_without_open_calls_the_first_page_says_so(client):
    make_calls(CALLS_PER_PAGE + 5, "closed")
    _queries, first = get_index(client)
    assert "Aucun appel à candidatures n’est ouvert pour le moment." in first
    _queries, second = get_index(client, page="2")
    assert "Aucun appel à candidatures n’est ouvert" not in second
    assert len(call_titles(second)) == 5
