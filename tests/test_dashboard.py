"""The dashboard on the admin's home page: figures, the lists they link to, who sees them, and
a number of queries that does not grow with the calls and applications."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backoffice.site import PortalAdminSite
from mobility import services
from mobility.models.applications import Status
from partnerships.models.agreements import academic_year_of
from tests.factories import AgreementFactory, CallFactory, InstitutionFactory
from tests.mobility.helpers import open_call_with_destinations, submit_application

INDEX = "admin:index"
APPLICATIONS = "/gestion/mobility/application/"


def accept(application) -> None:
    services.application_transition(application=application, to_status=Status.UNDER_REVIEW, comment="Examen.")
    services.application_transition(application=application, to_status=Status.ACCEPTED, comment="Retenue.")


def linked_figure(page: str, url: str) -> int:
    """The number shown as the text of the link to `url`."""
    match = re.search(rf'<a href="{re.escape(url)}">(\d+)</a>', page)
    assert match, f"no figure links to {url}"
    return int(match.group(1))


def result_count(client, url: str) -> int:
    response = client.get(unescape(url))
    assert response.status_code == 200
    return response.context["cl"].result_count


@pytest.fixture
def open_call(db):
    """An open call: Liège offers 1 place and has 2 acceptances (first choice), Namur 3 places
    and none; plus one application submitted and one under review."""
    call, destinations = open_call_with_destinations(2, title="Appel Erasmus 2027")
    liege, namur = destinations
    liege.institution.name, namur.institution.name = "Université de Liège", "Haute École de Namur"
    liege.institution.save()
    namur.institution.save()
    # Liège first: the helper's applications choose the destinations in their order.
    liege.places, namur.places = 1, 3
    liege.position, namur.position = 0, 1
    liege.save()
    namur.save()
    for family_name in ("Accepté", "Acceptée"):
        accept(submit_application(call, family_name=family_name))
    submit_application(call, family_name="Déposée")
    services.application_transition(
        application=submit_application(call, family_name="Examinée"),
        to_status=Status.UNDER_REVIEW,
        comment=".",
    )
    return call, liege, namur


@pytest.fixture
def not_open_calls(db):
    """Applications to calls that are closed or unpublished: never counted."""
    closed, _destinations = open_call_with_destinations(1, title="Appel clos")
    submit_application(closed)
    closed.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    closed.opens_at = closed.closes_at - datetime.timedelta(days=10)
    closed.save()
    CallFactory.create(title="Appel non publié", is_published=False)


def status_url(call, status: str) -> str:
    return f"{APPLICATIONS}?call__id__exact={call.pk}&amp;status__exact={status}"


@pytest.mark.django_db
def test_the_admin_site_is_the_portal_site():
    from django.contrib import admin

    assert isinstance(admin.site, PortalAdminSite)
    assert admin.site.index_template == "admin/portal/index.html"


@pytest.mark.django_db
def test_applications_per_status_link_to_the_filtered_list(admin_client, open_call, not_open_calls):
    call, _liege, _namur = open_call
    response = admin_client.get(reverse(INDEX))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Appel ouvert : Appel Erasmus 2027" in page
    assert "Appel clos" not in page
    assert "Appel non publié" not in page
    assert "<caption>Candidatures par statut</caption>" in page
    expected = dict.fromkeys(Status.values, 0)
    expected.update(submitted=1, under_review=1, accepted=2)
    for status, count in expected.items():
        url = status_url(call, status)
        assert linked_figure(page, url) == count, status
        assert result_count(admin_client, url) == count, status
    total_url = f"{APPLICATIONS}?call__id__exact={call.pk}"
    assert linked_figure(page, total_url) == 4
    assert result_count(admin_client, total_url) == 4
    assert '<th scope="row">Acceptée</th>' in page


@pytest.mark.django_db
def test_places_and_acceptances_per_destination_mark_the_over_subscription(admin_client, open_call):
    call, liege, namur = open_call
    page = admin_client.get(reverse(INDEX)).content.decode()
    assert "<caption>Places offertes et candidatures acceptées, par destination</caption>" in page

    call_url = reverse("admin:mobility_call_change", args=[call.pk])
    liege_match = re.search(r'<tr class="portal-dashboard__row--over">(.*?)</tr>', page, re.S)
    assert liege_match is not None
    liege_row = liege_match.group(1)
    assert '<th scope="row">Université de Liège</th>' in liege_row
    assert f'<a href="{call_url}">1</a>' in liege_row
    accepted_liege = f"{APPLICATIONS}?call__id__exact={call.pk}&amp;status__exact=accepted&amp;first_choice={liege.institution_id}"
    assert linked_figure(liege_row, accepted_liege) == 2
    assert result_count(admin_client, accepted_liege) == 2
    # Said in words, not by colour alone.
    assert "Places dépassées : 1 acceptée de trop" in liege_row

    namur_match = re.search(r'<tr>\s*<th scope="row">Haute École de Namur</th>(.*?)</tr>', page, re.S)
    assert namur_match is not None
    namur_row = namur_match.group(1)
    assert f'<a href="{call_url}">3</a>' in namur_row
    accepted_namur = f"{APPLICATIONS}?call__id__exact={call.pk}&amp;status__exact=accepted&amp;first_choice={namur.institution_id}"
    assert linked_figure(namur_row, accepted_namur) == 0
    assert result_count(admin_client, accepted_namur) == 0
    assert "dépassées" not in namur_row
    assert page.count("Places dépassées") == 1


@pytest.mark.django_db
def test_a_full_destination_is_said_full(admin_client, open_call):
    _call, liege, _namur = open_call
    liege.places = 2
    liege.save()
    page = admin_client.get(reverse(INDEX)).content.decode()
    assert "Places dépassées" not in page
    assert '<span class="portal-dashboard__full">Complet</span>' in page


@pytest.mark.django_db
def test_expiring_agreements_are_counted_listed_and_linked(admin_client, settings):
    today = timezone.localdate()
    year = academic_year_of(today)
    settings.PORTAL_EXPIRY_WARNING_DAYS = (datetime.date(year + 1, 8, 31) - today).days
    expiring = AgreementFactory.create(
        title="Accord qui se termine", last_academic_year=year, first_academic_year=year - 1,
        partners=[InstitutionFactory.create(name="Université de Liège")],
    )  # fmt: skip
    AgreementFactory.create(
        title="Accord qui dure", first_academic_year=year - 1, last_academic_year=year + 1
    )
    AgreementFactory.create(title="Brouillon qui se termine", is_draft=True, last_academic_year=year)

    page = admin_client.get(reverse(INDEX)).content.decode()
    days = settings.PORTAL_EXPIRY_WARNING_DAYS
    assert f"Accords arrivant à échéance dans les {days} jours" in page
    list_url = reverse("admin:partnerships_agreement_changelist") + "?status=expiring"
    assert f'<a class="portal-dashboard__count" href="{list_url}">1</a>' in page
    assert result_count(admin_client, list_url) == 1
    change_url = reverse("admin:partnerships_agreement_change", args=[expiring.pk])
    assert f'<a href="{change_url}">Accord qui se termine</a>' in page
    assert f"{expiring.ends_on:%d/%m/%Y}" in page
    assert "IRTS Normandie-Caen, Université de Liège" in page
    assert "Accord qui dure" not in page
    assert "Brouillon qui se termine" not in page


@pytest.mark.django_db
def test_empty_dashboard_says_so(admin_client):
    page = admin_client.get(reverse(INDEX)).content.decode()
    assert "Aucun appel à candidatures n’est ouvert en ce moment." in page
    assert '<a class="portal-dashboard__count" href="' in page
    assert "Accords en vigueur qui se terminent dans ce délai :" in page
    # The stock application list is still there.
    assert 'id="content-main"' in page
    assert reverse("admin:partnerships_agreement_changelist") in page


def staff_with(client, django_user_model, *perms: tuple[str, str]):
    user = django_user_model.objects.create_user("personnel", password="x" * 16, is_staff=True)
    for app_label, codename in perms:
        user.user_permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label=app_label)
        )
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_each_part_shows_only_to_staff_allowed_to_view_its_list(client, django_user_model, open_call):
    AgreementFactory.create()
    agreements_only = staff_with(client, django_user_model, ("partnerships", "view_agreement"))
    page = agreements_only.get(reverse(INDEX)).content.decode()
    assert "Accords arrivant à échéance" in page
    assert "Candidatures par statut" not in page
    assert "Appel Erasmus 2027" not in page


@pytest.mark.django_db
def test_applications_part_without_the_agreements_part(client, django_user_model, open_call):
    applications_only = staff_with(client, django_user_model, ("mobility", "view_application"))
    page = applications_only.get(reverse(INDEX)).content.decode()
    assert "Candidatures par statut" in page
    assert "Accords arrivant à échéance" not in page
    # Without the call's view permission, the places are shown without a link to the call.
    call, _liege, _namur = open_call
    assert reverse("admin:mobility_call_change", args=[call.pk]) not in page


@pytest.mark.django_db
def test_staff_without_any_permission_sees_no_dashboard(client, django_user_model, open_call):
    page = staff_with(client, django_user_model).get(reverse(INDEX)).content.decode()
    assert "portal-dashboard" not in page


def make_open_calls(count: int) -> None:
    """`count` open calls, each with two destinations, an accepted application and a submitted one,
    and an agreement about to expire."""
    today = timezone.localdate()
    year = academic_year_of(today)
    for _ in range(count):
        call, _destinations = open_call_with_destinations(2)
        accept(submit_application(call))
        submit_application(call)
        AgreementFactory.create(first_academic_year=year - 1, last_academic_year=year)


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_calls(admin_client, django_assert_num_queries, settings):
    today = timezone.localdate()
    settings.PORTAL_EXPIRY_WARNING_DAYS = (datetime.date(academic_year_of(today) + 1, 8, 31) - today).days
    url = reverse(INDEX)
    make_open_calls(2)
    admin_client.get(url)  # warms per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as two_calls:
        page = admin_client.get(url).content.decode()
    assert page.count("<caption>Candidatures par statut</caption>") == 2

    make_open_calls(18)
    with django_assert_num_queries(len(two_calls)):
        page = admin_client.get(url).content.decode()
    assert page.count("<caption>Candidatures par statut</caption>") == 20
    assert '<a class="portal-dashboard__count" href="' in page
    assert re.search(r'portal-dashboard__count" href="[^"]+">20</a>', page)
