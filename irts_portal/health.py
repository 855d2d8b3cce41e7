"""What /healthz checks: each part the site needs to serve its pages and keep what it is sent.

- database: it answers, and holds the latest migration of every app (a missing SQLite file is
  silently recreated empty, and would otherwise look healthy);
- cache: a value written can be read back (the rate limits live there);
- storage: the private storage accepts a file and gives it back (applicants' documents).

Each check names its state; details go to the log, never to the caller.
"""

import logging
import secrets
from functools import cache as once

from botocore.exceptions import ClientError
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

OK = "ok"


@once
def _latest_migrations() -> tuple[tuple[str, str], ...]:
    """The last migration of each app, as the code on disk defines them (read once per process)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return tuple(sorted(loader.graph.leaf_nodes()))


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # One line, no traceback: a probe every few seconds would otherwise flood the log.
        logger.error("Health check: the database does not answer (%s: %s)", type(error).__name__, error)
        return "unavailable"
    latest = _latest_migrations()
    try:
        # In a transaction of its own: a failed query must not spoil the request's connection.
        with transaction.atomic(), connection.cursor() as cursor:
            conditions = " OR ".join(["(app = %s AND name = %s)"] * len(latest))
            cursor.execute(
                f"SELECT COUNT(*) FROM django_migrations WHERE {conditions}",  # noqa: S608  # placeholders only
                [value for node in latest for value in node],
            )
            applied = cursor.fetchone()[0]
    except DatabaseError as error:
        logger.error(
            "Health check: the database has no migration table (%s: %s)", type(error).__name__, error
        )
        return "unmigrated"
    if applied != len(latest):
        logger.error("Health check: %s of %s latest migrations applied", applied, len(latest))
        return "unmigrated"
    return OK


def cache_state() -> str:
    probe = secrets.token_hex(8)
    # A key of its own per check: checks running at once would otherwise read each other's value.
    key = f"healthz:probe:{probe}"
    try:
        cache.set(key, probe, timeout=30)
        kept = cache.get(key)
        cache.delete(key)
        if kept != probe:
            logger.error("Health check: the cache does not keep what is written to it")
            return "unavailable"
    except Exception as error:  # any backend's connection error
        logger.error("Health check: the cache does not answer (%s: %s)", type(error).__name__, error)
        return "unavailable"
    return OK


def storage_state() -> str:
    storage = storages["private"]
    content = secrets.token_bytes(16)
    try:
        _bucket_check(storage)
        name = storage.save(f"healthz/{secrets.token_hex(8)}", ContentFile(content))
        try:
            with storage.open(name, "rb") as stored:
                if stored.read() != content:
                    logger.error("Health check: the private storage gave back other bytes")
                    return "unavailable"
        finally:
            storage.delete(name)
    except Exception as error:  # OSError locally; botocore's errors on S3
        logger.error(  # what to fix, in a line; no traceback needed
            "Health check: the private storage cannot store a file: %s (%s: %s)",
            _what_to_fix(storage, error),
            type(error).__name__,
            error,
        )
        return "unavailable"
    return OK


def _bucket_check(storage) -> None:
    """On S3, that the bucket exists: some S3-compatible servers create one on the first write."""
    if isinstance(storage, S3Storage):
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)


def _what_to_fix(storage, error: Exception) -> str:
    if not isinstance(error, ClientError):
        return (
            "the storage does not answer" if isinstance(storage, S3Storage) else "the folder is not writable"
        )
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    code = error.response.get("Error", {}).get("Code", "")
    if status == 404 or code in ("NoSuchBucket", "404"):
        return f"the bucket {storage.bucket_name!r} does not exist (AWS_STORAGE_BUCKET_NAME)"
    if status == 403 or code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"):
        return "the bucket refuses the key (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"
    return "the bucket refuses the file"


def health() -> dict[str, str]:
    """Each part's state, and the overall status."""
    parts = {"database": database_state(), "cache": cache_state(), "storage": storage_state()}
    return {"status": OK if all(state == OK for state in parts.values()) else "error", **parts}
