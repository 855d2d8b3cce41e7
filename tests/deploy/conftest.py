"""The deployment tests run real servers: gunicorn with gunicorn.conf.py, and nginx with the sample
site of deploy/nginx. Without nginx, the tests marked `nginx` are skipped with a reason that says
what to install, except when the CI variable is set: there a missing nginx fails them, so that the
sample can never silently go untested."""

import os
import shutil

import pytest

# Debian installs nginx in /usr/sbin, which is not on an ordinary user's PATH.
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:/sbin")
MISSING_NGINX = "nginx is not installed: install it (Debian/Ubuntu: `sudo apt-get install nginx`)."


def nginx_required() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def pytest_collection_modifyitems(config, items):
    if NGINX or nginx_required():
        return
    for item in items:
        if "nginx" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=MISSING_NGINX))


@pytest.fixture(scope="session")
def nginx_binary() -> str:
    """nginx's path. A fixture, not a marker added at collection, fails the tests in CI: pytest
    ignores `usefixtures` marks added once the tests are collected."""
    if NGINX is None:
        pytest.fail(f"The nginx tests are required here (CI is set). {MISSING_NGINX}")
    return NGINX
