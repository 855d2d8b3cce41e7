"""An activity's rules, held by the database, and the order its lists follow."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from activities.models import Activity, ActivityKind
from tests.factories import ActivityFactory, NetworkFactory

TODAY = datetime.date(2027, 3, 10)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.mark.django_db
def test_an_activity_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory.create(start_date=days(5), end_date=days(4))
    ActivityFactory.create(start_date=days(5), end_date=days(5))
    assert Activity.objects.count() == 1


@pytest.mark.django_db
def test_an_event_takes_place_somewhere_or_online():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory.create(kind=ActivityKind.JOINT_TRAINING, place="", is_online=False)
    ActivityFactory.create(kind=ActivityKind.JOINT_TRAINING, place="", is_online=True)
    # A publication or a piece of news happens nowhere in particular.
    ActivityFactory.create(kind=ActivityKind.RESEARCH_PUBLICATION, place="", is_online=False)
    assert Activity.objects.count() == 2


@pytest.mark.django_db
def test_an_online_address_belongs_to_an_online_activity_only():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory.create(is_online=False, online_url="https://visio.example.org/salle")
    ActivityFactory.create(is_online=True, online_url="https://visio.example.org/salle")
    assert Activity.objects.count() == 1


@pytest.mark.django_db
def test_lists_show_what_is_to_come_soonest_first_then_the_past_latest_first():
    network = NetworkFactory.create()
    past_old = ActivityFactory.create(network=network, start_date=days(-60))
    under_way = ActivityFactory.create(network=network, start_date=days(-1), end_date=days(1))
    later = ActivityFactory.create(network=network, start_date=days(40))
    past_recent = ActivityFactory.create(network=network, start_date=days(-2))
    soon = ActivityFactory.create(network=network, start_date=days(3))
    ordered = list(Activity.objects.upcoming_first(TODAY))
    assert ordered == [under_way, soon, later, past_recent, past_old]


@pytest.mark.django_db
def test_upcoming_events_leave_out_past_events_and_publications():
    network = NetworkFactory.create()
    ActivityFactory.create(network=network, start_date=days(-3))
    ActivityFactory.create(network=network, kind=ActivityKind.NEWS, place="", start_date=days(2))
    today_only = ActivityFactory.create(network=network, start_date=TODAY)
    training = ActivityFactory.create(network=network, kind=ActivityKind.JOINT_TRAINING, start_date=days(9))
    assert list(Activity.objects.upcoming_events(TODAY)) == [today_only, training]
