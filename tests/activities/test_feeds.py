"""A network's Atom feed and iCalendar file, read back by a feed reader's parser and by icalendar's."""

import datetime

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from activities.models import ActivityKind
from tests.documents import blank_pdf
from tests.factories import ActivityFactory, NetworkFactory


@pytest.fixture
def network():
    return NetworkFactory.create(name="Réseau France–Québec", slug="france-quebec")


def feed_url(network, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("activities:feed", kwargs={"network_slug": network.url_slug})


def calendar_url(network, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("activities:calendar", kwargs={"network_slug": network.url_slug})


@pytest.mark.django_db
def test_the_atom_feed_holds_every_published_activity_and_no_draft(client, network):
    study_day = ActivityFactory.create(
        network=network, title="Journée d’étude à Caen", start_date=datetime.date(2027, 2, 1)
    )
    publication = ActivityFactory.create(
        network=network,
        title="Rapport de recherche comparée",
        kind=ActivityKind.RESEARCH_PUBLICATION,
        place="",
        start_date=datetime.date(2026, 10, 5),
    )
    publication.document.save("rapport.pdf", ContentFile(blank_pdf()))
    ActivityFactory.create(network=network, title="Brouillon", is_published=False)
    ActivityFactory.create(title="Activité d’un autre réseau")

    response = client.get(feed_url(network))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)

    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Réseau France–Québec : activités"
    entries = {entry.title: entry for entry in feed.entries}
    assert set(entries) == {"Journée d’étude à Caen", "Rapport de recherche comparée"}
    for activity in (study_day, publication):
        entry = entries[activity.title]
        assert entry.link == f"http://testserver{activity.get_absolute_url()}"
        published = datetime.datetime(*entry.published_parsed[:6]).replace(tzinfo=datetime.UTC)
        updated = datetime.datetime(*entry.updated_parsed[:6]).replace(tzinfo=datetime.UTC)
        assert abs(published - activity.created_at) < datetime.timedelta(seconds=1)
        assert abs(updated - activity.updated_at) < datetime.timedelta(seconds=1)
        # The summary is HTML: the text's paragraphs kept as such.
        assert entry.summary.startswith("<p>Une journée d’étude.</p>")
        assert "<p>Un second paragraphe.</p>" in entry.summary
    assert [tag.term for tag in entries["Rapport de recherche comparée"].tags] == ["publication de recherche"]
    enclosures = entries["Rapport de recherche comparée"].enclosures
    assert [(e.href, e.type, int(e.length)) for e in enclosures] == [
        (f"http://testserver{publication.get_document_url()}", "application/pdf", len(blank_pdf()))
    ]
    assert entries["Journée d’étude à Caen"].enclosures == []


@pytest.mark.django_db
def test_the_english_feed_reads_the_english_texts(client, network):
    ActivityFactory.create(network=network, title="Séminaire", title_en="Seminar")
    feed = feedparser.parse(client.get(feed_url(network, "en")).content)
    assert [entry.title for entry in feed.entries] == ["Seminar"]
    assert feed.entries[0].link.startswith("http://testserver/en/partners/networks/")
    assert [tag.term for tag in feed.entries[0].tags] == ["study day"]


@pytest.mark.django_db
def test_the_calendar_holds_each_upcoming_event_with_its_days(client, network):
    today = timezone.localdate()
    two_days = ActivityFactory.create(
        network=network,
        title="Session conjointe",
        kind=ActivityKind.JOINT_TRAINING,
        start_date=today + datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=21),
    )
    one_day = ActivityFactory.create(
        network=network, title="Journée d’étude", start_date=today + datetime.timedelta(days=5)
    )
    online = ActivityFactory.create(
        network=network,
        title="Séminaire en ligne",
        place="",
        is_online=True,
        online_url="https://visio.example.org/salle",
        start_date=today + datetime.timedelta(days=9),
    )
    ActivityFactory.create(
        network=network, title="Journée passée", start_date=today - datetime.timedelta(days=3)
    )
    ActivityFactory.create(
        network=network,
        title="Actualité",
        kind=ActivityKind.NEWS,
        place="",
        start_date=today + datetime.timedelta(days=2),
    )
    ActivityFactory.create(network=network, title="Brouillon", is_published=False)

    response = client.get(calendar_url(network))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}

    assert list(events) == ["Journée d’étude", "Séminaire en ligne", "Session conjointe"]
    session = events["Session conjointe"]
    # All-day dates; iCalendar's end is the day after the last one.
    assert session.decoded("DTSTART") == two_days.start_date
    assert session.decoded("DTEND") == two_days.last_date + datetime.timedelta(days=1)
    assert session["DTSTART"].params.get("VALUE") == "DATE"
    assert events["Journée d’étude"].decoded("DTSTART") == one_day.start_date
    assert events["Journée d’étude"].decoded("DTEND") == one_day.start_date + datetime.timedelta(days=1)
    assert str(events["Journée d’étude"]["LOCATION"]) == "IRTS Normandie-Caen, Hérouville-Saint-Clair"
    assert str(events["Séminaire en ligne"]["LOCATION"]) == "En ligne"
    assert str(events["Séminaire en ligne"]["URL"]) == f"http://testserver{online.get_absolute_url()}"
    assert str(events["Journée d’étude"]["DESCRIPTION"]) == "Une journée d’étude.\n\nUn second paragraphe."
    for event in events.values():
        assert "DTSTAMP" in event


@pytest.mark.django_db
def test_an_event_keeps_its_uid_when_it_is_edited(client, network):
    activity = ActivityFactory.create(network=network, title="Avant")

    def only_uid() -> str:
        (event,) = Calendar.from_ical(client.get(calendar_url(network)).content).walk("VEVENT")
        return str(event["UID"])

    before = only_uid()
    activity.title = "Après"
    activity.start_date += datetime.timedelta(days=1)
    activity.save()
    assert only_uid() == before


@pytest.mark.django_db
def test_the_list_page_links_to_its_feed_and_calendar(client, network):
    page = client.get(f"/fr/partenaires/reseaux/{network.slug}/activites/").content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed_url(network)}"' in page
    assert f'href="{calendar_url(network)}"' in page
