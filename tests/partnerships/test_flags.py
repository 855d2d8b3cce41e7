"""Flags are static files like any other: named by their content, so that they can be cached for good."""

import hashlib
import re
import shutil

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.template.loader import render_to_string

from tests.factories import DestinationFactory

pytestmark = pytest.mark.django_db


class CollectedFlagStorage(ManifestStaticFilesStorage):
    """The production storage, reading the hash from the collected file rather than from a
    manifest: the test collects the flag alone."""

    manifest_strict = False


def flag_src(html: str) -> str:
    found = re.search(r'<img class="flag" src="([^"]+)"', html)
    assert found
    return found.group(1)


@pytest.mark.parametrize(
    ("country", "region", "path"), [("BE", "", "flags/be.gif"), ("CA", "Québec", "img/flags/quebec.svg")]
)
def test_each_flag_is_a_file_of_the_static_finders(country, region, path):
    destination = DestinationFactory.create(name="Ailleurs", slug="ailleurs", country=country, region=region)
    assert destination.flag_path == path
    assert finders.find(path)


def test_with_the_manifest_storage_the_flag_is_named_by_its_hash(settings, tmp_path):
    # What collectstatic leaves for the manifest storage: the flag among the collected files.
    source = finders.find("flags/be.gif")
    assert isinstance(source, str)
    (tmp_path / "flags").mkdir()
    shutil.copy(source, tmp_path / "flags" / "be.gif")
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{__name__}.CollectedFlagStorage"},
    }
    html = render_to_string("partnerships/includes/flag.html", {"destination": DestinationFactory.create()})
    content_hash = hashlib.md5((tmp_path / "flags" / "be.gif").read_bytes(), usedforsecurity=False)
    assert flag_src(html) == f"/static/flags/be.{content_hash.hexdigest()[:12]}.gif"


def test_a_page_shows_the_flag_served_from_the_static_files(client):
    destination = DestinationFactory.create()
    src = flag_src(client.get(destination.get_absolute_url()).content.decode())
    assert src == "/static/flags/be.gif"
    response = client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    response.close()
