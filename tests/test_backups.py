"""Backups restore: every application, document and audit row comes back into an empty instance,
and a restore refuses an archive, or an instance, it must not touch."""

import hashlib
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from psycopg import sql
from psycopg.conninfo import make_conninfo

from backoffice.services.applications import applications_delete
from backoffice.services.audit import export_record
from irts_portal.backups.archive import DUMP_NAMES
from irts_portal.backups.database import libpq_invocation
from mobility.models.applications import Status
from mobility.services import application_transition
from tests.factories import InstitutionFactory
from tests.mobility.helpers import MINIMAL_PDF, open_call_with_destinations, png_file, submit_application

BASE_DIR = Path(settings.BASE_DIR)

# What an instance holds, read by the portal's own code in the instance's environment: the same
# script reads the instance backed up and the one restored, so that both are seen alike.
INVENTORY = """
import hashlib, json
import django
django.setup()
from backoffice.models import AuditEvent
from mobility.models import Application, ApplicationDocument, StatusChange
from partnerships.models import Institution

def sha256(field):
    with field.open("rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()

print(json.dumps({
    "applications": sorted(Application.objects.values_list("reference", "status", "email")),
    "documents": sorted(
        (document.application.reference, document.file.name, sha256(document.file))
        for document in ApplicationDocument.objects.select_related("application")
    ),
    "status_changes": sorted(StatusChange.objects.values_list("application__reference", "to_status")),
    "audit_events": sorted(
        (event.action, event.subject, json.dumps(event.detail, sort_keys=True))
        for event in AuditEvent.objects.all()
    ),
    "audit_trail": sorted(Application.audit_trail.values_list("history_id", "reference", "history_type", "status")),
    "logos": sorted((partner.slug, sha256(partner.logo)) for partner in Institution.objects.exclude(logo="")),
}))
"""


