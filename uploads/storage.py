"""Where files are stored: a folder of the machine (`PORTAL_STORAGE=local`, the default) or one
S3 bucket shared by every instance (`PORTAL_STORAGE=s3`), with a private and a public prefix.

Private files (applicants' documents, agreement PDFs) have no URL in either: views that check
permissions stream them. Public files (partner logos) are addressed under the site's own
MEDIA_URL, never the bucket's, so that pages make no request to another origin; the portal
serves them from the storage (irts_portal.views.public_media) when nginx does not.
"""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage


class NoPublicUrlMixin:
    def url(self, name, *args, **kwargs):
        raise ValueError(
            f"Private file {name!r} has no public URL; serve it through a permission-checked view."
        )


class PrivateFileSystemStorage(NoPublicUrlMixin, FileSystemStorage):
    """Files outside the public media root."""


@deconstructible
class PrivateS3Storage(NoPublicUrlMixin, S3Storage):
    """Files under the bucket's private prefix, which no policy or ACL opens to anyone."""


@deconstructible
class PublicS3Storage(S3Storage):
    """Files under the bucket's public prefix, addressed under the site's MEDIA_URL."""

    def url(self, name, *args, **kwargs):
        return settings.MEDIA_URL + filepath_to_uri(name)


class _PrivateStorage(LazyObject):
    """storages["private"], looked up when first used and again after STORAGES changes (tests),
    as Django's default_storage is for storages["default"]."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def private_storage():
    return _private


@receiver(setting_changed)
def _private_storage_reset(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty  # type: ignore[assignment]  # LazyObject's own "not set up" marker


@deconstructible
class RandomUploadPath:
    """An upload_to that stores each file under a random name, keeping only a known extension
    of the name it is given: callers name a file from its checked type, never the sender's name."""

    SAFE_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg"}

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()
        safe_suffix = suffix if suffix in self.SAFE_SUFFIXES else ""
        return f"{self.folder}/{secrets.token_hex(16)}{safe_suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomUploadPath) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)
