"""A backup of this instance, and a restore into it: what the management commands call."""

import datetime
import os
import shutil
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import DatabaseError, connection
from django.db.models import Model
from simple_history.models import HistoricalChanges

from backoffice.models import AuditEvent
from irts_portal.backups.archive import (
    ARCHIVE_FORMAT,
    DUMP_NAMES,
    NOTHING_RESTORED,
    BackupError,
    archive_add_file,
    archive_add_manifest,
    archive_add_stream,
    archive_unpack,
    stored_files,
)
from irts_portal.backups.database import (
    applied_migrations,
    database_dump,
    database_engine,
    database_restore,
    migrations_pending,
)
from mobility.models import Application, ApplicationDocument
from partnerships.models import Institution


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    manifest: dict[str, Any]
    # Links found in the storage folders: never followed, so never archived.
    skipped_links: list[Path]


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict[str, Any]
    counts: dict[str, int | None]
    private_files: int
    media_files: int
    # The archive predates some of the code's migrations: `migrate` brings the database level.
    migrations_pending: bool


def archived_storages() -> dict[str, Storage]:
    """The storages an archive holds, by their prefix inside it: the applicants' documents and
    agreement PDFs, and the logos. Folders of this machine, or the prefixes of an S3 bucket."""
    return {"private": storages["private"], "media": storages["default"]}


def _folder(storage: Storage) -> Path | None:
    """The folder a local storage writes to; None for a bucket."""
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file of a bucket's storage, by name, all folders down."""
    folders, files = storage.listdir(folder)
    names = [f"{folder}/{name}" if folder else name for name in files]
    for subfolder in folders:
        names += stored_names(storage, f"{folder}/{subfolder}" if folder else subfolder)
    return sorted(names)


def _archive_storage(
    tar: tarfile.TarFile, prefix: str, storage: Storage
) -> tuple[dict[str, Any], list[Path]]:
    files: dict[str, Any] = {}
    root = _folder(storage)
    if root is not None:
        stored, links = stored_files(root)
        for path in stored:
            name = f"{prefix}/{path.relative_to(root).as_posix()}"
            files[name] = archive_add_file(tar, path, name)
        return files, links
    for name in stored_names(storage):
        with storage.open(name, "rb") as stream:
            files[f"{prefix}/{name}"] = archive_add_stream(
                tar,
                stream,
                f"{prefix}/{name}",
                size=storage.size(name),
                mtime=storage.get_modified_time(name).timestamp(),
            )
    return files, []


def backup_create(*, folder: Path, now: datetime.datetime | None = None) -> BackupResult:
    """Write one archive into `folder` (created, private to its owner) and return where it is."""
    engine = database_engine()
    now = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    archive = folder / f"irts-portal-{now:%Y-%m-%dT%H%M%SZ}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} already exists; wait a second and run the backup again.")
    partial = folder / f".{archive.name}.partial"
    skipped_links: list[Path] = []
    try:
        with tempfile.TemporaryDirectory(prefix="irts-backup-") as staging:
            dump = Path(staging) / DUMP_NAMES[engine]
            database_dump(engine, dump)
            # Owner-only from the first byte: the archive holds personal data.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                files = {dump.name: archive_add_file(tar, dump, dump.name)}
                for prefix, storage in archived_storages().items():
                    archived, links = _archive_storage(tar, prefix, storage)
                    files.update(archived)
                    skipped_links += links
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "created_at": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
                    "portal": portal_version(),
                    "database": {"engine": engine, "dump": dump.name},
                    "migrations": applied_migrations(),
                    "files": files,
                }
                archive_add_manifest(tar, manifest)
        os.replace(partial, archive)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(archive=archive, manifest=manifest, skipped_links=skipped_links)


