"""Uploads are judged by their content: hostile files are refused with a clear error, never a 500."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mobility.models import Application
from tests.mobility.helpers import MINIMAL_PDF, open_call_with_destinations
from tests.mobility.test_public import form_page, stored_files, valid_post

pytestmark = pytest.mark.django_db


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def decompression_bomb_png(side: int = 30000) -> bytes:
    """A few hundred bytes that claim to be a side×side image (900 million pixels)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", rows) + png_chunk(b"IEND", b"")
    )


HOSTILE_FILES = {
    "executable-renamed-pdf": (
        "rapport.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,
        "application/pdf",
        "ni un PDF, ni une image PNG ou JPEG",
    ),
    "html-renamed-png": (
        "photo.png",
        b"<html><script>alert(1)</script></html>",
        "image/png",
        "ni un PDF, ni une image PNG ou JPEG",
    ),
    "svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "image/svg+xml",
        "ni un PDF, ni une image PNG ou JPEG",
    ),
    "empty": ("vide.pdf", b"", "application/pdf", "Le fichier soumis est vide."),
    "six-megabytes": (
        "gros.pdf",
        MINIMAL_PDF + b"0" * (6 * 1024 * 1024),
        "application/pdf",
        "la limite est de 5,0",
    ),
    "decompression-bomb": ("bombe.png", decompression_bomb_png(), "image/png", "anormalement grande"),
    "truncated-png": (
        "casse.png",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        "image/png",
        "illisible ou endommagée",
    ),
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_hostile_file_is_refused_on_its_field_and_nothing_is_stored(client, name):
    filename, content, declared_type, message = HOSTILE_FILES[name]
    call, destinations = open_call_with_destinations()
    before = stored_files()
    _html, key = form_page(client, call)
    upload = SimpleUploadedFile(filename, content, content_type=declared_type)
    response = client.post(
        f"/fr/mobilite/appels/{call.slug}/candidater/",
        valid_post(call, destinations, key, document_cv=upload),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["document_cv"]
    assert any(message in error for error in errors), errors
    assert "Les fichiers choisis n’ont pas été conservés" in response.content.decode()
    assert not Application.objects.exists()
    assert stored_files() == before
