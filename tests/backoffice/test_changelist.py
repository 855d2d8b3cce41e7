"""The change lists cost the same whatever their table's size: the row checkbox is written
without the widget templates (yet is the very markup Django's widget gives, which the admin's
"select all" script and the screen-reader label rely on), and the years above a list come from
its first and last dates."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from backoffice.templatetags.changelist import date_hierarchy_by_range
from mobility.models import Application
from partnerships.models import Institution
from tests.mobility.helpers import submit_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_row_checkbox_is_djangos_own_markup(language):
    institution = Institution.objects.create(
        name='L’« Institut » <b> & "fils"', slug="institut", country="BE"
    )
    ours = admin.site._registry[Institution]
    with translation.override(language):
        expected = ModelAdmin.action_checkbox(ours, institution)
        written = ours.action_checkbox(institution)
    assert written == expected
    assert 'aria-label="' in written
    assert "<b>" not in written


def test_list_shows_a_labelled_checkbox_per_row(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    for number in range(3):
        Institution.objects.create(name=f"Partenaire {number}", slug=f"partenaire-{number}", country="BE")
    page = client.get("/gestion/partnerships/institution/").content.decode()
    assert page.count('class="action-select" aria-label="Choisir cet objet pour une action - Partenaire') == 3


@pytest.mark.usefixtures("private_files_removed")
def test_years_above_the_list_come_from_the_range_without_truncating_every_row(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    for year in (2024, 2026):
        application = submit_application()
        Application.objects.filter(pk=application.pk).update(
            submitted_at=datetime.datetime(year, 3, 1, 12, tzinfo=datetime.UTC)
        )
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/gestion/mobility/application/").content.decode()
    years = re.findall(r'<a href="\?submitted_at__year=(\d+)">\1</a>', page)
    assert years == ["2024", "2025", "2026"]
    assert not [query for query in queries.captured_queries if "trunc" in query["sql"].lower()]

    # A chosen year lists its months with rows, as Django does.
    page = client.get("/gestion/mobility/application/", {"submitted_at__year": 2026}).content.decode()
    assert re.findall(
        r'<a href="\?submitted_at__month=\d+&amp;submitted_at__year=2026">([^<]+)</a>', page
    ) == ["Mars 2026"]
    assert "Toutes les dates" in page


@pytest.mark.usefixtures("private_files_removed")
@pytest.mark.parametrize("months", [(3, 3), (3, 5)], ids=["one month", "two months"])
def test_within_one_year_the_links_are_djangos_own(rf, months):
    for month in months:
        application = submit_application()
        Application.objects.filter(pk=application.pk).update(
            submitted_at=datetime.datetime(2026, month, 1, 12, tzinfo=datetime.UTC)
        )
    request = rf.get("/gestion/mobility/application/")
    request.user = User.objects.create_superuser("root", "root@example.org", "x")
    changelist = admin.site._registry[Application].get_changelist_instance(request)
    with CaptureQueriesContext(connection) as ours:
        by_range = date_hierarchy_by_range(changelist)
    with CaptureQueriesContext(connection) as djangos:
        expected = date_hierarchy(changelist)
    assert by_range == expected
    assert len(ours.captured_queries) <= len(djangos.captured_queries)
