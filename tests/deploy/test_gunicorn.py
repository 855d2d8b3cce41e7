"""gunicorn as `make run` starts it (gunicorn.conf.py) keeps answering while slow clients hold
connections: each costs a thread, not a whole worker as with the sync workers of old, when two
clients sending a byte per second took the site down."""

import time
from urllib.parse import urlsplit

import pytest

from tests.deploy.servers import get, gunicorn, slow_body, slow_header

# Transactional: no transaction of the test's own holds the database that gunicorn writes to.
pytestmark = pytest.mark.django_db(transaction=True)

SLOW_CLIENTS_SETTLE_SECONDS = 1.5


@pytest.fixture
def server(tmp_path):
    with gunicorn(tmp_path) as base_url:
        yield base_url


def test_pages_answer_quickly_while_four_clients_send_a_byte_per_second(server):
    url = urlsplit(server)
    address = (url.hostname, url.port)
    # The home page once before, so that its first rendering's cost is not counted below.
    assert get(f"{server}/fr/")[0] == 200
    slow = [slow_header(address), slow_header(address), slow_body(address), slow_body(address)]
    for client in slow:
        client.start()
    try:
        # Time for each slow client to reach a worker and hold it.
        time.sleep(SLOW_CLIENTS_SETTLE_SECONDS)
        answers = [get(f"{server}/healthz", timeout=3) for _ in range(5)]
        home = get(f"{server}/fr/", timeout=3)
        # They were still sending, unanswered: the pages above were served alongside them.
        assert [client.cut_after for client in slow] == [None] * 4, [c.answer for c in slow]
    finally:
        for client in slow:
            client.stop()
    assert [status for status, _seconds, _body in answers] == [200] * 5
    assert max(seconds for _status, seconds, _body in answers) < 1, answers
    assert home[0] == 200
    assert home[1] < 1
