"""The moment the public pages' call states next change, which bounds how long they are cached."""

import datetime

import pytest
from django.utils import timezone

from mobility.selectors import next_call_change
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_the_next_opening_or_closing_of_a_published_call():
    now = timezone.now()
    assert next_call_change() is None
    CallFactory.create(opens_at=now - datetime.timedelta(days=3), closes_at=now - datetime.timedelta(days=1))
    assert next_call_change() is None  # only past moments
    closing = CallFactory.create(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=5)
    )
    assert next_call_change() == closing.closes_at
    opening = CallFactory.create(
        opens_at=now + datetime.timedelta(hours=2), closes_at=now + datetime.timedelta(days=9)
    )
    assert next_call_change() == opening.opens_at
    CallFactory.create(
        opens_at=now + datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(days=9),
        is_published=False,
    )
    assert next_call_change() == opening.opens_at  # an unpublished call shows nowhere
