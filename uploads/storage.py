"""Storage for files that must never be reachable by a public URL."""

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible


class PrivateFileSystemStorage(FileSystemStorage):
    """Files outside the public media root. They have no URL: views that check
    permissions stream them (see each app's download view)."""

    def url(self, name):
        raise ValueError(
            f"Private file {name!r} has no public URL; serve it through a permission-checked view."
        )


def private_storage():
    return storages["private"]


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
