"""A network's admin page: sections in the order of its public page, the rows after their section."""

import re

import pytest
from django.urls import reverse

from partnerships.models import FundingPeriod, Network, NetworkObjective
from tests.admin_helpers import form_data
from tests.factories import NetworkFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Identité",
    "Présentation",
    "Historique",
    "Membres du réseau",
    "Objectifs",
    "Liste des objectifs",
    "Périodes de financement",
    "Perspectives",
    "Adresse et place de la page",
]


@pytest.fixture
def network():
    network = NetworkFactory.create(name="Partenariat France–Québec", slug="france-quebec")
    NetworkMembershipFactory.create(network=network)
    NetworkObjective.objects.create(network=network, position=1, title="Former", text="Échanger.")
    FundingPeriod.objects.create(network=network, funder="OFQJ", first_year=2023, last_year=2024)
    return network


def change_url(network) -> str:
    return reverse("admin:partnerships_network_change", args=[network.pk])


def sections(html: str) -> list[tuple[str, bool]]:
    """(heading, folded) of each section of the form, in the order of the page."""
    form = html[html.index('id="network_form"') :]
    return [
        (re.sub(r"\s+", " ", heading).strip(), bool(summary))
        for summary, heading in re.findall(r"(<summary>\s*)?<h2[^>]*>(.*?)</h2>", form, flags=re.S)
    ]


def headings(html: str) -> list[str]:
    return [heading for heading, _folded in sections(html)]


@pytest.mark.parametrize("view", ["change", "add"])
def test_sections_follow_the_public_page_with_each_list_after_its_section(admin_client, network, view):
    url = change_url(network) if view == "change" else reverse("admin:partnerships_network_add")
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert headings(html) == SECTIONS
    # Every inline shows once: none left at the end of the form as well.
    assert html.count('id="memberships-group"') == 1
    assert html.count('id="objectives-group"') == 1
    assert html.count('id="funding_periods-group"') == 1


def test_secondary_sections_are_folded(admin_client, network):
    html = admin_client.get(change_url(network)).content.decode()
    folded = [heading for heading, is_folded in sections(html) if is_folded]
    assert folded == ["Membres du réseau", "Adresse et place de la page"]


def test_saving_the_page_unchanged_keeps_everything(admin_client, network):
    url = change_url(network)
    response = admin_client.post(url, form_data(admin_client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    network.refresh_from_db()
    assert (network.memberships.count(), network.objectives.count(), network.funding_periods.count()) == (
        1,
        1,
        1,
    )


def test_an_error_in_a_folded_section_opens_it(admin_client, network):
    other = NetworkFactory.create(slug="erasmus")
    url = change_url(network)
    data = form_data(admin_client.get(url))
    data["slug"] = other.slug
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    # The page settings show their error unfolded.
    assert ("Adresse et place de la page", False) in sections(response.content.decode())
    assert Network.objects.get(pk=network.pk).slug == "france-quebec"