def portal_version() -> dict[str, str | None]:
    try:
        pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
        version = str(pyproject["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        version = None
    try:
        # A deployment from a checkout knows its commit; one from a package does not, and says so.
        answer = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607  # git from PATH, if installed at all
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        commit = answer.stdout.strip() if answer.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        commit = None
    return {"version": version, "commit": commit or None}


def restore_archive(archive: Path, *, force: bool = False) -> RestoreReport:
    """Restore `archive` into this instance, whose database must hold no data unless `force`.

    Every check runs before the first change; a refusal raises BackupError and changes nothing.
    """
    engine = database_engine()
    with tempfile.TemporaryDirectory(prefix="irts-restore-") as staging_name:
        staging = Path(staging_name)
        manifest = archive_unpack(archive, into=staging)
        archived_engine = manifest["database"]["engine"]
        if archived_engine != engine:
            raise BackupError(
                f"The archive holds a {archived_engine} database, and this site runs on {engine}: "
                f"restore it into a {archived_engine} instance (DATABASE_URL). {NOTHING_RESTORED}"
            )
        behind_the_code = migrations_pending(manifest["migrations"])
        if not force and instance_holds_data():
            raise BackupError(
                "The database already holds applications or institutions. Restore into an empty "
                f"instance, or pass --force to replace them. {NOTHING_RESTORED}"
            )
        copies = {
            prefix: _planned_copies(staging / prefix, storage)
            for prefix, storage in archived_storages().items()
        }
        database_restore(engine, staging / manifest["database"]["dump"])
        for prefix, storage in archived_storages().items():
            _copy_files(copies[prefix], storage=storage)
    return RestoreReport(
        manifest=manifest,
        counts=restored_counts(),
        private_files=len(copies["private"]),
        media_files=len(copies["media"]),
        migrations_pending=behind_the_code,
    )


def instance_holds_data() -> bool:
    tables = set(connection.introspection.table_names())
    return any(
        model._meta.db_table in tables and model._default_manager.exists()
        for model in (Application, Institution)
    )


def _planned_copies(source: Path, storage: Storage) -> list[tuple[Path, str]]:
    """Each staged file with its name in the storage; in a folder, refused if a link there
    leads elsewhere."""
    if not source.is_dir():
        return []
    root = _folder(storage)
    planned = []
    for path in sorted(item for item in source.rglob("*") if item.is_file()):
        name = path.relative_to(source).as_posix()
        if root is not None and not (root / name).resolve().is_relative_to(root.resolve()):
            raise BackupError(f"{root / name} leads outside {root} (a link?). {NOTHING_RESTORED}")
        planned.append((path, name))
    return planned


def _copy_files(planned: list[tuple[Path, str]], *, storage: Storage) -> None:
    root = _folder(storage)
    if root is None:
        for source, name in planned:
            # The archived file replaces whatever has its name: the name is what the rows hold.
            if storage.exists(name):
                storage.delete(name)
            with source.open("rb") as content:
                stored = storage.save(name, File(content))
            if stored != name:
                raise BackupError(f"{name} was stored as {stored}: restore into an empty bucket.")
        return
    _copy_into_folder([(source, root / name) for source, name in planned], root=root)


def _copy_into_folder(planned: list[tuple[Path, Path]], *, root: Path) -> None:
    folder_mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o750
    # The root first: mkdir(parents=True) would give it the default mode, not ours.
    root.mkdir(mode=folder_mode, parents=True, exist_ok=True)
    for source, target in planned:
        target.parent.mkdir(mode=folder_mode, parents=True, exist_ok=True)
        # Under a temporary name first: a file is either absent or whole.
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(source, partial)
        partial.chmod(settings.FILE_UPLOAD_PERMISSIONS or 0o640)
        os.replace(partial, target)


def restored_counts() -> dict[str, int | None]:
    """Rows per kind in the database, None where the table is missing (migrations pending)."""
    history_models = [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]
    counted: dict[str, list[type[Model]]] = {
        "applications": [Application],
        "documents": [ApplicationDocument],
        "institutions": [Institution],
        "audit events": [AuditEvent],
        "audit-trail rows": history_models,
    }
    counts: dict[str, int | None] = {}
    for label, models in counted.items():
        try:
            counts[label] = sum(model._default_manager.count() for model in models)
        except DatabaseError:
            counts[label] = None
    return counts
