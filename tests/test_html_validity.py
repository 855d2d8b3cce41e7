"""Every audited page is valid HTML for the W3C Nu HTML Checker.

The same pages as the browser's page audit (tests/pages.py): public pages in both languages,
the application's pages including the form's error state, and the back office. In CI the
checker is required; elsewhere, without it, the test is skipped with what to install.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client

from tests.html_checker import MISSING, HtmlChecker, checker_jar
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

pytestmark = pytest.mark.usefixtures("private_files_removed")


@pytest.fixture(scope="session")
def html_checker():
    jar = checker_jar()
    if jar is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    checker = HtmlChecker(jar)
    yield checker
    checker.stop()


def _invalid_pages(client: Client, pages: PageSet, checker: HtmlChecker) -> list[str]:
    problems = []
    for audited in pages.pages:
        if audited.action == "error_state":
            response = client.post(audited.path, {})
        else:
            response = client.get(audited.path)
        assert response.status_code == audited.status, f"{audited.path} answered {response.status_code}"
        problems += [
            f"{audited.name} ({audited.path}) {error}" for error in checker.errors(response.content.decode())
        ]
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_and_application_pages_are_valid_html(html_checker, language):
    seed_content()
    client = Client()
    problems = _invalid_pages(client, crawl_public_pages(language, client), html_checker)
    journey = journey_pages(language)
    client.cookies[settings.SESSION_COOKIE_NAME] = journey.session_key
    problems += _invalid_pages(client, journey, html_checker)
    assert not problems, f"{len(problems)} HTML error(s):\n" + "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_activity_pages_are_valid_html(html_checker, language):
    seed_content()
    problems = _invalid_pages(Client(), activity_pages(language), html_checker)
    assert not problems, f"{len(problems)} HTML error(s):\n" + "\n".join(problems)


@pytest.mark.django_db
def test_admin_pages_are_valid_html(html_checker):
    seed_content()
    back_office_content()
    client = Client()
    client.force_login(audit_superuser())
    problems = _invalid_pages(client, admin_pages(client), html_checker)
    assert not problems, f"{len(problems)} HTML error(s):\n" + "\n".join(problems)
