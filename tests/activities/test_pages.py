"""A network's activity pages: the list with its filters and pages, each activity's page, its PDF."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from activities.models import ActivityKind
from activities.selectors import ACTIVITIES_PER_PAGE
from tests.documents import blank_pdf
from tests.factories import ActivityFactory, InstitutionFactory, NetworkFactory


def list_url(network, language: str = "fr") -> str:
    with translation.override(language):
        return (
            f"/{language}/"
            + ("partenaires/reseaux/" if language == "fr" else "partners/networks/")
            + (f"{network.slug}/" + ("activites/" if language == "fr" else "activities/"))
        )


@pytest.fixture
def network():
    return NetworkFactory.create(name="Réseau France–Québec", slug="france-quebec")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_list_shows_published_activities_of_the_network_only(client, network, language):
    ActivityFactory.create(network=network, title="Séminaire de Montréal", title_en="Montreal seminar")
    ActivityFactory.create(network=network, title="Brouillon", is_published=False)
    ActivityFactory.create(title="Activité d’un autre réseau")
    response = client.get(list_url(network, language))
    assert response.status_code == 200
    page = response.content.decode()
    assert ("Séminaire de Montréal" if language == "fr" else "Montreal seminar") in page
    assert "Brouillon" not in page
    assert "autre réseau" not in page
    assert 'type="application/atom+xml"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_list_filters_by_kind_and_year(client, network, language):
    ActivityFactory.create(
        network=network,
        title="Formation 2025",
        kind=ActivityKind.JOINT_TRAINING,
        start_date=datetime.date(2025, 5, 2),
    )
    ActivityFactory.create(network=network, title="Journée 2025", start_date=datetime.date(2025, 6, 2))
    ActivityFactory.create(
        network=network,
        title="Formation 2024",
        kind=ActivityKind.JOINT_TRAINING,
        start_date=datetime.date(2024, 5, 2),
    )
    page = client.get(
        list_url(network, language), {"kind": "joint_training", "year": "2025"}
    ).content.decode()
    assert "Formation 2025" in page
    assert "Journée 2025" not in page
    assert "Formation 2024" not in page
    assert '<option value="2024">2024</option>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_unknown_filter_value_is_reported_and_ignored(client, network, language):
    ActivityFactory.create(network=network, title="Journée de Caen")
    response = client.get(list_url(network, language), {"kind": "concert", "year": "deux-mille"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Journée de Caen" in page
    message = "Un filtre n’a pas été reconnu" if language == "fr" else "A filter was not recognised"
    assert message in page
    # Each refused field shows its error beside it, linked to it.
    assert 'aria-invalid="true"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_list_is_paged(client, network, language):
    today = timezone.localdate()
    for number in range(ACTIVITIES_PER_PAGE + 2):
        ActivityFactory.create(
            network=network,
            title=f"Activité n°{number:02d}",
            start_date=today + datetime.timedelta(days=number + 1),
        )
    first = client.get(list_url(network, language)).content.decode()
    second = client.get(list_url(network, language), {"page": "2"}).content.decode()
    # Soonest first: the last two are on the second page.
    assert "Activité n°00" in first
    assert "Activité n°11" not in first
    assert "Activité n°11" in second
    assert "Activité n°00" not in second
    assert 'rel="next"' in first


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_a_few_or_a_full_page(client, network, django_assert_num_queries):
    ActivityFactory.create_batch(2, network=network)
    # The network, its years, the count, the page's rows; and the page cache's look at the calls'
    # next opening or closing, which bounds how long a page is kept.
    with django_assert_num_queries(5):
        client.get(list_url(network))
    ActivityFactory.create_batch(3 * ACTIVITIES_PER_PAGE, network=network, kind=ActivityKind.JOINT_TRAINING)
    with django_assert_num_queries(5):
        client.get(list_url(network), {"year": str(timezone.localdate().year)})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_activity_page_shows_dates_place_partners_text_and_pdf(client, network, language):
    partner = InstitutionFactory.create(name="Université Laval")
    activity = ActivityFactory.create(
        network=network,
        title="Session conjointe de Québec",
        title_en="Joint session in Quebec",
        kind=ActivityKind.JOINT_TRAINING,
        start_date=datetime.date(2027, 6, 3),
        end_date=datetime.date(2027, 6, 4),
        place="Université Laval, Québec",
        is_online=True,
        online_url="https://visio.example.org/salle",
        text="Premier paragraphe <b>gras</b>.\n\nSecond paragraphe.",
    )
    activity.institutions.add(partner)
    activity.document.save("programme.pdf", ContentFile(blank_pdf()))
    with translation.override(language):
        url = activity.get_absolute_url()
        document_url = activity.get_document_url()
        partner_url = partner.get_absolute_url()
    page = client.get(url).content.decode()
    if language == "fr":
        assert "du 3 juin 2027 au 4 juin 2027" in page
        assert "Université Laval, Québec et en ligne" in page
    else:
        assert "Joint session in Quebec" in page
        assert "from June 3, 2027 to June 4, 2027" in page
    # On the English page, the French name that shows through is marked as French.
    name = "Université Laval" if language == "fr" else '<span lang="fr">Université Laval</span>'
    assert f'<a href="{partner_url}">{name}</a>' in page
    assert "<p>Premier paragraphe &lt;b&gt;gras&lt;/b&gt;.</p>" in page
    assert "<p>Second paragraphe.</p>" in page
    assert f'href="{document_url}"' in page
    assert "(PDF, " in page


@pytest.mark.django_db
def test_the_pdf_is_served_inline_as_a_pdf_the_browser_never_retypes(client, network):
    activity = ActivityFactory.create(network=network, slug="programme-2027")
    activity.document.save("programme.pdf", ContentFile(blank_pdf()))
    response = client.get(activity.get_document_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="programme-2027.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response.close()


@pytest.mark.django_db
def test_an_unpublished_activity_and_its_pdf_are_not_found(client, network):
    activity = ActivityFactory.create(network=network, is_published=False)
    activity.document.save("programme.pdf", ContentFile(blank_pdf()))
    assert client.get(activity.get_absolute_url()).status_code == 404
    assert client.get(activity.get_document_url()).status_code == 404


@pytest.mark.django_db
def test_an_activity_is_found_only_under_its_own_network(client, network):
    activity = ActivityFactory.create(network=network, slug="journee-caen")
    other = NetworkFactory.create(slug="erasmus")
    assert client.get(f"/fr/partenaires/reseaux/{other.slug}/activites/journee-caen/").status_code == 404
    assert client.get(activity.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_network_page_shows_its_three_latest_activities_and_links_to_the_list(client, network):
    today = timezone.localdate()
    for number in range(4):
        ActivityFactory.create(
            network=network,
            title=f"Rencontre {number}",
            start_date=today - datetime.timedelta(days=number + 1),
        )
    page = client.get(network.get_absolute_url()).content.decode()
    assert "Dernières activités" in page
    assert [f"Rencontre {n}" in page for n in range(4)] == [True, True, True, False]
    assert f'href="{list_url(network)}"' in page


@pytest.mark.django_db
def test_an_edit_shows_at_once_on_the_cached_list(client, network):
    activity = ActivityFactory.create(network=network, title="Titre d’origine")
    assert "Titre d’origine" in client.get(list_url(network)).content.decode()
    activity.title = "Titre corrigé"
    activity.save()
    assert "Titre corrigé" in client.get(list_url(network)).content.decode()


@pytest.mark.django_db
def test_the_french_slug_on_the_english_site_moves_for_good_to_the_english_one(client, network):
    ActivityFactory.create(network=network, slug="session-quebec", slug_en="quebec-session")
    response = client.get("/en/partners/networks/france-quebec/activities/session-quebec/")
    assert response.status_code == 301
    assert response["Location"] == "/en/partners/networks/france-quebec/activities/quebec-session/"


@pytest.mark.django_db
def test_the_list_reached_by_the_other_languages_network_slug_keeps_its_filters(client):
    network = NetworkFactory.create(
        name="Réseau France–Québec", slug="france-quebec", slug_en="france-quebec-network"
    )
    ActivityFactory.create(network=network, kind=ActivityKind.JOINT_TRAINING)
    response = client.get(
        "/en/partners/networks/france-quebec/activities/", {"kind": "joint_training", "page": "1"}
    )
    assert response.status_code == 301
    assert response["Location"] == (
        "/en/partners/networks/france-quebec-network/activities/?kind=joint_training&page=1"
    )
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_an_activity_page_names_only_the_partners_the_public_site_shows(client, network):
    shown = InstitutionFactory.create(name="Université Laval")
    hidden = InstitutionFactory.create(name="Partenaire en attente", is_public=False)
    activity = ActivityFactory.create(network=network)
    activity.institutions.set([shown, hidden])
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Université Laval" in page
    assert "Partenaire en attente" not in page
