"""Limits that hold by default: one hourly count shared by every worker, atomically, and a client
address that a direct client cannot choose."""

import datetime
import ipaddress
import threading

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connections
from django.test import RequestFactory
from django.utils import timezone

from mobility.ratelimit import client_address, limit_exceeded

LOGIN = "/gestion/login/"


def test_without_redis_the_cache_is_a_database_table_every_worker_shares(settings):
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("this run uses Redis (REDIS_URL), shared in its own way")
    assert settings.CACHES["default"]["BACKEND"] == "irts_portal.cache.AtomicDatabaseCache"


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_are_all_counted_and_the_window_is_kept():
    """8 workers × 10 hits at once: exactly 80 counted, and the entry keeps its hour."""
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    results: list[bool] = []
    errors: list[BaseException] = []

    def worker():
        try:
            for _ in range(10):
                results.append(limit_exceeded(request, "parallel", limit=40))
        except BaseException as error:  # reported below, with the thread's own failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("ratelimit:parallel:203.0.113.7") == 80
    assert results.count(False) == 40  # exactly the limit let through, whatever the interleaving
    if hasattr(cache, "_table"):  # the database cache: its row still expires an hour after the first hit
        connection = connections["default"]
        in_58_minutes = timezone.now().replace(microsecond=0, tzinfo=None) + datetime.timedelta(minutes=58)
        unexpired = f"SELECT COUNT(*) FROM {cache._table} WHERE cache_key = %s AND expires > %s"  # noqa: S608
        with connection.cursor() as cursor:
            key = cache.make_and_validate_key("ratelimit:parallel:203.0.113.7")
            cursor.execute(unexpired, [key, connection.ops.adapt_datetimefield_value(in_58_minutes)])
            assert cursor.fetchone() == (1,)


def spoofed(remote_addr: str, forwarded: str):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(settings):
    settings.PORTAL_TRUSTED_PROXIES = 1
    # Through the proxy on loopback: the address it appended.
    assert client_address(spoofed("127.0.0.1", "198.51.100.4")) == "198.51.100.4"
    assert client_address(spoofed("127.0.0.1", "1.2.3.4, 198.51.100.4")) == "198.51.100.4"
    # Straight to gunicorn: the header is the client's own writing, and is ignored.
    assert client_address(spoofed("203.0.113.9", "198.51.100.4")) == "203.0.113.9"
    # A proxy on a private network, once declared.
    settings.PORTAL_TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    assert client_address(spoofed("10.1.2.3", "198.51.100.4")) == "198.51.100.4"
    assert client_address(spoofed("127.0.0.1", "198.51.100.4")) == "127.0.0.1"


def test_without_trusted_proxies_forwarded_for_is_never_read(settings):
    settings.PORTAL_TRUSTED_PROXIES = 0
    assert client_address(spoofed("127.0.0.1", "198.51.100.4")) == "127.0.0.1"


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_neither_escapes_nor_causes_a_login_lockout(client, settings):
    settings.PORTAL_TRUSTED_PROXIES = 1
    User.objects.create_user("claire", password="un mot de passe solide", is_staff=True)
    # An attacker reaching gunicorn directly writes a new address at every attempt...
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            LOGIN,
            {"username": "claire", "password": "faux", "next": "/gestion/"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
    # ...and is locked out all the same, under its real address.
    assert response.status_code == 429
    # Claire, logging in through the proxy from her own address, is not.
    response = client.post(
        LOGIN,
        {"username": "claire", "password": "un mot de passe solide", "next": "/gestion/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.50",
    )
    assert response.status_code == 302