@dataclass(frozen=True)
class Instance:
    """A portal installation as the commands see it: a database and two storage folders."""

    database_url: str
    private: Path
    media: Path
    # More of its settings, e.g. an S3 bucket in place of the folders (tests/test_storage_s3.py).
    settings: tuple[tuple[str, str], ...] = ()

    def manage(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.python(BASE_DIR / "manage.py", *arguments, check=check)

    def python(self, *arguments: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            # The real settings, not the tests': the commands run as they do on a server.
            "DJANGO_SETTINGS_MODULE": "irts_portal.settings",
            "DJANGO_ENV_FILE": "",
            "DJANGO_SECRET_KEY": "tests-only-" + "x" * 50,
            "DATABASE_URL": self.database_url,
            "DJANGO_PRIVATE_MEDIA_ROOT": str(self.private),
            "DJANGO_MEDIA_ROOT": str(self.media),
            **dict(self.settings),
        }
        result = subprocess.run(
            [sys.executable, *map(str, arguments)],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def inventory(self) -> dict[str, Any]:
        return json.loads(self.python("-c", INVENTORY).stdout)


def postgres_url(database: dict[str, Any], name: str) -> str:
    credentials = quote(database["USER"] or "postgres", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    return f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{name}"


def this_test_instance() -> Instance:
    """The instance the tests write to: their database (committed by a transactional test) and folders."""
    database = connection.settings_dict
    url = (
        f"sqlite:///{database['NAME']}"
        if connection.vendor == "sqlite"
        else postgres_url(database, database["NAME"])
    )
    return Instance(url, Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT))


@pytest.fixture
def empty_instance(tmp_path):
    """A new installation on the tests' database engine, its database still empty (not even
    migrated, which the restore brings): a scratch SQLite file, or a scratch PostgreSQL database
    dropped afterwards. Restoring over existing tables is the forced restore's case."""
    private, media = tmp_path / "restored-private", tmp_path / "restored-media"
    if connection.vendor == "sqlite":
        yield Instance(f"sqlite:///{tmp_path / 'restored.sqlite3'}", private, media)
        return
    database = connection.settings_dict
    name = f"irts_restore_{secrets.token_hex(6)}"
    server = make_conninfo(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"] or "postgres",
        password=database["PASSWORD"] or None,
        dbname="postgres",
    )
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield Instance(postgres_url(database, name), private, media)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def archived_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        stream = tar.extractfile("manifest.json")
        assert stream is not None
        return json.loads(stream.read())


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_application_document_and_audit_row_into_an_empty_instance(
    tmp_path, request, private_files_removed, empty_instance
):
    call, _destinations = open_call_with_destinations()
    applications = [
        submit_application(call, given_names=f"Personne {n}", email=f"personne{n}@example.org")
        for n in range(3)
    ]
    application_transition(application=applications[0], to_status=Status.UNDER_REVIEW, comment="Complet.")
    applications_delete(applications=[applications[2]], actor=None)
    export_record(actor=None, subject="candidatures", file_format="csv", row_count=2, filters=["status"])
    partner = InstitutionFactory.create()
    partner.logo.save("logo.png", png_file(), save=True)
    request.addfinalizer(lambda: partner.logo.storage.delete(partner.logo.name))

    source = this_test_instance()
    before = source.inventory()
    assert [email for _ref, _status, email in before["applications"]] == [
        "personne0@example.org",
        "personne1@example.org",
    ]
    assert {sha for _ref, _name, sha in before["documents"]} == {hashlib.sha256(MINIMAL_PDF).hexdigest()}
    assert len(before["documents"]) == 2
    assert [action for action, _subject, _detail in before["audit_events"]] == ["delete", "export"]
    assert len(before["audit_trail"]) >= 3
    assert len(before["logos"]) == 1

    backups = tmp_path / "backups"
    source.manage("backup", "--folder", str(backups))
    [archive] = backups.iterdir()
    assert re.fullmatch(r"irts-portal-\d{4}-\d\d-\d\dT\d{6}Z\.tar\.gz", archive.name)
    assert archive.stat().st_mode & 0o077 == 0, "personal data: readable by its owner only"
    manifest = archived_manifest(archive)
    assert manifest["database"] == {"engine": connection.vendor, "dump": DUMP_NAMES[connection.vendor]}
    latest_mobility = max(name for app, name in MigrationLoader(None).graph.leaf_nodes() if app == "mobility")
    assert manifest["migrations"]["mobility"] == latest_mobility
    assert manifest["portal"]["version"] == "0.1.0"
    for _reference, name, sha in before["documents"]:
        assert manifest["files"][f"private/{name}"]["sha256"] == sha

    restored = empty_instance.manage("restore", str(archive))
    print(restored.stdout)
    # The test run's folders also hold other tests' files: all of them are in the archive.
    private_in_archive = sum(name.startswith("private/") for name in manifest["files"])
    media_in_archive = sum(name.startswith("media/") for name in manifest["files"])
    assert media_in_archive >= 1
    for line in (
        "applications: 2",
        "documents: 2",
        "audit events: 2",
        f"private files: {private_in_archive}",
        f"media files: {media_in_archive}",
    ):
        assert f"  {line}\n" in restored.stdout
    assert empty_instance.inventory() == before

    # Now the instance holds data: a second restore is refused and changes nothing.
    removed = empty_instance.private / before["documents"][0][1]
    removed.unlink()
    refused = empty_instance.manage("restore", str(archive), check=False)
    assert refused.returncode == 1
    assert "already holds applications or institutions" in refused.stderr
    assert not removed.exists()

    # Unless forced: then the archive replaces what is there.
    empty_instance.manage("restore", str(archive), "--force")
    assert empty_instance.inventory() == before


# --- Archives that must be refused ------------------------------------------------------------------


def write_archive(
    path: Path,
    files: dict[str, bytes],
    *,
    engine: str | None = None,
    claimed: dict[str, bytes] | None = None,
    extra_members: Sequence[tuple[tarfile.TarInfo, bytes | None]] = (),
    with_manifest: bool = True,
) -> Path:
    """An archive in the portal's format, whose manifest lists `files` (or, for those in `claimed`,
    other contents than the archive holds), followed by `extra_members` as given."""
    engine = engine or connection.vendor
    listed = {**files, **(claimed or {})}
    manifest = {
        "format": 1,
        "created_at": "2026-11-29T03:15:00Z",
        "portal": {"version": "0.1.0", "commit": None},
        "database": {"engine": engine, "dump": DUMP_NAMES[engine]},
        "migrations": {},
        "files": {
            name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for name, content in listed.items()
        },
    }
    members = [(tarfile.TarInfo(name), content) for name, content in files.items()]
    if with_manifest:
        members.append((tarfile.TarInfo("manifest.json"), json.dumps(manifest).encode()))
    with tarfile.open(path, "w:gz") as tar:
        for info, content in [*members, *extra_members]:
            if content is not None:
                info.size = len(content)
            tar.addfile(info, io.BytesIO(content) if content is not None else None)
    return path


def dump_and_document() -> dict[str, bytes]:
    return {DUMP_NAMES[connection.vendor]: b"a database", "private/applications/cv.pdf": MINIMAL_PDF}


@pytest.fixture
def folders(settings, tmp_path):
    """Storage folders of the instance, which a refused restore must leave as they are: absent."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return [settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT]


def assert_refused(archive: Path, message: str, folders: list[Path]) -> None:
    # No database access allowed here: each refusal must come before the database is even read.
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive))
    assert not any(folder.exists() for folder in folders)


def test_restore_refuses_an_archive_whose_checksums_do_not_match(tmp_path, folders):
    archive = write_archive(
        tmp_path / "altered.tar.gz",
        # One bit changed, the size kept: only the checksum can tell.
        {
            **dump_and_document(),
            "private/applications/cv.pdf": MINIMAL_PDF[:-1] + bytes([MINIMAL_PDF[-1] ^ 1]),
        },
        claimed={"private/applications/cv.pdf": MINIMAL_PDF},
    )
    assert_refused(archive, "private/applications/cv.pdf does not match the checksum", folders)


def test_restore_refuses_a_file_the_manifest_does_not_list(tmp_path, folders):
    archive = write_archive(
        tmp_path / "added.tar.gz",
        dump_and_document(),
        extra_members=[(tarfile.TarInfo("private/applications/added.pdf"), MINIMAL_PDF)],
    )
    assert_refused(archive, r"not listed: private/applications/added\.pdf", folders)


def link(name: str, target: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (tarfile.TarInfo("../escape.txt"), "Unsafe path in the archive: '../escape.txt'"),
        (tarfile.TarInfo("private/../../escape.txt"), "Unsafe path"),
        (tarfile.TarInfo("/etc/cron.d/portal"), "Unsafe path in the archive: '/etc/cron.d/portal'"),
        (link("private/applications/link.pdf", "/etc/passwd", tarfile.SYMTYPE), "link or special file"),
        (link("private/applications/hard.pdf", "/etc/passwd", tarfile.LNKTYPE), "link or special file"),
        (link("private/applications/pipe", "", tarfile.FIFOTYPE), "link or special file"),
        (tarfile.TarInfo("settings.py"), "Unexpected file in the archive: 'settings.py'"),
    ],
    ids=["parent", "parent-inside", "absolute", "symlink", "hardlink", "fifo", "outside-the-layout"],
)
def test_restore_refuses_unsafe_members_before_extracting_anything(
    tmp_path, monkeypatch, folders, member, message
):
    # The restore unpacks into a temporary folder: here, one whose surroundings the test can see.
    temporary = tmp_path / "tmp" / "nested"
    temporary.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    content = None if member.type in (tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.FIFOTYPE) else b"x"
    archive = write_archive(
        tmp_path / "unsafe.tar.gz", dump_and_document(), extra_members=[(member, content)]
    )
    assert_refused(archive, re.escape(message), folders)
    assert list(temporary.iterdir()) == [], "the unpacking folder is removed"
    assert [path.name for path in (tmp_path / "tmp").iterdir()] == ["nested"], "nothing escaped it"
    assert not Path("/etc/cron.d/portal").exists()


def test_restore_refuses_an_archive_of_the_other_database_engine(tmp_path, folders):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = write_archive(
        tmp_path / "other-engine.tar.gz",
        {DUMP_NAMES[other]: b"a database", "private/applications/cv.pdf": MINIMAL_PDF},
        engine=other,
    )
    assert_refused(
        archive, f"The archive holds a {other} database, and this site runs on {connection.vendor}", folders
    )


def test_restore_refuses_what_is_not_a_portal_backup(tmp_path, folders):
    not_gzip = tmp_path / "notes.tar.gz"
    not_gzip.write_text("pas une archive")
    assert_refused(not_gzip, "is not a readable backup archive", folders)
    no_manifest = write_archive(tmp_path / "bare.tar.gz", dump_and_document(), with_manifest=False)
    assert_refused(no_manifest, "has no manifest.json", folders)


def test_postgresql_tools_get_the_password_from_the_environment_never_the_command_line():
    command, environment = libpq_invocation(
        "pg_dump",
        "--format=custom",
        database={
            "NAME": "irts_portal",
            "USER": "portal",
            "PASSWORD": "s3cret-Passw0rd",
            "HOST": "db.example.org",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require"},
        },
        environment={"PATH": "/usr/bin", "PGHOST": "elsewhere.example.org"},
    )
    assert command == ["pg_dump", "--no-password", "--format=custom"]
    assert "s3cret" not in " ".join(command)
    assert environment["PGPASSWORD"] == "s3cret-Passw0rd"
    assert (environment["PGHOST"], environment["PGPORT"], environment["PGUSER"]) == (
        "db.example.org",
        "5433",
        "portal",
    )
    assert (environment["PGDATABASE"], environment["PGSSLMODE"]) == ("irts_portal", "require")
