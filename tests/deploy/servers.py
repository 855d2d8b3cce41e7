"""Real servers for the deployment tests: gunicorn started with the project's gunicorn.conf.py on a
free loopback port, serving the test database, and clients that send a byte per second."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database, as a DATABASE_URL. pytest-django creates it only for a session with a
    test marked django_db: without one, the settings still name the real database, refused here."""
    db = connection.settings_dict
    test_name = db["TEST"].get("NAME")
    if db["NAME"] != test_name and not str(db["NAME"]).startswith("test_"):
        raise RuntimeError(f"{db['NAME']} is not the test database: mark the test django_db.")
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="") + (
        f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    )
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def get(url: str, timeout: float = 5) -> tuple[int, float, bytes]:
    """Status, seconds taken and body of a GET; an error status is an answer too."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, time.monotonic() - started, response.read()
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started, error.read()


@contextmanager
def gunicorn(workdir: Path, **environment: str) -> Iterator[str]:
    """gunicorn as `make run` starts it (gunicorn.conf.py), on a free loopback port, with the test
    settings and database; yields its base URL. `environment` overrides variables (GUNICORN_THREADS...)."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        # The test settings' throw-away folders go where pytest removes them.
        "TMPDIR": str(workdir),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        **environment,
    }
    log_path = workdir / f"gunicorn-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(base_url, process, log_path)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_health(base_url: str, process: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start-up:\n{log_path.read_text()[-3000:]}")
        try:
            if get(f"{base_url}/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz in {timeout}s:\n{log_path.read_text()[-3000:]}")


class SlowClient(threading.Thread):
    """Sends `head` at once, then `trickle` one byte per second, then waits, until the server
    answers or closes the connection (`cut_after` says when, in seconds) or `stop()` is called."""

    def __init__(self, address: tuple[str, int], head: bytes, trickle: bytes = b"") -> None:
        super().__init__(daemon=True)
        self.address = address
        self.head = head
        self.trickle = trickle
        self.cut_after: float | None = None
        self.answer = b""
        self._stopped = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        pending = iter(self.trickle)
        with socket.create_connection(self.address, timeout=5) as sock:
            sock.sendall(self.head)
            while not self._stopped.is_set():
                # A second's wait that ends early if the server answers or hangs up.
                readable, _, _ = select.select([sock], [], [], 1.0)
                if self._stopped.is_set():
                    return
                byte = None if readable else next(pending, None)
                if readable or (byte is not None and not self._send(sock, bytes([byte]))):
                    self.answer = self._read_rest(sock)
                    self.cut_after = time.monotonic() - started
                    return

    @staticmethod
    def _send(sock: socket.socket, byte: bytes) -> bool:
        try:
            sock.sendall(byte)
        except OSError:
            return False
        return True

    @staticmethod
    def _read_rest(sock: socket.socket) -> bytes:
        try:
            return sock.recv(65536)
        except OSError:
            return b""

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)


def slow_header(address: tuple[str, int]) -> SlowClient:
    """A request whose header never ends: one more byte of a header field each second."""
    return SlowClient(address, b"GET /fr/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", b"a" * 600)


def slow_body(address: tuple[str, int], path: str = "/fr/contact/", sent_at_once: int = 0) -> SlowClient:
    """A form post whose body comes one byte per second, after `sent_at_once` bytes. It carries a
    CSRF cookie, so that the CSRF check reads the body for its token rather than refusing at once."""
    body = b"message=" + b"a" * 592
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Cookie: csrftoken={'a' * 32}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return SlowClient(address, head + body[:sent_at_once], body[sent_at_once:])


def stalled_body(address: tuple[str, int]) -> SlowClient:
    """A form post that sends part of its body, then nothing more."""
    client = slow_body(address, sent_at_once=100)
    client.trickle = b""
    return client
