"""Each public partner's page describes it in schema.org JSON-LD, which parses, names it, and
says what the page says: its address, its website and the networks it belongs to."""

import io
import json
import re

import pytest
from django.core.management import call_command

from partnerships.models import Institution
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def described(client, institution: Institution) -> dict:
    page = client.get(institution.get_absolute_url()).content.decode()
    [block] = JSON_LD.findall(page)
    return json.loads(block)


def test_every_public_partner_page_describes_its_partner(client):
    call_command("load_seed", stdout=io.StringIO())
    partners = list(Institution.objects.public_partners().prefetch_related("memberships__network"))
    assert len(partners) >= 10
    for partner in partners:
        description = described(client, partner)
        assert description["@context"] == "https://schema.org"
        assert description["name"] == partner.name
        assert description["url"] == f"http://testserver{partner.get_absolute_url()}"
        assert description["address"]["addressCountry"] == partner.country.code
        expected_type = (
            "CollegeOrUniversity"
            if partner.kind in ("university", "haute_ecole")
            else "EducationalOrganization"
        )
        assert description["@type"] == expected_type
        networks = [membership.network.name for membership in partner.memberships.all()]
        assert [network["name"] for network in description.get("memberOf", [])] == networks


def test_nothing_in_a_name_can_close_the_data_block(client):
    partner = InstitutionFactory.create(
        name="École </script><script>alert(1)</script> & fils", slug="ecole-piege"
    )
    page = client.get(partner.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert described(client, partner)["name"] == partner.name


@pytest.mark.parametrize("home", ["/fr/", "/en/"])
def test_the_home_page_describes_our_own_institution(client, home):
    call_command("load_seed", stdout=io.StringIO())
    own = Institution.objects.get(is_own=True)
    page = client.get(home).content.decode()
    [block] = JSON_LD.findall(page)
    description = json.loads(block)
    assert description["name"] == own.name
    assert description["@type"] == "EducationalOrganization"
    assert description["address"]["addressCountry"] == "FR"
    networks = [membership.network.name for membership in own.memberships.order_by("network__position")]
    assert [network["name"] for network in description.get("memberOf", [])] == networks
