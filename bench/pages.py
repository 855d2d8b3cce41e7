"""Which pages are measured, on whatever data the database holds, and their queries in-process.

Each kind of page is measured on its busiest example (the destination with the most partners,
the partner with the most agreements, the open call with the most destinations…): the page that
a grown catalogue makes slowest. Imported once Django is set up.
"""

import secrets
import time
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Count, QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bench.measures import ADMIN, FORM, PUBLIC, REFERENCE, Page, QueryCount
from bench.server import HOST, PROXY_HEADERS
from mobility.models import Application, Call
from partnerships.content_version import bump_content_version
from partnerships.models import Agreement, Destination, Institution, Network


def pages_to_measure() -> tuple[list[Page], list[str]]:
    """The pages, and a note for each kind of page that the data leaves nothing to measure on."""
    pages = [Page("/healthz", "/healthz", REFERENCE)]
    missing: list[str] = []

    def add(label: str, subject: Destination | Institution | Network | Call | None) -> None:
        if subject is None:
            missing.append(f"{label}: nothing to show in this database")
        else:
            pages.append(Page(label, subject.get_absolute_url(), PUBLIC, str(subject)))

    with translation.override("fr"):
        pages.append(Page("home (fr)", reverse("home"), PUBLIC))
    with translation.override("en"):
        pages.append(Page("home (en)", reverse("home"), PUBLIC))
    with translation.override("fr"):
        pages.append(Page("partners index", reverse("partnerships:index"), PUBLIC))
        add("destination", _busiest_destination())
        partners = Institution.objects.public_partners().annotate(agreements_count=Count("agreement_links"))
        add("institution", partners.order_by("-agreements_count", "pk").first())
        add("own institution", Institution.objects.filter(is_own=True, is_public=True).first())
        add(
            "network",
            Network.objects.annotate(member_count=Count("memberships"))
            .order_by("-member_count", "pk")
            .first(),
        )
        pages.append(Page("mobility index", reverse("mobility:index"), PUBLIC))
        open_call = _largest(Call.objects.open_at())
        call = open_call or _largest(Call.objects.published())
        add("call", call)
        if open_call is None:
            missing.append("application form: no open call")
        else:
            apply = reverse("mobility:apply", kwargs={"slug": open_call.url_slug})
            pages.append(Page("application form", apply, FORM, str(open_call)))
    for label, name in (
        ("admin: applications", "admin:mobility_application_changelist"),
        ("admin: agreements", "admin:partnerships_agreement_changelist"),
        ("admin: institutions", "admin:partnerships_institution_changelist"),
    ):
        pages.append(Page(label, reverse(name), ADMIN))
    return pages, missing


def _largest(calls: QuerySet[Call]) -> Call | None:
    return calls.annotate(offered=Count("destinations")).order_by("-offered", "pk").first()


def _busiest_destination() -> Destination | None:
    """The destination listing the most public partners: a country's, less its regions that are
    destinations of their own (Québec apart from Canada)."""
    destinations = list(Destination.objects.all())
    partners = Counter(Institution.objects.public_partners().values_list("country", "region"))
    regional = {(d.country.code, d.region) for d in destinations if d.region}

    def listed(destination: Destination) -> int:
        code = destination.country.code
        if destination.region:
            return partners[(code, destination.region)]
        return sum(
            n
            for (country, region), n in partners.items()
            if country == code and (country, region) not in regional
        )

    return max(destinations, key=listed, default=None)


def staff_client() -> tuple[Client, User]:
    """A superuser made for this run, logged in: the admin lists' session."""
    user = User.objects.create_superuser(f"bench-{secrets.token_hex(4)}", email="", password=None)
    client = _client()
    client.force_login(user)
    return client, user


def session_cookie(client: Client) -> dict[str, str]:
    name = settings.SESSION_COOKIE_NAME
    return {"Cookie": f"{name}={client.cookies[name].value}"}


def staff_remove(user: User, client: Client) -> None:
    Session.objects.filter(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).delete()
    user.delete()


def _client() -> Client:
    return Client(raise_request_exception=False, headers={"Host": HOST, **PROXY_HEADERS})


def count_queries(pages: list[Page], staff: Client) -> dict[str, QueryCount]:
    """Each page requested three times in-process, as a visitor without cookies (as wrk is) or as
    the staff member: once to warm the process up, with its queries counted; then timed just after
    the cached pages are retired (a cache miss), and timed again (a hit, for the public pages)."""
    counts = {}
    for page in pages:
        client = staff if page.group == ADMIN else _client()
        with CaptureQueriesContext(connection) as first:
            client.get(page.path)
        bump_content_version()
        miss_ms, _miss = _timed(client, page.path)
        alone_ms, repeat = _timed(client, page.path)
        counts[page.path] = QueryCount(
            repeat.status_code, len(first), repeat.queries, alone_ms=alone_ms, miss_ms=miss_ms
        )
    return counts


@dataclass
class _Answer:
    status_code: int
    queries: int


def _timed(client: Client, path: str) -> tuple[float, _Answer]:
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return (time.perf_counter() - started) * 1000, _Answer(response.status_code, len(queries))


def data_summary() -> str:
    return (
        f"{Institution.objects.filter(is_own=False).count()} partners, {Agreement.objects.count()} agreements, "
        f"{Call.objects.count()} calls, {Application.objects.count()} applications"
    )
