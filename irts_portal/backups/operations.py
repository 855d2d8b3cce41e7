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


def storage_folders() -> dict[str, Path]:
    """The folders an archive holds, by their prefix inside it."""
    return {"private": Path(settings.PRIVATE_MEDIA_ROOT), "media": Path(settings.MEDIA_ROOT)}


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
                for prefix, root in storage_folders().items():
                    stored, links = stored_files(root)
                    skipped_links += links
                    for path in stored:
                        name = f"{prefix}/{path.relative_to(root).as_posix()}"
                        files[name] = archive_add_file(tar, path, name)
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
            prefix: _planned_copies(staging / prefix, root) for prefix, root in storage_folders().items()
        }
        database_restore(engine, staging / manifest["database"]["dump"])
        for prefix, root in storage_folders().items():
            _copy_files(copies[prefix], root=root)
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


def _planned_copies(source: Path, root: Path) -> list[tuple[Path, Path]]:
    """Each staged file with its place under `root`, refused if a link in `root` leads elsewhere."""
    if not source.is_dir():
        return []
    real_root = root.resolve()
    planned = []
    for path in sorted(item for item in source.rglob("*") if item.is_file()):
        target = root / path.relative_to(source)
        if not target.resolve().is_relative_to(real_root):
            raise BackupError(f"{target} leads outside {root} (a link?). {NOTHING_RESTORED}")
        planned.append((path, target))
    return planned


def _copy_files(planned: list[tuple[Path, Path]], *, root: Path) -> None:
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
