"""The sample nginx site (deploy/nginx) in front of gunicorn, as a deployment runs them.

The template is rendered by its own script, over plain HTTP on loopback (its TLS lines left out),
checked by `nginx -t` (the TLS rendering too), then run in the foreground in front of a gunicorn
with a single thread: a client that reached gunicorn slowly would hold the whole site.
"""

from __future__ import annotations

import getpass
import gzip
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.deploy.servers import (
    PROJECT_ROOT,
    free_port,
    get,
    gunicorn,
    slow_body,
    slow_header,
    stalled_body,
)

pytestmark = pytest.mark.django_db(transaction=True)

RENDER = PROJECT_ROOT / "deploy" / "nginx" / "render.py"
TEMPLATE = PROJECT_ROOT / "deploy" / "nginx" / "irts-portal.conf.template"
HASHED_CSS = "css/portal.0123456789ab.css"


def sample_setting(name: str) -> str:
    match = re.search(rf"^\s*{name} (\S+);", TEMPLATE.read_text(), re.MULTILINE)
    assert match is not None, f"{name} is not in the sample"
    return match.group(1)


def sample_seconds(name: str) -> int:
    return int(sample_setting(name).removesuffix("s"))


def render(*arguments: str) -> str:
    return subprocess.run(
        [sys.executable, str(RENDER), *arguments], check=True, capture_output=True, text=True
    ).stdout


def main_config(workdir: Path, site: Path) -> Path:
    """nginx.conf around the rendered site, as Debian's includes sites-enabled/, with every path
    it writes to inside `workdir`."""
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / folder).mkdir(exist_ok=True)
    # As root, nginx's workers would switch to nobody, who cannot read the test's private folders.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    config = workdir / "nginx.conf"
    config.write_text(
        f"""{user}
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log info;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {workdir}/access.log;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    include {site};
}}
"""
    )
    return config


def nginx_test(nginx: str, config: Path, workdir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [nginx, "-t", "-p", str(workdir), "-e", str(workdir / "error.log"), "-c", str(config)],
        capture_output=True,
        text=True,
    )


def test_the_body_cap_is_the_portals():
    # client_max_body_size says the same as the portal's own cap (irts_portal.request_limits).
    assert sample_setting("client_max_body_size") == f"{settings.PORTAL_MAX_REQUEST_BYTES // (1024 * 1024)}m"
    assert settings.PORTAL_MAX_REQUEST_BYTES % (1024 * 1024) == 0


@pytest.mark.nginx
@pytest.mark.parametrize(
    "instances",
    [(), ("--upstream", "127.0.0.1:8001", "--upstream", "127.0.0.1:8002", "--media-from-app")],
    ids=["one instance", "two instances on a bucket"],
)
def test_the_tls_site_passes_nginx_t(nginx_binary, tmp_path, instances):
    key, certificate = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "irts-portal.conf"
    site.write_text(
        render("--server-name", "mobilite.example.org", "--app-root", str(tmp_path), *instances)
        .replace("/etc/letsencrypt/live/mobilite.example.org/fullchain.pem", str(certificate))
        .replace("/etc/letsencrypt/live/mobilite.example.org/privkey.pem", str(key))
    )
    rendered = site.read_text()
    assert "listen 443 ssl http2;" in rendered
    assert not re.search(r"^[ \t]*#</?[a-z-]+>$", rendered, re.MULTILINE)
    if instances:
        assert "    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n" in rendered
        assert "alias " + str(tmp_path / "var" / "media") not in rendered
    checked = nginx_test(nginx_binary, main_config(tmp_path, site), tmp_path)
    assert checked.returncode == 0, checked.stderr


