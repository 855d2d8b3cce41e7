"""The W3C Nu HTML Checker (vnu.jar), run once as a local service for the whole test session.

`npm ci` installs the pinned checker (package.json) under node_modules/; VNU_JAR may point at
another copy. It needs Java 11 or newer. Started on loopback, it validates each page in a few
milliseconds instead of a Java start-up per page.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

DEFAULT_JAR = (
    Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
MISSING = (
    "The HTML checker is not installed: run `npm ci` (it installs vnu.jar from package.json) "
    "and install Java 11+, or point VNU_JAR at a vnu.jar."
)


def checker_jar() -> Path | None:
    jar = Path(os.environ.get("VNU_JAR", DEFAULT_JAR))
    if jar.is_file() and shutil.which("java"):
        return jar
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HtmlChecker:
    def __init__(self, jar: Path) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                "java",
                "-Xss8m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(jar),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_ready()

    def _wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the HTML checker stopped at start-up")
            try:
                self.errors("<!DOCTYPE html><html lang=en><title>t</title></html>")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the HTML checker did not start within a minute")

    def errors(self, html: str) -> list[str]:
        """The checker's errors for one document, each as 'line N: message'."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/?out=json",
            data=html.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            messages = json.load(response)["messages"]
        return [
            f"line {message.get('lastLine', '?')}: {message['message']}"
            for message in messages
            if message["type"] in ("error", "non-document-error")
        ]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
