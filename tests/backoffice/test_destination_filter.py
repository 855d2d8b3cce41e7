"""The applications list's destination filters stay the size of a page however many partners
have been chosen: past a limit they ask for a call first, and a call lists its own."""

import re

import pytest
from django.contrib.auth.models import User

from backoffice.admin.applications import DestinationFilter
from mobility.models import ApplicationChoice
from tests.mobility.helpers import open_call_with_destinations, submit_application

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files_removed")]

APPLICATIONS = "/gestion/mobility/application/"
NOTE = "Plus de 2 établissements : filtrez d’abord par appel."


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    return client


@pytest.fixture
def two_calls():
    """Two calls of three destinations each; the first wishes name three institutions in all."""
    calls = []
    for _ in range(2):
        call, destinations = open_call_with_destinations(3)
        for first in destinations:
            application = submit_application(call)
            application.choices.all().delete()
            ApplicationChoice.objects.create(application=application, rank=1, destination=first)
        calls.append((call, destinations))
    return calls


def filter_section(page: str, title: str) -> str:
    match = re.search(rf'<details data-filter-title="{re.escape(title)}".*?</details>', page, re.S)
    assert match, f"no filter {title!r}"
    return match.group(0)


def listed_names(section: str) -> list[str]:
    return [name for name in re.findall(r'<a href="[^"]*">([^<]+)</a>', section) if name != "Tout"]


def test_the_whole_list_when_it_is_short(admin_client, two_calls):
    section = filter_section(admin_client.get(APPLICATIONS).content.decode(), "1er vœu")
    every_first_choice = {d.institution.name for _call, destinations in two_calls for d in destinations}
    assert set(listed_names(section)) == every_first_choice
    assert "filtrez d’abord par appel" not in section


def test_past_the_limit_it_asks_for_a_call_and_a_call_lists_its_own(admin_client, two_calls, monkeypatch):
    monkeypatch.setattr(DestinationFilter, "MAX_LISTED", 2)
    section = filter_section(admin_client.get(APPLICATIONS).content.decode(), "1er vœu")
    assert NOTE in section
    assert listed_names(section) == []

    (call, destinations), _other = two_calls
    page = admin_client.get(APPLICATIONS, {"call__id__exact": call.pk}).content.decode()
    section = filter_section(page, "1er vœu")
    assert sorted(listed_names(section)) == sorted(d.institution.name for d in destinations)
    assert NOTE not in section


def test_the_institution_filtered_on_stays_shown_and_selected(admin_client, two_calls, monkeypatch):
    monkeypatch.setattr(DestinationFilter, "MAX_LISTED", 2)
    _first, (_call, destinations) = two_calls
    chosen = destinations[1].institution
    page = admin_client.get(APPLICATIONS, {"first_choice": chosen.pk}).content.decode()
    section = filter_section(page, "1er vœu")
    assert listed_names(section) == [chosen.name]
    assert re.search(rf'<li class="selected">\s*<a href="[^"]*">{re.escape(chosen.name)}</a>', section)
    assert NOTE in section
    # The list itself: the one application whose first wish it is.
    assert page.count('class="action-select"') == 1