@pytest.fixture(scope="module")
def site(nginx_binary, django_db_setup, tmp_path_factory):
    """nginx on a free loopback port in front of gunicorn (one worker, one thread); yields nginx's
    address, and gunicorn's log, which records the X-Forwarded-For and Proto it was sent."""
    workdir = tmp_path_factory.mktemp("nginx")
    static_root = workdir / "static"
    (static_root / "css").mkdir(parents=True)
    (static_root / HASHED_CSS).write_text("body { color: black; }\n")
    (static_root / "css" / "plain.css").write_text("body { color: black; }\n")
    gunicorn_settings = {
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
        "GUNICORN_CMD_ARGS": "--access-logformat '%(r)s xff=%({x-forwarded-for}i)s proto=%({x-forwarded-proto}i)s'",
    }
    with gunicorn(workdir, **gunicorn_settings) as upstream:
        port = free_port()
        site = workdir / "irts-portal.conf"
        site.write_text(
            render(
                "--server-name",
                "127.0.0.1",
                "--upstream",
                upstream.removeprefix("http://"),
                "--static-root",
                str(static_root),
                "--media-root",
                str(workdir / "media"),
                "--plain-listen",
                f"127.0.0.1:{port}",
            )
        )
        config = main_config(workdir, site)
        checked = nginx_test(nginx_binary, config, workdir)
        assert checked.returncode == 0, checked.stderr
        nginx = subprocess.Popen(
            [
                nginx_binary,
                "-p",
                str(workdir),
                "-e",
                str(workdir / "error.log"),
                "-c",
                str(config),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(port, nginx, workdir)
            yield ("127.0.0.1", port), next(workdir.glob("gunicorn-*.log"))
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def _wait_for_port(port: int, nginx: subprocess.Popen, workdir: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if nginx.poll() is not None:
            raise RuntimeError(f"nginx stopped at start-up:\n{(workdir / 'error.log').read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not listen in time")


def url(address: tuple[str, int], path: str) -> str:
    return f"http://{address[0]}:{address[1]}{path}"


def raw_exchange(address: tuple[str, int], request: bytes) -> bytes:
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(request)
        return sock.recv(65536)


def logged_lines(log: Path, needle: str, timeout: float = 5) -> list[str]:
    """gunicorn's log lines that contain `needle`, waiting for them: it logs a request once the
    answer is sent, a moment after the client has it."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in log.read_text().splitlines() if needle in line]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


@pytest.mark.nginx
def test_pages_answer_through_nginx(site):
    address, _log = site
    status, _seconds, body = get(url(address, "/healthz"))
    assert status == 200, body
    assert get(url(address, "/fr/"))[0] == 200


@pytest.mark.nginx
def test_the_client_address_and_scheme_are_nginxs_not_the_clients(site):
    address, log = site
    answer = raw_exchange(
        address,
        b"GET /healthz?forged HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 200")
    logged = logged_lines(log, "/healthz?forged")
    assert logged
    assert logged[-1].endswith("xff=127.0.0.1 proto=http"), logged


@pytest.mark.nginx
def test_pages_leave_nginx_compressed_for_clients_that_accept_it(site):
    address, _log = site
    plain_status, _seconds, plain = get(url(address, "/fr/partenaires/"))
    request = urllib.request.Request(url(address, "/fr/partenaires/"), headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        compressed = response.read()
    assert plain_status == 200
    assert gzip.decompress(compressed) == plain
    assert len(compressed) < len(plain) / 2


@pytest.mark.nginx
def test_static_files_are_served_by_nginx(site):
    address, log = site
    hashed = raw_exchange(
        address, f"GET /static/{HASHED_CSS} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    ).decode()
    assert hashed.startswith("HTTP/1.1 200")
    assert "Cache-Control: public, max-age=31536000, immutable" in hashed
    assert "X-Content-Type-Options: nosniff" in hashed
    plain = raw_exchange(address, b"GET /static/css/plain.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").decode()
    assert "Cache-Control: public, max-age=60" in plain
    assert "/static/" not in log.read_text()


@pytest.mark.nginx
def test_an_oversize_body_is_refused_by_nginx_before_gunicorn(site):
    address, log = site
    declared = settings.PORTAL_MAX_REQUEST_BYTES + 1
    answer = raw_exchange(
        address,
        f"POST /fr/contact/?oversize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {declared}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 413")
    assert "?oversize" not in log.read_text()


@pytest.mark.nginx
def test_slow_clients_are_cut_by_nginx_and_never_reach_gunicorn(site):
    address, _log = site
    header_timeout = sample_seconds("client_header_timeout")
    body_timeout = sample_seconds("client_body_timeout")
    header = slow_header(address)
    stalled = stalled_body(address)
    trickling = [slow_body(address), slow_body(address), slow_body(address)]
    slow = [header, stalled, *trickling]
    for client in slow:
        client.start()
    try:
        # gunicorn has one thread: had nginx passed on any of these bodies as it came, the site
        # would wait on it. nginx reads them whole first, so pages still answer at once.
        time.sleep(1.5)
        answers = [get(url(address, "/healthz"), timeout=3) for _ in range(5)]
        header.join(timeout=header_timeout + 5)
        stalled.join(timeout=body_timeout + 5)
        still_sending = [client.cut_after for client in trickling]
    finally:
        for client in slow:
            client.stop()
    assert [status for status, _seconds, _body in answers] == [200] * 5
    assert max(seconds for _status, seconds, _body in answers) < 1, answers
    # The header that never ends and the body that stopped coming are cut at the timeouts.
    assert header.cut_after is not None
    assert header_timeout - 1 <= header.cut_after <= header_timeout + 3
    assert stalled.cut_after is not None
    assert body_timeout - 1 <= stalled.cut_after <= body_timeout + 3
    # A body that keeps coming, however slowly, is nginx's to wait for; it costs gunicorn nothing.
    assert still_sending == [None] * 3
