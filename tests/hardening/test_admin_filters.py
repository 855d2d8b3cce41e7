"""Admin lists filter by their declared filters only: no regex, no secret column, and malformed
values give a 400 or an empty list, never a 500."""

import html
import re
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from backoffice.admin.changelist import ChangeListMixin
from mobility.models import Application
from tests.mobility.helpers import submit_application

pytestmark = pytest.mark.django_db

APPLICATIONS = "/gestion/mobility/application/"


@pytest.fixture
def consultation_client(client):
    """A read-only staff account: the least a Consultation role sees."""
    user = User.objects.create_user("lecture", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Consultation"))
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    return client


def test_every_admin_of_the_site_filters_by_its_declared_filters_only():
    lax = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if not isinstance(model_admin, ChangeListMixin)
    ]
    assert lax == []


@pytest.mark.parametrize(
    "query",
    [
        "motivation__regex=(x%2Bx%2B)%2By",  # catastrophic backtracking on the database
        "motivation__iregex=.*",
        "token_hash__startswith=0",  # a secret, read one character at a time
        "token_hash=0",
        "email__contains=@",
        "status__regex=.",
        "call__title__startswith=A",  # through a relation
        "status__in=submitted,accepted",
    ],
)
def test_undeclared_lookups_are_refused_with_a_400(consultation_client, query):
    application = submit_application()
    response = consultation_client.get(f"{APPLICATIONS}?{query}")
    assert response.status_code == 400
    assert application.reference not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "first_choice=9223372036854775808",
        "first_choice=²",
        "destination=²",
        "destination=-1",
        "call__id__exact=9223372036854775808",
        "call__exact=-9223372036854775809",
        "first_choice=-9223372036854775809",
        "destination=-9223372036854775809",
        "submitted_at__year=1",
        "submitted_at__year=1&submitted_at__month=1&submitted_at__day=1",
        "call__id__exact=²",
        "programme__id__exact=abc",
        "submitted_at__year=9999",
        "submitted_at__year=2026&submitted_at__month=13",
        "submitted_at__year=2026&submitted_at__month=2&submitted_at__day=31",
        "submitted_at__year=0",
        "status__exact=%C3%BF" * 1,
        "q=" + "%F0%9F%98%80" * 200,
    ],
)
def test_malformed_filter_values_give_a_400_or_an_empty_list(consultation_client, query):
    submit_application()
    response = consultation_client.get(f"{APPLICATIONS}?{query}", follow=True)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        html = response.content.decode()
        # An empty list, or Django's own "invalid filter" page (?e=1), never the application.
        assert "Camille" not in html or response.redirect_chain


def test_a_search_of_many_words_keeps_its_first_ten_and_says_so(consultation_client):
    application = submit_application()
    # 1,000 words once made SQLite refuse the query (a 500); the 22nd word here matches nobody.
    response = consultation_client.get(APPLICATIONS, {"q": "Camille " + "Martin " * 20 + "Zzzz " * 979})
    assert response.status_code == 200
    html = response.content.decode()
    assert "La recherche ne tient compte que de ses 10 premiers mots." in html
    assert application.reference in html
    refined = consultation_client.get(APPLICATIONS, {"q": "Camille Zzzz"}).content.decode()
    assert application.reference not in refined
    assert "premiers mots" not in refined


def test_declared_filters_still_filter(consultation_client):
    application = submit_application()
    other_call = submit_application(given_names="Dominique", family_name="Petit").call
    kept = consultation_client.get(f"{APPLICATIONS}?call__id__exact={application.call_id}")
    assert kept.status_code == 200
    html = kept.content.decode()
    assert application.reference in html
    assert Application.objects.get(call=other_call).reference not in html
    year = application.submitted_at.year
    by_year = consultation_client.get(f"{APPLICATIONS}?submitted_at__year={year}&status__exact=submitted")
    assert by_year.status_code == 200
    assert application.reference in by_year.content.decode()
    first = application.choices.get(rank=1).destination.institution_id
    by_choice = consultation_client.get(f"{APPLICATIONS}?first_choice={first}")
    assert application.reference in by_choice.content.decode()


def test_every_admin_list_survives_hostile_parameters(superuser_client):
    submit_application()
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for query in (
            "id__gt=0",
            "pk__regex=.",
            "password__startswith=p",
            "q=%25%27%22%3C",
            "e=1",
            "p=99999999999999999999",
            "o=99.-x.abc",
            "all=",
        ):
            response = superuser_client.get(f"{url}?{query}")
            assert response.status_code in (200, 302, 400), (url, query, response.status_code)


def test_every_list_shows_its_facet_counts(superuser_client):
    """The lists' own « Afficher les nombres » link (?_facets=True) gives each filter choice its
    count: the filters are then called with each choice's value, a primary key as an int."""
    application = submit_application()
    lists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    answers = {url: superuser_client.get(f"{url}?_facets=True").status_code for url in lists}
    assert set(answers.values()) == {200}, answers
    page = superuser_client.get(f"{APPLICATIONS}?_facets=True").content.decode()
    assert application.reference in page
    assert "(1)" in page  # the count beside the destination applied to


def test_every_filter_link_the_lists_draw_is_accepted(superuser_client):
    """The declared filters' own links pass the check of their parameters: a field filtered by
    its values (a call's year, a country) links with the bare field name."""
    call_command("load_seed", stdout=StringIO())
    submit_application()
    refused = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = superuser_client.get(url).content.decode()
        filters = page.split('id="changelist-filter"', 1)[-1] if 'id="changelist-filter"' in page else ""
        for query in set(re.findall(r'href="(\?[^"]*)"', filters)):
            status = superuser_client.get(url + html.unescape(query)).status_code
            if status != 200:
                refused.append((url, query, status))
    assert refused == []
