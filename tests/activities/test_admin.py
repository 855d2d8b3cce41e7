"""Staff of the international relations write the networks' activities in the admin."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Activity, ActivityKind
from tests.documents import blank_pdf, pdf_with_open_action_script
from tests.factories import ActivityFactory, InstitutionFactory, NetworkFactory

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:activities_activity_add")
CHANGELIST_URL = reverse("admin:activities_activity_changelist")


@pytest.fixture
def ri_client(client, django_user_model):
    user = django_user_model.objects.create_user("ri", "ri@example.org", "x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name="Relations internationales"))
    client.force_login(user)
    return client


def new_activity(network, partner, document: bytes | None = None, **changes: str) -> dict:
    data: dict[str, object] = {
        "network": str(network.pk),
        "kind": ActivityKind.JOINT_TRAINING,
        "title_fr": "Session conjointe à Montréal",
        "title_en": "Joint session in Montreal",
        "slug": "session-montreal-2027",
        "slug_en": "",
        "start_date": "03/06/2027",
        "end_date": "04/06/2027",
        "place_fr": "Université de Montréal",
        "place_en": "",
        "online_url": "",
        "text_fr": "Deux jours de formation conjointe.",
        "text_en": "Two days of joint training.",
        "institutions": [str(partner.pk)],
        "is_published": "on",
        **changes,
    }
    if document is not None:
        data["document"] = SimpleUploadedFile("programme.pdf", document, content_type="application/pdf")
    return data


def test_staff_add_an_activity_with_its_partners_and_pdf(ri_client):
    network, partner = NetworkFactory.create(), InstitutionFactory.create()
    response = ri_client.post(ADD_URL, new_activity(network, partner, blank_pdf()))
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = Activity.objects.get()
    assert (activity.title_fr, activity.title_en) == (
        "Session conjointe à Montréal",
        "Joint session in Montreal",
    )
    assert (activity.start_date, activity.end_date) == (datetime.date(2027, 6, 3), datetime.date(2027, 6, 4))
    assert list(activity.institutions.all()) == [partner]
    assert activity.document.name.startswith("activities/")
    assert activity.document_size == len(blank_pdf())
    # The audit trail records who created it.
    assert activity.audit_trail.filter(history_type="+").get().history_user.username == "ri"


@pytest.mark.parametrize(
    ("content", "message_start"),
    [
        (b"GIF89a not a PDF at all, only renamed", "Ce fichier n’est pas un PDF"),
        (pdf_with_open_action_script(), "Ce PDF contient du code JavaScript"),
    ],
    ids=["renamed-non-pdf", "pdf-with-script"],
)
def test_a_document_that_is_not_a_plain_pdf_is_refused(ri_client, content, message_start):
    network, partner = NetworkFactory.create(), InstitutionFactory.create()
    response = ri_client.post(ADD_URL, new_activity(network, partner, content))
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["document"]
    assert message.startswith(message_start)
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": "01/06/2027"}, "Le dernier jour ne peut pas précéder le premier."),
        ({"place_fr": ""}, "Un événement a lieu quelque part : indiquez un lieu, ou cochez « en ligne »."),
        (
            {"online_url": "https://visio.example.org/salle"},
            "Une adresse en ligne suppose une activité en ligne : cochez « en ligne ».",
        ),
    ],
    ids=["ends-before-start", "event-nowhere", "link-not-online"],
)
def test_an_activity_against_the_rules_is_refused_with_a_message(ri_client, changes, message):
    network, partner = NetworkFactory.create(), InstitutionFactory.create()
    response = ri_client.post(ADD_URL, new_activity(network, partner, **changes))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [message]
    assert not Activity.objects.exists()


def test_an_online_event_needs_no_place(ri_client):
    network, partner = NetworkFactory.create(), InstitutionFactory.create()
    data = new_activity(
        network, partner, place_fr="", is_online="on", online_url="https://visio.example.org/salle"
    )
    response = ri_client.post(ADD_URL, data)
    assert response.status_code == 302
    assert Activity.objects.get().is_online


def test_the_list_filters_by_network_kind_and_year(ri_client):
    quebec, erasmus = NetworkFactory.create(), NetworkFactory.create()
    ActivityFactory.create(network=quebec, title="Québec 2026", start_date=datetime.date(2026, 5, 1))
    ActivityFactory.create(network=quebec, title="Québec 2027", start_date=datetime.date(2027, 5, 1))
    ActivityFactory.create(
        network=erasmus,
        title="Erasmus 2027",
        kind=ActivityKind.NEWS,
        place="",
        start_date=datetime.date(2027, 2, 1),
    )

    def titles(**query) -> set[str]:
        response = ri_client.get(CHANGELIST_URL, query)
        assert response.status_code == 200
        return {activity.title for activity in response.context["cl"].result_list}

    assert titles(network__id__exact=str(quebec.pk)) == {"Québec 2026", "Québec 2027"}
    assert titles(kind__exact="news") == {"Erasmus 2027"}
    assert titles(year="2027") == {"Québec 2027", "Erasmus 2027"}
    assert titles(q="Erasmus") == {"Erasmus 2027"}
    # A year typed by hand that is not one filters nothing, and fails nothing.
    assert titles(year="deux-mille") == {"Québec 2026", "Québec 2027", "Erasmus 2027"}
    # Digits that are not a year Python or the database can take: ignored too, never a 500.
    assert titles(year="²") == {"Québec 2026", "Québec 2027", "Erasmus 2027"}
    assert titles(year="99999") == {"Québec 2026", "Québec 2027", "Erasmus 2027"}


def test_the_institutions_are_found_by_searching_as_one_types(ri_client):
    laval = InstitutionFactory.create(name="Université Laval")
    InstitutionFactory.create(name="Hogeschool Gent")
    response = ri_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "activities", "model_name": "activity", "field_name": "institutions", "term": "Laval"},
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(laval.pk)]
