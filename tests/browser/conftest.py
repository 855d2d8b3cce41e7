"""Real-browser tests: Playwright drives the system's Chromium against pytest-django's live server.

Without Chromium the browser tests are skipped with a reason that says what to
install, except in CI (CI=true) or when IRTS_REQUIRE_BROWSER=1: there a missing
browser fails the run, so that the journeys can never silently go untested.
"""

import os
import shutil

import pytest

from tests.browser.axe import assert_no_axe_violations  # noqa: F401 (re-exported for tests)

# Playwright's sync API runs an event loop in this thread; the ORM calls that the
# tests make around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def browser_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("IRTS_REQUIRE_BROWSER") == "1"


CHROMIUM_PATH = find_chromium()
MISSING_BROWSER = (
    "No Chromium found: install it (Debian/Ubuntu: `sudo apt-get install chromium`) "
    "or point CHROMIUM_PATH at a Chromium or Chrome binary."
)


def pytest_collection_modifyitems(config, items):
    if CHROMIUM_PATH or browser_required():
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=MISSING_BROWSER))


@pytest.fixture(autouse=True)
def _fail_without_browser(request):
    # Autouse rather than added at collection: pytest ignores a usefixtures mark added then.
    if CHROMIUM_PATH is None and "browser" in request.keywords:
        pytest.fail(f"Browser tests are required here (CI=true or IRTS_REQUIRE_BROWSER=1). {MISSING_BROWSER}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def site(live_server, page):
    """The live site in a fresh browser page, with a helper to open a path."""

    class Site:
        url = live_server.url

        def open(self, path: str):
            response = page.goto(live_server.url + path)
            assert response is not None
            return response

    return Site()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A French-speaking visitor, as the school's staff are.
    return {**browser_context_args, "locale": "fr-FR"}
