"""gunicorn as production starts it (gunicorn.conf.py), on a free loopback port."""

import http.client
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"
HOST = "127.0.0.1"
# As nginx tells gunicorn (deploy/nginx): the visitor's connection was HTTPS. The site then runs
# with every production setting (secure cookies, no redirect to HTTPS) while we speak plain HTTP.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Response:
    status: int
    body: bytes
    location: str


def fetch(port: int, path: str, headers: dict[str, str]) -> Response:
    """One GET, redirects not followed: a page must answer 200 itself to be measured."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request("GET", path, headers={**PROXY_HEADERS, **headers})
        response = connection.getresponse()
        return Response(response.status, response.read(), response.getheader("Location") or "")
    finally:
        connection.close()


def worker_layout(environment: dict[str, str]) -> tuple[int, int]:
    """(processes, threads per process), as gunicorn.conf.py reads them from the environment."""
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        config = runpy.run_path(str(CONFIG))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return int(config["workers"]), int(config["threads"])


class Server:
    def __init__(self, environment: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.environment = {**environment, "GUNICORN_BIND": f"{HOST}:{self.port}"}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603  # our own executable and arguments
                [str(gunicorn), "--config", str(CONFIG)],
                cwd=ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_healthy(self.process)

    def _wait_until_healthy(self, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log_tail()}")
            try:
                if fetch(self.port, "/healthz", {}).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"/healthz did not answer 200 within {timeout:.0f} s:\n{self.log_tail()}")

    @property
    def pid(self) -> int:
        """The gunicorn master's process id (its workers are its children)."""
        if self.process is None:
            raise RuntimeError("gunicorn is not started")
        return self.process.pid

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to the master, which stops its workers gracefully (graceful_timeout); then SIGKILL."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
