"""Partner logos are served by the portal itself under /media/ when no nginx does (`make run`):
images only, from the public storage, never a file outside it."""

import pytest

from tests.factories import InstitutionFactory
from tests.mobility.helpers import png_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def logo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    (tmp_path / "secret.png").write_bytes(b"outside the media folder")
    partner = InstitutionFactory.create()
    image = png_file("logo.png")
    content = image.read()
    image.seek(0)
    partner.logo.save("logo.png", image, save=True)
    return partner.logo.url, content


def test_a_logo_is_served_with_its_type(client, logo):
    url, content = logo
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=3600" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize(
    "path",
    ["/media/logos/missing.png", "/media/../secret.png", "/media/%2e%2e/secret.png", "/media/logos/logo.svg"],
)
def test_nothing_else_is_served(client, logo, path):
    assert client.get(path).status_code == 404
