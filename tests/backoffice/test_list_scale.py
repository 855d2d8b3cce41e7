"""The back office's lists and dashboard at scale: a filtered list counts only its own rows, the
lists' filters and orderings have an index, and the dashboard lists a few expiring agreements
whatever their number."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mobility.models import Application
from partnerships.models import Agreement, Institution
from partnerships.models.agreements import academic_year_of
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changelist", "table", "query_string"),
    [
        ("admin:mobility_application_changelist", Application._meta.db_table, "?status__exact=submitted"),
        ("admin:partnerships_agreement_changelist", Agreement._meta.db_table, "?status=in_force"),
        ("admin:partnerships_institution_changelist", Institution._meta.db_table, "?kind__exact=university"),
    ],
)
def test_a_filtered_list_does_not_count_the_whole_table(admin_client, changelist, table, query_string):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse(changelist) + query_string)
    assert response.status_code == 200
    # A count with no WHERE clause: the whole table.
    whole_table_counts = [
        query["sql"]
        for query in queries
        if "COUNT(*)" in query["sql"] and query["sql"].endswith(f'"{table}"')
    ]
    assert whole_table_counts == []
    # The list offers to show everything instead of saying how much there is.
    assert "Tout afficher" in response.content.decode()


def indexed_columns(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [details["columns"] for details in constraints.values() if details["index"]]


@pytest.mark.parametrize(
    ("model", "columns"),
    [
        # The applications' list: newest first, by status, by call (and the dashboard's counts).
        (Application, ["submitted_at"]),
        (Application, ["status", "submitted_at"]),
        (Application, ["call_id", "status"]),
        # The agreements' list: by title, by period, by status (signed ones, by their last year).
        (Agreement, ["title_fr"]),
        (Agreement, ["first_academic_year"]),
        (Agreement, ["last_academic_year"]),
        # The institutions' list: by name, filtered by country.
        (Institution, ["name_fr"]),
        (Institution, ["country", "region"]),
    ],
)
def test_the_lists_filters_and_orderings_have_an_index(model, columns):
    assert columns in indexed_columns(model._meta.db_table)


def test_the_dashboard_lists_the_first_expiring_agreements_and_links_to_all(admin_client, settings):
    today = timezone.localdate()
    year = academic_year_of(today)
    settings.PORTAL_EXPIRY_WARNING_DAYS = (datetime.date(year + 1, 8, 31) - today).days
    AgreementFactory.create_batch(2, first_academic_year=year - 1, last_academic_year=year)
    admin_client.get(reverse("admin:index"))  # warms per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(reverse("admin:index"))
    AgreementFactory.create_batch(13, first_academic_year=year - 1, last_academic_year=year)
    with CaptureQueriesContext(connection) as many:
        page = admin_client.get(reverse("admin:index")).content.decode()
    assert len(many) == len(few)
    table = page.split('class="portal-dashboard__table portal-dashboard__agreements"')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 10
    list_url = reverse("admin:partnerships_agreement_changelist") + "?status=expiring"
    assert f'<a class="portal-dashboard__count" href="{list_url}">15</a>' in page
    assert f'<a href="{list_url}">Voir les 15 accords qui arrivent à échéance</a>' in page
