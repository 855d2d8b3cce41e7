"""The staff's side of "La mobilité en chiffres": the exact figures as CSV, to those who may
export the applications, recorded in the audit log; and the dashboard filtered by academic year."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from backoffice.models import AuditEvent
from partnerships.academic_years import academic_year_of, local_today
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    CallDestinationFactory,
    CallFactory,
    InstitutionFactory,
    MobilityTermFactory,
)

pytestmark = pytest.mark.django_db

STATISTICS = "admin:mobility_application_statistics"
INDEX = "admin:index"


@pytest.fixture
def figures():
    """2024-2025, its calls long closed: three staff to Belgium (a small count), six students
    from Canada; seven places a year with Belgium."""
    belgium = InstitutionFactory.create(country="BE")
    quebec = InstitutionFactory.create(country="CA")
    closed = {"opens_at": datetime.datetime(2024, 1, 8, tzinfo=datetime.UTC)}
    closed["closes_at"] = closed["opens_at"] + datetime.timedelta(days=60)
    outgoing = CallFactory.create(
        academic_year=2024, direction="outgoing", title="Appel sortant 2024", **closed
    )
    incoming = CallFactory.create(academic_year=2024, direction="incoming", **closed)
    ApplicationFactory.create_batch(
        3, call=outgoing, first_choice=CallDestinationFactory.create(call=outgoing, institution=belgium)
    )
    ApplicationFactory.create_batch(
        6,
        call=incoming,
        category="student",
        mobility_type="student_traineeship",
        first_choice=CallDestinationFactory.create(call=incoming, institution=quebec),
    )
    agreement = AgreementFactory.create(first_academic_year=2023, last_academic_year=2027, partners=[belgium])
    MobilityTermFactory.create(agreement=agreement, places_per_year=7)


def log_in_with_role(client, django_user_model, role: str):
    user = django_user_model.objects.create_user("personne", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))


def test_the_csv_has_one_row_per_year_dimension_and_value_with_exact_figures(
    client, django_user_model, figures
):
    user = log_in_with_role(client, django_user_model, "Consultation")

    response = client.get(reverse(STATISTICS))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="mobilite-en-chiffres-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["Année universitaire", "Dimension", "Valeur", "Nombre"]
    year = [row for row in rows[1:] if row[0] == "2024-2025"]
    # Exact, the small count of three included: staff who may export the applications could count it.
    assert ["2024-2025", "Mobilités", "total", "9"] in year
    assert ["2024-2025", "Mobilités par pays", "Belgique", "3"] in year
    assert ["2024-2025", "Mobilités par pays", "Canada", "6"] in year
    assert ["2024-2025", "Mobilités par type", "études", "0"] in year
    assert ["2024-2025", "Mobilités par type", "stage", "6"] in year
    assert ["2024-2025", "Mobilités par type", "personnel", "3"] in year
    assert ["2024-2025", "Mobilités par sens", "sortante", "3"] in year
    assert ["2024-2025", "Mobilités par sens", "entrante", "6"] in year
    assert ["2024-2025", "Accords en vigueur", "total", "1"] in year
    assert ["2024-2025", "Places offertes par pays", "Belgique", "7"] in year
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.subject) == (
        AuditEvent.Action.EXPORT,
        user,
        "mobilité en chiffres",
    )
    assert event.detail == {"format": "csv", "count": len(rows) - 1, "filters": []}


def test_the_csv_of_one_year(admin_client, figures):
    ApplicationFactory.create(call=CallFactory.create(academic_year=2025))

    rows = csv_rows(admin_client.get(reverse(STATISTICS), {"annee": 2025}))

    assert {row[0] for row in rows[1:]} == {"2025-2026"}
    assert AuditEvent.objects.get().detail["filters"] == ["annee"]


def test_an_invalid_year_exports_nothing_and_says_so(admin_client, figures):
    response = admin_client.get(reverse(STATISTICS), {"annee": "1789"})

    assert response.status_code == 302
    assert response["Location"] == reverse(INDEX)
    assert "rien n’a été exporté" in str(next(iter(get_messages(response.wsgi_request))))
    assert not AuditEvent.objects.exists()


def test_a_role_without_the_export_permission_gets_403(client, django_user_model, figures):
    log_in_with_role(client, django_user_model, "Évaluation")

    assert client.get(reverse(STATISTICS)).status_code == 403
    assert not AuditEvent.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse(STATISTICS))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('admin:login')}?next=")


def test_the_dashboard_links_to_the_csv_only_for_those_who_may_download_it(
    client, django_user_model, figures
):
    user = django_user_model.objects.create_user("personne", password="x" * 16, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_application"))
    client.force_login(user)
    assert reverse(STATISTICS) not in client.get(reverse(INDEX)).content.decode()

    user.user_permissions.add(Permission.objects.get(codename="export_application"))
    assert reverse(STATISTICS) in client.get(reverse(INDEX)).content.decode()


def test_the_dashboard_filtered_by_year_shows_that_years_calls_and_figures(admin_client, figures):
    open_now = CallFactory.create(academic_year=2026, title="Appel ouvert maintenant")

    default = admin_client.get(reverse(INDEX)).content.decode()
    filtered = admin_client.get(reverse(INDEX), {"annee": 2024}).content.decode()

    assert open_now.title in default
    assert "Appel sortant 2024" not in default
    # Closed long ago, yet of that year: shown, as is the year's count of mobilities.
    assert "Appel 2024-2025 : Appel sortant 2024" in filtered
    assert open_now.title not in filtered
    assert "Mobilités 2024-2025" in filtered
    assert (
        "Mobilités (candidatures acceptées, en cours ou terminées) : 9 ; accords en vigueur : 1 ; places offertes : 7."
        in filtered
    )
    assert f'href="{reverse(STATISTICS)}?annee=2024"' in filtered


def test_the_year_selector_is_a_labelled_get_form(admin_client, figures):
    page = admin_client.get(reverse(INDEX)).content.decode()

    assert f'<form class="portal-dashboard__year" method="get" action="{reverse(INDEX)}">' in page
    assert '<label for="id_annee">Année universitaire</label>' in page
    assert 'aria-describedby="id_annee_helptext"' in page
    assert '<option value="2024">2024-2025</option>' in page


@pytest.mark.parametrize("year", ["1789", "deux-mille", "2024.5"])
def test_an_invalid_year_on_the_dashboard_is_a_message_not_an_error(admin_client, figures, year):
    response = admin_client.get(reverse(INDEX), {"annee": year})

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Cette année universitaire n’est pas valide : le tableau de bord montre les appels ouverts." in page
    )
    assert "Mobilités 2024-2025" not in page


def test_a_year_with_no_call_says_so(admin_client):
    this_year = academic_year_of(local_today())

    page = admin_client.get(reverse(INDEX), {"annee": this_year}).content.decode()

    assert "Aucun appel à candidatures pour cette année universitaire." in page
