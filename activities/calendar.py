"""A network's upcoming events as an iCalendar file (RFC 5545), for calendar applications.

Activities are dated by the day: each event is an all-day one (DATE values), whose DTEND is the
day after its last day, since iCalendar's end is exclusive.
"""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from activities.models import Activity
from partnerships.models import Network
from partnerships.structured_data import site_url


def event_uid(activity: Activity) -> str:
    # The same for an activity whatever its edits: a calendar that subscribed updates the event.
    return f"activite-{activity.pk}@{urlsplit(settings.PORTAL_BASE_URL).hostname}"


def event_location(activity: Activity) -> str:
    if activity.is_online and activity.place:
        return _("%(place)s et en ligne") % {"place": activity.place}
    if activity.is_online:
        return _("En ligne")
    return activity.place


def upcoming_events_calendar(network: Network, events: Iterable[Activity]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//IRTS Normandie-Caen//Activités des réseaux//FR")
    calendar.add("version", "2.0")
    calendar.add(
        "x-wr-calname", _("%(network)s : activités") % {"network": network.short_name or network.name}
    )
    stamp = timezone.now()
    for activity in events:
        event = Event()
        event.add("uid", event_uid(activity))
        event.add("dtstamp", stamp)
        event.add("last-modified", activity.updated_at)
        event.add("summary", activity.title)
        event.add("description", "\n\n".join(activity.paragraphs))
        event.add("dtstart", activity.start_date)
        event.add("dtend", activity.last_date + datetime.timedelta(days=1))
        location = event_location(activity)
        if location:
            event.add("location", location)
        event.add("url", site_url(activity.get_absolute_url()))
        event.add("categories", [str(activity.get_kind_display())])
        calendar.add_component(event)
    return calendar.to_ical()
