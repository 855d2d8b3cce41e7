"""The page audit: every page a person meets, at phone and desktop widths, in Chromium.

Public pages in French and English (crawled from each home page), the application's
pages (the form empty and refused, the confirmation, the follow-up, the withdrawal) and
the back office's changelists and change forms. At 320, 390 and 1280 px each page has no
horizontal scrolling, a plain-text title of at most 90 characters, exactly one h1, unique
ids and no axe-core violation; titles differ between pages of different content, and a
public page weighs at most 60 KB compressed, with everything it loads. A
screenshot of every page at every width is saved under var/test-results/pages/.
"""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.page_audit import RESULTS, AuditReport, audit_page, check_titles_differ
from tests.pages import (
    PageSet,
    activity_pages,
    admin_pages,
    audit_superuser,
    back_office_content,
    crawl_public_pages,
    journey_pages,
    seed_content,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("private_files_removed"),
]


def _audit(page, base_url: str, group: str, pages: PageSet, *, weigh: bool = True) -> None:
    report = AuditReport(group)
    # Every page is weighed with all it loads, as on a first visit: no browser cache.
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    group_dir = RESULTS / group
    shutil.rmtree(group_dir, ignore_errors=True)  # no screenshot left from a page that is gone
    group_dir.mkdir(parents=True)
    for problem in pages.broken_links:
        report.counts["broken_link"] += 1
        report.problems.append(f"[broken_link] {problem}")
    for audited in pages.pages:
        audit_page(page, base_url, audited, report, group_dir, weigh=weigh)
    check_titles_differ(report)
    report.assert_clean()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_pages(live_server, page, language):
    seed_content()
    pages = crawl_public_pages(language)
    assert len(pages.pages) >= 30, "the crawl reaches the partners, the calls and the information pages"
    _audit(page, live_server.url, f"public-{language}", pages)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_activity_pages(live_server, page, language):
    seed_content()
    _audit(page, live_server.url, f"activities-{language}", activity_pages(language))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_application_pages(live_server, page, context, language):
    seed_content()
    pages = journey_pages(language)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": pages.session_key, "url": live_server.url}]
    )
    _audit(page, live_server.url, f"application-{language}", pages)


def test_admin_pages(live_server, page, context):
    seed_content()
    back_office_content()
    client = Client()
    client.force_login(audit_superuser())
    pages = admin_pages(client)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    _audit(page, live_server.url, "admin", pages, weigh=False)
